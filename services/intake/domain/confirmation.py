"""From a reviewed draft to an item registration: pure rules, no I/O."""
import re

from shared.contracts.vocabulary import CADENCES as CADENCE_WORDS

ITEM_SOURCE_KIND = {"minutes": "minutes", "assignments": "leader_assignment",
                    "goals": "annual_goal"}
CADENCES = tuple(c for c in CADENCE_WORDS if c != "none")


def title_of(task):
    """A short title for the item: the task's first sentence, at most 60 characters."""
    first = re.split(r"[。；;!！?？\n]", task.strip(), maxsplit=1)[0].strip() or task.strip()
    return first if len(first) <= 60 else first[:59] + "…"


def cadence_of(value):
    head = (value or "").split(":", 1)[0]
    return head if head in CADENCES else "none"


def readiness_problems(fields, known, today):
    problems = []
    if not fields.get("lead_department"):
        problems.append("no lead department: set lead_department")
    elif fields["lead_department"] not in known:
        problems.append("unknown lead department '{}'".format(fields["lead_department"]))
    for code in fields.get("co_departments") or []:
        if code not in known:
            problems.append("unknown co-department '{}'".format(code))
    if not fields.get("deadline"):
        problems.append("no deadline: set deadline")
    elif fields["deadline"] < today.isoformat():
        problems.append("the deadline {} is in the past".format(fields["deadline"]))
    if not (fields.get("task") or "").strip():
        problems.append("empty task")
    return problems


def item_request(source_kind, source_ref, fields, defaults):
    """A confirmed draft as tracking's item registration (POST /api/v1/items fields)."""
    deadline = fields.get("deadline")
    milestones = [{"title": (m.get("text") or "")[:200] or "节点", "date": m["date"]}
                  for m in fields.get("milestones") or []
                  if m.get("date") and deadline and m["date"] <= deadline]
    content = fields.get("task") or ""
    if fields.get("goal"):
        content = "年度目标：{}\n节点：{}".format(fields["goal"], content)
    return {
        "title": fields.get("title") or title_of(content),
        "content": content[:10000],
        "source": {"kind": ITEM_SOURCE_KIND.get(source_kind, "manual"),
                   "ref": source_ref[:200],
                   "clause": (str(fields.get("clause") or fields.get("goal_ref") or "")[:64]
                              or None),
                   "draft_id": fields["id"], "goal": (fields.get("goal") or None) and
                   fields["goal"][:200], "year": fields.get("year")},
        "lead_department": fields.get("lead_department"),
        "co_departments": [c for c in fields.get("co_departments") or []
                           if c != fields.get("lead_department")],
        "supervising_department": fields.get("supervising_department")
        or defaults.get("supervising_department"),
        "responsible_person": fields.get("responsible_person"),
        "assigning_leader": fields.get("leader"),
        "deadline": deadline,
        "category": defaults.get("category") or fields.get("category") or "routine",
        "completion_form": fields.get("completion_form"),
        "completion_standard": fields.get("completion_standard"),
        "feedback_cadence": cadence_of(fields.get("cadence")),
        "milestones": milestones,
    }

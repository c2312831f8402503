"""The new-item form (`/items/new`) and the edit form (`/items/<id>/edit`): departments
are typed as names (a <datalist> of the directory); tracking resolves codes, names and
aliases and answers 422 naming the field, shown next to it with what was typed kept."""
import re
import uuid

from shared import access
from shared.errors import DubanError, ValidationFailed
from shared.rpc import call

from .pages import _current, _html, _redirect

SEPARATORS = re.compile(r"[、,，;；\s]+")
FIELDS = ("title", "content", "lead_department", "co_departments", "supervising_department",
          "responsible_person", "responsible_person_reason", "assigning_leader", "deadline",
          "category", "completion_form", "completion_standard", "feedback_cadence",
          "milestones", "source_kind", "parent", "reason")


def _people(service):
    try:
        return call(service.tracking, "list_people")
    except DubanError:
        return []


def _units(service):
    try:
        return call(service.tracking, "list_org_units")
    except DubanError:
        return []


def render_form(service, item=None, form=None, error=None, status=200):
    return _html("item_form.html", status=status, item=item, form=form or {}, error=error,
                 units=_units(service), people=_people(service),
                 request_id=(form or {}).get("request_id") or str(uuid.uuid4()))


def form_of(item):
    """An item as the edit form shows it."""
    names = lambda refs: "、".join(r["name"] for r in refs)  # noqa: E731
    return {
        "title": item["title"], "content": item["content"],
        "lead_department": item["lead_department"]["name"],
        "co_departments": names(item["co_departments"]),
        "supervising_department": (item["supervising_department"] or {}).get("name", ""),
        "responsible_person": str((item["responsible_person"] or {}).get("id", "")),
        "responsible_person_reason": item.get("responsible_person_reason") or "",
        "assigning_leader": item["assigning_leader"] or "", "category": item["category"],
        "completion_form": item["completion_form"] or "",
        "completion_standard": item["completion_standard"] or "",
        "feedback_cadence": item["feedback_cadence"],
        "milestones": "\n".join("{} {}".format(m["date"], m["title"])
                                for m in item["milestones"]),
    }


def milestones(text):
    found = []
    for n, line in enumerate(l.strip() for l in (text or "").splitlines()):
        if not line:
            continue
        match = re.match(r"^(\d{4}-\d{2}-\d{2})\s+(.+)$", line)
        if not match:
            raise ValidationFailed("A milestone is a date and a title", {"milestones": [
                "line {}: write it as 2026-12-31 title".format(n + 1)]})
        found.append({"date": match.group(1), "title": match.group(2)})
    return found


def payload(form, new):
    """The form as register_item's (new) or update_item's body."""
    text = lambda name: (form.get(name) or "").strip() or None  # noqa: E731
    body = {"title": (form.get("title") or "").strip(), "content": form.get("content") or "",
            "lead_department": (form.get("lead_department") or "").strip(),
            "co_departments": [c for c in SEPARATORS.split(form.get("co_departments") or "") if c],
            "supervising_department": text("supervising_department"),
            "responsible_person": int(form["responsible_person"])
            if (form.get("responsible_person") or "").isdigit() else None,
            "responsible_person_reason": text("responsible_person_reason"),
            "assigning_leader": text("assigning_leader"),
            "category": form.get("category") or "routine",
            "completion_form": text("completion_form"),
            "completion_standard": text("completion_standard"),
            "feedback_cadence": form.get("feedback_cadence") or "none",
            "milestones": milestones(form.get("milestones"))}
    if new:
        body.update(deadline=form.get("deadline") or "",
                    source={"kind": form.get("source_kind") or "manual"},
                    parent=text("parent"))
    else:
        body["reason"] = text("reason")
    return body


def render_new(service, request):
    """For those who register items (office, admin, leader); tracking checks it again."""
    access.require(_current.me, *access.ASSIGNING)
    return render_form(service, form={"parent": request.args.get("parent", "")})


def create(service, request):
    form = {k: v for k, v in request.form.to_dict().items() if k in FIELDS + ("request_id",)}
    try:
        made = call(service.tracking, "register_item", payload(form, new=True),
                    form.get("request_id") or None)
    except DubanError as exc:
        return render_form(service, form=form, error=exc, status=exc.status)
    return _redirect("/items/{}?notice=register".format(made["id"]))


def render_edit(service, request, item_id):
    item = call(service.tracking, "get_item", item_id)
    if "update" not in item.get("allowed_actions", []):
        return _html("error.html", status=403, message="Your role may not do this on this item")
    return render_form(service, item=item, form=form_of(item))


def save(service, request, item_id):
    item = call(service.tracking, "get_item", item_id)
    form = {k: v for k, v in request.form.to_dict().items() if k in FIELDS}
    try:
        call(service.tracking, "update_item", item_id, payload(form, new=False))
    except DubanError as exc:
        return render_form(service, item=item, form=form, error=exc, status=exc.status)
    return _redirect("/items/{}?notice=update".format(item_id))

"""What tracking answers and publishes: rows turned into plain dicts."""
from shared.clock import utc_iso

from ..domain import dashboard, rules


def unit_ref(unit):
    return None if unit is None else {"code": unit.code, "name": unit.name}


def person_ref(person):
    return None if person is None else {"id": person.id, "name": person.name,
                                        "mobile": person.mobile}


def org_path(unit):
    """Codes from the group down to `unit`."""
    path = []
    while unit is not None:
        path.append(unit.code)
        unit = unit.parent
    return path[::-1]


def root_of(unit):
    while unit.parent is not None:
        unit = unit.parent
    return unit


def org_unit_view(unit):
    return {"id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind,
            "parent": unit.parent.code if unit.parent else None, "aliases": list(unit.aliases),
            "contact": person_ref(unit.contact), "head": person_ref(unit.head),
            "leader": person_ref(unit.leader),
            "substitutes": [person_ref(p) for p in unit.substitutes],
            "number_format": unit.number_format}


def person_view(person):
    return {"id": person.id, "name": person.name, "mobile": person.mobile,
            "org_unit": unit_ref(person.org_unit), "roles": list(person.roles),
            "active": person.active, "username": person.username}


def lead_view(unit):
    """The lead department with the people a reminder goes to."""
    return dict(unit_ref(unit), contact=person_ref(unit.contact), head=person_ref(unit.head),
                leader=person_ref(unit.leader))


def access_view(item):
    """What the access policy needs of an item (shared.access)."""
    return {"id": item.id, "org_id": item.org_id, "org_path": org_path(item.lead_unit),
            "lead_department": unit_ref(item.lead_unit),
            "co_departments": [unit_ref(link.org_unit) for link in item.co_links]}


def _iso(day):
    return day.isoformat() if day else None


def item_view(item, today):
    return {
        "id": item.id, "number": item.number, "org_id": item.org_id,
        "org_path": org_path(item.lead_unit),
        "title": item.title, "content": item.content, "status": item.status,
        "source": {"kind": item.source_kind, "ref": item.source_ref,
                   "clause": item.source_clause, "draft_id": item.source_draft_id,
                   "goal": item.source_goal, "year": item.source_year},
        "lead_department": lead_view(item.lead_unit),
        "co_departments": [unit_ref(link.org_unit) for link in item.co_links],
        "supervising_department": unit_ref(item.supervising_unit),
        "responsible_person": person_ref(item.responsible_person),
        "responsible_person_reason": item.responsible_person_reason,
        "assigning_leader": item.assigning_leader,
        "deadline": item.deadline.isoformat(),
        "original_deadline": item.original_deadline.isoformat(),
        "due_by": _iso(item.due_by),
        "overdue": rules.is_overdue(item.status, item.due_by, today),
        "signal": dashboard.signal(item.status, item.due_by, today),
        "category": item.category, "completion_form": item.completion_form,
        "completion_standard": item.completion_standard,
        "feedback_cadence": item.feedback_cadence,
        "feedback_due_on": _iso(item.feedback_due_on),
        "feedback_overdue": bool(item.feedback_due_on and item.feedback_due_on < today),
        "last_feedback_on": _iso(item.last_feedback_on),
        "issued_on": _iso(item.issued_on),
        "milestones": list(item.milestones or []),
        "parent_id": item.parent_id, "progress": item.progress,
        "quality": item.quality, "grade": item.grade,
        "completion_summary": item.completion_summary,
        "completed_on": _iso(item.completed_on),
        "created_at": utc_iso(item.created_at), "updated_at": utc_iso(item.updated_at),
        "version": item.version,
    }


def history_view(row):
    return {"id": row.id, "at": utc_iso(row.at), "actor": row.actor, "action": row.action,
            "from_status": row.from_status, "to_status": row.to_status,
            "changes": row.changes, "reason": row.reason}


def feedback_view(row):
    return {"id": row.id, "at": utc_iso(row.at), "actor": row.actor, "progress": row.progress,
            "content": row.content, "reason": row.reason, "measures": row.measures,
            "new_plan": row.new_plan, "at_risk": row.at_risk, "late": row.late,
            "accurate": row.accurate, "assessed_by": row.assessed_by}


def extension_view(row):
    return {"id": row.id, "requested_at": utc_iso(row.requested_at),
            "requested_by": row.requested_by, "current_deadline": row.current_deadline.isoformat(),
            "new_deadline": row.new_deadline.isoformat(), "reason": row.reason,
            "measures": row.measures, "status": row.status,
            "decided_at": utc_iso(row.decided_at), "decided_by": row.decided_by,
            "comment": row.comment}

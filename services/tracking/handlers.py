"""Use cases of the tracking service: take validated input and a unit of work, return views.

Each function runs in the caller's session and commits once: the change, its history
record and its outbox event land together or not at all.
"""
import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from shared import errors
from shared.clock import utc_iso
from shared.db import is_postgres
from shared.events import make_envelope
from shared.outbox import read_log

from .domain import lifecycle, rules
from .domain.errors import IllegalTransition, RuleViolation, StateConflict
from .models import (ContactSubstitute, DirectoryChange, ExtensionRequest, Feedback, Item,
                     ItemCoDepartment, ItemHistory, NumberSequence, OrgUnit, OutboxEvent, Person)

PRODUCER = "tracking"


class UnitOfWork:
    """What a use case needs: the session, the outbox, the clock and who is acting."""

    def __init__(self, session, outbox, clock, actor="system", number_prefix="DB"):
        self.session = session
        self.outbox = outbox
        self.clock = clock
        self.actor = actor
        self.number_prefix = number_prefix

    def commit(self):
        try:
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            raise errors.Conflict("The item was changed by someone else; reload and retry",
                                  {"version": ["stale"]})

    def emit(self, type, data, subject_id=None, org_id=None):
        self.outbox.add(self.session, make_envelope(type, PRODUCER, data, self.clock.now(),
                                                    subject_id=subject_id, org_id=org_id))


def domain_errors(fn):
    """Translate the rules' errors into the common error vocabulary."""
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IllegalTransition as exc:
            raise errors.Conflict(exc.message, exc.fields, code="illegal_transition")
        except StateConflict as exc:
            raise errors.Conflict(exc.message, exc.fields)
        except RuleViolation as exc:
            raise errors.ValidationFailed(exc.message, exc.fields)
    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


# ---------------------------------------------------------------- views

def unit_ref(unit):
    return None if unit is None else {"code": unit.code, "name": unit.name}


def person_ref(person):
    return None if person is None else {"id": person.id, "name": person.name,
                                        "mobile": person.mobile}


def org_unit_view(session, unit):
    contact = session.get(Person, unit.contact_person_id) if unit.contact_person_id else None
    subs = session.scalars(select(Person).join(ContactSubstitute,
                                               ContactSubstitute.person_id == Person.id)
                           .where(ContactSubstitute.org_unit_id == unit.id)
                           .order_by(Person.id)).all()
    return {"id": unit.id, "code": unit.code, "name": unit.name, "kind": unit.kind,
            "parent": unit.parent.code if unit.parent else None, "aliases": list(unit.aliases),
            "contact": person_ref(contact), "substitutes": [person_ref(p) for p in subs]}


def person_view(person):
    return {"id": person.id, "name": person.name, "mobile": person.mobile,
            "org_unit": unit_ref(person.org_unit), "roles": list(person.roles),
            "active": person.active}


def item_view(item, today):
    return {
        "id": item.id, "number": item.number, "org_id": item.org_id,
        "title": item.title, "content": item.content, "status": item.status,
        "source": {"kind": item.source_kind, "ref": item.source_ref,
                   "clause": item.source_clause, "draft_id": item.source_draft_id,
                   "goal": item.source_goal, "year": item.source_year},
        "lead_department": unit_ref(item.lead_unit),
        "co_departments": [unit_ref(link.org_unit) for link in item.co_links],
        "supervising_department": unit_ref(item.supervising_unit),
        "responsible_person": person_ref(item.responsible_person),
        "assigning_leader": item.assigning_leader,
        "deadline": item.deadline.isoformat(),
        "original_deadline": item.original_deadline.isoformat(),
        "overdue": rules.is_overdue(item.status, item.deadline, today),
        "category": item.category, "completion_form": item.completion_form,
        "completion_standard": item.completion_standard,
        "feedback_cadence": item.feedback_cadence, "milestones": list(item.milestones or []),
        "parent_id": item.parent_id, "progress": item.progress,
        "quality": item.quality, "grade": item.grade,
        "completion_summary": item.completion_summary,
        "completed_on": item.completed_on.isoformat() if item.completed_on else None,
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


# ---------------------------------------------------------------- directory

def _unit_by_code(session, code, field):
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise errors.ValidationFailed("Unknown org unit code '{}'".format(code),
                                      {field: ["unknown org unit code '{}'".format(code)]})
    return unit


def _root(unit):
    while unit.parent is not None:
        unit = unit.parent
    return unit


def _audit(uow, entity, key, action, changes):
    uow.session.add(DirectoryChange(actor=uow.actor, entity=entity, entity_key=str(key),
                                    action=action, changes=changes, at=uow.clock.now()))


def create_org_unit(uow, data):
    session = uow.session
    if session.scalar(select(OrgUnit.id).where(OrgUnit.code == data["code"])) is not None:
        raise errors.Conflict("Org unit code '{}' exists".format(data["code"]),
                              {"code": ["already used"]})
    parent = _unit_by_code(session, data["parent"], "parent") if data["parent"] else None
    if data["kind"] == "group" and parent is not None:
        raise errors.ValidationFailed("A group has no parent", {"parent": ["must be empty"]})
    if data["kind"] != "group" and parent is None:
        raise errors.ValidationFailed("A {} needs a parent".format(data["kind"]),
                                      {"parent": ["required"]})
    unit = OrgUnit(code=data["code"], name=data["name"], kind=data["kind"], parent=parent,
                   aliases=data["aliases"])
    session.add(unit)
    session.flush()
    view = org_unit_view(session, unit)
    _audit(uow, "org_unit", unit.code, "created", view)
    uow.emit("org_unit.created", view, subject_id=unit.code, org_id=_root(unit).code)
    uow.commit()
    return view


def update_org_unit(uow, code, data):
    session = uow.session
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise errors.NotFound("No org unit '{}'".format(code))
    if not data:
        raise errors.ValidationFailed("Nothing to change", {"_schema": ["empty patch"]})
    before = {"name": unit.name, "aliases": list(unit.aliases)}
    if "name" in data:
        unit.name = data["name"]
    if "aliases" in data:
        unit.aliases = list(dict.fromkeys(data["aliases"]))
    session.flush()
    view = org_unit_view(session, unit)
    _audit(uow, "org_unit", unit.code, "updated",
           {"before": before, "after": {"name": unit.name, "aliases": list(unit.aliases)}})
    uow.emit("org_unit.updated", view, subject_id=unit.code, org_id=_root(unit).code)
    uow.commit()
    return view


def list_org_units(uow):
    units = uow.session.scalars(select(OrgUnit).order_by(OrgUnit.id)).all()
    return [org_unit_view(uow.session, u) for u in units]


def _earlier(session, model, request_id):
    """The row an earlier delivery of the same request created (RPC is at least once)."""
    if request_id is None:
        return None
    return session.scalar(select(model).where(model.request_id == request_id))


def _same_item(earlier, item):
    if earlier.item_id != item.id:
        raise errors.Conflict("This request id (Idempotency-Key) was used for another item",
                              {"Idempotency-Key": ["already used"]})


def create_person(uow, data, request_id=None):
    session = uow.session
    earlier = _earlier(session, Person, request_id)
    if earlier is not None:
        return person_view(earlier)
    unit = _unit_by_code(session, data["org_unit"], "org_unit")
    person = Person(name=data["name"], mobile=data["mobile"], org_unit=unit,
                    roles=sorted(set(data["roles"])), request_id=request_id)
    session.add(person)
    session.flush()
    view = person_view(person)
    _audit(uow, "person", person.id, "created", view)
    uow.emit("person.created", view, subject_id=person.id, org_id=_root(unit).code)
    uow.commit()
    return view


def list_people(uow, org_unit=None):
    q = select(Person).order_by(Person.id)
    if org_unit:
        q = q.join(OrgUnit, Person.org_unit_id == OrgUnit.id).where(OrgUnit.code == org_unit)
    return [person_view(p) for p in uow.session.scalars(q)]


def _person(session, person_id, field):
    person = session.get(Person, person_id)
    if person is None:
        raise errors.ValidationFailed("Unknown person {}".format(person_id),
                                      {field: ["unknown person {}".format(person_id)]})
    return person


def set_contact(uow, code, data):
    """Name a department's contact person (联系人) and substitutes; audited."""
    session = uow.session
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise errors.NotFound("No org unit '{}'".format(code))
    contact = _person(session, data["person"], "person")
    subs = [_person(session, pid, "substitutes") for pid in dict.fromkeys(data["substitutes"])]
    for person, field in [(contact, "person")] + [(p, "substitutes") for p in subs]:
        if person.org_unit_id != unit.id:
            raise errors.ValidationFailed("{} does not belong to {}".format(person.name, unit.name),
                                          {field: ["person {} is not in {}".format(person.id, code)]})
    before = org_unit_view(session, unit)
    unit.contact_person_id = contact.id
    for row in session.scalars(select(ContactSubstitute)
                               .where(ContactSubstitute.org_unit_id == unit.id)):
        session.delete(row)
    session.flush()
    for p in subs:
        session.add(ContactSubstitute(org_unit_id=unit.id, person_id=p.id))
    session.flush()
    view = org_unit_view(session, unit)
    _audit(uow, "org_unit", unit.code, "contact_changed",
           {"before": {"contact": before["contact"], "substitutes": before["substitutes"]},
            "after": {"contact": view["contact"], "substitutes": view["substitutes"]}})
    uow.emit("org_unit.contact_changed", view, subject_id=unit.code, org_id=_root(unit).code)
    uow.commit()
    return view


def directory_changes(uow, limit=200):
    rows = uow.session.scalars(select(DirectoryChange).order_by(DirectoryChange.id.desc())
                               .limit(limit)).all()
    return [{"id": r.id, "at": utc_iso(r.at), "actor": r.actor, "entity": r.entity,
             "key": r.entity_key, "action": r.action, "changes": r.changes} for r in rows]


# ---------------------------------------------------------------- items

def _item(session, item_id):
    item = session.get(Item, str(item_id)) if item_id else None
    if item is None:
        raise errors.NotFound("No item '{}'".format(item_id))
    return item


def _next_number(uow, org_id, year):
    """Gap-free per organisation and year: the counter row is locked until commit."""
    session = uow.session
    insert = pg_insert if is_postgres(session.get_bind()) else sqlite_insert
    session.execute(insert(NumberSequence).values(org_id=org_id, year=year, last=0)
                    .on_conflict_do_nothing())
    row = session.get(NumberSequence, (org_id, year), with_for_update=True,
                      populate_existing=True)
    row.last += 1
    return rules.format_number(uow.number_prefix, year, row.last)


def _record(uow, item, action, from_status=None, to_status=None, changes=None, reason=None):
    uow.session.add(ItemHistory(item_id=item.id, at=uow.clock.now(), actor=uow.actor,
                                action=action, from_status=from_status, to_status=to_status,
                                changes=changes or {}, reason=reason))


def _publish(uow, item, type, change=None):
    uow.session.flush()
    data = item_view(item, uow.clock.today())
    data["change"] = change or {}
    data["actor"] = uow.actor
    uow.emit(type, data, subject_id=item.id, org_id=item.org_id)


def _resolve(uow, data):
    """Check a registration against the rules and the directory; the rows it refers to."""
    session = uow.session
    rules.check_deadline(data["deadline"], uow.clock.today())
    lead = _unit_by_code(session, data["lead_department"], "lead_department")
    co_units = []
    for code in dict.fromkeys(data["co_departments"]):
        if code == data["lead_department"]:
            raise errors.ValidationFailed("The lead department cannot also co-operate",
                                          {"co_departments": ["'{}' is the lead".format(code)]})
        co_units.append(_unit_by_code(session, code, "co_departments"))
    supervising = (_unit_by_code(session, data["supervising_department"], "supervising_department")
                   if data["supervising_department"] else None)
    person = (_person(session, data["responsible_person"], "responsible_person")
              if data["responsible_person"] is not None else None)
    parent = None
    if data.get("parent"):
        parent = session.get(Item, data["parent"])
        if parent is None:
            raise errors.ValidationFailed("Unknown parent item", {"parent": ["unknown item"]})
        rules.check_sub_item(parent.status, parent.deadline, data["deadline"])
    for m in data["milestones"]:
        if m["date"] > data["deadline"]:
            raise errors.ValidationFailed("A milestone falls after the deadline",
                                          {"milestones": ["{} is after the deadline".format(m["date"])]})
    return lead, co_units, supervising, person, parent


@domain_errors
def validate_item(uow, data):
    """Would this registration be accepted now? Raises the same errors, writes nothing."""
    _resolve(uow, data)
    return {"valid": True}


@domain_errors
def register_item(uow, data, item_id=None):
    """立项: register a supervised item. With `item_id` given, registering twice is a no-op."""
    session = uow.session
    if item_id is not None:
        existing = session.get(Item, str(item_id))
        if existing is not None:
            return item_view(existing, uow.clock.today())
    today = uow.clock.today()
    lead, co_units, supervising, person, parent = _resolve(uow, data)
    org_id = _root(lead).code
    source = data["source"]
    item = Item(
        id=str(item_id or uuid.uuid4()), number=_next_number(uow, org_id, today.year),
        org_id=org_id, title=data["title"], content=data["content"] or "",
        source_kind=source["kind"], source_ref=source.get("ref"),
        source_clause=source.get("clause"), source_draft_id=source.get("draft_id"),
        source_goal=source.get("goal"), source_year=source.get("year"),
        lead_unit=lead, supervising_unit=supervising, responsible_person=person,
        assigning_leader=data["assigning_leader"], deadline=data["deadline"],
        original_deadline=data["deadline"], category=data["category"],
        completion_form=data["completion_form"], completion_standard=data["completion_standard"],
        feedback_cadence=data["feedback_cadence"],
        milestones=[{"title": m["title"], "date": m["date"].isoformat()}
                    for m in data["milestones"]],
        parent_id=parent.id if parent else None, status=lifecycle.Status.REGISTERED.value,
        progress=0, created_at=uow.clock.now(), updated_at=uow.clock.now())
    item.co_links = [ItemCoDepartment(org_unit=u, position=i) for i, u in enumerate(co_units)]
    session.add(item)
    session.flush()  # history rows reference the item: insert it first
    _record(uow, item, "register", None, item.status,
            {"number": item.number, "deadline": item.deadline.isoformat()})
    _publish(uow, item, "item.registered")
    try:
        uow.commit()
    except IntegrityError:
        session.rollback()
        if item_id is not None and session.get(Item, str(item_id)) is not None:
            return item_view(session.get(Item, str(item_id)), uow.clock.today())
        raise errors.Conflict("The item clashes with another one; retry", {})
    return item_view(item, uow.clock.today())


def get_item(uow, item_id):
    item = _item(uow.session, item_id)
    view = item_view(item, uow.clock.today())
    view["feedback"] = [feedback_view(f) for f in uow.session.scalars(
        select(Feedback).where(Feedback.item_id == item.id).order_by(Feedback.id))]
    view["extension_requests"] = [extension_view(r) for r in uow.session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.item_id == item.id)
        .order_by(ExtensionRequest.id))]
    view["children"] = [{"id": c.id, "number": c.number, "title": c.title, "status": c.status}
                        for c in uow.session.scalars(select(Item).where(Item.parent_id == item.id)
                                                     .order_by(Item.created_at))]
    return view


def list_items(uow, query):
    session = uow.session
    today = uow.clock.today()
    q = select(Item)
    if query.get("status"):
        q = q.where(Item.status == query["status"])
    if query.get("category"):
        q = q.where(Item.category == query["category"])
    if query.get("department"):
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == query["department"]))
        if unit is None:
            return {"items": [], "total": 0, "page": query["page"], "page_size": query["page_size"]}
        co_items = select(ItemCoDepartment.item_id).where(ItemCoDepartment.org_unit_id == unit.id)
        q = q.where(or_(Item.lead_unit_id == unit.id, Item.id.in_(co_items)))
    working = [s.value for s in lifecycle.WORKING]
    if query.get("overdue") is True:
        q = q.where(Item.status.in_(working), Item.deadline < today)
    elif query.get("overdue") is False:
        q = q.where(or_(~Item.status.in_(working), Item.deadline >= today))
    if query.get("deadline_from"):
        q = q.where(Item.deadline >= query["deadline_from"])
    if query.get("deadline_to"):
        q = q.where(Item.deadline <= query["deadline_to"])
    if query.get("q"):
        like = "%{}%".format(query["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"))
        q = q.where(or_(Item.title.ilike(like, escape="\\"), Item.content.ilike(like, escape="\\"),
                        Item.number.ilike(like, escape="\\")))
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    page, size = query["page"], query["page_size"]
    rows = session.scalars(q.order_by(Item.deadline, Item.number)
                           .offset((page - 1) * size).limit(size)).all()
    return {"items": [item_view(i, today) for i in rows], "total": total, "page": page,
            "page_size": size}


def item_history(uow, item_id):
    item = _item(uow.session, item_id)
    return [history_view(r) for r in uow.session.scalars(
        select(ItemHistory).where(ItemHistory.item_id == item.id).order_by(ItemHistory.id))]


@domain_errors
def transition(uow, item_id, action, data=None):
    """Move an item through its lifecycle (issue, accept, complete, return, cancel, ...)."""
    data = data or {}
    item = _item(uow.session, item_id)
    before = item.status
    after = lifecycle.next_status(before, action, item.status_before_suspend)
    changes = {}
    if action == "suspend":
        item.status_before_suspend = before
    elif action == "resume":
        item.status_before_suspend = None
    if action == "request_completion":
        item.completion_summary = data["summary"]
        changes["summary"] = data["summary"]
    if action == "complete":
        item.completed_on = uow.clock.today()
        item.progress = 100
        changes["completed_on"] = item.completed_on.isoformat()
        changes["on_time"] = rules.on_time(item.completed_on, item.deadline)
    if action == "evaluate":
        item.quality = data["quality"]
        item.grade = rules.grade(data["quality"])
        changes.update(quality=item.quality, grade=item.grade, comment=data.get("comment"))
    item.status = after.value
    item.updated_at = uow.clock.now()
    reason = data.get("reason") or data.get("comment")
    _record(uow, item, action, before, item.status, changes, reason)
    change = dict(changes, from_status=before, to_status=item.status)
    if reason:
        change["reason"] = reason
    _publish(uow, item, lifecycle.EVENT_OF[action], change)
    uow.commit()
    return item_view(item, uow.clock.today())


@domain_errors
def submit_feedback(uow, item_id, data, request_id=None):
    """进展反馈: progress and text; at risk or late also reason, measures and new plan."""
    item = _item(uow.session, item_id)
    earlier = _earlier(uow.session, Feedback, request_id)
    if earlier is not None:
        _same_item(earlier, item)
        return feedback_view(earlier)
    lifecycle.check_allowed(item.status, "submit_feedback")
    today = uow.clock.today()
    at_risk, late = rules.check_feedback(data["progress"], item.deadline, today, data["reason"],
                                         data["measures"], data["new_plan"], data["at_risk"])
    fb = Feedback(item_id=item.id, at=uow.clock.now(), actor=uow.actor, progress=data["progress"],
                  content=data["content"], reason=data["reason"], measures=data["measures"],
                  new_plan=data["new_plan"], at_risk=at_risk, late=late, request_id=request_id)
    uow.session.add(fb)
    previous = item.progress
    item.progress = data["progress"]
    item.updated_at = uow.clock.now()
    uow.session.flush()
    view = feedback_view(fb)
    _record(uow, item, "feedback", item.status, item.status,
            {"feedback_id": fb.id, "progress": [previous, item.progress], "at_risk": at_risk,
             "late": late})
    _publish(uow, item, "item.feedback_submitted", {"feedback": view})
    uow.commit()
    return view


@domain_errors
def assess_feedback(uow, item_id, feedback_id, data):
    """The supervising department marks a report accurate or not (反馈准确性)."""
    item = _item(uow.session, item_id)
    fb = uow.session.get(Feedback, feedback_id)
    if fb is None or fb.item_id != item.id:
        raise errors.NotFound("No feedback {} on item {}".format(feedback_id, item_id))
    fb.accurate = data["accurate"]
    fb.assessed_by = uow.actor
    fb.assessed_at = uow.clock.now()
    item.updated_at = uow.clock.now()
    uow.session.flush()
    view = feedback_view(fb)
    _record(uow, item, "feedback_assessed", item.status, item.status,
            {"feedback_id": fb.id, "accurate": fb.accurate}, data.get("comment"))
    _publish(uow, item, "item.feedback_assessed", {"feedback": view})
    uow.commit()
    return view


@domain_errors
def request_extension(uow, item_id, data, request_id=None):
    """延期申请: waits for the supervising department's decision."""
    session = uow.session
    item = _item(session, item_id)
    earlier = _earlier(session, ExtensionRequest, request_id)
    if earlier is not None:
        _same_item(earlier, item)
        return extension_view(earlier)
    lifecycle.check_allowed(item.status, "request_extension")
    pending = session.scalar(select(ExtensionRequest.id).where(
        ExtensionRequest.item_id == item.id, ExtensionRequest.status == "pending"))
    rules.check_extension_request(item.deadline, data["new_deadline"], uow.clock.today(),
                                  pending is not None)
    req = ExtensionRequest(item_id=item.id, requested_at=uow.clock.now(), requested_by=uow.actor,
                           current_deadline=item.deadline, new_deadline=data["new_deadline"],
                           reason=data["reason"], measures=data["measures"], status="pending",
                           request_id=request_id)
    session.add(req)
    item.updated_at = uow.clock.now()
    session.flush()
    view = extension_view(req)
    _record(uow, item, "extension_requested", item.status, item.status,
            {"request_id": req.id, "new_deadline": req.new_deadline.isoformat()}, data["reason"])
    _publish(uow, item, "item.extension_requested", {"extension_request": view})
    uow.commit()
    return view


@domain_errors
def decide_extension(uow, item_id, request_id, data):
    """The supervising department approves (the deadline moves) or rejects."""
    session = uow.session
    item = _item(session, item_id)
    req = session.get(ExtensionRequest, request_id)
    if req is None or req.item_id != item.id:
        raise errors.NotFound("No extension request {} on item {}".format(request_id, item_id))
    if req.status != "pending":
        raise errors.Conflict("The request was already {}".format(req.status),
                              {"status": [req.status]})
    lifecycle.check_allowed(item.status, "decide_extension")
    req.status = "approved" if data["approved"] else "rejected"
    req.decided_at = uow.clock.now()
    req.decided_by = uow.actor
    req.comment = data.get("comment")
    item.updated_at = uow.clock.now()
    session.flush()
    view = extension_view(req)
    _record(uow, item, "extension_decided", item.status, item.status,
            {"request_id": req.id, "approved": data["approved"]}, req.comment)
    _publish(uow, item, "item.extension_decided", {"extension_request": view})
    if data["approved"]:
        old = item.deadline
        item.deadline = req.new_deadline
        _record(uow, item, "deadline_changed", item.status, item.status,
                {"deadline": [old.isoformat(), item.deadline.isoformat()],
                 "original_deadline": item.original_deadline.isoformat()}, req.reason)
        _publish(uow, item, "item.deadline_changed",
                 {"old_deadline": old.isoformat(), "new_deadline": item.deadline.isoformat(),
                  "extension_request_id": req.id})
    uow.commit()
    return view


def mark_overdue(uow, limit=500):
    """Publish `item.overdue` once per item and deadline; safe to run from several timers."""
    session = uow.session
    today = uow.clock.today()
    working = [s.value for s in lifecycle.WORKING]
    owed = or_(Item.overdue_notified_for.is_(None), Item.overdue_notified_for != Item.deadline)
    q = (select(Item).where(Item.status.in_(working), Item.deadline < today, owed)
         .order_by(Item.deadline).limit(limit))
    if is_postgres(session.get_bind()):
        q = q.with_for_update(skip_locked=True, of=Item)  # several tracking replicas
    rows = session.scalars(q).all()
    count = 0
    for item in rows:
        if not rules.overdue_due(item.status, item.deadline, today, item.overdue_notified_for):
            continue
        item.overdue_notified_for = item.deadline
        days = (today - item.deadline).days
        _record(uow, item, "overdue", item.status, item.status,
                {"deadline": item.deadline.isoformat(), "days_overdue": days})
        _publish(uow, item, "item.overdue", {"days_overdue": days})
        count += 1
    uow.commit()
    return count


def list_events(uow, query):
    rows = read_log(uow.session, OutboxEvent, after=query["after"], limit=query["limit"],
                    types=[query["type"]] if query.get("type") else None,
                    subject_id=query.get("subject_id"))
    events = [dict(r.payload, seq=r.seq) for r in rows]
    return {"events": events, "next_after": rows[-1].seq if rows else query["after"]}

"""The projection of item outcomes: apply one tracking event to the appraisal's tables.

Idempotent and order-tolerant: the item snapshot is taken only when its `version` is not
older than the one stored; deadline changes, feedback and feedback due dates are keyed
records, so a replayed or re-read event changes nothing. Dates of events (cancelled on,
approved on, chased on) are read in the organisation's time zone.

From notify.events, `chase.sent` (a manual chase, 催办): one row per chase, keyed by the
event id, with the days until the department answered it (domain/chases.py); a chase and
the report answering it may arrive in either order.
"""
import datetime as dt

from sqlalchemy import select, update

from shared.clock import org_zone
from shared.errors import ValidationFailed
from shared.batching import subject_ids
from shared.uow import transaction_cache

from .domain.chases import answer_delay
from .domain.outcomes import appraisal_deadline
from .models import (CalendarDay, Chase, DeadlineChange, FeedbackDue, FeedbackRecord,
                     ItemOutcome, OrgUnit)

ITEM_TYPES = ("item.registered", "item.issued", "item.accepted", "item.feedback_submitted",
              "item.feedback_assessed", "item.extension_requested", "item.extension_decided",
              "item.deadline_changed", "item.completion_requested", "item.completed",
              "item.returned", "item.evaluated", "item.cancelled", "item.suspended",
              "item.resumed", "item.overdue", "item.updated", "item.feedback_overdue")
DIRECTORY_TYPES = ("org_unit.created", "org_unit.updated", "org_unit.contact_changed")
CALENDAR_TYPES = ("calendar.updated",)
HANDLED_TYPES = ITEM_TYPES + DIRECTORY_TYPES + CALENDAR_TYPES  # of tracking.events
NOTIFY_TYPES = ("chase.sent",)  # of notify.events


def parse_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def occurred(envelope):
    at = dt.datetime.fromisoformat(envelope["occurred_at"].replace("Z", "+00:00"))
    return at, at.astimezone(org_zone()).date()


def apply(session, envelope):
    """Apply one event (an envelope of tracking.events or notify.events); unknown types are
    ignored."""
    kind = envelope["type"]
    if kind in NOTIFY_TYPES:
        apply_chase(session, envelope)
    elif kind in ITEM_TYPES:
        apply_item(session, envelope)
    elif kind in DIRECTORY_TYPES:
        apply_org_unit(session, envelope["data"])
    elif kind in CALENDAR_TYPES:
        apply_calendar(session, envelope["data"])
    flush(session)


def flush(session):
    """Write what the event changed now, unless the caller defers its writes to its
    commit (a batch of item.registered, shared/batching.py: its items are distinct)."""
    if session.autoflush:
        session.flush()


# ---------------------------------------------------------------- directory and calendar

def apply_org_unit(session, data):
    unit = session.get(OrgUnit, data["code"])
    parent = session.get(OrgUnit, data["parent"]) if data.get("parent") else None
    if parent is not None:
        path = parent.path + data["code"] + "/"
    elif data.get("parent"):
        path = "/{}/{}/".format(data["parent"], data["code"])
    else:
        path = "/{}/".format(data["code"])
    if unit is None:
        unit = OrgUnit(code=data["code"])
        session.add(unit)
    unit.name, unit.kind, unit.parent, unit.path = (data["name"], data["kind"], data.get("parent"),
                                                    path)
    if "leader" in data:
        unit.leader = data["leader"]


def apply_calendar(session, data):
    for row in data.get("days", []):
        day = parse_date(row["date"])
        entry = session.get(CalendarDay, (data["org_id"], day))
        if entry is None:
            entry = CalendarDay(org_id=data["org_id"], day=day)
            session.add(entry)
        entry.kind, entry.name = row["kind"], row.get("name")


# ---------------------------------------------------------------- items

def org_path(session, data):
    """[GROUP, (SUBSIDIARY, ...), DEPT]: the snapshot's org_path when tracking sends it, else
    the directory as projected from org_unit events, else [org_id, DEPT]."""
    department = data["lead_department"]["code"]
    path = data.get("org_path")
    if not path:
        unit = session.get(OrgUnit, department)
        path = [p for p in unit.path.split("/") if p] if unit else [data["org_id"], department]
    if path[-1] != department:
        path = list(path) + [department]
    return path


BATCH = "appraisal.batch"  # transaction cache: what read_batch learnt of a batch's items


def read_batch(session, payloads):
    """Before a batch of item events (shared/batching.py): its items' outcome rows read in
    one statement (into the session), which of them are new, and which new ones have
    chases that came first (each event would otherwise ask all three on its own)."""
    ids = subject_ids(payloads)
    if not ids:
        return
    # the rows are held here: the session keeps unchanged objects only weakly
    found = {row.id: row for row in session.scalars(select(ItemOutcome).where(
        ItemOutcome.id.in_(ids)))}
    absent = ids - set(found)
    chased = set(session.scalars(select(Chase.item_id).where(Chase.item_id.in_(absent))
                                 .distinct())) if absent else set()
    transaction_cache(session, BATCH).update(found=found, absent=absent, chased=chased)


def _outcome(session, item_id):
    """The item's outcome row, or None; without a statement when read_batch knows."""
    known = transaction_cache(session, BATCH)
    if item_id in known.get("absent", ()):
        return None
    if item_id in known.get("found", {}):
        return known["found"][item_id]
    return session.get(ItemOutcome, item_id)


def apply_item(session, envelope):
    data = envelope["data"]
    at, on = occurred(envelope)
    path = org_path(session, data)  # before a new row is pending: reads autoflush
    item = _outcome(session, data["id"])
    new = item is None
    if new:
        item = ItemOutcome(id=data["id"], version=-1)
        session.add(item)
    if data.get("version", 0) >= item.version:
        before = owner(item)
        take_snapshot(item, data, on, path)
        follow_owner(session, item, before, new)
    change = data.get("change") or {}
    handler = EVENT_EFFECTS.get(envelope["type"])
    if handler is not None:
        handler(session, item, change, envelope, at, on)
    record_feedback_due(session, item, parse_date(data.get("feedback_due_on")), new)
    if item.completed_on is not None:
        answer_chases(session, item.id, item.completed_on)


def take_snapshot(item, data, on, path):
    item.number, item.title, item.org_id = data["number"], data["title"], data["org_id"]
    item.org_path = "/" + "/".join(path) + "/"
    item.subsidiary = path[1] if len(path) >= 3 else None
    item.department = data["lead_department"]["code"]
    item.department_name = data["lead_department"]["name"]
    item.co_departments = [d["code"] for d in data.get("co_departments") or []]
    item.category = data.get("category") or "routine"
    item.source_kind = (data.get("source") or {}).get("kind") or "manual"
    item.milestone = item.source_kind == "annual_goal"
    item.status = data["status"]
    item.original_deadline = parse_date(data["original_deadline"])
    item.deadline_in_force = parse_date(data["deadline"])
    if item.deadline is None:
        item.deadline = item.original_deadline
    item.completed_on = parse_date(data.get("completed_on"))
    item.quality = data.get("quality")
    item.feedback_cadence = data.get("feedback_cadence") or "none"
    item.issued_on = parse_date(data.get("issued_on")) or item.issued_on
    if data["status"] == "cancelled" and item.cancelled_on is None:
        item.cancelled_on = on
    if data["status"] == "suspended" and item.suspended_on is None:
        item.suspended_on = on
    if data["status"] != "suspended":
        item.suspended_on = None
    item.version = data.get("version", 0)


def on_issued(session, item, change, envelope, at, on):
    if item.issued_on is None:
        item.issued_on = on


def on_feedback(session, item, change, envelope, at, on):
    feedback = change.get("feedback") or {}
    if feedback.get("id") is None:
        return
    record = session.get(FeedbackRecord, feedback["id"])
    if record is None:
        record = FeedbackRecord(id=feedback["id"], item_id=item.id, submitted_on=on,
                                **owner(item))
        session.add(record)
        meet_feedback_due(session, item.id, on)
        answer_chases(session, item.id, on)
        if item.last_feedback_on is None or on > item.last_feedback_on:
            item.last_feedback_on = on
        if feedback.get("reason"):
            item.reason, item.new_plan = feedback.get("reason"), feedback.get("new_plan")
    if feedback.get("accurate") is not None:
        record.accurate = feedback["accurate"]


def on_extension_requested(session, item, change, envelope, at, on):
    request = change.get("extension_request") or {}
    if request.get("reason"):
        item.reason = request["reason"]
        item.new_plan = "延期至 {}".format(request.get("new_deadline"))


def on_deadline_changed(session, item, change, envelope, at, on):
    if session.get(DeadlineChange, envelope["id"]) is None:
        session.add(DeadlineChange(event_id=envelope["id"], item_id=item.id, approved_at=at,
                                   approved_on=on,
                                   old_deadline=parse_date(change["old_deadline"]),
                                   new_deadline=parse_date(change["new_deadline"])))
        session.flush()
    item.deadline = fold_deadline(session, item)


def fold_deadline(session, item):
    """The appraisal deadline: the original, moved by each extension approved in time."""
    deadline = item.original_deadline
    for change in session.scalars(select(DeadlineChange).where(DeadlineChange.item_id == item.id)
                                  .order_by(DeadlineChange.approved_at)):
        deadline = appraisal_deadline(deadline, change.approved_on, change.new_deadline)
    return deadline


def on_feedback_overdue(session, item, change, envelope, at, on):
    record_feedback_due(session, item, parse_date(change.get("due_on")))


def owner(item):
    return {"org_id": item.org_id, "org_path": item.org_path, "department": item.department,
            "milestone": item.milestone}


def record_feedback_due(session, item, due_on, new=False):
    """The item's feedback due date, once (a new item has none recorded yet)."""
    if due_on is not None and (new or session.get(FeedbackDue, (item.id, due_on)) is None):
        session.add(FeedbackDue(item_id=item.id, due_on=due_on, **owner(item)))
        flush(session)


def follow_owner(session, item, before, new=False):
    """The item moved (another lead department or organisation), or arrived after chases of
    it: its feedback and chases follow. A `new` item can have chases only (notify's
    chase.sent may come first); its feedback is recorded after it, with its owner."""
    if before == owner(item):
        return
    if new:
        known = transaction_cache(session, BATCH)
        if item.id in known.get("absent", ()) and item.id not in known["chased"]:
            return  # read_batch found no chase of it
        # a table-level UPDATE: no chase of a new item is loaded in this transaction, so
        # the ORM's bookkeeping (and the flush it forces) would only cost time, thousands
        # of times over in a bulk registration
        chases = Chase.__table__
        session.execute(chases.update().where(chases.c.item_id == item.id)
                        .values(**owner(item)))
        return
    for model in (FeedbackRecord, FeedbackDue, Chase):
        session.execute(update(model).where(model.item_id == item.id).values(**owner(item)))


def meet_feedback_due(session, item_id, on):
    """A report meets the item's earliest feedback due date not yet met."""
    due = session.scalars(select(FeedbackDue).where(FeedbackDue.item_id == item_id,
                                                    FeedbackDue.submitted_on.is_(None))
                          .order_by(FeedbackDue.due_on).limit(1)).first()
    if due is not None:
        due.submitted_on = on


EVENT_EFFECTS = {
    "item.issued": on_issued,
    "item.feedback_submitted": on_feedback,
    "item.feedback_assessed": on_feedback,
    "item.extension_requested": on_extension_requested,
    "item.deadline_changed": on_deadline_changed,
    "item.feedback_overdue": on_feedback_overdue,
}


# ---------------------------------------------------------------- chases (notify.events)

def chase_data(envelope):
    """The fields of `chase.sent` the projection reads (docs/events.md, notify events); bad
    data is refused (reliable_handler parks it at once)."""
    data = envelope["data"]
    problems = {key: ["required text"] for key in ("item_id", "org_id", "department")
                if not isinstance(data.get(key), str) or not data[key]}
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        problems["count"] = ["a whole number from 1"]
    try:
        at = dt.datetime.fromisoformat(str(data.get("sent_at") or envelope["occurred_at"])
                                       .replace("Z", "+00:00"))
    except (KeyError, ValueError):
        problems["sent_at"] = ["an ISO 8601 time"]
    if problems:
        raise ValidationFailed("Malformed chase.sent event", problems)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return data, at.astimezone(org_zone()).date()


def apply_chase(session, envelope):
    data, chased_on = chase_data(envelope)
    if session.get(Chase, envelope["id"]) is not None:
        return
    item = session.get(ItemOutcome, data["item_id"])
    answers = session.scalars(select(FeedbackRecord.submitted_on).where(
        FeedbackRecord.item_id == data["item_id"],
        FeedbackRecord.submitted_on >= chased_on)).all()
    if item is not None:
        answers.append(item.completed_on)
    session.add(Chase(event_id=envelope["id"], item_id=data["item_id"], number=data["count"],
                      chased_on=chased_on, answer_days=answer_delay(chased_on, answers),
                      **(owner(item) if item is not None else chased_owner(session, data))))
    session.flush()


def chased_owner(session, data):
    """The owner of a chase that arrived before its item: the chased department as the
    directory places it (the item's snapshot, when it comes, moves it: follow_owner)."""
    unit = session.get(OrgUnit, data["department"])
    path = unit.path if unit else "/{}/{}/".format(data["org_id"], data["department"])
    return {"org_id": data["org_id"], "org_path": path, "department": data["department"],
            "milestone": False}


def answer_chases(session, item_id, on):
    """A report (or the completion) on `on` answers the item's chases up to that day, unless
    an earlier answer did."""
    for chase in session.scalars(select(Chase).where(Chase.item_id == item_id,
                                                     Chase.chased_on <= on)):
        delay = (on - chase.chased_on).days
        if chase.answer_days is None or delay < chase.answer_days:
            chase.answer_days = delay

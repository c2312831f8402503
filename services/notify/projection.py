"""The projection of open items, kept from tracking.events (and rebuilt from its log).

Each item event carries the full snapshot; an older snapshot (lower `version`) never
overwrites a newer one, so redelivery and out-of-order delivery are harmless. Directory
events refresh the contact, head and leader of a department's items; calendar events
refresh an organisation's office calendar. Every change replans the item's rungs.
"""
import datetime as dt

from sqlalchemy import delete, select, update

from shared.batching import subject_ids
from shared.uow import transaction_cache

from .models import CalendarDay, OpenItem
from .schedule import lock_item, lock_items, reconcile

PERSON_KEYS = ("id", "name", "mobile")
UNIT_ROLES = ("contact", "head", "leader")


def person(value):
    if not isinstance(value, dict):
        return None
    return {k: value.get(k) for k in PERSON_KEYS}


def parse_date(value):
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def people_of(data):
    lead = data.get("lead_department") or {}
    people = {}
    if person(data.get("responsible_person")):
        people["responsible"] = person(data["responsible_person"])
    for role in UNIT_ROLES:
        if person(lead.get(role)):
            people[role] = person(lead[role])
    return people


def apply_snapshot(item, data, now):
    lead = data.get("lead_department") or {}
    item.org_id = data.get("org_id")
    item.org_path = list(data.get("org_path") or []) or None
    item.number = data.get("number")
    item.title = (data.get("title") or "")[:200]
    item.status = data.get("status") or "registered"
    item.category = data.get("category") or "routine"
    item.deadline = parse_date(data.get("due_by") or data.get("deadline"))
    item.feedback_due_on = parse_date(data.get("feedback_due_on"))
    item.department = lead.get("code")
    item.departments = [d for d in [lead.get("code")] +
                        [c.get("code") for c in data.get("co_departments") or []] if d]
    item.people = people_of(data)
    item.version = int(data.get("version") or 0)
    item.updated_at = now


BATCH = "notify.batch"  # transaction cache: what read_batch learnt of a batch's items


def read_batch(session, payloads):
    """Before a batch of item events (shared/batching.py): its items' rows read and locked
    in one statement, and which of them are new (each event would otherwise lock its own)."""
    ids = subject_ids(payloads)
    if ids:
        # the rows are held here: the session keeps unchanged objects only weakly
        found = {row.id: row for row in lock_items(session, ids)}
        transaction_cache(session, BATCH).update(found=found, absent=ids - set(found))


def _locked(session, item_id):
    """The item's row, locked; without a statement when read_batch read it."""
    known = transaction_cache(session, BATCH)
    if item_id in known.get("absent", ()):
        return None
    if item_id in known.get("found", {}):
        return known["found"][item_id]
    return lock_item(session, item_id)


def on_item_event(uow, ctx, envelope):
    """Project an item.* event; replan the item's rungs. Returns the item id."""
    data = envelope["data"]
    session, now = uow.session, uow.clock.now()
    item = _locked(session, data["id"])
    new = item is None
    if new:
        item = OpenItem(id=data["id"], status="registered", version=-1, updated_at=now)
        session.add(item)
    elif int(data.get("version") or 0) < item.version:
        return None  # an older snapshot arriving late
    apply_snapshot(item, data, now)
    # A new item has no planned rungs to read (items are never deleted, and a rung is
    # only planned for a projected item); its rows are written with the transaction's
    # next flush (in a batch of item.registered, once at its commit).
    reconcile(uow, ctx, item, now, planned=() if new else None, flush=False)
    return item.id


def on_unit_event(uow, ctx, envelope):
    """A department's contact, head or leader changed: its items' recipients follow."""
    unit = envelope["data"]
    roles = {r: person(unit.get(r)) for r in UNIT_ROLES if r in unit}
    if not unit.get("code") or not roles:
        return 0
    session = uow.session
    items = list(session.scalars(select(OpenItem).where(OpenItem.department == unit["code"])))
    for item in items:
        people = dict(item.people or {})
        for role, who in roles.items():
            if who:
                people[role] = who
            else:
                people.pop(role, None)
        item.people = people
        item.needs_plan = True
    return len(items)


EVERY_GROUP = "*"


def on_calendar_event(uow, ctx, envelope):
    """A group's office calendar for a year (`org` "*": the deployment's, under every
    group's own): replaces that year, replans the items it concerns."""
    data = envelope["data"]
    org = data.get("org") or data.get("org_id") or envelope.get("org_id") or EVERY_GROUP
    year = int(data["year"])
    session = uow.session
    session.execute(delete(CalendarDay).where(CalendarDay.org_id == org,
                                              CalendarDay.day >= dt.date(year, 1, 1),
                                              CalendarDay.day <= dt.date(year, 12, 31)))
    for day in data.get("days") or []:
        session.add(CalendarDay(org_id=org, day=parse_date(day["date"]), kind=day["kind"],
                                name=day.get("name")))
    q = update(OpenItem)
    if org != EVERY_GROUP:
        q = q.where(OpenItem.org_id == org)
    session.execute(q.values(needs_plan=True))
    return len(data.get("days") or [])



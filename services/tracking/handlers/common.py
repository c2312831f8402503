"""Lookups and records every tracking use case shares."""
from sqlalchemy import select

from shared import access, errors
from shared.rows import insert_rows
from shared.uow import transaction_cache
from shared.calendar import OfficeCalendar

from ..models import CalendarDay, Item, ItemHistory, OrgUnit, Person
from .views import access_view, item_view, root_of

EVERY_GROUP = "*"


def unit_by_code(session, code, field, group=None):
    """An org unit by its code, or by its name or an alias as people type them.

    A name shared by units of several groups is read in `group` (the item's) when given;
    still ambiguous, the error lists the codes to choose from.
    """
    known = transaction_cache(session, "units_by_code")
    unit = known.get(code) or session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is not None:
        known[code] = unit
        return unit
    return one_named(
        [u for u in session.scalars(select(OrgUnit)) if code == u.name or code in u.aliases],
        code, field, group)


def one_named(named, code, field, group=None):
    """The one unit of `named` (those a name or alias fits), read in `group` when several
    groups have one; none or several: the error that says so."""
    if group is not None and len(named) > 1:
        named = [u for u in named if root_of(u).code == group] or named
    if len(named) == 1:
        return named[0]
    if named:
        raise errors.ValidationFailed(
            "'{}' names several units".format(code),
            {field: ["'{}' is ambiguous: use one of the codes {}".format(
                code, ", ".join(sorted(u.code for u in named)))]})
    raise errors.ValidationFailed(
        "Unknown org unit '{}'".format(code),
        {field: ["unknown org unit '{}': use a code such as FIN, or a unit's name or alias "
                 "(GET /api/v1/org-units lists them)".format(code)]})


def person(session, person_id, field):
    found = session.get(Person, person_id)
    if found is None:
        raise errors.ValidationFailed("Unknown person {}".format(person_id),
                                      {field: ["unknown person {}; GET /api/v1/people lists them"
                                               .format(person_id)]})
    return found


def item(session, item_id):
    found = session.get(Item, str(item_id)) if item_id else None
    if found is None:
        raise errors.NotFound("No item '{}'".format(item_id))
    return found


def visible_item(uow, item_id):
    """An item the caller may see; another's is "not found", so its existence does not
    leak."""
    found = item(uow.session, item_id)
    if not uow.principal.sees_item(access_view(found)):
        raise errors.NotFound("No item '{}'".format(item_id))
    return found


def item_for(uow, item_id, department=False):
    """An item the caller may act on: the supervising side (office, admin) on any item of
    its organisation; with `department`, also a contact on an item one of their
    departments leads or co-operates on. 404 when unseen, 403 when seen but not theirs."""
    found = item(uow.session, item_id)
    access.require_item(uow.principal, access_view(found), *access.SUPERVISING,
                        department_roles=access.DEPARTMENT if department else ())
    return found


def calendar_for(session, org_id):
    """The office calendar of a group: its own table over the deployment's (read once per
    transaction; `forget_calendars` after writing calendar days)."""
    known = transaction_cache(session, "calendars")
    if org_id not in known:
        known[org_id] = _read_calendar(session, org_id)
    return known[org_id]


def forget_calendars(session):
    transaction_cache(session, "calendars").clear()
    directory_written(session)


def directory_written(session):
    """This transaction changed the directory or a calendar: for the rest of it, read them
    from its own rows, not from the process's cache (directory_cache)."""
    transaction_cache(session, "directory_cache")["written"] = True


def _read_calendar(session, org_id):
    rows = session.scalars(select(CalendarDay).where(CalendarDay.org_id.in_([org_id,
                                                                            EVERY_GROUP]))).all()
    days = {}
    for row in sorted(rows, key=lambda r: r.org_id != EVERY_GROUP):  # the group's rows last
        days[row.day] = (row.kind, row.name)
    return OfficeCalendar(days)


def record(uow, item_row, action, from_status=None, to_status=None, changes=None, reason=None):
    """An immutable history record (有痕可留) in the use case's transaction (a row that is
    only written: one Core INSERT, no ORM object)."""
    insert_rows(uow.session, ItemHistory.__table__, [{
        "item_id": item_row.id, "at": uow.clock.now(), "actor": uow.actor, "action": action,
        "from_status": from_status, "to_status": to_status, "changes": changes or {},
        "reason": reason}])


def publish(uow, item_row, type, change=None, flush=True):
    """An item event carrying the whole snapshot, so consumers never call back.

    The snapshot's `version` is the row's after its changes are flushed; a new item
    (version 1, every field set by the caller) need not be flushed first."""
    if flush:
        uow.session.flush()
    data = item_view(item_row, uow.clock.today())
    data["change"] = change or {}
    data["actor"] = uow.actor
    uow.emit(type, data, subject_id=item_row.id, org_id=item_row.org_id)

"""Office calendars: each group's holidays and adjusted working days, per year."""
import datetime as dt

from sqlalchemy import delete, select

from shared import access, errors

from ..domain import lifecycle
from ..models import CalendarDay, Item, OrgUnit
from . import common, schedule

EVERY_GROUP = common.EVERY_GROUP


def _group(session, org):
    if org in (None, EVERY_GROUP):
        return EVERY_GROUP
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == org))
    if unit is None or unit.kind != "group":
        raise errors.ValidationFailed("Unknown group '{}'".format(org),
                                      {"org": ["not a group's code; omit it for every group"]})
    return unit.code


def _readable(principal, org_id):
    if org_id != EVERY_GROUP and not principal.sees_group(org_id):
        raise errors.ValidationFailed("Unknown group '{}'".format(org_id),
                                      {"org": ["not a group's code; omit it for every group"]})
    return org_id


def _writable(principal, org_id):
    """A group's office keeps its calendar; the deployment's (`*`) is the platform's."""
    access.require(principal, *access.SUPERVISING)
    if org_id == EVERY_GROUP and not principal.everywhere:
        raise errors.Forbidden("The calendar of every group is the platform administrator's; "
                               "name your group (`org`)")
    return _readable(principal, org_id)


def _in_year(year):
    return CalendarDay.day.between(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _rows(session, org_id, year):
    return session.scalars(select(CalendarDay).where(CalendarDay.org_id == org_id, _in_year(year))
                           .order_by(CalendarDay.day)).all()


def _view(org_id, year, rows, calendar):
    return {"org": org_id, "year": year, "known": calendar.knows(year),
            "days": [{"date": r.day.isoformat(), "kind": r.kind, "name": r.name} for r in rows]}


def get_calendar(uow, year, org=None):
    session = uow.session
    org_id = _readable(uow.principal, _group(session, org))
    calendar = common.calendar_for(session, org_id)
    return _view(org_id, year, _rows(session, org_id, year), calendar)


def set_calendar(uow, year, data):
    """Replace a year's table for a group (or every group); open items' dates follow."""
    with uow:
        session = uow.session
        org_id = _writable(uow.principal, _group(session, data.get("org")))
        wrong = [d["date"].isoformat() for d in data["days"] if d["date"].year != year]
        if wrong:
            raise errors.ValidationFailed(
                "Days outside {}".format(year),
                {"days": ["not in {}: {}".format(year, ", ".join(wrong))]})
        dates = [d["date"] for d in data["days"]]
        if len(set(dates)) != len(dates):
            raise errors.ValidationFailed("A day is listed twice", {"days": ["duplicate date"]})
        session.execute(delete(CalendarDay).where(CalendarDay.org_id == org_id, _in_year(year)))
        for d in data["days"]:
            session.add(CalendarDay(org_id=org_id, day=d["date"], kind=d["kind"],
                                    name=d.get("name")))
        session.flush()
        common.forget_calendars(session)
        _refresh_open_items(uow, org_id)
        rows = _rows(session, org_id, year)
        view = _view(org_id, year, rows, common.calendar_for(session, org_id))
        uow.emit("calendar.updated", view, subject_id="{}/{}".format(org_id, year),
                 org_id=None if org_id == EVERY_GROUP else org_id)
        return view


def _refresh_open_items(uow, org_id):
    session = uow.session
    q = select(Item).where(Item.status.in_([s.value for s in lifecycle.OPEN]))
    if org_id != EVERY_GROUP:
        q = q.where(Item.org_id == org_id)
    calendars = {}
    for item in session.scalars(q):
        calendar = calendars.get(item.org_id) or calendars.setdefault(
            item.org_id, common.calendar_for(session, item.org_id))
        schedule.refresh(session, item, uow.clock.today(), calendar)


def calendar_days(uow, years, org=None):
    """Every declared day of the given years, for a service that counts working days:
    the deployment's table under the group's own (the group's rows win)."""
    session = uow.session
    org_ids = [EVERY_GROUP] + ([_readable(uow.principal, _group(session, org))]
                               if org not in (None, EVERY_GROUP) else [])
    days = {}
    for org_id in org_ids:
        for year in years:
            for row in _rows(session, org_id, year):
                days[row.day] = {"date": row.day.isoformat(), "kind": row.kind, "name": row.name}
    return {"years": sorted({d.year for d in days}), "days": [days[d] for d in sorted(days)]}

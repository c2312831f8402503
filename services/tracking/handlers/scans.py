"""Timed scans: an item past its day, a progress report not given. Each event goes out
once, also with several tracking replicas (rows are claimed with SKIP LOCKED)."""
from sqlalchemy import or_, select

from shared.db import is_postgres

from ..domain import lifecycle, rules
from ..models import Item
from . import common, schedule


def _claim_rows(session, q):
    if is_postgres(session.get_bind()):
        q = q.with_for_update(skip_locked=True, of=Item)  # several tracking replicas
    return session.scalars(q).all()


def mark_overdue(uow, limit=500):
    """Publish `item.overdue` once per item and deadline."""
    with uow:
        session = uow.session
        today = uow.clock.today()
        working = [s.value for s in lifecycle.WORKING]
        owed = or_(Item.overdue_notified_for.is_(None), Item.overdue_notified_for != Item.deadline)
        rows = _claim_rows(session, select(Item).where(Item.status.in_(working),
                                                       Item.due_by < today, owed)
                           .order_by(Item.due_by).limit(limit))
        count = 0
        for item in rows:
            if not rules.overdue_due(item.status, item.deadline, item.due_by, today,
                                     item.overdue_notified_for):
                continue
            item.overdue_notified_for = item.deadline
            days = (today - item.deadline).days
            common.record(uow, item, "overdue", item.status, item.status,
                          {"deadline": item.deadline.isoformat(), "days_overdue": days})
            common.publish(uow, item, "item.overdue", {"days_overdue": days})
            count += 1
        return count


def mark_feedback_overdue(uow, limit=500):
    """Publish `item.feedback_overdue` once per missed feedback due date."""
    with uow:
        session = uow.session
        today = uow.clock.today()
        reporting = [s.value for s in lifecycle.REPORTING]
        rows = _claim_rows(session, select(Item).where(Item.status.in_(reporting),
                                                       Item.feedback_next_check < today)
                           .order_by(Item.feedback_next_check).limit(limit))
        calendars, count = {}, 0
        for item in rows:
            calendar = calendars.get(item.org_id) or calendars.setdefault(
                item.org_id, common.calendar_for(session, item.org_id))
            missed, next_check = schedule.missed_feedback(session, item, today, calendar)
            item.feedback_next_check = next_check
            for due_on in missed:
                days = (today - due_on).days
                common.record(uow, item, "feedback_overdue", item.status, item.status,
                              {"due_on": due_on.isoformat(), "days_late": days})
                common.publish(uow, item, "item.feedback_overdue",
                               {"due_on": due_on.isoformat(), "days_late": days})
                count += 1
        return count

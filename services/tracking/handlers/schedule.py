"""Dates an item owes: the day it is due by, and when its next progress report is due.

Both read the group's office calendar; they are refreshed whenever what they depend on
changes (registration, issue, feedback, a new deadline or cadence, suspension, resumption,
the calendar itself).
"""
from ..domain import cadence
from ..domain.lifecycle import REPORTING, Status
from . import common


def refresh(session, item, today, calendar=None):
    """Recompute `due_by`, `feedback_due_on` and `feedback_next_check` of an item."""
    calendar = calendar or common.calendar_for(session, item.org_id)
    item.due_by = calendar.workday_on_or_after(item.deadline)
    if Status(item.status) not in REPORTING:
        item.feedback_due_on = item.feedback_next_check = None
        return
    dates = cadence.due_dates(item.issued_on, item.feedback_cadence, item.deadline,
                              workday=calendar.workday_on_or_after)
    covered = covered_until(item)
    item.feedback_due_on = cadence.next_due(dates, covered)
    # Due dates before today were either announced already or belong to a time the item
    # was not reporting (a new cadence): check from today on.
    upcoming = [d for d in dates if d >= today and (covered is None or d > covered)]
    item.feedback_next_check = upcoming[0] if upcoming else None


def covered_until(item):
    """The last day no report is owed for: the last report, or the day work resumed."""
    days = [d for d in (item.last_feedback_on, item.resumed_on) if d is not None]
    return max(days) if days else None


def missed_feedback(session, item, today, calendar=None):
    """Due dates that passed unreported since the last check, and the next date to check."""
    calendar = calendar or common.calendar_for(session, item.org_id)
    dates = cadence.due_dates(item.issued_on, item.feedback_cadence, item.deadline,
                              workday=calendar.workday_on_or_after)
    missed = cadence.missed(dates, covered_until(item), item.feedback_next_check, today)
    later = [d for d in dates if d >= today]
    return missed, (later[0] if later else None)

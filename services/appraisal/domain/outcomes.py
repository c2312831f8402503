"""Which items count in a period, and how each one ended (the counting rules).

An item counts in the period its deadline (the appraisal deadline, below) falls in,
judged as it stood on the day the figures are made (`as_of`):

| outcome | when |
| --- | --- |
| `excluded` | cancelled (撤销) on or before the period's last day, or suspended (暂停) since a day on or before it: the office stopped the clock |
| `on_time` | completed on or before the deadline |
| `late` | completed after the deadline, by `as_of` (an item due in June and completed in July counts in H1, as late) |
| `overdue_open` | not completed by `as_of`, and the deadline is before `as_of` |
| `pending` | deadline not yet passed on `as_of` and not completed: not counted yet |

The appraisal deadline: an extension approved on or before the deadline it replaces
moves it; one approved after that deadline had passed does not (the item was already
late); a refused one changes nothing. The original deadline stays on record.

The same rules are written once more as SQL aggregates (services/appraisal/queries.py);
the service tests check that both agree.
"""
import datetime as dt
from dataclasses import dataclass

EXCLUDED = "excluded"
ON_TIME = "on_time"
LATE = "late"
OVERDUE_OPEN = "overdue_open"
PENDING = "pending"
COUNTED = (ON_TIME, LATE, OVERDUE_OPEN)


@dataclass(frozen=True)
class ItemDates:
    """The dates of one item that decide its outcome."""

    deadline: dt.date
    completed_on: dt.date = None
    cancelled_on: dt.date = None
    suspended_on: dt.date = None


def appraisal_deadline(current, approved_on, new_deadline):
    """The deadline after an approved extension: moved only if approved by `current`."""
    if approved_on <= current:
        return new_deadline
    return current


def stopped_by(item, period):
    """Cancelled or suspended on or before the period's end."""
    for day in (item.cancelled_on, item.suspended_on):
        if day is not None and day <= period.end:
            return True
    return False


def outcome(item, period, as_of):
    """The item's outcome in `period` as of `as_of`, or None when it is due in another period."""
    if not period.contains(item.deadline):
        return None
    if stopped_by(item, period):
        return EXCLUDED
    done = item.completed_on if item.completed_on and item.completed_on <= as_of else None
    if done is not None:
        return ON_TIME if done <= item.deadline else LATE
    if item.deadline < as_of:
        return OVERDUE_OPEN
    return PENDING


def in_progress(item, period):
    """Work under way at the period's end: due after it, not completed, cancelled or
    suspended by then."""
    if item.deadline <= period.end or stopped_by(item, period):
        return False
    return not (item.completed_on and item.completed_on <= period.end)


def tally(items, period, as_of):
    """{outcome: count} over items (pure counterpart of the SQL aggregate)."""
    counts = {ON_TIME: 0, LATE: 0, OVERDUE_OPEN: 0, PENDING: 0, EXCLUDED: 0}
    for item in items:
        result = outcome(item, period, as_of)
        if result is not None:
            counts[result] += 1
    counts["due"] = counts[ON_TIME] + counts[LATE] + counts[OVERDUE_OPEN]
    return counts


def rate(part, whole):
    """A percentage with two decimals, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100.0 * part / whole, 2)


def feedback_on_time(due_on, submitted_on, as_of):
    """A feedback due date (反馈节点): True met, False missed or late, None not yet judged."""
    if submitted_on is not None and submitted_on <= due_on:
        return True
    if due_on < as_of:
        return False
    return None

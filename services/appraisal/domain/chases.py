"""Chases (催办) and whether the department answered them: the inaction ground
"repeated chases unanswered" (无为问责).

notify publishes `chase.sent` on notify.events when an officer's chase went out. A chase
is **answered** by the department's first progress report on the item (进展反馈) on or
after the chase day, or by the item's completion on or after it, when that comes within
`answer_days` days of the chase (the chase day plus `answer_days` days). Once that window
has passed on the day of the figures (`as_of`) a chase with no answer in it is
**unanswered**; before, it is not judged yet. Days are calendar days in the
organisation's time zone (a report on the chase day answers it, whatever the hour).

A chase counts in the period (month or half-year) its day falls in, for the item's lead
department, milestones included (a chase is about the department's conduct).
"""
import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ChaseDates:
    """One chase as the rules see it: its day and how many days later it was answered."""

    chased_on: dt.date
    answer_days: int = None


def answer_delay(chased_on, answers):
    """Days from the chase to the first answer (a day in `answers`) on or after its day,
    or None when there is none."""
    later = [day for day in answers if day is not None and day >= chased_on]
    return (min(later) - chased_on).days if later else None


def unanswered(chase, as_of, answer_days):
    """True: unanswered; False: answered in time; None: its window is still open."""
    if chase.answer_days is not None and chase.answer_days <= answer_days:
        return False
    if chase.chased_on + dt.timedelta(days=answer_days) < as_of:
        return True
    return None


def tally(chases, period, as_of, answer_days):
    """{"chases": sent in the period by as_of, "unanswered": of those, judged unanswered}."""
    counted = [c for c in chases if period.contains(c.chased_on) and c.chased_on <= as_of]
    return {"chases": len(counted),
            "unanswered": sum(1 for c in counted if unanswered(c, as_of, answer_days))}

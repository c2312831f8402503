"""Which reminders an item should have, as of now: the rungs of its ladder.

A rung is one planned reminder: a stable key (it includes the deadline it refers to, so
a deadline change makes new rungs), the series it belongs to, its nominal slot, the time
it may leave (after quiet hours and non-working days), the role it goes to and what it
says. `plan()` is a pure function of the item's facts, the ladder and the clock:

- only items being worked on (issued, in progress) are chased;
- before the deadline: one rung per `before_days`, to the main responsible person;
- once overdue: the overdue chase repeats every `overdue_every_days`; only the latest
  chase already due and the next one are planned (the series is endless);
- feedback: a reminder on the due date and one when it is late, to the contact;
- catch-up: within a series only the latest rung already due is kept, so slots missed
  while notify was down produce one reminder that still makes sense, not a burst.
"""
import datetime as dt
from dataclasses import dataclass

from .ladder import escalation_role, in_quiet_hours

ACTIVE_STATUSES = ("issued", "in_progress")
DEADLINE, FEEDBACK = "deadline", "feedback"
BEFORE, OVERDUE, FEEDBACK_DUE, FEEDBACK_LATE, MANUAL = (
    "before", "overdue", "feedback", "feedback_late", "manual")
ROLE_FALLBACK = {"leader": ("leader", "head", "contact", "responsible"),
                 "head": ("head", "contact", "responsible"),
                 "contact": ("contact", "responsible"),
                 "responsible": ("responsible", "contact")}


@dataclass(frozen=True)
class ItemFacts:
    """What the ladder needs to know about an item (from the projection)."""

    id: str
    deadline: dt.date
    category: str
    status: str
    feedback_due_on: dt.date = None
    people: tuple = ()   # ((role, {"id", "name", "mobile"}), ...)

    def person(self, role):
        return dict(self.people).get(role)


@dataclass(frozen=True)
class Rung:
    key: str
    series: str
    kind: str
    days: int          # days before the deadline (before) / overdue / feedback late
    role: str
    slot: dt.datetime  # nominal, UTC
    due_at: dt.datetime  # when it may leave, UTC


def local_at(day, at, tz):
    """The UTC instant of a local date and wall-clock time."""
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.timezone.utc)


def release_time(moment, ladder, tz, calendar=None):
    """The first instant at or after `moment` when a reminder may leave: outside the quiet
    hours and, for an organisation that asks for it, on a working day."""
    local = moment.astimezone(tz)
    for _ in range(60):
        if ladder.workdays_only and calendar is not None and not calendar.is_workday(local.date())[0]:
            local = dt.datetime.combine(local.date() + dt.timedelta(days=1), ladder.quiet_end,
                                        tzinfo=tz)
            continue
        if in_quiet_hours(ladder, local.time().replace(tzinfo=None)):
            end_day = local.date()
            if local.time().replace(tzinfo=None) >= ladder.quiet_end:
                end_day += dt.timedelta(days=1)  # quiet hours that run past midnight
            local = dt.datetime.combine(end_day, ladder.quiet_end, tzinfo=tz)
            continue
        break
    return local.astimezone(dt.timezone.utc)


def before_day(deadline, days, ladder, calendar):
    """The day of an N-days-before rung: on a non-working day (when the organisation counts
    working days) it moves earlier, so the warning still comes before the deadline."""
    day = deadline - dt.timedelta(days=days)
    if ladder.workdays_only and calendar is not None:
        for _ in range(30):
            if calendar.is_workday(day)[0]:
                break
            day -= dt.timedelta(days=1)
    return day


def before_rungs(facts, ladder, tz, calendar):
    rungs = []
    for days in ladder.before_days:
        slot = local_at(before_day(facts.deadline, days, ladder, calendar), ladder.send_at, tz)
        rungs.append(Rung("{}/before-{}".format(facts.deadline, days), DEADLINE, BEFORE, days,
                          "responsible", slot, release_time(slot, ladder, tz, calendar)))
    return rungs


def overdue_rung(facts, ladder, tz, calendar, n):
    """The n-th overdue chase (n from 0): `1 + n * every` days overdue."""
    days = 1 + n * ladder.overdue_every_days
    slot = local_at(facts.deadline + dt.timedelta(days=days), ladder.send_at, tz)
    return Rung("{}/overdue-{}".format(facts.deadline, days), DEADLINE, OVERDUE, days,
                escalation_role(ladder, days), slot, release_time(slot, ladder, tz, calendar))


def overdue_rungs(facts, ladder, now, tz, calendar):
    """The latest overdue chase already due (if any) and the next one."""
    today = now.astimezone(tz).date()
    elapsed = (today - facts.deadline).days - 1
    n = max(0, elapsed // ladder.overdue_every_days)
    candidates = [overdue_rung(facts, ladder, tz, calendar, k) for k in range(max(0, n - 1), n + 3)]
    past = [r for r in candidates if r.due_at <= now]
    future = [r for r in candidates if r.due_at > now]
    return past[-1:] + future[:1]


def feedback_rungs(facts, ladder, tz, calendar):
    if not ladder.feedback or facts.feedback_due_on is None:
        return []
    due = facts.feedback_due_on
    slot = local_at(due, ladder.send_at, tz)
    late_days = ladder.feedback_late_after_days
    late_slot = local_at(due + dt.timedelta(days=late_days), ladder.send_at, tz)
    return [Rung("feedback/{}".format(due), FEEDBACK, FEEDBACK_DUE, 0, "contact", slot,
                 release_time(slot, ladder, tz, calendar)),
            Rung("feedback-late/{}".format(due), FEEDBACK, FEEDBACK_LATE, late_days, "contact",
                 late_slot, release_time(late_slot, ladder, tz, calendar))]


def latest_due_only(rungs, now):
    """Catch-up: in each series, of the rungs already due keep only the latest."""
    kept = []
    for series in (DEADLINE, FEEDBACK):
        members = sorted((r for r in rungs if r.series == series), key=lambda r: (r.slot, r.key))
        due = [r for r in members if r.due_at <= now]
        kept.extend(due[-1:] + [r for r in members if r.due_at > now])
    return sorted(kept, key=lambda r: (r.due_at, r.key))


def plan(facts, ladder, now, tz, calendar=None):
    """The rungs an item should have now (empty for an item not being worked on)."""
    if facts.status not in ACTIVE_STATUSES or facts.deadline is None:
        return []
    rungs = before_rungs(facts, ladder, tz, calendar)
    rungs += overdue_rungs(facts, ladder, now, tz, calendar)
    rungs += feedback_rungs(facts, ladder, tz, calendar)
    return latest_due_only(rungs, now)


def recipient(facts, role):
    """(role actually used, person) for a rung's role, falling back down the chain when a
    role has nobody with a mobile (a department without a head still gets chased)."""
    for candidate in ROLE_FALLBACK[role]:
        person = facts.person(candidate)
        if person and person.get("mobile"):
            return candidate, person
    return role, None

"""The reminder ladder (提醒阶梯) of one organisation and category: when, and to whom.

A `Ladder` is plain configuration. Defaults: SMS 7, 3 and 1 days before the deadline at
09:00 local time to the main responsible person; once overdue a chase every 1 (urgent),
2 (key, difficult) or 3 (routine) days, escalating from the department contact to the
department head to the supervising leader; the contact reminded on each feedback due
date and when feedback is late; quiet hours 21:00-08:00; every day counts unless the
organisation asks for working days only.
"""
import datetime as dt
from dataclasses import dataclass, replace

CATEGORIES = ("routine", "urgent", "key", "difficult")
ROLES = ("responsible", "contact", "head", "leader")
ESCALATION_ROLES = ("contact", "head", "leader")

OVERDUE_EVERY_DAYS = {"urgent": 1, "key": 2, "difficult": 2, "routine": 3}
DEFAULT_ESCALATION = ((1, "contact"), (4, "head"), (8, "leader"))


@dataclass(frozen=True)
class Ladder:
    before_days: tuple = (7, 3, 1)
    send_at: dt.time = dt.time(9, 0)
    overdue_every_days: int = 3
    escalation: tuple = DEFAULT_ESCALATION   # ((days overdue from, role), ...) ascending
    feedback: bool = True
    feedback_late_after_days: int = 1
    quiet_start: dt.time = dt.time(21, 0)
    quiet_end: dt.time = dt.time(8, 0)
    workdays_only: bool = False
    channel: str = None                      # None: the service's default channel

    def to_dict(self):
        return {"before_days": list(self.before_days), "send_at": self.send_at.strftime("%H:%M"),
                "overdue_every_days": self.overdue_every_days,
                "escalation": [{"after_days": d, "role": r} for d, r in self.escalation],
                "feedback": self.feedback, "feedback_late_after_days": self.feedback_late_after_days,
                "quiet_hours": {"start": self.quiet_start.strftime("%H:%M"),
                                "end": self.quiet_end.strftime("%H:%M")},
                "workdays_only": self.workdays_only, "channel": self.channel}


def default_ladder(category):
    """The built-in ladder of a category (only the overdue cadence differs)."""
    return Ladder(overdue_every_days=OVERDUE_EVERY_DAYS.get(category, 3))


def parse_hhmm(text):
    """'09:00' -> time(9, 0); ValueError for anything else."""
    if not isinstance(text, str) or len(text) != 5 or text[2] != ":":
        raise ValueError("expected HH:MM")
    hours, minutes = int(text[:2]), int(text[3:])
    return dt.time(hours, minutes)


def ladder_from_dict(data, category):
    """A Ladder from validated API data (see the contract), over the category's defaults.

    Raises ValueError({field: [message]}) on a rule the schema cannot express.
    """
    base = default_ladder(category)
    changes = {}
    problems = {}
    if "before_days" in data:
        days = sorted(set(data["before_days"]), reverse=True)
        changes["before_days"] = tuple(days)
    if "send_at" in data:
        changes["send_at"] = data["send_at"]
    if "overdue_every_days" in data:
        changes["overdue_every_days"] = data["overdue_every_days"]
    if "escalation" in data:
        steps = tuple((s["after_days"], s["role"]) for s in data["escalation"])
        problems.update(escalation_problems(steps))
        changes["escalation"] = steps
    for key in ("feedback", "feedback_late_after_days", "workdays_only", "channel"):
        if key in data:
            changes[key] = data[key]
    if "quiet_hours" in data:
        changes["quiet_start"] = data["quiet_hours"]["start"]
        changes["quiet_end"] = data["quiet_hours"]["end"]
        if changes["quiet_start"] == changes["quiet_end"]:
            problems["quiet_hours"] = ["start and end must differ"]
    ladder = replace(base, **changes)
    if in_quiet_hours(ladder, ladder.send_at):
        problems.setdefault("send_at", []).append("falls inside the quiet hours")
    if problems:
        raise ValueError(problems)
    return ladder


def escalation_problems(steps):
    """An escalation must start at day 1 or later, rise strictly, and name known roles."""
    if not steps:
        return {"escalation": ["at least one step"]}
    days = [d for d, _ in steps]
    if days != sorted(days) or len(set(days)) != len(days):
        return {"escalation": ["after_days must rise strictly"]}
    return {}


def in_quiet_hours(ladder, moment):
    """True when a local wall-clock time lies inside the quiet hours (which may span midnight)."""
    start, end = ladder.quiet_start, ladder.quiet_end
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def escalation_role(ladder, days_overdue):
    """Who an overdue chase goes to after `days_overdue` days: the last step reached."""
    role = ladder.escalation[0][1]
    for after, step_role in ladder.escalation:
        if days_overdue >= after:
            role = step_role
    return role

"""The monthly report's figures (月度通报): per department, per subsidiary, group-wide, and
the change against the month before."""
from .outcomes import rate

COUNTS = ("due", "on_time", "late", "overdue_open", "in_progress", "chases")


def row(facts):
    """The report's numbers from one department's facts (milestones included); `chases`:
    chases (催办) sent to the department in the month, for information."""
    due = facts["due"] + facts["milestones_due"]
    on_time = facts["on_time"] + facts["milestones_on_time"]
    late = facts["late"] + facts["milestones_late"]
    overdue = facts["overdue_open"] + facts["milestones_overdue_open"]
    return {"due": due, "on_time": on_time, "late": late, "overdue_open": overdue,
            "in_progress": facts["in_progress"], "on_time_rate": rate(on_time, due),
            "chases": facts["chases"]}


def total(rows):
    out = {key: sum(r[key] for r in rows) for key in COUNTS}
    out["on_time_rate"] = rate(out["on_time"], out["due"])
    return out


def change(current, previous):
    """Percentage points of on-time rate against the month before (None if either is None)."""
    if previous is None or current["on_time_rate"] is None or previous["on_time_rate"] is None:
        return None
    return round(current["on_time_rate"] - previous["on_time_rate"], 2)

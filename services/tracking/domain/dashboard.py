"""The ledger's signal (红黄绿) and the dashboard's figures (督办看板), as pure functions.

A row is what the dashboard needs of an item: status, deadline, due_by (the deadline moved
off a non-working day), completed_on and the lead department's code and name.
"""
import datetime as dt

from .lifecycle import WORKING, Status
from .rules import is_overdue

SOON_DAYS = 7           # yellow: due within this many days and still being worked on
TREND_MONTHS = 12
CLOSED = (Status.COMPLETED, Status.EVALUATED, Status.CANCELLED)
DONE = (Status.COMPLETED, Status.EVALUATED)


def signal(status, due_by, today):
    """red: overdue; yellow: still worked on and due within SOON_DAYS days; green: on
    track; none: closed (completed, evaluated or cancelled)."""
    status = Status(status)
    if status in CLOSED:
        return "none"
    if is_overdue(status, due_by, today):
        return "red"
    if status in WORKING and due_by is not None and (due_by - today).days < SOON_DAYS:
        return "yellow"
    return "green"


def on_time(row):
    """Completed no later than it was due."""
    due = row["due_by"] or row["deadline"]
    return row["completed_on"] is not None and row["completed_on"] <= due


def month_start(day, back=0):
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def window_start(today, months=TREND_MONTHS):
    return month_start(today, months - 1)


def by_department(rows, today, since):
    """Per lead department: completed on time, completed late, open (not overdue), overdue.
    Completed items count when their deadline is on or after `since`; open ones always."""
    table = {}
    for row in rows:
        status = Status(row["status"])
        if status is Status.CANCELLED:
            continue
        if status in DONE:
            if row["deadline"] < since:
                continue
            key = "on_time" if on_time(row) else "late"
        else:
            key = "overdue" if is_overdue(status, row["due_by"], today) else "open"
        entry = table.setdefault(row["code"], {"code": row["code"], "name": row["name"],
                                               "on_time": 0, "late": 0, "open": 0, "overdue": 0})
        entry[key] += 1
    out = sorted(table.values(), key=lambda e: (-e["overdue"], -e["open"], e["code"]))
    for entry in out:
        entry["total"] = entry["on_time"] + entry["late"] + entry["open"] + entry["overdue"]
    return out


def trend(rows, today, months=TREND_MONTHS):
    """The last `months` months, oldest first: items due in the month (by deadline, not
    cancelled) and how many of them were completed on time."""
    labels = [month_start(today, back).strftime("%Y-%m") for back in range(months - 1, -1, -1)]
    table = {label: {"month": label, "due": 0, "on_time": 0} for label in labels}
    for row in rows:
        if Status(row["status"]) is Status.CANCELLED:
            continue
        entry = table.get(row["deadline"].strftime("%Y-%m"))
        if entry is None:
            continue
        entry["due"] += 1
        if Status(row["status"]) in DONE and on_time(row):
            entry["on_time"] += 1
    return [table[label] for label in labels]


def summary(rows, today, months=TREND_MONTHS, listed=50):
    """Everything the dashboard shows, from the visible items' rows."""
    overdue, soon = [], []
    for row in rows:
        colour = signal(row["status"], row["due_by"], today)
        if colour == "red":
            overdue.append(row)
        elif colour == "yellow":
            soon.append(row)
    order = lambda r: (r["due_by"] or r["deadline"], r["number"])  # noqa: E731
    return {
        "as_of": today.isoformat(),
        "since": window_start(today, months).isoformat(),
        "departments": by_department(rows, today, window_start(today, months)),
        "trend": trend(rows, today, months),
        "overdue_count": len(overdue), "due_soon_count": len(soon),
        "overdue": [brief(r, today) for r in sorted(overdue, key=order)[:listed]],
        "due_soon": [brief(r, today) for r in sorted(soon, key=order)[:listed]],
    }


def brief(row, today):
    due = row["due_by"] or row["deadline"]
    return {"id": row["id"], "number": row["number"], "title": row["title"],
            "status": row["status"], "deadline": row["deadline"].isoformat(),
            "lead_department": {"code": row["code"], "name": row["name"]},
            "days": (due - today).days}

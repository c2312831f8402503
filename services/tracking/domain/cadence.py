"""Feedback cadence (反馈频次): when each item's progress reports are due.

Reports are due one period after the item was issued, and every period after that,
up to (not including) the deadline, when completion itself is due. A date that falls
on a non-working day moves to the next working day. A report covers every due date
up to the day it is given; a due date that passes with no report since the one before
is missed, once.
"""
import calendar as _calendar
import datetime as dt

DAYS = {"weekly": 7, "biweekly": 14}
MONTHS = {"monthly": 1, "quarterly": 3}


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def scheduled(anchor, cadence, k):
    """The k-th scheduled date (k >= 1) before moving off non-working days."""
    if cadence in DAYS:
        return anchor + dt.timedelta(days=DAYS[cadence] * k)
    return add_months(anchor, MONTHS[cadence] * k)


def due_dates(anchor, cadence, deadline, workday=None, limit=400):
    """Every due date of an item issued on `anchor`, in order.

    `workday(day)` moves a date to a working day (the office calendar); without it
    dates stay as scheduled.
    """
    if anchor is None or cadence not in DAYS and cadence not in MONTHS:
        return []
    dates = []
    for k in range(1, limit + 1):
        day = scheduled(anchor, cadence, k)
        if day >= deadline:
            break
        if workday is not None:
            day = workday(day)
        if day >= deadline:
            break
        if not dates or day > dates[-1]:
            dates.append(day)
    return dates


def next_due(dates, covered_until):
    """The first due date after `covered_until` (the day of the last report), or None."""
    for day in dates:
        if covered_until is None or day > covered_until:
            return day
    return None


def missed(dates, covered_until, checked_from, today):
    """Due dates that passed unreported: after the last report, from `checked_from`
    (the first date not yet announced), before today."""
    return [day for day in dates
            if (covered_until is None or day > covered_until)
            and (checked_from is None or day >= checked_from) and day < today]

"""Reporting periods: a month (YYYY-MM, 月度通报) and a half-year (YYYY-H1 / YYYY-H2, 半年考核).

H1 is January–June, H2 July–December. A period is a closed date range.
"""
import datetime as dt
import re
from dataclasses import dataclass

from .errors import RuleViolation

MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")  # ASCII digits: \d takes any script's
HALF = re.compile(r"^([0-9]{4})-H([12])$")
YEARS = (2000, 2100)


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date

    def contains(self, day):
        return self.start <= day <= self.end

    def has_ended(self, today):
        """A period can be published only once its last day is over."""
        return today > self.end


def _check_year(year, field, value):
    if not YEARS[0] <= year <= YEARS[1]:
        raise RuleViolation("The year of '{}' is out of range".format(value),
                            {field: ["year between {} and {}".format(*YEARS)]})


def month_end(year, month):
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def parse_month(value, field="month"):
    """'2026-07' -> Period(2026-07-01 .. 2026-07-31)."""
    match = MONTH.match(value or "") if isinstance(value, str) else None
    if match is None:
        raise RuleViolation("A month is written YYYY-MM, e.g. 2026-07",
                            {field: ["expected YYYY-MM, got {!r}".format(value)]})
    year, month = int(match.group(1)), int(match.group(2))
    _check_year(year, field, value)
    return Period(value, dt.date(year, month, 1), month_end(year, month))


def parse_half(value, field="period"):
    """'2026-H2' -> Period(2026-07-01 .. 2026-12-31)."""
    match = HALF.match(value or "") if isinstance(value, str) else None
    if match is None:
        raise RuleViolation("A half-year is written YYYY-H1 or YYYY-H2, e.g. 2026-H2",
                            {field: ["expected YYYY-H1 or YYYY-H2, got {!r}".format(value)]})
    year, half = int(match.group(1)), int(match.group(2))
    _check_year(year, field, value)
    if half == 1:
        return Period(value, dt.date(year, 1, 1), dt.date(year, 6, 30))
    return Period(value, dt.date(year, 7, 1), dt.date(year, 12, 31))


def check_begun(period, today, field):
    """A report of a month not begun would be all zeros: refused, saying when it starts."""
    if period.start > today:
        raise RuleViolation("The {} {} has not begun".format(field, period.label),
                            {field: ["starts on {}".format(period.start)]})


def month_of(day):
    return parse_month("{:04d}-{:02d}".format(day.year, day.month))


def previous_month(period):
    return month_of(period.start - dt.timedelta(days=1))


def previous_half(period):
    return half_of(period.start - dt.timedelta(days=1))


def half_of(day):
    return parse_half("{:04d}-H{}".format(day.year, 1 if day.month <= 6 else 2))


def first_workday(period, is_workday):
    """The first working day of a period (the monthly report's day); `is_workday(day) -> bool`."""
    day = period.start
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def report_due(today, is_workday):
    """The month whose report is due by `today`: last month, once this month's first working
    day has come (a timer that was down catches up on its next tick); else None."""
    this_month = month_of(today)
    if today < first_workday(this_month, is_workday):
        return None
    return previous_month(this_month)

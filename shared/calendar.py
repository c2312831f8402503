"""The office calendar: which days are working days.

An office keeps its own table of holidays and adjusted working days (调休上班) per
year; it wins over the `chinesecalendar` package, which knows only the years the
State Council has published. For a year neither knows, Monday–Friday is assumed and
reported as a guess (`known` is False), so a caller can flag it.

    cal = OfficeCalendar({date(2027, 2, 8): ("holiday", "春节"), ...})
    cal.is_workday(day)          -> (bool, known)
    cal.add_workdays(start, n)   -> (date, known)
    cal.workday_on_or_after(day) -> date
"""
import datetime as dt
import types

try:  # a declared dependency; the module stays importable without it
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover - only on a broken install
    _cc = None

HOLIDAY = "holiday"
WORKDAY = "workday"
DAY_KINDS = (HOLIDAY, WORKDAY)


def package_is_workday(day):
    """(is_workday, known) from chinesecalendar; Mon–Fri and known=False past its years."""
    if _cc is not None:
        try:
            return _cc.is_workday(day), True
        except NotImplementedError:
            pass
    return day.weekday() < 5, False


class OfficeCalendar:
    """Working days: the office's own table first, then the package, then Mon–Fri.

    `days` maps a date to (kind, name) with kind "holiday" or "workday"; `years` are the
    years the office keeps a table for: a day it does not list follows the package, or
    Monday–Friday where the package does not know the year, and counts as known.
    """

    def __init__(self, days=None, years=()):
        # read-only: a process keeps one for many requests (tracking's directory_cache)
        self.days = types.MappingProxyType(dict(days or {}))
        self.years = frozenset(years) | {d.year for d in self.days}

    @classmethod
    def from_rows(cls, rows, years=()):
        """From [{"date": "YYYY-MM-DD" | date, "kind": ..., "name": ...}] (API or event data)."""
        days = {}
        for row in rows:
            day = row["date"]
            if isinstance(day, str):
                day = dt.date.fromisoformat(day)
            days[day] = (row["kind"], row.get("name"))
        return cls(days, years)

    def is_workday(self, day):
        entry = self.days.get(day)
        if entry is not None:
            return entry[0] == WORKDAY, True
        working, known = package_is_workday(day)
        return working, known or day.year in self.years

    def knows(self, year):
        """True when the office or the package has this year's holidays."""
        return year in self.years or package_is_workday(dt.date(year, 6, 1))[1]

    def add_workdays(self, start, count):
        """The date `count` working days after `start` (start not counted), and whether every
        day on the way was known."""
        day, known, remaining = start, True, count
        while remaining > 0:
            day += dt.timedelta(days=1)
            working, day_known = self.is_workday(day)
            known = known and day_known
            if working:
                remaining -= 1
        return day, known

    def workday_on_or_after(self, day, limit=40):
        """The first working day on or after `day` (a deadline on a holiday moves past it)."""
        for _ in range(limit):
            if self.is_workday(day)[0]:
                return day
            day += dt.timedelta(days=1)
        return day


PACKAGE_ONLY = OfficeCalendar()

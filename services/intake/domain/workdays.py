"""Working days for deadlines counted in working days, and the dates of festivals.

The office's own calendar (holidays and adjusted working days it keeps per year, sent
by tracking) wins over the official calendar (`chinese_calendar`), which knows only the
years the State Council has published; for any other year Monday–Friday is assumed and
reported, so the caller can flag the draft `calendar_unknown`.
"""

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar

from shared.calendar import PACKAGE_ONLY

try:  # the package is a declared dependency, but keep the domain importable without it
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover - exercised only on a broken install
    _cc = None

# First day of the lunar year (正月初一); the calendar package only covers published years.
SPRING_FESTIVAL = {
    2018: dt.date(2018, 2, 16), 2019: dt.date(2019, 2, 5), 2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12), 2022: dt.date(2022, 2, 1), 2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10), 2025: dt.date(2025, 1, 29), 2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6), 2028: dt.date(2028, 1, 26), 2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3), 2031: dt.date(2031, 1, 23), 2032: dt.date(2032, 2, 11),
    2033: dt.date(2033, 1, 31), 2034: dt.date(2034, 2, 19), 2035: dt.date(2035, 2, 8),
}


_office = ContextVar("office_calendar", default=PACKAGE_ONLY)


@contextmanager
def use(calendar):
    """Read working days from an office calendar (shared/calendar.py) inside the block."""
    token = _office.set(calendar or PACKAGE_ONLY)
    try:
        yield
    finally:
        _office.reset(token)


def current():
    """The calendar in force."""
    return _office.get()


def is_workday(day):
    """(is_workday, known): the office's table, then the official calendar, then Mon–Fri
    (known is False when that guess was used)."""
    return _office.get().is_workday(day)


def add_workdays(start, count):
    """The date `count` working days after `start` (start itself not counted), and whether
    every day on the way was known."""
    return _office.get().add_workdays(start, count)


def holiday_start(year, name):
    """First day of the official holiday break that holds a named festival (e.g. 'Dragon Boat
    Festival') in year, or None.  A break shared with another holiday starts with it: in 2017
    the Mid-autumn day (4 October) fell inside the National Day break, which began on 1 October."""
    if _cc is None:
        return None
    try:
        days = _cc.get_holidays(dt.date(year, 1, 1), dt.date(year, 12, 31), include_weekends=True)
    except NotImplementedError:
        return None
    for day in days:
        if _cc.get_holiday_detail(day)[1] == name:
            while True:
                before = day - dt.timedelta(days=1)
                holiday, other = _cc.get_holiday_detail(before)
                if not (holiday and other):
                    return day
                day = before
    return None

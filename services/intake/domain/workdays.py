"""Chinese working-day calendar: official holidays and adjusted working days, Mon–Fri fallback.

`chinese_calendar` only knows the years the State Council has published.  For any
other year we fall back to Monday–Friday and report it, so the caller can flag the
draft `calendar_unknown` instead of silently trusting a guess.
"""

import datetime as dt

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


def calendar_knows(day):
    """True when the official calendar has data for this date's year."""
    if _cc is None:
        return False
    try:
        _cc.is_workday(day)
        return True
    except NotImplementedError:
        return False


def is_workday(day):
    """(is_workday, known): known is False when the Mon–Fri fallback was used."""
    if _cc is not None:
        try:
            return _cc.is_workday(day), True
        except NotImplementedError:
            pass
    return day.weekday() < 5, False


def add_workdays(start, count):
    """The date `count` working days after `start` (start itself not counted).

    Returns (date, known); known is False if any day on the way used the fallback.
    """
    day, known, remaining = start, True, count
    while remaining > 0:
        day += dt.timedelta(days=1)
        working, day_known = is_workday(day)
        known = known and day_known
        if working:
            remaining -= 1
    return day, known


def holiday_start(year, name):
    """First day of a named official holiday (e.g. 'Dragon Boat Festival') in year, or None."""
    if _cc is None:
        return None
    try:
        days = _cc.get_holidays(dt.date(year, 1, 1), dt.date(year, 12, 31), include_weekends=True)
    except NotImplementedError:
        return None
    for day in days:
        if _cc.get_holiday_detail(day)[1] == name:
            return day
    return None

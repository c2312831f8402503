"""Chinese numerals and calendar arithmetic for deadline phrases: 二十五 -> 25, month ends, the year rule, ISO dates."""

import calendar
import datetime as dt
import re

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 6,
            "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}


def cn_number(token):
    """'10' / '十' / '二十五' / '两' / '半' -> number (半 -> 0.5)."""
    if token is None or token == "":
        return None
    if token.isdigit():
        return int(token)
    if token == "半":
        return 0.5
    if "十" in token:
        left, _, right = token.partition("十")
        tens = _CN_DIGITS.get(left, 1) if left else 1
        ones = _CN_DIGITS.get(right, 0) if right else 0
        return tens * 10 + ones
    value = 0
    for ch in token:
        if ch not in _CN_DIGITS:
            return None
        value = value * 10 + _CN_DIGITS[ch]
    return value


def month_end(year, month):
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve_year(month, meeting, year=None, year_word=None):
    """The year rule (deadlines.py's docstring)."""
    if year:
        return int(year)
    if year_word in ("明年", "次年", "来年", "下一年", "下年"):
        return meeting.year + 1
    if year_word in ("今年", "本年", "本年度", "当年"):
        return meeting.year
    return meeting.year + (1 if month < meeting.month else 0)


def safe_date(year, month, day):
    try:
        return dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and day > 28:
            return month_end(year, month)
        return None


_ISO = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")


def parse_iso_date(value):
    """'2026-05-01' / '2026/5/1' / '2026年5月1日' / date / datetime -> date, else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    m = _ISO.match(value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None

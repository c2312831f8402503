"""Deadline phrases counted from the meeting day: 本周内, 下月10日前, 会后10个工作日内, 当天, 20日前.

Each phrase is a pattern with a named handler `(match, meeting) -> (kind, value)` or None,
as in deadline_phrases.py; an event-relative span ('每笔融资完成后5个工作日内') gives no date.
"""

import datetime as dt
import re

from .. import workdays
from .dates import WEEKDAYS, add_months, cn_number, month_end, safe_date
from .deadline_phrases import pattern_table

_NUM = r"\d{1,3}|[一二两三四五六七八九十半]{1,3}"

PATTERNS = []
_pattern = pattern_table(PATTERNS)


@_pattern(r"(?P<w>本周|这周|下周|下一周|下个星期|下星期|本星期)(?P<d>[一二三四五六日天1-7末])?(?:之前|以前|前|内|之内)?",
          priority=1)
def _week(m, meeting):
    monday = meeting - dt.timedelta(days=meeting.weekday())
    if m.group("w").startswith("下"):
        monday += dt.timedelta(days=7)
    weekday = WEEKDAYS[m.group("d")] if m.group("d") else 4  # 本周内 -> Friday
    target = monday + dt.timedelta(days=weekday)
    if target < meeting:
        # a weekend meeting: 本周内 is the week's Sunday, a weekday already past is next week's
        target = monday + dt.timedelta(days=6) if m.group("d") is None else target + dt.timedelta(days=7)
    return ("date", target)


@_pattern(r"(?P<w>本月|当月|这个月|下月|下个月|下一个月)(?:(?P<d>\d{1,2})日|(?P<p>底|末|上旬|中旬|下旬|初|中))?"
          r"(?:之前|以前|前|内|之内)?", priority=1)
def _relative_month(m, meeting):
    this_month = m.group("w") in ("本月", "当月", "这个月")
    base = meeting if this_month else add_months(meeting.replace(day=1), 1)
    day = int(m.group("d")) if m.group("d") else {"上旬": 10, "初": 10, "中旬": 20, "中": 15}.get(m.group("p"))
    if this_month and day and safe_date(base.year, base.month, day) and \
            safe_date(base.year, base.month, day) < meeting:
        # '本月20日前' said on the 25th: the next 20th, not a date already past
        base = add_months(meeting.replace(day=1), 1)
    if m.group("d"):
        return ("date", safe_date(base.year, base.month, int(m.group("d"))))
    period = m.group("p")
    if period in ("上旬", "初"):
        return ("date", dt.date(base.year, base.month, 10))
    if period == "中旬":
        return ("date", dt.date(base.year, base.month, 20))
    if period == "中":
        return ("date", dt.date(base.year, base.month, 15))
    return ("date", month_end(base.year, base.month))


@_pattern(r"(?<![\d一二三四五六七八九十两半个每本当下上这次])月(?P<p>底|末|上旬|中旬|下旬|初|内)(?:之前|以前|前)?",
          priority=1)
def _bare_month_period(m, meeting):
    """'月底前' / '月中旬前' with no month: the meeting's month, as 本月底 would say."""
    base, period = meeting, m.group("p")
    if period in ("上旬", "初"):
        return ("date", dt.date(base.year, base.month, 10))
    if period == "中旬":
        return ("date", dt.date(base.year, base.month, 20))
    return ("date", month_end(base.year, base.month))


# An event-relative span: '每笔融资完成后5个工作日内', '每次开盘后3日内', '收到集团通知后2个工作日内'.
# It counts from each event (or from one event whose date nobody knows), never from the
# meeting: no fixed deadline; '每…' makes it a recurring duty (cadence per_event).
@_pattern(r"(?:(?P<each>每一?(?:笔|次|批|项|起|宗|单|轮|期|个项目|个批次))[^，。；、]{0,16}?|"
          r"(?:收到|接到|收悉|接获)[^，。；、]{1,16}?)后(?:的)?(?:" + _NUM + r")(?:个)?"
          r"(?:工作日|自然日|天|日|小时)(?:之内|以内|内)?", priority=3)
def _event_span(m, meeting):
    return ("event", "per_event" if m.group("each") else "on_event")


@_pattern(r"(?:(?:会后|会议结束后|本纪要印发后|纪要印发后|即日起|自即日起)?(?P<n>" + _NUM + r")(?:个)?"
          r"(?P<u>工作日|自然日|天|日|周|星期|个月|月|年)(?:之内|以内|内)|"
          # '限期10个工作日办结': 限期 itself says 'within', so 内 may be left out
          r"限期(?P<n2>" + _NUM + r")(?:个)?(?P<u2>工作日|自然日|天|日|周|星期|个月)(?:之内|以内|内)?)",
          priority=1)
def _relative_span(m, meeting):
    n, unit = cn_number(m.group("n") or m.group("n2")), m.group("u") or m.group("u2")
    if n is None:
        return None
    if unit == "工作日":
        day, known = workdays.add_workdays(meeting, int(n))
        return ("date", day) if known else ("date_unknown", day)
    if unit in ("天", "日", "自然日"):
        return ("date", meeting + dt.timedelta(days=int(n)))
    if unit in ("周", "星期"):
        return ("date", meeting + dt.timedelta(days=int(n * 7)))
    if unit in ("个月", "月"):
        if n == 0.5:
            return ("date", meeting + dt.timedelta(days=15))
        return ("date", add_months(meeting, int(n)))
    if n == 0.5:
        return ("date", add_months(meeting, 6))
    return ("date", add_months(meeting, int(n) * 12))


@_pattern(r"(?:于|在)?(?P<w>当天|当日|今天|明天|次日)(?:之前|以前|前|内)?", priority=0)
def _same_day(m, meeting):
    if re.match(r"[\u4e00-\u9fff]{1,4}的", m.string[m.end():]) and not re.search(r"前|内$", m.group(0)):
        return None     # '今天视察的重点区域' describes the day, it limits nothing
    return ("date", meeting + dt.timedelta(days=0 if m.group("w") in ("当天", "当日", "今天") else 1))


@_pattern(r"(?<![月\d])(?P<d>\d{1,2})日(?:之前|以前|前)(?!\d)", priority=0)
def _day_of_month(m, meeting):
    day = int(m.group("d"))
    if not 1 <= day <= 31:
        return None
    target = safe_date(meeting.year, meeting.month, day)
    if target and target < meeting:
        nxt = add_months(meeting.replace(day=1), 1)
        target = safe_date(nxt.year, nxt.month, day)
    return ("date", target)

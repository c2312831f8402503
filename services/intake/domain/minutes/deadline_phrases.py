"""Deadline phrases that name a day of the calendar (9月底前, 第三季度, 年底前, 国庆前) or a cadence (每月25日前).

Each phrase is a pattern with a named handler `(match, meeting) -> (kind, value)` or None;
deadlines.py's docstring says how each is read.  relative_deadline_phrases.py holds the
phrases counted from the meeting day.
"""

import datetime as dt
import re

from .. import workdays
from .dates import WEEKDAYS, cn_number, month_end, resolve_year, safe_date


def pattern_table(patterns):
    """The decorator `_pattern(regex, priority)` that adds a handler to patterns as (regex, priority, handler).

    Where two matches start at the same place and are as long, the higher priority wins,
    then the pattern added first.
    """
    def _pattern(regex, priority=0):
        def register(handler):
            patterns.append((re.compile(regex), priority, handler))
            return handler
        return register
    return _pattern


# ---- phrase patterns ---------------------------------------------------------------
_YEAR = r"(?:(?P<y>20\d{2})年|(?P<yw>今年|本年度|本年|当年|明年|次年|来年|下一年))?"
_PRE = r"(?:于|在|到|截至|截止到|截止|至|务必在|务必于|须在|须于|要在|要于|应在|应于|争取在|争取于|力争在|力争于|确保在|确保于)?"
_POST = r"(?:之前|以前|前|为止|止|以内|之内|内)?"
_START_AFTER = r"(?=起|开始|以来|召开|会议|的会|印发|出台|至|到|—|－|~|～|-)"

PATTERNS = []
_pattern = pattern_table(PATTERNS)


@_pattern(r"(?:每(?P<n>两|半|[二三四六])?(?P<u>个月|月|季度|季|周|星期|旬|年)(?:的)?"
          r"(?:(?P<d>\d{1,2})日|(?P<end>末|底)|第一周|初|(?:周|星期)?(?P<wd>[一二三四五六日1-7]))?"
          # '每季度末后5日内', '每月结束后3个工作日内': the span counts from each period's end,
          # so it belongs to the cadence and is no deadline counted from the meeting
          r"(?:(?:结束)?后(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:个)?(?:工作日|日|天)(?:之内|以内|内)?)?"
          r"(?:之前|以前|前)?|按(?P<u2>月|季度|季|周|年|旬)|定期)", priority=3)
def _recurring(m, meeting):
    unit = m.group("u") or m.group("u2")
    if unit is None:
        return ("cadence", "periodic")
    n = m.group("n")
    if unit in ("月", "个月"):
        if n == "半":
            return ("cadence", "semimonthly")
        if n:
            return ("cadence", f"every_{cn_number(n)}_months")
        if m.group("d"):
            return ("cadence", f"monthly:{int(m.group('d'))}")
        if m.group("end"):
            return ("cadence", "monthly:end")
        return ("cadence", "monthly")
    if unit in ("季度", "季"):
        return ("cadence", "quarterly")
    if unit in ("周", "星期"):
        if n in ("两", "二"):
            return ("cadence", "biweekly")
        wd = m.group("wd")
        return ("cadence", f"weekly:{WEEKDAYS[wd] + 1}" if wd else "weekly")
    if unit == "旬":
        return ("cadence", "dekadal")
    if unit == "年":
        return ("cadence", "half-yearly" if n == "半" else "yearly")
    return ("cadence", "periodic")


@_pattern(_PRE + _YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日" + _START_AFTER, priority=4)
def _start_date(m, meeting):
    return ("ignore", None)


@_pattern(_PRE + _YEAR + r"(?P<m>\d{1,2})月(?P<d>\d{1,2})日" + _POST, priority=2)
def _full_date(m, meeting):
    month, day = int(m.group("m")), int(m.group("d"))
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    year = resolve_year(month, meeting, m.group("y"), m.group("yw"))
    return ("date", safe_date(year, month, day))


@_pattern(_PRE + _YEAR + r"(?P<m>\d{1,2})月(?P<fen>份)?(?P<p>底|末|上旬|中旬|下旬|初|中)?"
          r"(?P<post>之前|以前|前|为止|止|以内|之内|内)?(?!\d|日)", priority=1)
def _month_period(m, meeting):
    month = int(m.group("m"))
    if not 1 <= month <= 12:
        return None
    period, post = m.group("p"), m.group("post")
    if period is None and post is None:
        # bare "9月": only a deadline when the text goes on to say what is done by then
        following = m.string[m.end():m.end() + 4]
        if m.group("fen") and re.match(r"[\u4e00-\u9fff]", following) and not re.match(
                r"(?:的|以来|以后|之后|后|起|开始|至|到|期间|中|和|及|、|或|份|对|将|由|在)", following):
            # ('巡查组6月份对某市开展检查': when a visit happens, no time limit)
            # '6月份形成整治报告': 月份 followed by what is done names the month to do it in
            pass
        elif not re.match(r"(?:完成|实现|建成|开工|完工|投用|投入|交付|上线|印发|出台|报送|提交|启动|落实|全面|基本|底)", following):
            return None
    if post is None and period in ("上旬", "中旬", "下旬", "初", "中") and \
            re.match(r"，?[^，。；]{0,8}将", m.string[m.end():m.end() + 12]):
        return None     # '6月下旬，公司将组织人员到现场检查': when it happens, not by when
    year = resolve_year(month, meeting, m.group("y"), m.group("yw"))
    if period is None and post in ("之前", "以前", "前"):
        # literal reading: before month X starts
        first = dt.date(year, month, 1)
        return ("date", first - dt.timedelta(days=1))
    if period in ("上旬", "初"):
        return ("date", dt.date(year, month, 10))
    if period == "中旬":
        return ("date", dt.date(year, month, 20))
    if period == "中":
        return ("date", dt.date(year, month, 15))
    return ("date", month_end(year, month))


@_pattern(_PRE + r"(?:(?P<y>20\d{2})年|(?P<yw>今年|本年度|本年|当年|明年|次年|来年|下一年))?"
          r"(?P<p>年底|年末|年内|年中|上半年|下半年|年度内|底|内)(?:之前|以前|前)?", priority=1)
def _year_period(m, meeting):
    period = m.group("p")
    if period in ("底", "内") and not (m.group("y") or m.group("yw")):
        return None  # "底"/"内" alone are not year phrases
    if m.group("y"):
        year = int(m.group("y"))
    elif m.group("yw"):
        year = resolve_year(12, meeting, None, m.group("yw"))
    else:
        year = None
    if period in ("年中", "上半年", "下半年") and not m.group(0).endswith("前") and \
            not _COMPLETION.match(m.string[m.end():]) and not (
                _ACHIEVING_BEFORE.search(m.string[:m.start()]) and _TARGETS_AFTER.match(m.string[m.end():])):
        return None  # '下半年工作计划' is not a deadline ('完成上半年目标任务' is one)
    if period in ("年底", "年末") and not m.group(0).endswith("前") and \
            _DESCRIPTIVE_AFTER.match(m.string[m.end():]):
        return None  # '年底各项工作任务重' describes the season, it limits nothing
    if period in ("年中", "上半年"):
        year = year or resolve_year(6, meeting)
        return ("date", dt.date(year, 6, 30))
    year = year or meeting.year
    return ("date", dt.date(year, 12, 31))


# '完成上半年各项目标任务': the half-year's targets are done by the half-year's end.
_ACHIEVING_BEFORE = re.compile(r"(?:完成|实现|达成|冲刺|确保|全面完成|圆满完成)$")
_TARGETS_AFTER = re.compile(r"^(?:的)?(?:各项|全部|既定|预定)?(?:工作)?(?:目标|任务|指标)")

# What follows 年底/年末 when they describe the season rather than limit an action.
_DESCRIPTIVE_AFTER = re.compile(r"^(?:各|将至|临近|来临|到来|将近|是|的|时|期间|前后|左右|以来|岁末|"
                                r"[^，。；]{0,8}?(?:任务重|任务繁重|事多|事务多|压力大|时间紧|工作多|较忙))")
# A measurable target for a period: '单吨运输成本下降3%', '新增养老床位500张'.
_TARGET_AFTER = re.compile(r"^[^，。；]{0,16}?(?:下降|降低|提高|提升|增长|达到|不低于|不少于|不超过|控制在|"
                           r"压降|减少|新增|增加|突破|实现|完成)[^，。；]{0,10}?\d")
_RESULT_REPORT = re.compile(r"已|同比|环比|较上年|较去年")

_COMPLETION = re.compile(r"^(?:完成|实现|建成|开工|完工|投用|投入|交付|上线|印发|出台|报送|提交|启动|落实|全面|基本|"
                         r"力争|确保|争取|前|内|末|底)")


# Verbs that make a plan or document: a period right after one names what is made
# ('制定二季度末冲刺措施'), it does not limit the making.
_MAKING_BEFORE = re.compile(r"(?:制定|制订|编制|拟定|起草|形成|研究|谋划|提出|报送|提交|上报)$")


@_pattern(_PRE + _YEAR + r"(?:第)?(?P<q>[一二三四1-4])季度(?P<s>末|底|内|结束)?(?P<post>之前|以前|前)?", priority=1)
def _quarter(m, meeting):
    after = m.string[m.end():]
    before = m.string[:m.start()]
    if m.group("s") and not m.group("post") and _MAKING_BEFORE.search(before) \
            and re.match(r"[\u4e00-\u9fff]", after) and not _COMPLETION.match(after):
        return None  # '制定二季度末冲刺措施': the quarter-end names the plan, the plan has its own date
    if not (m.group("s") or m.group("post")) and not _COMPLETION.match(after):
        clause = re.split(r"[，。；]", after, maxsplit=1)[0]
        if not _TARGET_AFTER.match(after) or _RESULT_REPORT.search(clause):
            return None  # '四季度去化方案' names a plan, it is not a deadline
    quarter = cn_number(m.group("q"))
    if not 1 <= quarter <= 4:
        return None
    end_month = quarter * 3
    year = resolve_year(end_month, meeting, m.group("y"), m.group("yw"))
    return ("date", month_end(year, end_month))


@_pattern(_PRE + r"(?P<w>本|下|下一个|下个)?(?<![一二三四1-4第每])季度(?:末|底|内)(?:之前|以前|前)?", priority=1)
def _this_quarter(m, meeting):
    quarter = (meeting.month - 1) // 3 + 1 + (1 if m.group("w") and m.group("w") != "本" else 0)
    year = meeting.year + (quarter - 1) // 4
    quarter = (quarter - 1) % 4 + 1
    return ("date", month_end(year, quarter * 3))


@_pattern(_PRE + r"[“\"]?(?P<f>元旦|春节|五一|劳动节|清明节|清明|端午节|端午|中秋节|中秋|国庆节|国庆|(?<![第\d一二三四五六七八九十])(?:七一|十一))[”\"]?"
          r"(?:之前|以前|前)",
          priority=1)
def _festival(m, meeting):
    name = m.group("f")
    if name == "元旦":
        return ("date", dt.date(meeting.year, 12, 31))
    if name in ("五一", "劳动节"):
        return ("date", dt.date(resolve_year(4, meeting), 4, 30))
    if name.startswith("国庆") or name == "十一":
        return ("date", dt.date(resolve_year(9, meeting), 9, 30))
    if name == "七一":      # '在“七一”前': before the Party's anniversary, 1 July
        return ("date", dt.date(resolve_year(6, meeting), 6, 30))
    if name == "春节":
        for year in (meeting.year, meeting.year + 1):
            festival = workdays.SPRING_FESTIVAL.get(year)
            if festival and festival > meeting:
                return ("date", festival - dt.timedelta(days=1))
        return ("unknown", None)
    official = {"清明": "Tomb-sweeping Day", "端午": "Dragon Boat Festival",
                "中秋": "Mid-autumn Festival"}[name.rstrip("节")]
    for year in (meeting.year, meeting.year + 1):
        start = workdays.holiday_start(year, official)
        if start and start > meeting:
            return ("date", start - dt.timedelta(days=1))
    return ("unknown", None)


_FESTIVAL_DAYS = {"元旦": (1, 1), "五一": (5, 1), "七一": (7, 1), "国庆": (10, 1), "十一": (10, 1)}
# What is done on the festival day itself: '确保元旦试运营', '力争国庆节建成通车'.
_ON_THE_DAY = (r"(?:正式|全面|基本|如期|顺利|按时)?(?:试运营|运营|试运行|开业|开放|开园|开馆|投用|投入使用|启用|"
               r"建成|竣工|完工|通车|交付|上线|入住|营业|亮相|开通)")


@_pattern(r"(?:确保|力争|争取|计划|要在|要于|于|在)" + _YEAR + r"[“\"]?(?P<f>元旦|五一|七一|国庆|"
          r"(?<![第\d一二三四五六七八九十])十一|春节)节?[”\"]?(?:当天|当日)?(?=" + _ON_THE_DAY + ")", priority=1)
def _festival_day(m, meeting):
    """'确保2027年元旦节试运营': the festival day itself is the time limit (no 前 is said)."""
    name, year = m.group("f"), m.group("y") and int(m.group("y"))
    if name == "春节":
        if year:
            day = workdays.SPRING_FESTIVAL.get(year)
            return ("date", day) if day else ("unknown", None)
        day = next((d for y, d in sorted(workdays.SPRING_FESTIVAL.items()) if d > meeting), None)
        return ("date", day) if day else ("unknown", None)
    month, day = _FESTIVAL_DAYS[name]
    if not year:
        year = meeting.year if dt.date(meeting.year, month, day) > meeting else meeting.year + 1
    return ("date", dt.date(year, month, day))

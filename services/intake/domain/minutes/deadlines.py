"""Turn deadline phrases (9月底前, 会后10个工作日内, 每月25日前...) into dates, milestones and cadences.

Rules where the handbook leaves a choice (all resolved from the meeting date):

* Year rule: a date or period with no year takes the meeting's year, unless its month
  is earlier than the meeting month, in which case it means next year (a meeting on
  2026-11-20 that says "3月底前" means 2027-03-31).  The same month stays in the
  meeting's year.  今年/本年 pin the meeting's year, 明年/次年/来年 the next one.
* "X月前" is read literally: before month X starts, i.e. the last day of month X-1.
  "X月" / "X月份" / "X月底" mean the last day of month X; 上旬/初 the 10th, 中旬 the
  20th, 月中 the 15th, 下旬 the month end.
* 本周内 means the Friday of the meeting week (the working week); 本周末 its Sunday.
  下周内 is next week's Friday, 下周五前 next week's Friday.  A meeting held on a
  weekend never gets a date before itself: there 本周内 means that week's Sunday (the
  week literally ends then), and a named weekday already past (本周五前 said on
  Saturday) the same weekday of the next week.
* 本月20日前 said after the 20th (or 本月上旬前 after the 10th) is read as the next
  such day, i.e. next month's 20th - the same rule a bare '20日前' follows - never a
  date before the meeting.
* 年底/年末 without 前 is a time limit only where it limits something: '年底前',
  '力争年底建成', '到年底'.  Used as a description ('年底各项工作任务重',
  '年底将至', '年底的考核') it gives no date.
* A bare 第三季度 / 四季度 in running text names a period ('四季度去化方案'); it is a
  deadline (the quarter's last day) when a completion word follows, or when the
  clause sets a measurable target for it ('第三季度单吨运输成本下降3%',
  '第四季度新增养老床位500张') - unless the clause reports a result (已 / 同比 / 环比).
* 春节前 is the day before the first day of the lunar year (除夕); 元旦前 Dec 31,
  五一前 Apr 30, 七一前 Jun 30, 国庆前 (十一前) Sep 30; 清明/端午/中秋 come from the official calendar and are
  vague when the calendar does not know the year; their 前 is the eve of the whole holiday
  break that holds them (2017's 中秋 fell inside the National Day break: 9月30日).  A bare
  节前 or 放假前 ('春节临近……节前完成', '做好节前安全检查') means the festival the document names first.
  What is done on the festival day itself ('确保2027年元旦节试运营', '力争国庆节建成通车')
  takes that day (1 January, 1 October, the first day of the lunar year).
* 完成/实现 上半年(下半年)目标任务: the half-year's targets are due at the half-year's end,
  though a bare 上半年 in running text only names a period.
* 月底前 / 月中旬前 with no month number mean the meeting's month (as 本月底 does).
* A deadline column or field is read as 'done by …', so a bare 上半年 or 9月 there
  is a date even though in running text it may only name a period.
* N个工作日内 counts Chinese working days (holidays and adjusted working days) after
  the meeting day; N天/日内 counts calendar days; N个月内 adds months (clamped).
* Recurring duties (每月25日前, 每季度末, 按月) give a cadence and the flag
  `recurring`, never the deadline.  Vague words (尽快, 近期, 从速, 按时, 如期 …) give no
  date and the flag `vague_deadline`.  Several concrete dates in one task become
  milestones; the latest is the deadline.  '每季度末后5日内' counts from each period's
  end: it is a cadence, not a span from the meeting.  So is an event-relative span
  ('每笔融资完成后5个工作日内', '每次开盘后3日内': cadence per_event); '收到…通知后2个工作日内'
  has no fixed date at all (flag event_deadline, no deadline).
* A quarter end right after a verb of making ('制定二季度末冲刺措施，6月15日前报…')
  names the plan, so the plan's own date is the deadline.
"""

import calendar
import functools
import datetime as dt
import re
from dataclasses import dataclass, field

from .. import workdays

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 6,
             "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}

VAGUE_WORDS = ("尽快", "近期", "从速", "按时", "如期", "尽早", "及早", "及时", "抓紧时间",
               "立即", "马上", "第一时间", "限期", "适时", "择期", "早日", "按期",
               "按要求时限", "按规定时限", "抓紧", "迅速", "另行通知", "汛前", "汛期前")


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
    """The year rule from the module docstring."""
    if year:
        return int(year)
    if year_word in ("明年", "次年", "来年", "下一年", "下年"):
        return meeting.year + 1
    if year_word in ("今年", "本年", "本年度", "当年"):
        return meeting.year
    return meeting.year + (1 if month < meeting.month else 0)


def _safe_date(year, month, day):
    try:
        return dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and day > 28:
            return month_end(year, month)
        return None


@dataclass
class DeadlineInfo:
    """Everything the deadline phrases of one task say."""

    deadline: dt.date = None
    deadline_text: str = None
    milestones: list = field(default_factory=list)
    cadence: str = None
    flags: list = field(default_factory=list)

    def add_flag(self, flag):
        if flag not in self.flags:
            self.flags.append(flag)


# ---- phrase patterns ---------------------------------------------------------------
_NUM = r"\d{1,3}|[一二两三四五六七八九十半]{1,3}"
_YEAR = r"(?:(?P<y>20\d{2})年|(?P<yw>今年|本年度|本年|当年|明年|次年|来年|下一年))?"
_PRE = r"(?:于|在|到|截至|截止到|截止|至|务必在|务必于|须在|须于|要在|要于|应在|应于|争取在|争取于|力争在|力争于|确保在|确保于)?"
_POST = r"(?:之前|以前|前|为止|止|以内|之内|内)?"
_START_AFTER = r"(?=起|开始|以来|召开|会议|的会|印发|出台|至|到|—|－|~|～|-)"

_PATTERNS = []


def _pattern(regex, priority=0):
    def register(handler):
        _PATTERNS.append((re.compile(regex), priority, handler))
        return handler
    return register


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
        return ("cadence", f"weekly:{_WEEKDAYS[wd] + 1}" if wd else "weekly")
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
    return ("date", _safe_date(year, month, day))


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


@_pattern(r"(?P<w>本周|这周|下周|下一周|下个星期|下星期|本星期)(?P<d>[一二三四五六日天1-7末])?(?:之前|以前|前|内|之内)?",
          priority=1)
def _week(m, meeting):
    monday = meeting - dt.timedelta(days=meeting.weekday())
    if m.group("w").startswith("下"):
        monday += dt.timedelta(days=7)
    weekday = _WEEKDAYS[m.group("d")] if m.group("d") else 4  # 本周内 -> Friday
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
    if this_month and day and _safe_date(base.year, base.month, day) and \
            _safe_date(base.year, base.month, day) < meeting:
        # '本月20日前' said on the 25th: the next 20th, not a date already past
        base = add_months(meeting.replace(day=1), 1)
    if m.group("d"):
        return ("date", _safe_date(base.year, base.month, int(m.group("d"))))
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
    target = _safe_date(meeting.year, meeting.month, day)
    if target and target < meeting:
        nxt = add_months(meeting.replace(day=1), 1)
        target = _safe_date(nxt.year, nxt.month, day)
    return ("date", target)


# A status date: '截至/截止(到)…' followed by what stood at that date ('，', '已…', '共…',
# '全区…', '累计…'), as in the progress paragraph of a dispatch meeting.
_STATUS_DATE = re.compile(r"^(?:截至|截止到|截止)")
# A start, not a limit: '从下周起', '自5月1日开始执行'.
_STARTS_AFTER = re.compile(r"(?:起|开始|以来)")
_STARTS_BEFORE = re.compile(r"(?:从|自)$")
# The day something happened, as a report opens a sentence: '3月4日，督导组…', '4月12日上午，…'.
_EVENT_DAY = re.compile(r"^\d{1,2}月\d{1,2}日$|^\d{1,2}日$")
_EVENT_AFTER = re.compile(r"(?:[上下中]午|晚上?|早上|早晨|清晨|傍晚|凌晨|夜间)?(?:至\d{1,2}日)?[，,]")
_LIMIT_WORD = re.compile(r"(?:前|内|底|末|止|为止)$")
_STATUS_AFTER = re.compile(r"[，,：:]|已|共|累计|全[区市县省镇乡]")


def scan_phrases(text, meeting):
    """All deadline phrases in text as (start, end, kind, value, phrase), left to right."""
    return list(_scan_phrases(text, meeting, workdays.current()))


@functools.lru_cache(maxsize=4096)
def _scan_phrases(text, meeting, calendar):
    """scan_phrases, cached: the rules ask about the same clause several times (the
    office calendar in force is part of the key: working days depend on it)."""
    found = []
    for regex, priority, handler in _PATTERNS:
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            found.append((m.start(), -(m.end() - m.start()), -priority, m, handler))
    found.sort(key=lambda item: item[:3])
    taken, results = [], []
    for start, neg_len, _, m, handler in found:
        end = start - neg_len
        if any(start < t_end and end > t_start for t_start, t_end in taken):
            continue
        outcome = handler(m, meeting)
        if outcome is None:
            continue
        if _STATUS_DATE.match(m.group(0)) and not re.search(r"(?:前|内|为止)$", m.group(0)) \
                and _STATUS_AFTER.match(text, end):
            # '截至6月底，已开工…' dates a report of progress, it limits nothing
            outcome = ("ignore", None)
        elif outcome[0] in ("date", "date_unknown") and not _LIMIT_WORD.search(m.group(0)) and (
                _STARTS_AFTER.match(text, end) or _STARTS_BEFORE.search(text[max(0, start - 1):start])
                or start == 0 and _EVENT_DAY.match(m.group(0)) and _EVENT_AFTER.match(text, end)):
            outcome = ("ignore", None)      # a start date, or the day a report tells of
        taken.append((start, end))
        results.append((start, end, outcome[0], outcome[1], m.group(0)))
    results.sort()
    return tuple(results)


FESTIVALS = ("元旦", "春节", "五一", "劳动节", "清明", "端午", "中秋", "国庆")
# '节前' / '节日前' / '假期前' with no festival named: the festival the document talks about.
# Also after a verb that arranges work before it ('做好节前安全检查'), and '放假前'.
_BARE_FESTIVAL = re.compile(r"(?<![\u4e00-\u9fff])(?:节前|节日前|节假日前|假期前|长假前|放假前)|"
                            r"(?<=[于在前，])(?:节前|节日前|节假日前|假期前|长假前|放假前)|"
                            r"(?<=做好|抓好|开展|进行|组织|落实|加强|搞好)(?:节前|节日前|节假日前|假期前|长假前|放假前)")


def document_festival(text):
    """The first festival a document names ('春节临近…'), used to read a bare '节前'."""
    m = re.search("|".join(FESTIVALS), text)
    return m.group(0) if m else None


def resolve_deadlines(text, meeting, festival=None):
    """Read every deadline phrase in one task's text, relative to the meeting date.

    festival: the festival the document is about, so that a bare '节前' has a date.
    """
    if festival:
        text = _BARE_FESTIVAL.sub(lambda m: festival + "前", text)
    info = DeadlineInfo()
    dated = []
    event_phrase = None
    for _start, _end, kind, value, phrase in scan_phrases(text, meeting):
        if kind == "cadence":
            if info.cadence is None:
                info.cadence = value
            info.add_flag("recurring")
        elif kind in ("date", "date_unknown") and value is not None:
            dated.append((phrase, value))
            if kind == "date_unknown":
                info.add_flag("calendar_unknown")
        elif kind == "unknown":
            info.add_flag("calendar_unknown")
            info.add_flag("vague_deadline")
        elif kind == "event":
            info.add_flag("event_deadline")
            event_phrase = event_phrase or phrase
            if value == "per_event":
                info.cadence = info.cadence or "per_event"
                info.add_flag("recurring")
    if dated:
        if len({value for _, value in dated}) > 1:
            info.milestones = [{"text": phrase, "date": value.isoformat()} for phrase, value in dated]
        phrase, value = max(dated, key=lambda item: item[1])
        info.deadline, info.deadline_text = value, phrase
        return info
    vague = next((word for word in VAGUE_WORDS if word in text), None)
    if vague:
        info.add_flag("vague_deadline")
        info.deadline_text = vague
    elif "event_deadline" in info.flags:
        info.deadline_text = event_phrase   # counted from an event, not from the meeting
    elif "recurring" not in info.flags and "vague_deadline" not in info.flags:
        info.add_flag("no_deadline")
    return info


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


def resolve_deadline_field(value, base):
    """A deadline cell or field (ISO date or a phrase) -> DeadlineInfo relative to base."""
    exact = parse_iso_date(value)
    if exact:
        info = DeadlineInfo(deadline=exact, deadline_text=str(value))
        return info
    if value is None or not str(value).strip():
        info = DeadlineInfo()
        info.add_flag("no_deadline")
        return info
    from ..normalize import normalize_line
    text = normalize_line(str(value))
    info = resolve_deadlines(text, base)
    if info.deadline is None and "recurring" not in info.flags:
        # a deadline column means 'done by …': a bare '上半年' or '9月' there is a date,
        # though in running text ('上半年工作计划') it would not be
        completed = resolve_deadlines(text + "完成", base)
        if completed.deadline is not None:
            completed.deadline_text = text
            return completed
    return info

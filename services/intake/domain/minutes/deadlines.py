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

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from .. import workdays
from . import deadline_phrases, relative_deadline_phrases
from .dates import cn_number, parse_iso_date  # noqa: F401  (cn_number: re-exported, tests import it from here)

VAGUE_WORDS = ("尽快", "近期", "从速", "按时", "如期", "尽早", "及早", "及时", "抓紧时间",
               "立即", "马上", "第一时间", "限期", "适时", "择期", "早日", "按期",
               "按要求时限", "按规定时限", "抓紧", "迅速", "另行通知", "汛前", "汛期前")


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


# Ties between matches as long as each other and as urgent go to the earlier pattern.
_PATTERNS = deadline_phrases.PATTERNS + relative_deadline_phrases.PATTERNS


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

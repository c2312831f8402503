"""The opening of minutes: title, chair, meeting date, attendees, and which lines are preamble."""

import datetime as dt
import re

from .leaders import person_name

_FULL_DATE = re.compile(r"(20\d{2})年(\d{1,2})月(\d{1,2})日")
_CHAIR = re.compile(r"(?:^|[，。、])(?P<who>[^，。、]{2,16}?)(?:主持召开|主持召集|召集召开|主持|召集)")


def read_opening(lines):
    """Title, chair, meeting date, attendees from the first lines of the minutes."""
    meta = {"title": None, "chair": None, "meeting_date": None, "attendees": None}
    # The meeting date is the one on the chair line or in the 时间 field; a header may
    # carry the issue date first ('市政府办公室 2026年6月9日' above '6月8日…主持召开').
    date_from_meeting_line = False
    for index, line in enumerate(lines[:8]):
        if meta["title"] is None and index < 3 and ("纪要" in line or "会议" in line) and \
                "。" not in line and len(line) <= 60 and not _CHAIR.search(line):
            meta["title"] = line.strip()
        m = _FULL_DATE.search(line)
        if m and (meta["meeting_date"] is None or not date_from_meeting_line
                  and _MEETING_LINE.search(line)):
            try:
                meta["meeting_date"] = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                date_from_meeting_line = bool(_MEETING_LINE.search(line))
            except ValueError:
                pass
        if meta["chair"] is None:
            m = re.match(r"^主持人?[：](.+)$", line)
            if m:
                meta["chair"] = person_name(m.group(1).strip()) or m.group(1).strip()
                continue
            m = _CHAIR.search(line)
            if m:
                who = re.sub(r"^.*?日[，]?", "", m.group("who"))
                meta["chair"] = person_name(who) or who.strip() or None
        if meta["attendees"] is None:
            m = re.match(r"^(?:参加会议|出席会议|参会|出席|参加|列席)(?:人员|单位|的有|会议的有)?[：:](.+)$", line)
            if m:
                meta["attendees"] = m.group(1).strip()
    if meta["meeting_date"] is None:
        # a notice (通报, 通知) is dated in its signature block, on a line of its own at the end
        for line in reversed(lines[-4:]):
            m = re.fullmatch(r"(20\d{2})年(\d{1,2})月(\d{1,2})日", line.strip())
            if m:
                try:
                    meta["meeting_date"] = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    pass
                break
    return meta


_MEETING_LINE = re.compile(r"主持召开|主持召集|召开|^(?:会议)?时间[：]")


def is_preamble(line):
    return bool(re.search(r"^(?:时间|地点|主持人?|记录人?|参会人员|参加人员|出席人员|列席人员|缺席|请假)[：]|印发$|"
                          r"主持召开|主持召集|纪要如下|现纪要如下|现将.*纪要|^(?:参加会议|出席会议|参会|出席|参加|列席|"
                          r"抄送|抄报|主送|印发|附件|联系人|记录|签发|发送)|〔\d{4}〕|\[\d{4}\]|第\d+期|"
                          r"^\d{4}年\d{1,2}月\d{1,2}日$|会议纪要$|纪要$|（摘要）$|事项[：]$|如下[：]$|^（[^）]*）$", line))



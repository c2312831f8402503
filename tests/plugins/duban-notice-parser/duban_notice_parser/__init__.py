"""Example intake plugin: work notices written one task per line.

    任务：清理积存垃圾；责任单位：区城管局；时限：2027-01-15

Installed as its own package, it is found through the `duban.intake.parsers` entry
point; the intake service needs no change to use it.
"""
import datetime as dt
import re

from services.intake.parsers import Draft, IntakeInputError, ParseResult, SourceParser

LINE = re.compile(r"任务[:：](?P<task>[^；;]+)[；;]\s*责任单位[:：](?P<unit>[^；;]+)"
                  r"[；;]\s*时限[:：](?P<date>\d{4}-\d{2}-\d{2})")


class NoticeParser(SourceParser):
    kind = "notice"
    formats = ("text",)

    def parse(self, payload, context):
        # context.format is the format the client named; this parser reads text only
        if isinstance(payload, (bytes, bytearray)):
            raise IntakeInputError("notices are read as text, got {} bytes".format(context.format or "raw"),
                                   {"format": context.format})
        directory = context.directory_index()
        drafts = []
        for number, line in enumerate(payload.splitlines(), start=1):
            m = LINE.search(line)
            if not m:
                continue
            unit = m.group("unit").strip()
            match = directory.match(unit)
            draft = Draft(task=m.group("task").strip(), lead=[unit],
                          lead_department=match.code, clause="notice-{}".format(number),
                          deadline=dt.date.fromisoformat(m.group("date")),
                          deadline_text=m.group("date"), confidence=0.99)
            if not match.code:
                draft.add_flag("unmatched_unit")
                draft.confidence = 0.6  # the office must pick the unit
            drafts.append(draft)
        if not drafts:
            raise IntakeInputError("no notice lines found", {"payload": "no_actions"})
        return ParseResult(drafts=drafts, meta={"parser": "duban-notice-parser", "format": context.format})

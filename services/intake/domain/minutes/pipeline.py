"""parse_minutes: normalise -> opening -> blocks -> fields, tables or prose -> drafts."""

import datetime as dt
import re

from ..errors import IntakeInputError
from ..model import ParseResult, coerce_date
from ..normalize import decode_payload, join_wrapped_lines, normalize_text, split_run_in_numbering
from ..script import WrittenScript
from .blocks import Table, cut_blocks, numbering
from .context import DocContext, news_style
from .deadlines import document_festival
from .directory import Directory
from .fields import field_draft, has_unit_or_date_field, read_fields, table_drafts
from .leaders import names_of_document, resolve_short_name, resolve_title, split_leader, titled_full_names
from .opening import is_preamble, read_opening
from .problem_lists import ProblemList
from .prose import parse_prose, read_heading
from .tables import rebuild_flattened_tables, strip_cell_bars

HEADING_START = re.compile(r"^关于")
# Words that ask for something: an opening paragraph with them still assigns work.
# Also after a person's name: '…参加。…现场研究解决。田建引要求，各项目单位要…' (a news lede).
_ASKS = re.compile(r"[，。](?:会议)?(?:要求|强调|责成|请)|"
                   r"[，。](?!按照|根据|对照|落实|围绕|贯彻)[\u4e00-\u9fff]{2,4}(?:要求|强调)[，：]")
# A notice's practical sections: who attends, when and where - nothing to supervise.
_NOTICE_SECTION = re.compile(r"^(?:参会|参加|出席|列席|与会)(?:人员|单位|范围|对象)|^会议(?:时间|地点)")


def _looks_like_heading(line):
    return bool(HEADING_START.match(line)) or (len(line) <= 40 and not re.search(r"[。；]$", line))


def _is_headline(lines):
    """The first line is a headline ('某县重点工作推进会召开') when it is short and unpunctuated."""
    return len(lines) > 1 and len(lines[0]) <= 50 and not re.search(r"[。；|]", lines[0]) \
        and not numbering(lines[0])


def _body_start(lines, title):
    """Index of the first body line: the opening ends where numbered decisions begin."""
    start = 1 if _is_headline(lines) else 0
    for index, line in enumerate(lines[:12]):
        if numbering(line) or _ASKS.search(line):
            break       # numbered decisions, or a news lede that goes on '要求…', begin the body
        if not is_preamble(line) and len(line) > 40 and "。" in line:
            break       # body prose: a notice's closing lines (附件, signature, date) are no opening
        if is_preamble(line) or line == title:
            start = index + 1
    return start


def _meeting_date(meta, meeting_date, today, warnings):
    given = coerce_date(meeting_date, "meeting_date")
    meeting = given or meta["meeting_date"] or coerce_date(today, "today") or dt.date.today()
    if not given and not meta["meeting_date"]:
        warnings.append("meeting date not given and not found in the text; deadlines resolved "
                        f"from {meeting.isoformat()}")
    return meeting


class _BodyReader:
    """Walks the blocks, keeping the leader in force within a top-level section."""

    def __init__(self, ctx, meta, warnings):
        self.ctx, self.meta, self.warnings = ctx, meta, warnings
        self.drafts, self.leader, self.section = [], None, None
        # (who, level): who announced the numbered items that follow ('…提出以下五点要求：')
        self.announced = None
        self.skipped = None     # the clause of a notice section being skipped ('三、')
        self.problems = ProblemList()   # a notice's problem list, dated once for all
        # (clause, level, candidate): a numbered heading that addressed its items to someone
        self.heading = None

    def read_block(self, block):
        if not isinstance(block, Table):
            self.problems.read_lines(block.lines)
        if isinstance(block, Table):
            drafts, warnings = table_drafts(block, self.ctx, self.leader)
            self.drafts.extend(drafts)
            self.warnings.extend(warnings)
            return
        if self.announced and (block.paragraph or self.announced[1] not in (None, block.level)):
            self.announced = None       # a paragraph, or another level of numbering, ends the items
        elif self.announced:
            self.announced = (self.announced[0], block.level)
        if block.section != self.section:
            self.section, self.leader = block.section, self.announced and self.announced[0]
        if self.skipped and block.clause.startswith(self.skipped):
            return
        if block.children and _NOTICE_SECTION.match(block.lines[0]):
            self.skipped = block.clause       # '三、参会人员：' and the lines under it
            return
        if is_preamble(block.lines[0]) and block.paragraph and not _ASKS.search("".join(block.lines)):
            return      # an opening paragraph; a news lede that goes on '要求…' is read
        fields, task_text = read_fields("\n".join(block.lines))
        if fields and has_unit_or_date_field(fields):
            self.drafts.append(self.problems.date(field_draft(task_text.replace("\n", ""), fields,
                                                              block.clause, self.leader, self.ctx)))
            return
        if block.children and _looks_like_heading(block.lines[0]) and len(block.lines) == 1:
            head_leader, _ = split_leader(block.lines[0])   # '（一）王强副区长讲话要点'
            spoken, addressed = read_heading(block, self.ctx, self.leader)
            # '一、总经理王强对A、B提出三点要求：': who speaks, and whom its items are for
            self.leader = head_leader or spoken or self.leader
            self.heading = (block.clause, block.level, addressed) if addressed else None
            return
        item_of = None
        if self.heading and block.clause.startswith(self.heading[0]) and block.level > self.heading[1]:
            item_of = self.heading[2]
        drafts, self.leader = parse_prose(block, self.ctx, self.leader, self.meta, item_of)
        self.drafts.extend(drafts)
        self.problems.note(drafts)
        if self.leader and block.paragraph and block.lines[-1].rstrip().endswith("："):
            self.announced = (self.leader, None)    # (who, the level of the items once seen)


# A text with fewer Chinese characters than this and no action is not minutes at all (a
# mistaken paste): an error. A longer one that asks nothing is kept with a warning.
MIN_PROSE = 40


def _result(drafts, meta, warnings):
    prose = meta.pop("chinese_chars", 0)
    deferred = len(meta["deferred"])
    if not drafts:
        if deferred:
            warnings.append(f"{deferred} deferred decision(s), no action to supervise")
            return ParseResult(drafts=[], meta=meta, warnings=warnings)
        if meta.get("approvals"):
            warnings.append(f"{len(meta['approvals'])} approval(s) with no action to supervise")
            return ParseResult(drafts=[], meta=meta, warnings=warnings)
        if prose < MIN_PROSE:
            raise IntakeInputError("no actions found in the minutes", {"payload": "no_actions"})
        # Real minutes that ask nothing of anyone (a report, exhortations): kept, and said
        warnings.append("no actions found in the minutes: nothing to supervise; add drafts "
                        "by hand if the parser missed one")
        return ParseResult(drafts=[], meta=meta, warnings=warnings)
    if deferred:
        warnings.append(f"{deferred} deferred decision(s) not turned into items")
    return ParseResult(drafts=drafts, meta=meta, warnings=warnings)


def parse_minutes(payload, directory, meeting_date=None, title=None, today=None):
    """Minutes text (str or bytes) -> ParseResult; IntakeInputError for unusable input."""
    original = decode_payload(payload, "minutes text")
    text = normalize_text(original)
    if not text:
        raise IntakeInputError("empty minutes text: nothing to parse", {"payload": "empty"})
    lines = rebuild_flattened_tables(strip_cell_bars(split_run_in_numbering(join_wrapped_lines(text.split("\n")))))
    if not isinstance(directory, Directory):
        directory = Directory(directory or [])
    meta, warnings = read_opening(lines), []
    meta["meeting_date"] = _meeting_date(meta, meeting_date, today, warnings)
    if title:
        meta["title"] = title
    meta["deferred"] = []
    meta["chinese_chars"] = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    ctx = DocContext(directory=directory, meeting=meta["meeting_date"], festival=document_festival(text),
                     news=news_style(lines))
    reader = _BodyReader(ctx, meta, warnings)
    with names_of_document(text):
        for block in cut_blocks(lines[_body_start(lines, meta["title"]):]):
            reader.read_block(block)
    names, script = titled_full_names(text), WrittenScript(original)
    for draft in reader.drafts:
        draft.leader = resolve_short_name(draft.leader, names)   # '万总' -> '万宝平'
        draft.leader = resolve_title(draft.leader, names)        # '董事长' -> '戴同彬'
        script.draft(draft)      # '區水務局', '王忠銘': the document's own characters
    return _result(reader.drafts, meta, warnings)

"""Annual goal sheets (年度目标, .csv or .xlsx) -> one draft per milestone, linked to its goal.

The sheet imports all or nothing: any row with an error rejects the sheet with
IntakeInputError(fields={"rows": [{"row": n, "errors": [...]}]}), n being the row
number as the office sees it in the sheet (header = its own row, usually 1).
A row with a goal and nothing else opens a goal whose milestones follow; a blank
goal cell (merged cells) repeats the goal above; a blank lead repeats the goal's lead.
"""

import csv
import datetime as dt
import io
import re

from .archive import check_archive, check_xml_members
from .errors import IntakeInputError
from .minutes.dates import parse_iso_date
from .minutes.deadlines import resolve_deadline_field
from .minutes.directory import Directory
from .minutes.unit_lists import split_unit_field
from .model import ParseResult, make_draft
from .normalize import decode_payload, normalize_line
from .script import WrittenScript

HEADERS = {
    "goal": ("年度目标", "目标任务", "目标名称", "目标", "goal"),
    "milestone": ("关键节点", "节点任务", "里程碑", "节点", "milestone"),
    "lead": ("牵头单位", "牵头部门", "主责部门", "主责单位", "责任单位", "lead"),
    "co": ("配合单位", "协办单位", "配合部门", "协办部门", "co"),
    "deadline": ("完成时限", "完成时间", "时限", "deadline", "due"),
    "year": ("年度", "年份", "year"),
    "number": ("序号", "编号", "no", "#"),
}
REQUIRED = ("goal", "milestone", "lead", "deadline")
MAX_ROWS = 5000
MAX_COLUMNS = 64  # a goal sheet has a dozen; `<dimension>` may claim 16,384


def _header_key(cell):
    text = re.sub(r"[\s*（）()]", "", _cell_text(cell)).lower()   # 牽頭單位 is 牵头单位
    for key, names in HEADERS.items():
        if text in names:
            return key
    for key, names in HEADERS.items():
        if any(len(name) >= 2 and text.startswith(name) for name in names):
            return key
    return None


def _read_rows(payload, fmt):
    """bytes -> list of (sheet row number, [cell values])."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    raw = bytes(payload or b"")
    if not raw.strip():
        raise IntakeInputError("empty goal sheet", {"payload": "empty"})
    if fmt == "xlsx" or (fmt is None and raw[:2] == b"PK"):
        return _read_xlsx_rows(raw)
    text = decode_payload(raw, "goal sheet (CSV)")  # UTF-8 or GBK; binary, empty, too long refused
    dialect = csv.excel_tab if text.count("\t") > text.count(",") else csv.excel
    return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]


def _read_xlsx_rows(raw):
    """Rows of the first sheet, read with caps: what the zip inflates to is checked first,
    and rows and columns are bounded here, not by the sheet's own `<dimension>`."""
    with check_archive(raw, ".xlsx") as archive:
        check_xml_members(archive, ".xlsx")
    try:
        import openpyxl
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise IntakeInputError(f"cannot read .xlsx goal sheet: {exc}", {"payload": "corrupt_xlsx"}) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 11,
                                                        max_col=MAX_COLUMNS), start=1):
            if number > MAX_ROWS + 10:
                raise IntakeInputError(f"goal sheet too long (limit {MAX_ROWS} rows)", {"payload": "too_long"})
            rows.append((number, list(values)))
        return rows
    except IntakeInputError:
        raise
    except Exception as exc:  # malformed sheet XML, a bad cell value
        raise IntakeInputError(f"cannot read .xlsx goal sheet: {exc}", {"payload": "corrupt_xlsx"}) from exc
    finally:
        workbook.close()


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_line(str(value)).strip()


def parse_goal_sheet(payload, directory, year=None, fmt=None, today=None):
    """Goal sheet bytes -> ParseResult with one draft per milestone."""
    if not isinstance(directory, Directory):
        directory = Directory(directory or [])
    fmt = (fmt or "").lower().lstrip(".") or None
    rows = [(n, r) for n, r in _read_rows(payload, fmt) if any(_cell_text(v) for v in r)]
    if not rows:
        raise IntakeInputError("empty goal sheet", {"payload": "empty"})
    header_row, columns = _find_header(rows)
    year = _checked_year(year)
    if sum(1 for number, _ in rows if number > header_row) > MAX_ROWS:  # milestones, not the header
        raise IntakeInputError(f"goal sheet too long (limit {MAX_ROWS} rows)", {"payload": "too_long"})
    problems, drafts, goals = [], [], _Goals()
    for number, row in rows:
        if number <= header_row:
            continue
        errors, draft = _read_row(number, _Row(row, columns), goals, year, directory)
        if errors:
            problems.append({"row": number, "errors": errors})
        elif draft is not None:
            drafts.append(WrittenScript(" ".join(str(v) for v in row if v is not None)).draft(draft))
    if problems:
        raise IntakeInputError(f"{len(problems)} row(s) of the goal sheet have errors; nothing imported",
                               {"rows": problems})
    if not drafts:
        raise IntakeInputError("goal sheet has no milestone rows", {"payload": "no_rows"})
    return ParseResult(drafts=drafts, meta={"header_row": header_row, "goals": goals.count,
                                            "milestones": len(drafts), "year": year})


def _find_header(rows):
    """(row number, {key: column}) of the header: the row among the first five that names
    the most known columns (the first naming every required one); refused when a required
    column is missing."""
    header_row, columns = None, {}
    for number, row in rows[:5]:
        mapping = {}
        for col, cell in enumerate(row):
            key = _header_key(cell)
            if key and key not in mapping:
                mapping[key] = col
        if len(mapping) > len(columns):
            header_row, columns = number, mapping
        if all(k in mapping for k in REQUIRED):
            break
    missing = [k for k in REQUIRED if k not in columns]
    if missing:
        raise IntakeInputError(
            f"goal sheet is missing column(s): {', '.join(missing)} "
            "(expected 目标/goal, 节点/milestone, 牵头单位/lead, 配合单位/co, 完成时限/deadline)",
            {"columns": {"missing": missing, "found": sorted(columns)}})
    return header_row, columns


def _checked_year(year):
    """The sheet's year as given by the caller (None when not given), or refused."""
    if year is None:
        return None
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise IntakeInputError(f"invalid year {year!r}", {"year": "invalid"})
    if not 1990 <= year <= 2100:
        raise IntakeInputError(f"invalid year {year!r}", {"year": "invalid"})
    return year


class _Row:
    """One row's cells by key (blank where the sheet has no such column)."""

    def __init__(self, values, columns):
        self.values, self.columns = values, columns

    def __call__(self, key):
        col = self.columns.get(key)
        return _cell_text(self.values[col]) if col is not None and col < len(self.values) else ""


class _Goals:
    """The goal in force while reading down the sheet: a blank goal cell repeats the one
    above (merged cells), a blank lead repeats the goal's lead."""

    def __init__(self):
        self.goal, self.lead, self.ref, self.count = None, None, None, 0

    def read(self, cell):
        if cell("goal") and cell("goal") != self.goal:
            self.goal, self.lead = cell("goal"), None
            self.count += 1
            self.ref = cell("number") or str(self.count)
        self.lead = cell("lead") or self.lead


def _read_row(number, cell, goals, year, directory):
    """([errors], draft or None) of one row below the header; a goal line whose milestones
    follow gives no draft."""
    goals.read(cell)
    errors = [] if goals.goal is not None else ["goal is required"]
    milestone, deadline_text = cell("milestone"), cell("deadline")
    if not milestone and not deadline_text:
        return errors, None
    row_year = _row_year(cell("year"), year, errors)
    lead = split_unit_field(goals.lead or "")
    if not lead:
        errors.append("lead is required")
    info, row_year = _row_deadline(deadline_text, row_year, errors)
    if errors:
        return errors, None
    draft = make_draft(milestone or goals.goal, lead[:1], lead[1:] + split_unit_field(cell("co")),
                       info, directory, clause=str(number))
    draft.goal, draft.year, draft.goal_ref = goals.goal, row_year, goals.ref
    draft.source_index = number
    return errors, draft


def _row_year(text, year, errors):
    """The row's own year column, else the sheet's year."""
    if not text:
        return year
    m = re.search(r"(20\d{2})", text)
    if m:
        return int(m.group(1))
    errors.append(f"year {text!r} is not a year")
    return year


def _row_deadline(text, row_year, errors):
    """(DeadlineInfo or None, the row's year): an ISO date stands alone; any other form
    needs a year (the row's, the sheet's, or one written in the deadline itself)."""
    if not text:
        errors.append("deadline is required")
        return None, row_year
    exact = parse_iso_date(text)
    if exact:
        return resolve_deadline_field(text, exact), row_year or exact.year
    if row_year is None:
        explicit = re.search(r"(20\d{2})年", text)
        row_year = int(explicit.group(1)) if explicit else None
        if row_year is None:
            errors.append(f"deadline {text!r} needs a year (year column or context.year)")
            return None, None
    info = resolve_deadline_field(text, dt.date(row_year, 1, 1))
    if info.deadline is None:
        errors.append(f"deadline {text!r} is not a date")
    return info, row_year

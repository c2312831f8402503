"""Rows of a table whose merged cells were lost when it was flattened to '|' text.

A web page's table often merges a cell over several rows (a week's dates, the office
responsible for a group of tasks) or puts a group label before the first row of a group.
Copied out as text, the rows no longer line up with the header:

    起止日期 | 主要工作 | 责任处室 | |
    开学前 | 2月24日 | 下午2:30行政务虚会 | 办公室 |     <- a group label before the row
    第一周 | 3月1日-3月7日 | 开学典礼 | 教育处、团委 |
    开学督导迎检 | 督导室 | ||                          <- the dates cell merged from the row above

`align_rows` puts every row back under the header: a row with more cells than the header
has keeps its last ones; a row with fewer takes its cells from the right and the missing
ones on the left from the row above (the merged cell).  Either is done only where the
cells then fit their columns better than as written (a date under the date column, a
unit under the unit column), so an ordinary table with an empty last cell
('| 1 | 任务 | 区住建局 | |') is read as it stands.
"""

import re

from .unit_names import UNIT_SUFFIX_CHARS, forbidden_inside, has_region_prefix, has_unit_suffix

DATE_LIKE = re.compile(r"\d\s*[年月日号]|\d{1,2}[./-]\d|[上中下]旬|月底|年底|季度末|每[天日周月年季]")
_NUMBER = re.compile(r"^\d{1,3}[.、．]?$")
_UNIT_COLUMNS = ("lead", "responsible", "co")


def looks_like_units(cell):
    """'教育处、团委', '县文体广新局': a cell of unit names (a region prefix vouches for a name
    whose ending is elsewhere a word, '广新局')."""
    pieces = [p for p in re.split(r"[、，,/；;和及]", cell) if p]
    return bool(pieces) and all(len(p) <= 20 and not forbidden_inside(p) and (
        has_unit_suffix(p) or has_region_prefix(p) and p[-1] in UNIT_SUFFIX_CHARS) for p in pieces)


def _fit(cells, columns):
    """How well cells sit under the header's columns ({key: index}): +1 a cell that fits, -1 one that does not."""
    score = 0
    for key, col in columns.items():
        cell = cells[col] if col < len(cells) else ""
        if key == "deadline":
            score += 1 if DATE_LIKE.search(cell) else (-1 if cell else 0)
        elif key in _UNIT_COLUMNS:
            score += 1 if looks_like_units(cell) else (-1 if cell else 0)
        elif key == "number":
            score += 1 if _NUMBER.match(cell) else (-1 if cell else 0)
        elif key == "task":
            score += -1 if not cell or DATE_LIKE.fullmatch(cell) or looks_like_units(cell) else 0
    return score


def _trimmed(row):
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return [c.strip() for c in row[:end]]


def align_rows(header, rows, columns):
    """The rows under header, each put back under its columns where merged cells shifted it."""
    width = len(_trimmed(header))
    aligned, above = [], [""] * width
    for row in rows:
        cells = _trimmed(row)
        if len(cells) > width:
            as_written, shifted = cells[:width], cells[-width:]
        elif len(cells) < width:
            as_written = cells + [""] * (width - len(cells))
            shifted = above[:width - len(cells)] + cells
        else:
            as_written = shifted = cells
        chosen = shifted if _fit(shifted, columns) > _fit(as_written, columns) else as_written
        aligned.append(chosen)
        above = chosen
    return aligned

"""Tables flattened to text: one cell per line under a header of column words.

Copying a responsibility table out of a PDF or a web page often leaves one cell per
line:

    序号 / 重点工作 / 责任领导 / 责任单位 / 完成时限 / 1 / 完成老旧小区改造 / 王某 / 区住建局 / 2026年6月30日 / 2 / …

`rebuild_flattened_tables` finds such a header (three or more consecutive short lines,
each a column word that fields.py knows, among them the task or the lead column, or
one line of them separated by spaces) and puts the cells back into '|' rows, so the
table reader (fields.table_drafts) takes each column for what it is and never makes
the header a draft.  With a 序号 column a row starts at the next number, and a cell
split over several lines is joined back into the task column; without one, rows are
read N lines at a time.
"""

import re

from .fields import _column_of
from .merged_cells import DATE_LIKE, looks_like_units

_ROW_NUMBER = re.compile(r"^(\d{1,3})[.、．]?$")
_PROSE = re.compile(r"[。；]$")


def _header_at(lines, i):
    """(columns, the index after the header) when a header starts at lines[i], else None."""
    words = re.split(r"[\s，、]+", lines[i].strip())     # normalising turns spaces between words into '，'
    if len(words) >= 3 and all(_column_of(w) for w in words):
        columns = [_column_of(w) for w in words]
        end = i + 1
    else:
        end = i
        while end < len(lines) and len(lines[end]) <= 8 and _column_of(lines[end]):
            end += 1
        columns = [_column_of(line) for line in lines[i:end]]
    if len(columns) < 3 or not ({"task", "lead", "responsible"} & set(columns)):
        return None
    return columns, end


def _cells(chunk, columns):
    """The lines of one row (without its number) -> one cell per column (number column excluded)."""
    keys = [k for k in columns if k != "number"]
    if len(chunk) <= len(keys):
        return chunk + [""] * (len(keys) - len(chunk))
    task = keys.index("task") if "task" in keys else 0
    units = _unit_cell_lines(chunk, keys, task)
    if units:
        # the units cell split over lines ('县水务局' / '县住建局' / '县护城河指挥部'): one cell again
        start, end = units
        return chunk[:start] + ["、".join(chunk[start:end])] + chunk[end:]
    after = len(keys) - task - 1
    head, rest = chunk[:task], chunk[task:]
    middle, tail = (rest[:-after], rest[-after:]) if after else (rest, [])
    return head + ["".join(middle)] + tail


def _unit_cell_lines(chunk, keys, task):
    """(start, end) of the lines that make up the units cell right after the task, when the
    row's extra lines are all units; else None."""
    unit = task + 1
    if unit >= len(keys) or keys[unit] not in ("lead", "responsible", "co"):
        return None
    end = unit + len(chunk) - len(keys) + 1
    if all(looks_like_units(line) for line in chunk[unit:end]):
        return unit, end
    return None


def _next_row_within(lines, j, number, limit):
    """Whether row `number` starts within `limit` lines from j."""
    return any(_ROW_NUMBER.match(line) and int(_ROW_NUMBER.match(line).group(1)) == number
               for line in lines[j:j + limit])


def _rows(lines, start, columns):
    """(rows of cells, the index after the table)."""
    numbered = columns[0] == "number"
    rows, i, width = [], start, len([k for k in columns if k != "number"])
    first = None        # the first row's number: an excerpt of a long table starts anywhere ('80')
    while i < len(lines):
        if numbered:
            m = _ROW_NUMBER.match(lines[i])
            first = int(m.group(1)) if m and first is None else first
            if not m or int(m.group(1)) != first + len(rows):
                break
            following = first + len(rows) + 1
            j = i + 1
            while j < len(lines) and not (_ROW_NUMBER.match(lines[j]) and int(_ROW_NUMBER.match(lines[j]).group(1))
                                          == following) and not (j - i > width and _PROSE.search(lines[j])
                                                                 and not _next_row_within(lines, j, following,
                                                                                          width + 1)):
                j += 1
            rows.append([m.group(1)] + _cells(lines[i + 1:j], columns))
            i = j
        elif _typed(columns):
            row, j = _typed_row(lines, i, columns)
            if row is None:
                break
            rows.append(row)
            i = j
        else:
            chunk = lines[i:i + width]
            if len(chunk) < width or any(_PROSE.search(c) and len(c) > 60 for c in chunk):
                break
            rows.append(chunk)
            i += width
    return rows, i


_UNIT_KEYS = ("lead", "responsible", "co")


def _typed(columns):
    """Whether every column's cells can be told by their look: a task, units, a date."""
    return "task" in columns and all(k in ("task", "deadline") + _UNIT_KEYS for k in columns)


def _is_date(line):
    return len(line) <= 12 and not _PROSE.search(line) and bool(DATE_LIKE.search(line))


def _typed_row(lines, i, columns):
    """One row of an unnumbered table read by what its lines look like, so a units cell split
    over lines or a missing cell does not shift the rows after it: (cells, next index) or (None, i)."""
    if i >= len(lines) or _is_date(lines[i]) or looks_like_units(lines[i]) or (_PROSE.search(lines[i])
                                                                               and len(lines[i]) > 60):
        return None, i
    cells, j = [], i
    for key in columns:
        if key == "task":
            cells.append(lines[j] if j < len(lines) else "")
            j += 1
        elif key == "deadline":
            take = j < len(lines) and _is_date(lines[j])
            cells.append(lines[j] if take else "")
            j += take
        else:
            start = j
            while j < len(lines) and looks_like_units(lines[j]):
                j += 1
            cells.append("、".join(lines[start:j]))
    return cells, j


MIN_CELL_RUN = 3


def _cell_of(line):
    """'重点工作 |' -> '重点工作'; None for a line that is not one cell and its bar."""
    stripped = line.rstrip()
    if not stripped.endswith("|") or stripped.count("|") != 1:
        return None
    return stripped[:-1].rstrip()


def strip_cell_bars(lines):
    """Lines -> lines with the bar taken off each line of a run of one-cell lines ('序号 |' /
    '重点工作 |' / '责任领导 |' …, as some pages export a table), so that the run reads as a
    flattened table; a line with more than one cell or a run shorter than MIN_CELL_RUN is kept."""
    out, i = list(lines), 0
    while i < len(out):
        j = i
        while j < len(out) and _cell_of(out[j]) is not None:
            j += 1
        if j - i >= MIN_CELL_RUN:
            out[i:j] = [_cell_of(line) for line in out[i:j]]
        i = max(j, i + 1)
    return out


def rebuild_flattened_tables(lines):
    """Lines -> lines with each flattened table put back as '| … |' rows (other lines unchanged)."""
    out, i = [], 0
    while i < len(lines):
        found = None if "|" in lines[i] else _header_at(lines, i)
        if found:
            columns, start = found
            header = re.split(r"[\s，、]+", lines[i].strip()) if start == i + 1 else lines[i:start]
            rows, end = _rows(lines, start, columns)
            if not rows and columns[0] == "number":
                # the row numbers were lost on the way (a page-number filter drops lone digits)
                columns, header = columns[1:], header[1:]
                rows, end = _rows(lines, start, columns)
            if rows:
                out.append("| " + " | ".join(header) + " |")
                out.extend("| " + " | ".join(row) + " |" for row in rows)
                i = end
                continue
        out.append(lines[i])
        i += 1
    return out

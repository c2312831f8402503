"""Re-flow the lines of a document's pages into paragraphs, one a line, as pasted minutes are.

A PDF keeps visual lines: a paragraph wrapped at the page's width, page numbers and
running headers between the pages. `reflow` drops those and joins a line to the one
before it only when that one ran to the right margin and did not end a sentence, and
the line does not open a new clause (一、 （一） 1. 第X条 …).
"""

import re
import unicodedata

from .normalize import PAGE_NUMBER, SENTENCE_END

FULL_RATIO = 0.85                   # a line this close to the measure ran to the margin
MEASURE_PERCENTILE = 0.9            # the measure: wide lines, an odd wider one aside
MIN_MEASURE = 20                    # narrower than ten CJK characters: nothing wrapped
EDGE_LINES = 2                      # lines at the top and bottom of a page read as header/footer

_NUMERALS = "一二三四五六七八九十百零〇"
# List and heading markers. Not normalize.NEW_ITEM: that one also holds fields ('牵头单位：'),
# and a wrapped sentence's tail ('…现' + '纪要如下：') looks like one.
MARKER = re.compile(
    rf"^(?:[{_NUMERALS}]{{1,3}}[、.．，]"                  # 一、
    rf"|[（(](?:[{_NUMERALS}]{{1,3}}|\d{{1,3}})[）)]"      # （一） (一) （1）
    r"|\d{1,3}(?:[、．]|\.(?!\d))"                        # 1、 1. (not 1.5)
    rf"|第[{_NUMERALS}\d]+[条章节款项]"                    # 第三条
    r"|[①-⑳]|[•●○◆■□▪]|附件|附：|\|)")
# Page numbers beside the parser's (- 2 -, 第2页共5页) as extraction leaves them, spaces and all.
MORE_PAGE_NUMBERS = re.compile(
    r"^(?:第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"   # 第 2 页, 第2页 共5页
    r"|共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"                                       # 2/5
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$", re.IGNORECASE)


def is_marker(line):
    """True if the line opens a clause, a list item, an article or a table row."""
    return bool(MARKER.match(line))


def is_page_number(line):
    return bool(PAGE_NUMBER.match(line) or MORE_PAGE_NUMBERS.match(line))


def width(line):
    """Display width: a CJK (wide) character counts two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _running_key(line):
    return re.sub(r"\d+", "#", line)


def _may_run(line, full):
    """A clause, a sentence or a line that ran to the margin is the document's own text."""
    return not is_marker(line) and not ends_sentence(line) and not _is_full(line, full)


def _running_lines(pages):
    """Header/footer lines (digits aside) found at the edge of at least half the pages."""
    if len(pages) < 2:
        return set()
    full, seen = measure([line for lines in pages for line in lines]), {}
    for lines in pages:
        edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:]
        for key in {_running_key(line) for line in edges if _may_run(line, full)}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, count in seen.items() if count >= max(2, len(pages) / 2)}


def _trim_edges(lines, running):
    """A page's lines without the page numbers and running lines at its top and bottom."""
    def furniture(line):
        return is_page_number(line) or _running_key(line) in running
    start, end = 0, len(lines)
    while start < min(end, EDGE_LINES) and furniture(lines[start]):
        start += 1
    while end > max(start, len(lines) - EDGE_LINES) and furniture(lines[end - 1]):
        end -= 1
    return lines[start:end]


def _body_lines(pages):
    """The pages' lines in order, stripped, without blank lines and page furniture."""
    pages = [[line.strip() for line in lines if line.strip()] for lines in pages]
    running = _running_lines(pages)
    return [line for lines in pages for line in _trim_edges(lines, running)]


def measure(lines):
    """The width a wrapped line runs to, or 0 when no line is wide enough to have wrapped."""
    widths = sorted(width(line) for line in lines)
    if not widths:
        return 0
    value = widths[min(len(widths) - 1, int(len(widths) * MEASURE_PERCENTILE))]
    return value if value >= MIN_MEASURE else 0


def ends_sentence(line):
    """The minutes parser's sentence ends (。；：！？ and a closing ” ） 》)."""
    return bool(line) and line[-1] in SENTENCE_END


def _is_full(line, full):
    """True if the line ran to the right margin (`full` is the measure; 0: nothing wrapped)."""
    return bool(full) and width(line) >= FULL_RATIO * full


def continues(previous, line, full):
    """True if `line` carries on the paragraph `previous` ran out of room for."""
    return _is_full(previous, full) and not ends_sentence(previous) and not is_marker(line)


def glue(left, right):
    """A space between two words of Latin script, none inside CJK text or a number."""
    a, b = left[-1:], right[:1]
    both_alnum = a.isascii() and b.isascii() and a.isalnum() and b.isalnum()
    return " " if both_alnum and not (a.isdigit() and b.isdigit()) else ""


def reflow(pages):
    """[[line, ...] per page] -> text with one paragraph a line."""
    lines = _body_lines(pages)
    full = measure(lines)
    paragraphs = []
    for line in lines:
        if paragraphs and continues(paragraphs[-1][-1], line, full):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return "\n".join(_join(parts) for parts in paragraphs)


def _join(parts):
    text = parts[0]
    for part in parts[1:]:
        text += glue(text, part) + part
    return text

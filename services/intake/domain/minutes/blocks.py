"""Cut the body of minutes into numbered blocks, unnumbered paragraphs and tables."""

import re
from dataclasses import dataclass, field

from .fields import FIELD_LINE
from .opening import is_preamble

_CN_NUM = "一二三四五六七八九十"
NUMBERING = (
    (1, re.compile(rf"^(?P<n>[{_CN_NUM}]{{1,3}})[、.．，]\s*")),
    (2, re.compile(rf"^[（(](?P<n>[{_CN_NUM}]{{1,3}})[）)]\s*")),
    (3, re.compile(r"^(?P<n>\d{1,2})(?:[、．]|\.(?!\d))\s*")),
    (4, re.compile(r"^[（(](?P<n>\d{1,2})[）)]\s*")),
    (5, re.compile(r"^第(?P<n>[一二三四五六七八九十]{1,3})[，、：]\s*")),
    # '议题一：研究…' - a town or party committee's agenda item heads its decisions
    (1, re.compile(r"^议题(?P<n>[一二三四五六七八九十]{1,3})[：、，.．]\s*")),
)


def _label(level, number):
    if level == 1:
        return f"{number}、"
    if level in (2, 4):
        return f"({number})"
    if level == 5:
        return f"第{number}"
    return str(number)


def numbering(line):
    """'（二）加快…' -> (2, '二', '加快…'); None when the line is not numbered."""
    for level, regex in NUMBERING:
        m = regex.match(line)
        if m and len(line) > m.end():
            return level, m.group("n"), line[m.end():]
    return None


def _is_table_line(line):
    return line.count("|") >= 2 or (line.count("|") >= 1 and not line.startswith("|") and
                                     len([c for c in line.split("|") if c.strip()]) >= 3)


def _cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


@dataclass
class Block:
    """A numbered decision or an unnumbered paragraph: its lines and where it sits."""

    clause: str
    level: int
    lines: list
    section: str = None
    children: int = 0
    paragraph: bool = False


@dataclass
class Table:
    """Consecutive '|'-separated lines: a task-breakdown table."""

    clause: str
    rows: list = field(default_factory=list)


class _Cutter:
    """State while cutting: the numbering stack, the open block and the open table."""

    def __init__(self):
        self.stack, self.items, self.current, self.table, self.paragraphs = [], [], None, None, 0

    def label(self):
        return "".join(label for _, label in self.stack)

    def add_table_line(self, line):
        if self.table is None:
            self.table = Table(clause=self.label())
            self.items.append(self.table)
            self.current = None
        self.table.rows.append(_cells(line))

    def open_numbered(self, level, number, rest):
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        if self.current is not None and self.current.level < level:
            self.current.children += 1
        self.stack.append((level, _label(level, number)))
        self.current = Block(clause=self.label(), level=level, lines=[rest], section=self.stack[0][1])
        self.items.append(self.current)

    def continues_block(self, line):
        return self.current is not None and (FIELD_LINE.match(line) or not self.current.paragraph
                                             and not is_preamble(line))

    def open_paragraph(self, line):
        self.paragraphs += 1
        self.current = Block(clause=self.label() or f"p{self.paragraphs}", level=9, lines=[line],
                             section=self.stack[0][1] if self.stack else None, paragraph=True)
        self.items.append(self.current)


def cut_blocks(lines):
    """Group body lines into numbered Blocks and Tables, keeping each block's clause label."""
    cutter = _Cutter()
    for line in lines:
        if _is_table_line(line):
            cutter.add_table_line(line)
            continue
        cutter.table = None
        numbered = numbering(line)
        if numbered and not FIELD_LINE.match(line):
            cutter.open_numbered(*numbered)
        elif cutter.continues_block(line):
            cutter.current.lines.append(line)
        else:
            cutter.open_paragraph(line)
    return cutter.items

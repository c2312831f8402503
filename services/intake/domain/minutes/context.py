"""What the rules look at: the document's context and one sentence with its unit mentions and dates.

A `Sentence` finds its unit mentions and deadline phrases once, on first use, so the
rules that ask about them do not scan the sentence again.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from .deadlines import resolve_deadlines
from .directory import Directory
from .units import find_unit_mentions
from .vocabulary import is_time_limit


@dataclass
class DocContext:
    """The directory units are matched against, the meeting date, the festival the text names."""

    directory: Directory
    meeting: dt.date
    festival: str = None
    news: bool = False      # written as a news report ('本报讯', '记者', a dated lede): see news_style


_NEWS = re.compile(r"本报讯|记者|通讯员|来源：|编辑：|^\d{1,2}月\d{1,2}日|^近日|^日前|[（(][^）)]{0,12}/(?:文|图)")


def news_style(lines):
    """Whether the text reads as a news report about a meeting rather than its minutes."""
    head = [line for line in lines[:3] if line.strip()]
    return any(_NEWS.search(line) for line in head) or any(_NEWS.search(line) for line in lines[-2:])


@dataclass
class Sentence:
    """One sentence of a block, as the not-an-action rules see it.

    text: the sentence after a leader's remark ('王强强调，') was taken off;
    stop: the mark before it ('' at the start, '；', '。' or '是' before 一是/二是);
    following: the texts of the block's later sentences.
    """

    text: str
    ctx: DocContext
    stop: str = ""
    following: list = field(default_factory=list)

    @cached_property
    def mentions(self):
        return find_unit_mentions(self.text, self.ctx.directory)

    @cached_property
    def acting_mentions(self):
        """Mentions that name an actor (not 'excluded' counterparts such as 报X, 与X)."""
        return [m for m in self.mentions if m.role != "excluded"]

    @cached_property
    def deadlines(self):
        return resolve_deadlines(self.text, self.ctx.meeting, self.ctx.festival)

    @cached_property
    def plain_deadlines(self):
        """Deadlines read without the document's festival (what the time-limit tests use)."""
        return resolve_deadlines(self.text, self.ctx.meeting)

    @cached_property
    def has_time_limit(self):
        """A time limit ('…前', '…内', '…底'), as vocabulary.time_limited(verb=False)."""
        return is_time_limit(self.plain_deadlines, self.text)

    def with_text(self, text):
        return Sentence(text, self.ctx, self.stop, self.following)

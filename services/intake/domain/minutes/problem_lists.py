"""A supervision notice's list of problems, dated once for all ('请各部门…于5月20日前将问题整改完成'
above '附件：存在问题：1.…（责任单位：英雄街道）').

督查通知 and 整改通知 set one time limit in their letter and list the problems in an attachment,
each with its 责任单位 and no date of its own: every listed problem is due when the letter says.
Only a list under a heading that names it as the problems found (`_HEADING`) is dated, and only
with a time limit the letter gives for rectifying problems (`_RECTIFY`).
"""
import re

from .confidence import confidence

_HEADING = re.compile(r"^(?:附件[一二三\d]?[：:]?\s*)?(?:存在(?:的)?问题|问题清单|发现(?:的)?问题|整改问题|问题台账)"
                      r"(?:清单)?[：:]?$")
_RECTIFY = re.compile(r"问题[^。；]{0,20}整改|整改[^。；]{0,10}问题")


class ProblemList:
    """What a notice has said so far: its rectification time limit and whether its problem list began."""

    def __init__(self):
        self.deadline = None        # (date, words) of the letter's time limit for the problems
        self.listed = False         # the heading of the list was read

    def read_lines(self, lines):
        if any(_HEADING.match(line.strip()) for line in lines):
            self.listed = True

    def note(self, drafts):
        for draft in drafts:
            if draft.deadline is not None and _RECTIFY.search(draft.task or ""):
                self.deadline = (draft.deadline, draft.deadline_text)

    def date(self, draft):
        """A listed problem with no date of its own takes the letter's; returns the draft."""
        if self.listed and self.deadline and draft.deadline is None:
            draft.deadline, draft.deadline_text = self.deadline
            draft.flags = [f for f in draft.flags if f not in ("no_deadline", "vague_deadline")]
            return confidence(draft, structured=True)     # weighed again, with its date
        return draft

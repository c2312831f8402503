"""Action candidates of one block, and the steps that fold approvals and follow-ups into them."""

import re
from dataclasses import dataclass, field

from .deadlines import DeadlineInfo, resolve_deadlines
from .vocabulary import TASK_FILLER, cjk_count, own_task, without_dates


@dataclass
class Candidate:
    """An action found in prose, before it becomes a Draft.

    closed: a full stop came after it, so a later '；' clause no longer continues it;
    approval: '会议原则同意《方案》' - context for the action that carries it out;
    grant: '同意…，授权董事长…' - an approval that sets nobody a task;
    generic: the lead is a collective as written ('各单位'), no directory unit;
    run_piece: one task of a run of verb phrases cut at its commas (runs.cut_runs).
    """

    text: str
    lead: list = field(default_factory=list)
    co: list = field(default_factory=list)
    weak: bool = False
    leader: str = None
    info: DeadlineInfo = None
    approval: bool = False
    grant: bool = False
    closed: bool = False
    folded: bool = False
    generic: bool = False
    lead_phrase: str = None
    leader_phrase: str = None
    rules: tuple = ()           # names of the not-an-action rules that fired on its sentence
    features: dict = None       # what the action classifier saw (classifier.py)
    run_piece: bool = False     # cut from a run of verb phrases (runs.cut_runs)
    run: object = None          # on a run's first piece: the runs.Run it heads

    def extend(self, more, ctx, joint="；"):
        """Append a clause that goes on with this action and read its dates again."""
        self.text = self.text + joint + more
        self.info = resolve_deadlines(self.text, ctx.meeting, ctx.festival)


def union(first, second):
    return first + [n for n in second if n not in first]


def fold_approvals(candidates, ctx):
    """'会议原则同意《方案》。A要…' - an approval joins the action that carries it out.

    That is the next action of its proposer, or for a bare approval the next action.
    An approval with its own date stays an item.
    """
    for k, cand in enumerate(candidates):
        if not cand.approval or cand.info.deadline:
            continue
        later = candidates[k + 1:]
        target = next((c for c in later if cand.lead and c.lead == cand.lead), None)
        if target is None and not cand.lead and later:
            target = later[0]
        if target is not None:
            target.text = cand.text + "。" + target.text
            target.co = union(cand.co, target.co)
            target.info = resolve_deadlines(target.text, ctx.meeting, ctx.festival)
            cand.folded = True


# A time limit stated once for a whole list: '以上工作均于6月底前完成', '上述事项须在9月底前办结'.
LIST_DEADLINE = re.compile(r"(?:^|[，；])(?:以上|上述|前述)(?:各项|几项|[一二三四五六七八九十两\d]项)?(?:工作|任务|事项|措施|项目)?"
                           r"(?:均|都|统一|一律)?(?:要|须|应|需)?")


def share_list_deadline(candidates):
    """'一是A要…；二是B要…；三是C要…，以上工作均于6月底前完成' dates every item of the list.

    The closing words name the list as a whole; the items before them that have no date
    of their own take its date (and its words, as a milestone would).
    """
    for k, cand in enumerate(candidates):
        if cand.info is None or cand.info.deadline is None or not LIST_DEADLINE.search(cand.text):
            continue
        tail = cand.text[LIST_DEADLINE.search(cand.text).start():]
        if tail.find(cand.info.deadline_text or "\0") < 0:
            continue        # the date belongs to the item, not to the closing words
        for prev in reversed(candidates[:k]):
            if prev.info is None or prev.info.deadline is not None:
                break
            prev.info.deadline, prev.info.deadline_text = cand.info.deadline, cand.info.deadline_text
            prev.info.flags = [f for f in prev.info.flags if f not in ("no_deadline", "vague_deadline")]


def _completes_previous(prev, cand, meeting):
    """A support-only ('B配合') or date-only follow-up with no lead completes the action before it.

    A sentence with a long task of its own ('争取“十一”之前，在市政府网站对整改任务的整改结果公示完毕')
    is no follow-up: it is an action of its own; '年内完成3家中心改造' dates the work before it.
    """
    return prev is not None and not cand.lead and bool(prev.lead) and (
        (cand.co and cand.info.deadline is None)
        or (not cand.co and cand.info.deadline and prev.info.deadline is None
            and not _long_task_of_its_own(cand.text, meeting)))


def _long_task_of_its_own(text, meeting):
    """A time limit and, beyond it and the words of completing, at least 12 characters of task."""
    return own_task(text, meeting) and cjk_count(TASK_FILLER.sub(" ", without_dates(text, meeting))) >= 12


def merge_followups(candidates, ctx):
    merged = []
    for cand in candidates:
        prev = merged[-1] if merged else None
        if _completes_previous(prev, cand, ctx.meeting):
            prev.text = prev.text + "。" + cand.text
            prev.co = union(prev.co, cand.co)
            prev.info = resolve_deadlines(prev.text, ctx.meeting, ctx.festival)
            continue
        merged.append(cand)
    return merged

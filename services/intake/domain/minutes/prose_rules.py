"""What of a prose sentence is no action, besides the rule table (rules.py).

A first sentence that only names the decision's topic (`is_topic`); the account, the
statement of what matters or of who answers for the work before the ask, which the
`drop_*` rules cut off; the progress report after a quoted task (`keep_quoted_task`); an
approval with nothing to follow up (`only_approves`).  Each is a named function with its
example; prose.py's ProseReader asks them (read_sentence, finish).
"""

import re

from .leaders import person_name
from .prose_leads import INTRO
from .rules import DESCRIPTIVE
from .subjects import opens_with_subject
from .vocabulary import ACTION_WORDS, APPROVAL, DECISION, MODAL_WORD

# A run-in heading that only sounds like a decision: '二、明确责任抓落实。各牵头领导要…'.
_SLOGAN_HEADING = re.compile(r"^(?:明确|要求|提出)[\u4e00-\u9fff]{2,8}$")


def is_topic(s, block):
    """The first sentence of a numbered decision that only names its subject.

    '（一）学习贯彻……讲话精神。会议要求，……' / '一、审议《办法》。会议原则通过，……':
    no unit, no modal verb, no time limit, no comma, and more sentences follow.
    """
    text = s.text
    if block.paragraph or "，" in text or len(text) > 40:
        return False
    if re.match(r"^(?:会议|会上)", text) or MODAL_WORD.search(text):
        return False
    if DECISION.match(text) and not _SLOGAN_HEADING.match(text):
        return False
    if s.mentions:
        return False
    return s.plain_deadlines.deadline is None and s.plain_deadlines.cadence is None


_ASK_AFTER_ACCOUNT = re.compile(r"，(?:并|同时|会议)?(?P<who>[^，。；：]{0,14}?)(?=(?:要求|责成|请)[^，。；]{2})")
# An account told in the past: '重点反馈了…情况', '分析了…原因' (not '了解').
_TOLD = re.compile(r"了(?!解)|是[^。；]{0,30}的(?:一件)?大事|意义重大|事关")


def drop_account_before_ask(s):
    """'会议通报了X情况，要求各单位加快推进Y' -> '要求各单位加快推进Y': the account goes, the ask stays.

    '…是一件大事，党委书记某某要求各单位…' keeps the person who asks ('某某要求各单位…').
    """
    for ask in _ASK_AFTER_ACCOUNT.finditer(s.text):
        who, before = ask.group("who"), s.text[:ask.start()]
        if who and not person_name(who):
            continue
        if APPROVAL.match(INTRO.sub("", before, count=1)):
            return s        # '会议原则通过，请A…' : the approval goes with the ask
        if DESCRIPTIVE.search(before) or _TOLD.search(before) or not ACTION_WORDS.search(before):
            return s.with_text(s.text[ask.start() + 1:])
        return s
    return s


# What a line of work is, before who is asked to do it: '…工作是集团公司重点任务，各部室要…'.
_STATEMENT = re.compile(r"是[^，。；]{0,20}(?:重点任务|重要任务|核心任务|首要任务|重要工作|重中之重|关键|基础|前提|保障)$")


def drop_statement_before_subject(s):
    """'会议强调，对标工作是集团重点任务，各部室要建立…机制' -> '各部室要建立…机制'.

    The statement of what matters goes when nothing before the subject asks anything.
    """
    if "是" not in s.text:
        return s
    clauses = s.text.split("，")
    for k in range(1, len(clauses)):
        if _STATEMENT.search(clauses[k - 1]) and opens_with_subject(clauses[k]) \
                and not MODAL_WORD.search("，".join(clauses[:k])):
            return s.with_text("，".join(clauses[k:]))
    return s


# A supervision bulletin quotes the task it checks: '区住建局负责的“加快推进…改造。”截至目前，已完成…'.
_QUOTED_TASK = re.compile(r"^(?P<who>[^“”，。；]{2,30}?)(?:负责|牵头|承担)的(?:[^“”，。；]{0,12})?“(?P<task>[^“”]{4,})”")


def keep_quoted_task(s):
    """'A负责的“做X。”截至目前，已…' -> 'A负责做X': the quoted task is the action, the progress after it is not."""
    m = _QUOTED_TASK.match(s.text)
    if not m:
        return s
    return s.with_text(m.group("who") + "负责" + m.group("task").rstrip("。；，"))


# Who answers for the work, stated before the task itself: 'A是第一责任人，B是具体责任人，按照…的要求，C将…'.
_RESPONSIBILITY = re.compile(r"^(?:[^。；]*?是(?:第一|主要|具体|直接)?责任人，)+(?:按照[^。；]{0,30}?的要求，)?")


def drop_responsibility_statement(s):
    """'村书记是第一责任人，镇党委将定期组织督查' -> '镇党委将定期组织督查': who answers is no task."""
    m = _RESPONSIBILITY.match(s.text)
    rest = s.text[m.end():] if m else ""
    return s.with_text(rest) if len(rest) >= 8 else s


def only_approves(cand):
    """'会议原则同意《防汛处置方案》。' with no action after it: adopted at the meeting, nothing to follow up.

    No unit, no date, no second clause: listed in meta["approvals"], no draft.
    """
    return cand.approval and not cand.folded and not cand.lead and cand.info.deadline is None \
        and not cand.info.cadence and bool(_BARE_TITLE_APPROVAL.match(cand.text.strip("，。")))


_BARE_TITLE_APPROVAL = re.compile(r"^(?:会议)?(?:原则)?(?:同意|通过|批准)(?:了)?《[^》]+》(?:及[^，。；]{0,12})?$")

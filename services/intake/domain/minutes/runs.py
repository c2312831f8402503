"""Runs of verb phrases: one subject, several tasks ('A要建立台账，制定方案，6月底前完成').

The handbook's convention is one action per distinct task (docs/intake.md, round 9):
`cut_runs` cuts such a run where its next task starts, and `inherit_from_run` gives each
piece what the sentence says once (its lead, leader, co-units and closing time limit).
"""
import re
from dataclasses import dataclass, field

from . import cut_model
from .deadlines import resolve_deadlines, scan_phrases
from .vocabulary import (ACTION_WORDS, DELIVERABLE, PURPOSE, REPORTING, ROLE_WORDS, RUN_LEAD_IN, cjk_count,
                         is_time_limit, without_dates)

# Switch: cut a run of verb phrases with one subject into one action per phrase (docs/intake.md,
# round 9).  Off, a run stays one action, as the corpora annotated before round 9 keep it.
CUT_RUNS = True
# "list" | "every" | "deliverable" | "guarded": the variants measured in rounds 9 and 13
RUN_VARIANT = "learned"
# Under "list": a run cut at every verb of doing (the longer list) into this many pieces or
# more is a list of tasks, each one an action; a shorter run is cut as "deliverable" cuts.
LIST_PIECES = 3


@dataclass
class Run:
    """The action a run piece was cut from (text), what closes its last piece, its co-units.

    closing: '6月底前完成，B配合' in '…，制定整改方案，6月底前完成，B配合': the segments after
    the last piece's first, where a time limit for the whole run stands; '' when the last
    piece is one segment ('…，6月底前制定方案' dates only that piece).  co: the units that
    support the whole run ('B配合做好保障' after its last task supports every task of it).
    """

    text: str
    closing: str
    co: list = field(default_factory=list)


# Verbs of doing something definite: something is set up, drawn up, checked or sent.
_RUN_VERB = (r"建立|建立健全|健全|制定|制订|拟定|拟订|完善|开展|组建|成立|设立|排查|摸排|摸清|核查|核实|清查|"
             r"上报|报送|提交|报|编制|起草|修订|出台|印发|形成|组织|召开|举办|梳理|整改|细化|列出|明确|启动|"
             r"实施|落实|对接|签订|办理|完成|建设|推行|实行")
# Verbs of doing that also open a task in a list of three or more ('调整并充实项目管理人员，
# 优化施工方案，调整施工进度计划'), though alone they may only exhort ('加强领导').
_LIST_VERB = _RUN_VERB + (r"|解决|提升|强化|优化|做好|加大|推进|检查|整治|改造|加强|督促|指导|配齐|抓好|"
                          r"规范|加快|深化|推动|压实|夯实|提高|保障|确保|处置|清理|宣传|培训|招聘|采购|维修|更新|"
                          r"修复|复核|统计|汇总|收集|整理|公示|公开|调度|督导|巡查|检修|储备|配备|调整|充实|采集|监督")
# ('制定了方案' tells what was done: no verb of a task to do.)
_RUN_OPENER = re.compile(r"^" + RUN_LEAD_IN + r"(?P<verb>" + _RUN_VERB + r")(?![了过])(?P<object>[^，]*)$")
_LIST_OPENER = re.compile(r"^" + RUN_LEAD_IN + r"(?P<verb>" + _LIST_VERB + r")(?![了过])(?P<object>[^，]*)$")
# An object that is no thing of its own, only the verb again: '制定方案，并组织实施'.
_BARE_OBJECT = re.compile(r"^(?:实施|落实|推进|执行|到位|完成|落地|整改|好|起来|工作)?$")


def _run_stretch_is_task(text, meeting):
    """Whether a stretch before a cut says what to do: an action word and four characters of content.

    Its purpose and basis clauses do not count ('A要按照上级部署，制定防汛预案' is one task), nor
    do who takes part and how ('A牵头，B配合，开展检查' is one task).
    """
    text = "，".join(part for part in text.split("，") if part and not PURPOSE.match(part))
    rest = ROLE_WORDS.sub(" ", text)
    return bool(ACTION_WORDS.search(rest)) and cjk_count(without_dates(rest, meeting)) >= 4


def cut_runs(sentence, start, end, segs, meeting):
    """sentence[start:end] cut where a run of verb phrases starts its next task -> [(start, end)].

    '区民政局要建立问题台账，制定整改方案，6月底前完成' -> '区民政局要建立问题台账' and
    '制定整改方案，6月底前完成': a comma starts a new piece when the segment after it
    opens (after a modal or adverbs: 并, 及时, 切实, 进一步…) with a verb of doing something
    definite (建立, 制定, 上报…) and an object of its own, and the stretch before it is a
    task of its own (`_run_stretch_is_task`).  '制定方案，并组织实施' (one task, two verbs),
    'A要按照上级部署，制定预案' (a basis clause), '排查道路，桥梁，隧道' (a list of objects) and
    '建立了台账，制定了方案' (a report) stay whole.  Variants (RUN_VARIANT): "every" (the rule
    above); "deliverable" cuts only where the new piece names something to hand in or stand up
    (方案, 台账, 制度, 预案, 专班…); "guarded" does as "deliverable" and never cuts a sentence
    that reports (了, 召开, 目前…) at all; "list" (round 13) cuts at every verb of the longer
    list (优化, 调整, 加强…) when that makes a list of LIST_PIECES tasks or more
    ('调整并充实项目管理人员，优化施工方案，调整施工进度计划'), and as "deliverable" otherwise;
    "learned" (round 18) cuts as "list" and, beside it, where cut_model says a new task starts.
    """
    if RUN_VARIANT == "guarded" and REPORTING.search(sentence[start:end]):
        return [(start, end)]
    if RUN_VARIANT == "learned":
        return _learned_pieces(sentence, start, end, segs, meeting)
    if RUN_VARIANT == "list":
        return _list_pieces(sentence, start, end, segs, meeting)
    return _pieces(sentence, start, end, segs, meeting, _RUN_OPENER, RUN_VARIANT != "every")


def _list_pieces(sentence, start, end, segs, meeting):
    """A list of LIST_PIECES tasks or more cut at every verb of the longer list; else as "deliverable"."""
    pieces = _pieces(sentence, start, end, segs, meeting, _LIST_OPENER, False)
    if len(pieces) >= LIST_PIECES:
        return pieces
    return _pieces(sentence, start, end, segs, meeting, _RUN_OPENER, True)


def _pieces(sentence, start, end, segs, meeting, opener, deliverable_only):
    """The cuts of sentence[start:end] where a segment opens with `opener`'s verb and an
    object of its own (naming a deliverable too, with `deliverable_only`) after a task."""
    cuts, left = [start], start
    for seg_start, seg_end in segs:
        if seg_start <= left or seg_start >= end:
            continue
        m = opener.match(sentence[seg_start:seg_end])
        if m is None or cjk_count(m.group("object")) < 2 or _BARE_OBJECT.match(m.group("object")):
            continue
        if deliverable_only and not DELIVERABLE.search(sentence[seg_start:seg_end]):
            continue
        if not _run_stretch_is_task(sentence[left:seg_start], meeting):
            continue
        cuts.append(seg_start)
        left = seg_start
    return list(zip(cuts, cuts[1:] + [end]))


# A clause that only closes the task before it with its time limit: '…，9月底前完成全部分配工作'.
_CLOSING = re.compile(r"^(?:确保|力争|争取|务必)?(?:于|在)?[^，]{1,10}?(?:前|内|底)(?:全部|全面)?"
                      r"(?:完成|办结|到位|完工|投入使用|建成)(?:[^，]{0,6}(?:工作|任务))?$")


def _opens_with_date(after, meeting):
    """Whether the clause opens with a time phrase, past its lead-in words ('并', '要'…)."""
    core = re.sub("^" + RUN_LEAD_IN, "", after)
    offset = len(after) - len(core)
    return any(start <= offset + 1 for start, *_ in scan_phrases(after, meeting))


def _learned_pieces(sentence, start, end, segs, meeting):
    """The hand cuts ("list"), and besides them the commas cut_model weighs as the start of a
    new action, where the stretch before is a task of its own, the sentence reports nothing
    and the clause after neither only closes the task with its date (`_CLOSING`), nor opens
    with a time limit ('…，年底前完成30个小区改造': it dates the task before it), nor with a
    subject of its own ('…，部门负责人要…': actions.split_actions' to cut).  Until round 21 the
    clause after also had to open with one of the hand list's verbs of doing (`_LIST_OPENER`);
    measured with the cut and the classifier both fitted without the corpus they are scored
    on, these narrower gates, a cut from p 0.3 and the classifier's threshold at 0.2 raised
    all five figures (docs/intake.md, round 21)."""
    hand = _list_pieces(sentence, start, end, segs, meeting)
    cuts = {a for a, _b in hand}
    if REPORTING.search(sentence[start:end]):
        return hand
    left = start
    for seg_start, seg_end in segs:
        if seg_start <= start or seg_start >= end:
            continue
        if seg_start in cuts:
            left = seg_start
            continue
        before, after = sentence[left:seg_start].strip("，"), sentence[seg_start:seg_end]
        if cut_model.collecting():
            cut_model.is_cut(before, after, sentence, meeting, seg_start)    # the fit learns from every comma
        # the model is asked (and its features computed) only where a cut may stand
        if not _CLOSING.match(after) and not _opens_with_date(after, meeting) \
                and not cut_model.SUBJECT_FIRST.match(after) and _run_stretch_is_task(before, meeting) \
                and cut_model.is_cut(before, after, sentence, meeting, seg_start):
            cuts.add(seg_start)
            left = seg_start
    cuts = sorted(cuts)
    return list(zip(cuts, cuts[1:] + [end]))



def inherit_from_run(cand, run, head, ctx):
    """A piece cut from a run of verb phrases takes what its sentence says once; returns the run's head.

    '区民政局要建立问题台账，制定整改方案，6月底前完成，区财政局配合': the piece
    '制定整改方案，6月底前完成，区财政局配合' is the 区民政局's (lead and leader of the first
    piece), '区民政局要建立问题台账' takes the closing time limit (6月底前), which stands in the
    run's last piece, and every piece has the run's co-units (区财政局).
    """
    cand.run_piece = True
    if head is None or head.run is not run:
        head = cand
        head.run = run
    elif not cand.lead and head.lead:
        cand.lead, cand.co, cand.weak, cand.generic = list(head.lead), list(head.co), head.weak, head.generic
        cand.lead_phrase = head.lead_phrase
        if head.leader and not cand.leader:
            cand.leader, cand.leader_phrase = head.leader, head.leader_phrase
    for name in [*head.co, *run.co]:
        if name not in cand.co and name not in cand.lead:
            cand.co.append(name)
    if cand.info.deadline is None and run.closing:
        closing = resolve_deadlines(run.closing, ctx.meeting, ctx.festival)
        if closing.deadline is not None and is_time_limit(closing, run.closing):
            cand.info.deadline, cand.info.deadline_text = closing.deadline, closing.deadline_text
            cand.info.flags = [f for f in cand.info.flags if f not in ("no_deadline", "vague_deadline")]
    return head

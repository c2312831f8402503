"""Cut one sentence into actions at the commas where a new unit takes over or a run of tasks goes on
(runs.py cuts a run), and read each action's units."""

import re

from . import runs
from .sentences import segments
from .subjects import ASKED, opens_with_subject
from .vocabulary import ROLE_WORDS, blank_spans, cjk_count, own_task, time_limited, without_dates

MODAL = re.compile(r"(?:^|[，])(?:各[^，]{0,8})?(?:要|须|必须|务必|应当|需要)[\u4e00-\u9fff]{2}")
# A subject that is no unit, then a modal ('各级党组织和党员干部要以钉钉子精神抓好落实'):
# an exhortation is a whole stretch of its own, so the unit after it starts a new action.
_SUBJECT_MODAL = re.compile(r"(?:^|，)(?:各|全体|广大)[^，]{1,14}?(?:要(?![求点素闻件])|须|必须|务必|应当)[\u4e00-\u9fff]{2}")
# People, not a unit, told what to do after a comma: '…，医护人员也要做好宣教' is their own action.
_PEOPLE_SUBJECT = re.compile(r"^[\u4e00-\u9fff]{0,6}(?:人员|干部|职工|员工|党员|医务人员|医护人员|教师|老师)"
                             r"(?:也|还|都|均)?(?:要(?![求点素闻件])|须|应当|应|必须|务必)[\u4e00-\u9fff]{2}")
# A body the unit scan does not know, put in charge of its own task: '…，一中负责制定实施方案'
# (a school by its short name, a working group to be set up).
NAMED_BODY_IN_CHARGE = re.compile(r"^(?P<who>[\u4e00-\u9fff]{2,8}?)(?:负责|牵头)(?![人同])(?P<task>[\u4e00-\u9fff]{2})")
_NOT_A_BODY = re.compile(r"要|须|应|并|由|请|同时|具体|主要|分别|共同|统一|全面|认真|切实|各自|会议")
# A second ask with its own fronted object after a first one: '…，对滞后的工作要找出问题…',
# '…，特别情况要单独上报…'.
_FRONTED_ASK = re.compile(r"^(?:对于?|针对)?[^，。；]{2,16}?(?:的工作|情况|问题|事项|节点)(?:要|须|必须|务必)(?![求点素闻件])")
_ANY_MODAL = re.compile(r"要(?![求点素闻件])|须|必须|务必|应当")
# A case handled its own way: '界线不清的及时上报', '逾期未改的一律通报'.
_CASE = re.compile(r"^[^，。；]{2,24}?的(?:要|须|应当?|及时|一律|立即|必须|务必|由)")
SUPPORT = re.compile(r"^(?:要|须|应|也要)?(?:积极|全力|主动)?(?:做好|提供|给予|加强)?.{0,10}?(?:支持|配合|协助|保障工作)")
SHARED = re.compile(r"^(?:均|都|并均|一律|统一|分别|同时)(?:要|须|应)?(?:于|在)?")
# A closing time limit with nothing of its own to do: '…，二中负责场地移交，确保9月底前完成'
# dates every action of the sentence ('确保6月底前投入使用' is a task of its own).
SHARED_COMPLETION = re.compile(r"^(?:确保|力争|务必)?(?:于|在)?[^，。；]{2,10}?(?:前|内|底)(?:全部|全面)?(?:完成|办结|到位)$")


def _has_content(text, mentions, offset, meeting):
    """Whether a stretch says what to do, beyond naming units, roles and dates."""
    rest = blank_spans(text, [(m.start - offset, m.end - offset) for m in mentions])
    rest = ROLE_WORDS.sub(" ", rest)
    return cjk_count(without_dates(rest, meeting)) >= 2


def _segment_leads(mentions, seg_start, seg_end):
    """Lead mentions that open a comma segment (within its first six characters)."""
    return [m for m in mentions if m.role == "lead" and seg_start <= m.start <= seg_start + 6
            and m.end <= seg_end and m.left_word not in ("协助", "配合", "在")]
    # ('在A设置办公室，负责…' hosts the body set up just before: the same action)


def _stretch_is_a_task(sentence, start, end, mentions, meeting):
    """Whether sentence[start:end], before a new unit's segment, is an action of its own."""
    prior = [m for m in mentions if start <= m.start < end]
    stretch = sentence[start:end]
    if named_body_in_charge(stretch.lstrip("，")):
        return True     # '一中负责制定实施方案，二中负责…'
    if not any(m.role == "lead" for m in prior) and not MODAL.search(stretch) \
            and not _SUBJECT_MODAL.search(stretch) and not time_limited(stretch, meeting):
        # a stretch with no actor may still be a whole task when it carries its own
        # time limit ('年内完成3家中心改造，区财政局保障资金')
        return False
    return _has_content(stretch, prior, start, meeting)


def _opens_another_task(sentence, acc_start, seg_start, seg_end, mentions, meeting):
    """A segment with no unit of its own that still starts a second task of the same stretch.

    People told what to do ('…，医护人员也要做好宣教'), or a case handled otherwise after a
    dated task ('A要在下周三前完成划分，界线不清的及时上报市里认定').
    """
    seg = sentence[seg_start:seg_end]
    before = sentence[acc_start:seg_start]
    if acc_start >= seg_start:
        return False
    if (_ANY_MODAL.search(before) or ASKED.match(before)) and opens_with_subject(seg) and _has_content(before, [], 0, meeting):
        return True     # '…做好宣传工作，各相关部门要认真完善台账': someone else is asked
    if not any(m.role == "lead" and acc_start <= m.start < seg_start for m in mentions) \
            and not named_body_in_charge(before.lstrip("，")):
        return False
    if _FRONTED_ASK.match(seg) and _ANY_MODAL.search(before):
        return _stretch_is_a_task(sentence, acc_start, seg_start, mentions, meeting)
    if _PEOPLE_SUBJECT.match(seg) or named_body_in_charge(seg):
        return _stretch_is_a_task(sentence, acc_start, seg_start, mentions, meeting)
    return bool(_CASE.match(seg)) and time_limited(before, meeting) and not time_limited(seg, meeting)


def named_body_in_charge(text):
    """'一中负责制定实施方案' -> '一中': who is put in charge although no unit word names it; else None."""
    m = NAMED_BODY_IN_CHARGE.match(text)
    return m.group("who") if m and not _NOT_A_BODY.search(m.group("who")) else None


def _shared_tail(sentence, segs, last_start):
    """'…，均于6月30日前完成' at the end dates every action of the sentence."""
    for seg_start, seg_end in reversed(segs):
        if seg_start < last_start:
            break
        if SHARED.match(sentence[seg_start:seg_end]) or SHARED_COMPLETION.match(sentence[seg_start:]):
            return sentence[seg_start:]
    return ""


def _deadline_cuts(sentence, start, end, segs, meeting):
    """Commas inside sentence[start:end] where each side has its own task and time limit.

    '必须在3月15日前成立指挥部，建设方案在3月底前拿出' is two actions with two dates;
    '6月底前开工，11月底前完工' stays one action with a milestone.
    """
    cuts, left = [], start
    for seg_start, _seg_end in segs:
        if seg_start <= left or seg_start >= end:
            continue
        if own_task(sentence[left:seg_start], meeting) and own_task(sentence[seg_start:end], meeting) \
                and not SHARED.match(sentence[seg_start:end]):
            cuts.append(seg_start)
            left = seg_start
    return cuts


def split_actions(sentence, mentions, meeting):
    """One sentence and its unit mentions -> one or more (text, mentions) actions.

    A new action starts at a comma when the next segment opens with its own lead
    unit and what came before already has a lead and says what to do
    ('区住建局负责实施，区财政局负责资金保障'), or with people told what to do
    ('A要在门口设提示牌，工作人员也要做好引导').  '由A牵头，B配合，…' stays whole.
    A segment whose unit only supports ('B做好系统改造支持') turns that unit into a co-unit.
    With CUT_RUNS, a run of verb phrases is cut further into one action per task (`cut_runs`).
    Each action is (text, mentions, run): run is the `Run` it was cut from, or None.
    """
    segs = segments(sentence)
    actions, acc_start = [], 0
    for seg_start, seg_end in segs[1:]:
        seg_leads = _segment_leads(mentions, seg_start, seg_end)
        if not seg_leads:
            if _opens_another_task(sentence, acc_start, seg_start, seg_end, mentions, meeting):
                actions.append((acc_start, seg_start))     # '…A要做X，医护人员也要做Y'
                acc_start = seg_start
            continue
        if SUPPORT.search(sentence[seg_leads[0].end:seg_end]):
            for m in seg_leads:
                m.role = "co"
            continue
        if _stretch_is_a_task(sentence, acc_start, seg_start, mentions, meeting):
            actions.append((acc_start, seg_start))
            acc_start = seg_start
    actions.append((acc_start, len(sentence)))
    actions = _with_deadline_cuts(sentence, actions, segs, meeting)
    shared = _shared_tail(sentence, segs, actions[-1][0]) if len(actions) > 1 else ""
    out = []
    for k, (start, end) in enumerate(actions):
        text = sentence[start:end].strip("，")
        if shared and k < len(actions) - 1:
            text = text + "，" + shared
        pieces = runs.cut_runs(sentence, start, end, segs, meeting) if runs.CUT_RUNS else [(start, end)]
        if len(pieces) == 1:
            out.append((text, [m for m in mentions if start <= m.start < end], None))
            continue
        last = sentence[pieces[-1][0]:pieces[-1][1]].strip("，")
        run = runs.Run(text=text, closing=last.split("，", 1)[1] if "，" in last else "",
                  co=[n for m in mentions if start <= m.start < end and m.role == "co"
                      for n in m.names])
        for piece_start, piece_end in pieces:
            out.append((sentence[piece_start:piece_end].strip("，"),
                        [m for m in mentions if piece_start <= m.start < piece_end], run))
    return out


def _with_deadline_cuts(sentence, actions, segs, meeting):
    out = []
    for start, end in actions:
        bounds = [start] + _deadline_cuts(sentence, start, end, segs, meeting) + [end]
        out.extend(zip(bounds, bounds[1:]))
    return out


def units_of(mentions):
    """(lead, co, weak) from a clause's mentions.

    Explicit assignment (由/请/责成 A, A牵头/负责) beats a proposer (同意A提出的…),
    which beats a plain subject (A要…).  A supervisor (由A负责督导) and a funder
    (所需经费由A安排) lead only when the clause names nobody else; a funder otherwise
    supports (co).  Once a lead is named, other subjects in the clause support it
    ('A牵头，B要做好…').
    """
    strong = [m for m in mentions if m.role == "lead" and m.strong]
    proposers = [m for m in mentions if m.role == "proposer"]
    weak = [m for m in mentions if m.role == "lead" and not m.strong]
    co = [n for m in mentions if m.role == "co" for n in m.names]
    funders = [m for m in mentions if m.role == "funder"]
    if strong or proposers or weak:
        co += [n for m in funders for n in m.names]
    else:
        strong = [m for m in mentions if m.role == "supervise"] or funders
    chosen = strong or proposers
    if chosen:
        lead = [n for m in chosen for n in m.names]
        co += [n for m in weak for n in m.names]
        return lead, co, False
    return [n for m in weak for n in m.names], co, bool(weak)

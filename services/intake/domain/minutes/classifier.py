"""Is this candidate an action?  A small logistic model over named features of the candidate.

The rule table (rules.py) used to drop a sentence as soon as one rule fired; tuned on
one split, its rules did not carry over to documents nobody had read.  Now most rules
are *features*: each candidate action gets the names of the rules that fire on its
sentence plus generic signs of asking (a modal verb, a unit as subject, a time limit,
an imperative verb) and of telling (a meeting held, attendance, figures, progress, a
headline).  A logistic regression weighs them; the weights are fitted by
`python -m tools.fit_action_model DIRS` on annotated documents and stored in
`action_weights.json` beside this module, and that tool also reports figures
cross-validated by document (each document scored by a model fitted without it).

Character n-grams of the candidate's text (unit names, the leader and digits as
placeholders; `char_ngrams`) can be features too, when the weights file names their sizes
("ngrams"); round 10 measured them on 209 documents and left them off, round 19 on 648
and switched them on (one and two characters; docs/intake.md).

A candidate whose probability is below THRESHOLD is no draft.  `explain` names the
features that weighed most, for the draft's evidence (`evidence["action"]`).

Only a few rules still drop a sentence outright (HARD_RULES in prose.py): what cannot be
an action by construction (a vote line, a deferral, a line with nothing after '会议要求：').
"""

import contextlib
import json
import math
import pathlib
import re

from .vocabulary import LIST_MARK

WEIGHTS_FILE = pathlib.Path(__file__).with_name("action_weights.json")
RULES_AS_FEATURES = True
OVERRIDE = 0.9      # a rule's veto is overruled from this probability on
THRESHOLD = 0.5     # the default; action_weights.json stores the one chosen by cross-validation
NGRAMS = ()         # sizes of character n-grams (none: off); action_weights.json stores the fitted ones

# ---- signs of asking ---------------------------------------------------------------
_MODAL = re.compile(r"(?<![重主需纪概提摘简扼])要(?![求点素闻件])|须|务必|应当|必须|(?<![相响适对供反效答呼顺感])应(?![急用对收付聘届征])")
_ASSIGN = re.compile(r"牵头|负责(?!人|同志)|责成|^请|，请|由[^，。；]{2,20}(?:牵头|负责|承担|组织|落实)|会同|配合")
_URGE = re.compile(r"确保|抓紧|尽快|加快|力争|争取|务必|及时")
_IMPERATIVE = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:要|须|必须)?(?:加快|推进|做好|抓好|完成|制定|组织|开展|落实|建立|"
                         r"完善|启动|实施|提交|报送|上报|编制|起草|修订|梳理|排查|整改|核实|对接|办理|筹措|拨付|"
                         r"督促|协调|明确|成立|召开|研究|安排|配合|负责|牵头)")
_DELIVERABLE = re.compile(r"方案|清单|材料|报告|台账|名单|计划|细则|办法|制度|验收|上线|开工|完工|竣工|拨付|销号|"
                          r"上报|报送|提交|编制|修订|成立|组建|设立|召开")
_DECISION_VOICE = re.compile(r"^(?:会议)?(?:决定|议定|明确|确定|同意|原则同意|要求|责成)")
_REQUEST = re.compile(r"^(?:会议)?(?:请|责成|要求)")
_LIST_ITEM = re.compile("^" + LIST_MARK)

# ---- signs of telling ---------------------------------------------------------------
_HELD = re.compile(r"召开|举行|主持|出席|列席|参加(?:了)?(?:会议|调研)|参会|陪同|到会|讲话|致辞")
_PAST = re.compile(r"已(?:经)?|了(?![解结])|均已|完成了")
_FIGURES = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|个百分点|亿元?|万元?|件|项|个|户|人次?|家)")
_STATS = re.compile(r"同比|环比|累计|占比|占[^，。；]{0,6}%|增长|下降|较上年|较去年|完成率")
_PROGRESS = re.compile(r"截至|截止|目前|当前|正在|都在|均在|进展顺利")
_ATTITUDE = re.compile(r"高度重视|思想|认识|意识|站位|理念|精神|作风|担当|一盘棋|合力|大局|意义|重要举措|"
                       r"切实|扎实|认真|深刻|坚决|全力|努力|积极|主动|着力|不断|持续|进一步")
_NARRATIVE = re.compile(r"表示|指出|认为|肯定|感谢|祝贺|介绍|汇报|通报|听取|了解|察看|查看|慰问|调研|视察|考察|"
                        r"解读|号召|期望|强调了|提出了|进行了")
# Who was there, at the end of a sentence: '…有关科室负责人', '…参加有关议题研究'.
_PEOPLE_END = re.compile(r"(?:负责人|负责同志|主要负责人|有关人员|相关人员|同志|参加[^，。；]{0,10})$")
# Why it matters, not what to do: '事关…大局', '意义重大，关系到…'.
_SIGNIFICANCE = re.compile(r"事关|关系到|意义重大|重要意义|重要举措|重要抓手|必然要求")
# A run-in heading of two four-character phrases: '二是分工合作，有序推进'.
_SLOGAN_PAIR = re.compile(r"^(?:[一二三四五六七八九十]是|[一二三四五六七八九十]要)?[\u4e00-\u9fff]{2,6}，[\u4e00-\u9fff]{2,6}$")
_FUTURE = re.compile(r"将(?![^，。；]{0,4}(?:于|在)?[^，。；]{0,8}(?:前|内|底))")
_QUOTE = re.compile(r"[“”\"]")
_CONCRETE = re.compile(r"《[^》]+》|“[^”]{2,}”|项目|工程|道路|[路桥村站馆院校](?![长务领])|\d{2,}(?![月日年号时])")
_MANY_ASKS = re.compile(r"(?:^|[，；])(?:[一二三四五六七八九十]是)?要(?![求点素闻件])")
_GENERIC_SUBJECT = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:会议要求，)?(?:各级|各|全体|广大|相关|有关)")


def names_a_deliverable(text):
    """A thing to hand in or a state to reach ('方案', '台账', '验收', '开工'): also a sign for confidence.py."""
    return bool(_DELIVERABLE.search(text))


def text_features(text):
    """Lexical features of the candidate's own text (0/1)."""
    n = len(text)
    return {
        "modal": bool(_MODAL.search(text)),
        "assign_word": bool(_ASSIGN.search(text)),
        "urge_word": bool(_URGE.search(text)),
        "imperative_start": bool(_IMPERATIVE.match(text)),
        "deliverable": names_a_deliverable(text),
        "decision_voice": bool(_DECISION_VOICE.match(text)),
        "request": bool(_REQUEST.match(text)),
        "list_item": bool(_LIST_ITEM.match(text)),
        "meeting_held": bool(_HELD.search(text)),
        "past": bool(_PAST.search(text)),
        "figures": bool(_FIGURES.search(text)),
        "statistics": bool(_STATS.search(text)),
        "progress": bool(_PROGRESS.search(text)),
        "attitude_2plus": len(_ATTITUDE.findall(text)) >= 2,
        "narrative_verb": bool(_NARRATIVE.search(text)),
        "future_will": bool(_FUTURE.search(text)),
        "quote": bool(_QUOTE.search(text)),
        "generic_subject": bool(_GENERIC_SUBJECT.match(text)),
        "concrete_object": bool(_CONCRETE.search(text)),
        "people_at_end": bool(_PEOPLE_END.search(text.rstrip("。；，"))),
        "significance": bool(_SIGNIFICANCE.search(text)),
        "slogan_pair": bool(_SLOGAN_PAIR.match(text.rstrip("。；"))),
        "three_asks": len(_MANY_ASKS.findall(text)) >= 3,
        "long": n > 90,
        "no_comma": "，" not in text,
    }


# ---- character n-grams ----------------------------------------------------------------
UNIT_MARK, PERSON_MARK = "□", "△"
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def ngram_text(text, units=(), person=None):
    """The candidate's text as its n-grams see it: unit names and the leader as placeholders, digits as 0.

    '由区水务局牵头，6月20日前完成' with the unit 区水务局 -> '由□牵头，0月0日前完成'.
    """
    for name in sorted({u for u in units if u}, key=len, reverse=True):
        text = text.replace(name, UNIT_MARK)
    if person:
        text = text.replace(person, PERSON_MARK)
    return _DIGITS.sub("0", text.lower())


def char_ngrams(text, sizes):
    """{'ng:要求': 1.0, ...}: the character n-grams of the given sizes; '^' and '$' mark the ends."""
    padded = "^" + text + "$"
    return {"ng:" + padded[i:i + n]: 1.0 for n in sizes for i in range(len(padded) - n + 1)}


def candidate_features(text, *, lead, strong_lead, generic, co, deadline, time_limit, vague, cadence,
                       leader, approval, rules, structured=False, paragraph=False, in_directory=False,
                       news=False, run_piece=False):
    """All features of one candidate: its text, its readings, and the rules that fired on its sentence."""
    out = {"bias": True}
    out.update(text_features(text))
    out.update({
        "lead_strong": bool(lead) and strong_lead and not generic,
        "lead_subject": bool(lead) and not strong_lead and not generic,
        "lead_generic": bool(generic),
        "lead_in_directory": bool(in_directory),
        "short_bare": len(text) < 16 and not lead and deadline is None,
        "short_with_unit": len(text) < 16 and bool(lead),
        "co": bool(co),
        "date": deadline is not None,
        "time_limit": bool(time_limit),
        "vague_time": bool(vague),
        "cadence": bool(cadence),
        "leader": bool(leader),
        "approval": bool(approval),
        "structured": bool(structured),
        "paragraph": bool(paragraph),
        "news_report": bool(news),
        "generic_undated": (bool(generic) or not lead) and deadline is None and not cadence,
        "numbered": not paragraph,
        "run_piece": bool(run_piece),
    })
    for name in rules:
        out["rule:" + name] = True
    out = {k: 1.0 for k, v in out.items() if v}
    if _Active.ngrams:
        out.update(char_ngrams(ngram_text(text, [*(lead or ()), *(co or ())], leader), _Active.ngrams))
    return out


# ---- the model ----------------------------------------------------------------------
# Features the annotated corpus cannot show, with weights set by hand (and said so in
# docs/intake.md): its documents come from other organisations, so a lead found in *our*
# directory never occurs there, yet in use it is the strongest sign that a sentence
# assigns work to a real unit.
HAND_SET = {"lead_in_directory": 1.0}


def load_weights(path=WEIGHTS_FILE):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["weights"] | HAND_SET      # a hand-set weight is never refitted
    except FileNotFoundError:
        return None


def load_setting(name, default, path=WEIGHTS_FILE):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get(name, default)
    except FileNotFoundError:
        return default


class _Active:
    weights = load_weights()
    threshold = load_setting("threshold", THRESHOLD)
    override = load_setting("override", OVERRIDE)
    ngrams = tuple(load_setting("ngrams", NGRAMS))
    keep_all = False     # tools: keep every candidate (to collect training data)


def probability(features, weights=None):
    weights = _Active.weights if weights is None else weights
    if weights is None:
        return 1.0
    z = sum(weights.get(name, 0.0) * value for name, value in features.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


# Rules that only weigh and never veto. The exhortation, on a piece or on its whole sentence
# ('各乡镇要切实做好防汛物资储备工作'), is urging to the rule and often a task to the annotators
# (208 of the matched candidates it vetoed on the twenty-two development corpora were real
# actions, against 1,300 that were not): its fitted weight keeps most of the 1,300 out and
# lets a candidate with enough else for it through (round 23, docs/intake.md). Before round
# 23 only the sentence's verdict weighed ('…，做好宣传工作，各相关部门要认真完善台账': the
# second action is no exhortation although the sentence as a whole is).
WEIGHED_ONLY = ("rule:exhorts_everyone", "rule:sentence:exhorts_everyone")


def vetoed(features):
    """Whether a not-an-action rule fired on the candidate or its sentence.

    A piece with a time limit of its own is judged on its own: the rules that fired on
    its whole sentence weigh as features but veto nothing ('当前项目进入冲刺阶段，计划于3月
    上旬完成室内装修' reports progress as a whole, and its dated piece is a task).
    """
    dated = "time_limit" in features
    return any(name.startswith("rule:") and name not in WEIGHED_ONLY
               and not (dated and name.startswith("rule:sentence:")) for name in features)


def is_action(features):
    """Whether the active model keeps the candidate (always, while collecting training data).

    A candidate is kept when its probability reaches the threshold and no rule says it
    is no action, or when the probability reaches OVERRIDE despite a rule.
    """
    if _Active.keep_all:
        return True
    p = probability(features)
    return p >= _Active.override or (p >= _Active.threshold and not vetoed(features))


def explain(features, weights=None, top=4):
    """'modal +1.3, time_limit +1.1, rule:lists_attendance -2.0': the features that weighed most.

    The character n-grams weigh as one, 'ngrams'.
    """
    weights = _Active.weights if weights is None else weights
    if not weights:
        return None
    named = [(weights.get(n, 0.0) * v, n) for n, v in features.items() if n != "bias" and not n.startswith("ng:")]
    grams = [weights.get(n, 0.0) * v for n, v in features.items() if n.startswith("ng:")]
    parts = sorted(named + ([(sum(grams), "ngrams")] if grams else []), key=lambda p: -abs(p[0]))
    return ", ".join(f"{n} {w:+.1f}" for w, n in parts[:top] if abs(w) >= 0.05) or None


@contextlib.contextmanager
def using(weights=None, keep_all=False, threshold=None, override=None, ngrams=None):
    """Parse with other weights, thresholds or n-gram sizes, or keep every candidate (tools/fit_action_model.py)."""
    saved = _Active.weights, _Active.keep_all, _Active.threshold, _Active.override, _Active.ngrams
    _Active.weights = saved[0] if weights is None and not keep_all else weights
    _Active.keep_all = keep_all
    _Active.threshold = saved[2] if threshold is None else threshold
    _Active.override = saved[3] if override is None else override
    _Active.ngrams = saved[4] if ngrams is None else tuple(ngrams)
    try:
        yield
    finally:
        _Active.weights, _Active.keep_all, _Active.threshold, _Active.override, _Active.ngrams = saved

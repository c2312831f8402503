"""Where a run of clauses is cut into several actions, weighed from what the annotators cut.

runs.py cuts a run of verb phrases at hand-written openers (round 9, round 13).  This model
weighs every comma of an action's stretch instead: the words that open the clause after it
and close the clause before it, whether that clause names a deliverable, a time limit, a
modal, a purpose, and how long both sides are.  Its weights are fitted by
tools/fit_cut_model.py from the development corpora (a comma where an annotated action starts
is a cut; a comma inside one is not) and stored in cut_weights.json; the parser applies them
in pure Python.  Switched on by runs.RUN_VARIANT = "learned" (docs/intake.md, round 18).
"""

import json
import math
import pathlib
import re

from .vocabulary import DELIVERABLE, MODAL_WORD, PURPOSE, REPORTING, RUN_LEAD_IN, cjk_count, time_limited

WEIGHTS_FILE = pathlib.Path(__file__).with_name("cut_weights.json")
THRESHOLD = 0.5

_ADVERBS = re.compile("^" + RUN_LEAD_IN)
_CONSEQUENCE = re.compile(r"^(?:确保|力争|争取|以|为|使|让|做到|实现|从而|进而|切实|真正|坚决|不断|努力)")
# A clause that opens with its own subject and a modal ('部门负责人以及项目经理要…').
SUBJECT_FIRST = re.compile(r"^[\u4e00-\u9fff、]{2,12}?(?:要|须|负责|牵头|应当|务必)")


def _bucket(n, edges=(3, 6, 10, 16, 25)):
    return next((f"<{e}" for e in edges if n < e), f">={edges[-1]}")


def features(before, after, sentence, meeting):
    """The features of the comma between `before` (the stretch since the last cut) and `after`
    (the clause after the comma), in `sentence`."""
    core = _ADVERBS.sub("", after)
    f = {"bias": 1.0}
    f["a1:" + core[:1]] = 1.0
    f["a2:" + core[:2]] = 1.0
    f["b1:" + before[-1:]] = 1.0
    f["b2:" + before[-2:]] = 1.0
    f["alen" + _bucket(cjk_count(after))] = 1.0
    f["blen" + _bucket(cjk_count(before))] = 1.0
    f["bseg" + _bucket(before.count("，") + 1, (2, 3, 5))] = 1.0
    if core != after:
        f["adverb"] = 1.0
    if _CONSEQUENCE.match(after):
        f["consequence"] = 1.0
    if PURPOSE.match(after):
        f["purpose"] = 1.0
    if DELIVERABLE.search(after):
        f["deliverable"] = 1.0
    if MODAL_WORD.search(after):
        f["after_modal"] = 1.0
    if MODAL_WORD.search(before):
        f["before_modal"] = 1.0
    if SUBJECT_FIRST.match(after):
        f["after_subject"] = 1.0
    if time_limited(after, meeting, verb=False):
        f["after_time"] = 1.0
    if time_limited(before, meeting, verb=False):
        f["before_time"] = 1.0
    if REPORTING.search(sentence):
        f["report"] = 1.0
    if "、" in after:
        f["after_list"] = 1.0
    return f


class _Active:
    weights = None
    threshold = None
    collect = None      # tools: a list that receives (before, after, sentence, meeting, at) per comma weighed


def load_weights(path=WEIGHTS_FILE):
    try:
        stored = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, THRESHOLD
    return stored.get("weights", {}), stored.get("threshold", THRESHOLD)


def _weights():
    if _Active.weights is None:
        _Active.weights, _Active.threshold = load_weights()
    return _Active.weights


def probability(feats, weights=None):
    w = _weights() if weights is None else weights
    z = sum(w.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def collecting():
    """Whether a tool is recording the commas weighed (tools/fit_cut_model.py)."""
    return _Active.collect is not None


def is_cut(before, after, sentence, meeting, at=None):
    """Whether the comma between before and after (at offset `at` of sentence) starts a new action."""
    if _Active.collect is not None:
        _Active.collect.append((before, after, sentence, meeting, at))
    weights = _weights()
    if not weights:
        return False
    return probability(features(before, after, sentence, meeting), weights) >= _Active.threshold


class using:
    """Parse with other cut weights or threshold, or collect the commas weighed (tools/fit_cut_model.py)."""

    def __init__(self, weights=None, threshold=None, collect=None):
        self.new = (weights, threshold, collect)

    def __enter__(self):
        _weights()
        self.saved = (_Active.weights, _Active.threshold, _Active.collect)
        weights, threshold, collect = self.new
        _Active.weights = self.saved[0] if weights is None else weights
        _Active.threshold = self.saved[1] if threshold is None else threshold
        _Active.collect = collect
        return self

    def __exit__(self, *exc):
        _Active.weights, _Active.threshold, _Active.collect = self.saved
        return False

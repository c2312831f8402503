"""How likely a minutes draft is right: a small logistic model, then a stricter top band.

A draft is "right" when it is a real action with the right lead unit(s) and the right
deadline (tools/fit_confidence.py).  Four signs, fitted by `python -m tools.fit_confidence
DIRS --write` on the annotated real corpora and stored in confidence_weights.json beside
this module: the action classifier's log-odds (classifier.py), a deliverable named in
the task, a time limit, no unit at all.  The fit uses, for every corpus, the classifier
fitted *without* that corpus, because a document in use is one the classifier has never
seen.  A lead matched to the directory carries a weight set by hand (HAND_SET; the demo
directory the corpora are scored with almost never matches their units).

The model's probability is the confidence below 0.5.  Above it, the scale is stretched
so that 0.8 is reached only from the probability (`top` in the file) above which drafts
of corpora left out of the fit were right at least 90% of the time: 0.8 and above means
"seen right nine times in ten on documents the model never saw".  docs/intake.md,
"Confidence of minutes drafts", has the method and the figures per corpus.
"""

import json
import math
import pathlib

from .classifier import names_a_deliverable
from .vocabulary import is_time_limit

MODEL_FILE = pathlib.Path(__file__).with_name("confidence_weights.json")
LOW, HIGH = 0.5, 0.8          # the bands the issue names: below LOW wrong more often than right
P_CLIP = 0.02                 # the classifier's probability is read within [0.02, 0.98]

# Set by hand, not fitted.  A lead found in the directory rules out one source of error:
# a phrase misread as a unit.  Of the corpora's matched drafts with a lead as written, 131
# of 150 (87%) had the right lead (tools/fit_confidence prints the share), so a lead known
# to be right can raise the probability by at most a factor 1/0.87: +0.3 to +0.6 log-odds
# between 0.5 and 0.7.  It says nothing about whether the sentence is an action, the most
# frequent error.
HAND_SET = {"lead_matched": 0.4}


def load_model(path=MODEL_FILE):
    with open(path, encoding="utf-8") as f:
        stored = json.load(f)
    return {"weights": stored["weights"] | HAND_SET, "top": min(max(stored["top"], LOW + 0.01), 1.0)}


MODEL = load_model()


def action_logit(action_p):
    """The classifier's log-odds; a table row or labelled fields (no classifier) count as sure."""
    p = 1.0 if action_p is None else action_p
    p = min(max(p, P_CLIP), 1 - P_CLIP)
    return math.log(p / (1 - p))


def features(draft, structured=False, action_p=None):
    """The named signs of a draft, each 0 or 1 except action_logit."""
    dated = draft.deadline is not None
    return {
        "bias": 1.0,
        "action_logit": action_logit(action_p),
        "deliverable": float(names_a_deliverable(draft.task)),
        # a table row or labelled fields: any deadline counts as a limit; in prose '…前/内/底' or '时限为…'
        "time_limit": float(dated and (structured or is_time_limit(draft, draft.task))),
        "no_lead": float(not draft.lead),
        "lead_matched": float(bool(draft.lead_department)),
    }


def probability(signs, weights):
    z = sum(weights.get(name, 0.0) * value for name, value in signs.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def stretched(p, top):
    """The confidence shown for probability p: p itself below LOW; HIGH reached exactly at top.

    Between LOW and top the scale is linear onto LOW..HIGH, above top onto HIGH..1, so the
    order of drafts never changes.  With top = 1 no draft reaches HIGH.
    """
    if p < LOW:
        return p
    if p < top:
        return LOW + (HIGH - LOW) * (p - LOW) / (top - LOW)
    return HIGH + (1 - HIGH) * (p - top) / (1 - top) if top < 1 else 1.0


def confidence(draft, structured=False, action_p=None, model=None):
    """Set draft.confidence from the model; returns the draft."""
    model = model or MODEL
    p = probability(features(draft, structured, action_p), model["weights"])
    value = round(stretched(p, model["top"]), 2)
    # rounding must not move a draft into the band above its own
    if p < LOW:
        value = min(value, LOW - 0.01)
    elif p < model["top"]:
        value = min(value, HIGH - 0.01)
    draft.confidence = value
    return draft

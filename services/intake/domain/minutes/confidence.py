"""How likely a minutes draft is right: a small logistic model over what the parser is sure of.

A draft is "right" when it is a real action with the right lead unit(s) and the right
deadline.  The weights below were fitted (logistic regression, `python -m tools.fit_confidence DIRS`)
on the annotated real-minutes corpus (dev, test, fresh) with the demo directory, so a confidence
of 0.3 means roughly three in ten such drafts were right there.  The strongest feature is
the action classifier's probability (classifier.py).  Features the corpus cannot show (a
lead matched to the directory) carry the weight written beside them, chosen by hand and
said so.  docs/intake.md has the table.
"""

import math
import re

_STRONG = re.compile(r"由[^，。；]{2,20}(?:牵头|负责)|牵头|负责|^请|责成")

# log-odds, refitted in round 4 on all 89 annotated real documents (275 drafts, 158 right)
WEIGHTS = {
    "bias": -0.01,
    "lead_written": -0.05,      # a unit as written that the directory does not know
    "lead_generic": -0.49,      # '各单位', '相关部门' (flag generic_unit)
    "no_lead": -0.49,           # no unit: right less often
    "lead_matched": 2.0,        # by hand: a directory unit (too few in the corpus to fit); above a name as written
    "date": 0.93,
    "vague": -0.11,             # 尽快, 定期: often a general push rather than a task
    "long_task": -0.29,         # over 60 characters: often several things, or a narrative
    "strong_word": 0.15,        # 牵头/负责/请
    "weak_lead": 0.0,           # by hand: not separable from lead_written in the corpus
    "structured": 0.55,         # a labelled field or table row
    "action_p": 1.11,           # the action classifier's probability (0-1)
}


def features(draft, weak_lead=False, structured=False, action_p=None):
    """The named features of a draft, each 0 or 1 except action_p (the classifier's probability)."""
    generic = "generic_unit" in draft.flags
    return {
        "bias": 0.01,
        "lead_matched": bool(draft.lead_department),
        "lead_written": bool(draft.lead) and not draft.lead_department and not generic,
        "lead_generic": generic,
        "no_lead": not draft.lead,
        "date": draft.deadline is not None,
        "vague": draft.deadline is None and bool({"vague_deadline", "recurring"} & set(draft.flags)),
        "long_task": len(draft.task) > 60,
        "strong_word": bool(_STRONG.search(draft.task)),
        "weak_lead": bool(weak_lead and draft.lead),
        "structured": bool(structured),
        "action_p": 1.0 if action_p is None else action_p,
    }


def confidence(draft, weak_lead=False, structured=False, weights=None, action_p=None):
    """Set draft.confidence from the model; returns the draft."""
    weights = weights or WEIGHTS
    z = sum(weights.get(name, 0.0) * value
            for name, value in features(draft, weak_lead, structured, action_p).items())
    draft.confidence = round(1 / (1 + math.exp(-z)), 2)
    return draft

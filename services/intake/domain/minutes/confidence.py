"""How likely a minutes draft is right: a small logistic model over what the parser is sure of.

A draft is "right" when it is a real action with the right lead unit(s) and the right
deadline.  The weights below were fitted (logistic regression, `python -m tools.fit_confidence DIR`)
on the dev split of the real-minutes corpus with the demo directory, so a confidence
of 0.3 means roughly three in ten such drafts were right there.  Features that the dev
split cannot show (a lead matched to the directory, a table row) carry the weight
written beside them, chosen by hand and said so.  docs/intake.md has the table.
"""

import math
import re

_STRONG = re.compile(r"由[^，。；]{2,20}(?:牵头|负责)|牵头|负责|^请|责成")

# log-odds; "bias" is the base rate of the dev split
WEIGHTS = {
    "bias": 0.01,
    "lead_written": 0.87,       # a unit as written that the directory does not know
    "lead_generic": 0.42,       # '各单位', '相关部门' (flag generic_unit)
    "no_lead": -0.68,
    "lead_matched": 1.5,        # by hand: a directory unit (2 drafts in dev, too few to fit)
    "date": 1.66,
    "vague": 0.26,              # 尽快, 每月: the gold often has no date either
    "long_task": -0.9,         # over 60 characters: often several things, or a narrative
    "strong_word": -0.56,       # 牵头/负责/请: in dev mostly inside narratives and attendance
    "weak_lead": 0.0,           # by hand: not separable from lead_written on dev
    "structured": 1.5,          # by hand: a labelled field or table row (none in dev)
}


def features(draft, weak_lead=False, structured=False):
    """The named features of a draft, each 0 or 1."""
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
    }


def confidence(draft, weak_lead=False, structured=False, weights=None):
    """Set draft.confidence from the model; returns the draft."""
    weights = weights or WEIGHTS
    z = sum(weights.get(name, 0.0) * value for name, value in features(draft, weak_lead, structured).items())
    draft.confidence = round(1 / (1 + math.exp(-z)), 2)
    return draft

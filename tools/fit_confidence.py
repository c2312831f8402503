"""Fit the minutes confidence model (services/intake/domain/minutes/confidence.py) on annotated documents.

    .venv/bin/python -m tools.fit_confidence DIR [DIR ...]

Parses every document as tools/score_real.py does, marks each draft right (a real
action, right lead, right deadline) or not, fits a logistic regression over the
features the documents can show, and prints the weights to paste into WEIGHTS.
Features the documents cannot show (no draft has them) keep their hand-set weight.
Round 3: fitted on dev and the old test split, both development material now.
"""

import argparse
import math
import sys

from services.intake.domain.minutes.confidence import WEIGHTS, features
from tools import score_real


def samples(dirs):
    """(features, right) per draft; the action classifier's probability is one of the features."""
    from tools.fit_action_model import parse_drafts
    ys = score_real.load_yardstick()
    out = []
    for nn, text, meta, gold in score_real._documents(dirs):
        drafts = parse_drafts(text, ys.meeting_date(meta))
        tally = score_real.Tally(ys)
        tally.add_document(nn, [d.to_dict() for d in drafts], gold, False)
        for d, (_conf, right) in zip(drafts, tally.judged):
            out.append((features(d, False, getattr(d, "action_features", None) is None,
                                 getattr(d, "action_p", None)), right))
    return out


MIN_SEEN = 5     # a feature seen on fewer drafts keeps its hand-set weight


def fit(data, steps=4000, rate=0.1, l2=0.01):
    """Plain gradient descent on the log-loss, with a little L2 so rare features stay sane."""
    names = [n for n in WEIGHTS if n == "bias" or sum(x[n] for x, _ in data) >= MIN_SEEN]
    fixed = {n: WEIGHTS[n] for n in WEIGHTS if n not in names}
    w = {n: 0.0 for n in names}
    for _ in range(steps):
        grad = {n: l2 * w[n] for n in names}
        for x, y in data:
            z = sum(w[n] * x[n] for n in names) + sum(fixed[n] * x[n] for n in fixed)
            p = 1 / (1 + math.exp(-z))
            for n in names:
                grad[n] += (p - y) * x[n] / len(data)
        for n in names:
            w[n] -= rate * grad[n] * 10
    return w


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args(argv)
    data = samples(a.dirs)
    weights = fit(data)
    print(f"{len(data)} drafts, {sum(y for _, y in data)} right")
    for name in WEIGHTS:
        fitted = weights.get(name)
        print(f"    {name!r}: {round(fitted, 2) if fitted is not None else WEIGHTS[name]},"
              f"{'' if fitted is not None else '   # seen on too few drafts: hand-set'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fit the minutes confidence model (services/intake/domain/minutes/confidence.py) on annotated documents.

    .venv/bin/python -m tools.fit_confidence DIR [DIR ...]

Parses every document as tools/score_real.py does, marks each draft right (a real
action, right lead, right deadline) or not, fits a logistic regression over the
features the documents can show, and prints the weights to paste into WEIGHTS.
Features the documents cannot show (no draft has them) keep their hand-set weight.
Use the dev split only: figures on the test split must stay untuned.
"""

import argparse
import datetime as dt
import math
import sys
from types import SimpleNamespace

from services.intake.domain.minutes.confidence import WEIGHTS, features
from tools import score_real


def _draft(d):
    deadline = dt.date.fromisoformat(d["deadline"]) if d.get("deadline") else None
    return SimpleNamespace(task=d["task"], lead=d["lead"], lead_department=d.get("lead_department"),
                           flags=d["flags"], deadline=deadline)


def samples(dirs):
    ys = score_real.load_yardstick()
    out = []
    for nn, text, meta, gold in score_real._documents(dirs):
        drafts = score_real.parse_document(text, ys.meeting_date(meta))
        tally = score_real.Tally(ys)
        tally.add_document(nn, drafts, gold, False)
        out.extend((features(_draft(d)), right) for d, (_conf, right) in zip(drafts, tally.judged))
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

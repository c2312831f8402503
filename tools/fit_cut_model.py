"""Fit where a run of clauses is cut into actions (services/intake/domain/minutes/cut_model.py).

    .venv/bin/python -m tools.fit_cut_model DIR [DIR ...] [--l2 X] [--thresholds 0.4,0.5,0.6]
        [--write --threshold T]

1. Every document is parsed with runs.RUN_VARIANT = "learned" and no weights, so every comma
   of every action's stretch is weighed and none is cut; each comma is labelled from the
   annotation: a cut where an annotated action (generic ones included: they mark where the
   annotators cut too) starts right after it, no cut where one runs across it, unlabelled
   otherwise.
2. One corpus out: for each DIR, weights fitted on the commas of the others; the DIR is parsed
   with them at each threshold and scored with the yardstick; the pooled figures are printed
   beside the parser's own cut (RUN_VARIANT "list") on the same documents.
3. --write stores the weights fitted on every DIR with --threshold in cut_weights.json.
"""

import argparse
import json
import sys

import numpy as np

from services.intake.domain.minutes import cut_model, runs
from services.intake.domain.normalize import normalize_line, to_simplified
from tools import score_real

MIN_SEEN = 3
_LEADING = ("并且", "并", "同时", "还要", "要", "且")


def _core(text):
    for word in _LEADING:
        if text.startswith(word) and len(text) > len(word) + 2:
            return text[len(word):]
    return text


def _gold_texts(path):
    with open(path, encoding="utf-8") as f:
        gold = json.load(f)
    return [to_simplified(normalize_line(g.get("text_simplified") or g["text"])).replace("\n", "") for g in gold]


def label(after, sentence, at, golds):
    """True (a cut), False (inside an annotated action) or None (unlabelled) for the comma before `after`."""
    core = _core(after)
    for g in golds:
        k = min(6, len(core), len(_core(g)))
        if k >= 3 and core[:k] == _core(g)[:k]:
            return True
    for g in golds:
        pos = sentence.find(g)
        if pos >= 0 and pos < at < pos + len(g):
            return False
    return None


def collect(dirs):
    """{dir: [(features, label)]} over every comma weighed in its documents."""
    out = {}
    saved = runs.RUN_VARIANT
    runs.RUN_VARIANT = "learned"
    try:
        for d in dirs:
            samples = []
            for nn, text, meta, _gold in score_real._documents([d]):
                golds = _gold_texts(f"{d}/expected/{nn}.json")
                seen = []
                with cut_model.using(weights={}, collect=seen):
                    score_real.parse_document(text, score_real.load_yardstick().meeting_date(meta))
                done = set()
                for before, after, sentence, meeting, at in seen:
                    if (sentence, at) in done:
                        continue
                    done.add((sentence, at))
                    y = label(after, sentence, at, golds)
                    if y is not None:
                        samples.append((cut_model.features(before, after, sentence, meeting), y))
            out[d] = samples
    finally:
        runs.RUN_VARIANT = saved
    return out


def fit(samples, l2=1.0, steps=50):
    """L2 logistic regression, Newton steps: {feature: weight}."""
    counts = {}
    for x, _ in samples:
        for name in x:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(n for n, c in counts.items() if c >= MIN_SEEN or n == "bias")
    index = {n: i for i, n in enumerate(names)}
    X = np.zeros((len(samples), len(names)))
    y = np.array([float(lab) for _, lab in samples])
    for r, (x, _) in enumerate(samples):
        for name, value in x.items():
            if name in index:
                X[r, index[name]] = value
    w = np.zeros(len(names))
    penalty = np.full(len(names), l2)
    penalty[index["bias"]] = 1e-6
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        grad = X.T @ (p - y) + penalty * w
        hess = (X * (p * (1 - p))[:, None]).T @ X + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return {n: round(float(w[i]), 3) for i, n in enumerate(names) if round(float(w[i]), 3)}


def score_with(dirs, variant, weights=None, threshold=None):
    saved = runs.RUN_VARIANT
    runs.RUN_VARIANT = variant
    try:
        with cut_model.using(weights=weights, threshold=threshold):
            tally = score_real.Tally(score_real.load_yardstick())
            for nn, text, meta, gold in score_real._documents(dirs):
                tally.add_document(nn, score_real.parse_document(text, tally.ys.meeting_date(meta)), gold, False)
            return tally
    finally:
        runs.RUN_VARIANT = saved


def _merge(tallies):
    total = score_real.Tally(score_real.load_yardstick())
    for t in tallies:
        for k, v in t.t.items():
            total.t[k] += v
    return total


def figures_line(f):
    """One line of the five figures (and the drafts) of Tally.figures(), to three decimals."""
    return (f"{f['drafts']} drafts: recall {f['recall']:.3f}, precision {f['precision']:.3f}, lead F1 {f['lead_f1']:.3f}, "
            f"deadline {f['deadline_accuracy']:.3f}, leader {f['leader_accuracy']:.3f}")


def _line(tally):
    return figures_line(tally.figures())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--thresholds", default="0.5")
    ap.add_argument("--by-dir", action="store_true", help="print each held-out DIR beside the parser's own cut")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--threshold", type=float, default=cut_model.THRESHOLD)
    a = ap.parse_args(argv)
    data = collect(a.dirs)
    n = sum(len(s) for s in data.values())
    cuts = sum(y for s in data.values() for _, y in s)
    print(f"{n} commas labelled, {cuts} of them cuts")
    if a.write:
        weights = fit([s for d in a.dirs for s in data[d]], a.l2)
        cut_model.WEIGHTS_FILE.write_text(json.dumps(
            {"fitted_on": a.dirs, "samples": n, "l2": a.l2, "threshold": a.threshold, "weights": weights},
            ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        print(f"wrote {len(weights)} weights to {cut_model.WEIGHTS_FILE}")
        return 0
    base = score_with(a.dirs, "list")
    print("parser's own cut (list):", _line(base))
    for threshold in (float(t) for t in a.thresholds.split(",")):
        tallies = []
        for held in a.dirs:
            weights = fit([s for d in a.dirs if d != held for s in data[d]], a.l2)
            tallies.append(score_with([held], "learned", weights, threshold))
        print(f"learned, one corpus out, threshold {threshold}:", _line(_merge(tallies)))
        if a.by_dir:
            for held, tally in zip(a.dirs, tallies):
                print(f"  {held}: {_line(score_with([held], 'list'))}  ->  {_line(tally)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fit the minutes confidence model (services/intake/domain/minutes/confidence.py), measured one corpus out.

    .venv/bin/python -m tools.fit_confidence DIR [DIR ...] [--l2 X] [--write] [--json]

Each DIR is one corpus (tools/score_real.py's layout).  A draft is *right* when the
yardstick matches it to a gold action with the right lead units and the right deadline.

1. The action classifier's probability is an input, and in use it comes from a
   classifier that never saw the document.  So every corpus is parsed with the
   classifier fitted on the other corpora (tools/fit_action_model.py), and for the
   measurement below, with the one fitted on the corpora other than it *and* the one
   held out (nested).
2. Leave one corpus out: the confidence model is fitted on the other corpora, its top
   band (`top`: the probability from which held-out drafts were right at least TARGET
   of the time, chosen by leaving one of *those* corpora out in turn) likewise, and the
   held-out corpus is scored per band: drafts / right.  Beside it, the stored model on
   the same drafts (fitted on them, so not a held-out figure for the corpora it saw).
3. The model fitted on every corpus, its `top` chosen from every corpus scored one out,
   is printed, and written to confidence_weights.json with --write.

The fit is an L2-regularised logistic regression (Newton steps, numpy; the bias is not
penalised); confidence.HAND_SET weights enter as fixed offsets.
"""

import argparse
import json
import math
import sys
from typing import NamedTuple

import numpy as np

from services.intake.domain.minutes import classifier, confidence as model
from tools import fit_action_model, score_real

TARGET = 0.9        # the issue: drafts at 0.8 and above right at least 90% of the time
MIN_TOP = 10        # the top band is set on no fewer held-out drafts than this


class Judged(NamedTuple):
    draft: object
    structured: bool        # a table row or labelled fields (no classifier probability)
    right: bool             # matched, right lead units, right deadline
    lead_right: object      # for a matched draft: its lead units right; None when unmatched


def lead_verdicts(dicts, gold, ys):
    """{draft index: lead units right} for the drafts the yardstick matches to a gold action."""
    tally, free, out = score_real.Tally(ys), list(range(len(dicts))), {}
    for g in gold:
        i = tally.best_draft(g, dicts, free)
        if i is not None:
            free.remove(i)
            _tp, fp, fn = ys.units_score(dicts[i].get("lead"), g.get("lead"), g.get("lead_simplified"))
            out[i] = fp == 0 and fn == 0
    return out


def drafts_right(docs, corpus, without, ys):
    """[Judged] of one corpus, parsed with the classifier fitted without the corpora `without`."""
    weights = fit_action_model.fit([s for d in docs if d["dir"] not in without for s in d["samples"]])
    out = []
    with classifier.using(weights):
        for doc in (d for d in docs if d["dir"] == corpus):
            drafts = fit_action_model.parse_drafts(doc["text"], ys.meeting_date(doc["meta"]))
            dicts = [d.to_dict() for d in drafts]
            tally = score_real.Tally(ys)
            tally.add_document(doc["id"], dicts, doc["gold"], False)
            leads = lead_verdicts(dicts, doc["gold"], ys)
            out += [Judged(d, getattr(d, "action_features", None) is None, right, leads.get(i))
                    for i, (d, (_conf, right)) in enumerate(zip(drafts, tally.judged))]
    return out


def samples(judged):
    return [(model.features(j.draft, j.structured, getattr(j.draft, "action_p", None)), j.right) for j in judged]


def written_lead_share(judged):
    """(right, of): matched drafts with a lead as written (not in the directory, not generic) whose lead is right.

    The basis of confidence.HAND_SET: a lead matched to the directory can at most remove these errors.
    """
    leads = [j.lead_right for j in judged if j.lead_right is not None and j.draft.lead
             and not j.draft.lead_department and "generic_unit" not in j.draft.flags]
    return sum(leads), len(leads)


def fit(data, l2=3.0, steps=100):
    """{feature: log-odds} fitted on [(features, right)]; HAND_SET features are fixed offsets."""
    names = [n for n in data[0][0] if n not in model.HAND_SET]
    X = np.array([[x[n] for n in names] for x, _ in data])
    offset = np.array([sum(model.HAND_SET[n] * x.get(n, 0.0) for n in model.HAND_SET) for x, _ in data])
    y = np.array([float(r) for _, r in data])
    penalty = np.array([1e-6 if n == "bias" else l2 for n in names])
    w = np.zeros(len(names))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(X @ w + offset, -30, 30)))
        step = np.linalg.solve((X * (p * (1 - p))[:, None]).T @ X + np.diag(penalty),
                               X.T @ (p - y) + penalty * w)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return {n: round(float(w[i]), 3) for i, n in enumerate(names)}


def probabilities(weights, data):
    full = model.HAND_SET | weights
    return [(model.probability(x, full), r) for x, r in data]


def top_of(scored, target=TARGET, min_top=MIN_TOP):
    """The lowest probability from which at least `target` of the drafts (min_top or more) were right; 1 if none."""
    ranked = sorted(scored, key=lambda pr: -pr[0])
    top, right = 1.0, 0
    for i, (p, r) in enumerate(ranked, 1):
        right += r
        last_of_tie = i == len(ranked) or ranked[i][0] < p
        if i >= min_top and last_of_tie and right / i >= target:
            top = p
    return top


def fit_model(by_corpus, l2):
    """Weights on all the given corpora; `top` from each of them scored by a fit on the others."""
    held = [pr for c in by_corpus
            for pr in probabilities(fit([s for o in by_corpus if o != c for s in by_corpus[o]], l2), by_corpus[c])]
    return {"weights": fit([s for c in by_corpus for s in by_corpus[c]], l2), "top": top_of(held)}


def bands(judged, mdl):
    """[(drafts, right)] per band (below 0.5, 0.5-0.8, 0.8 and above) with model `mdl`."""
    rows = [[0, 0] for _ in score_real.BANDS]
    for d, structured, right, _lead in judged:
        c = model.confidence(d, structured, getattr(d, "action_p", None), mdl).confidence
        i = next(i for i, (low, high) in enumerate(score_real.BANDS) if low <= c < high)
        rows[i][0] += 1
        rows[i][1] += right
    return rows


def log_loss(weights, data):
    """Summed log-loss of the model's probability (before the top band's stretch) on [(features, right)]."""
    return -sum(math.log(p if r else 1 - p) for p, r in probabilities(weights, data))


def leave_one_corpus_out(docs, dirs, l2, ys):
    """{corpus: {"after": bands of the model fitted without it, "stored": bands of the stored model, "top", "loss"}}."""
    stored = model.load_model()
    report = {}
    for held in dirs:
        others = [c for c in dirs if c != held]
        inner = {c: samples(drafts_right(docs, c, {held, c}, ys)) for c in others}
        mdl = fit_model(inner, l2)
        judged = drafts_right(docs, held, {held}, ys)
        report[held] = {"after": bands(judged, {"weights": model.HAND_SET | mdl["weights"], "top": mdl["top"]}),
                        "stored": bands(judged, stored), "top": mdl["top"],
                        "loss": log_loss(mdl["weights"], samples(judged)), "drafts": len(judged)}
    return report


def band_line(rows):
    return " | ".join(f"{n:3d} drafts {r:3d} right ({r / n:.2f})" if n else f"{n:3d} drafts   -" for n, r in rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--l2", type=float, default=3.0)
    ap.add_argument("--write", action="store_true", help="store the model fitted on every corpus")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-nested", action="store_true",
                    help="skip the nested one-corpus-out measurement (a classifier fit per pair of corpora: "
                         "with n-grams, about an hour); fit and write only, and measure on blind sets instead")
    a = ap.parse_args(argv)
    ys = score_real.load_yardstick()
    docs = fit_action_model.collect(a.dirs)
    report = {} if a.no_nested else leave_one_corpus_out(docs, a.dirs, a.l2, ys)
    judged = {c: drafts_right(docs, c, {c}, ys) for c in a.dirs}
    by_corpus = {c: samples(j) for c, j in judged.items()}
    final = fit_model(by_corpus, a.l2)
    lead_ok, leads = written_lead_share([j for js in judged.values() for j in js])
    if a.json:
        print(json.dumps({"held_out": report, "model": final, "written_leads_right": [lead_ok, leads]}, indent=1))
    else:
        print("one corpus out (bands: below 0.5 | 0.5-0.8 | 0.8 and above):" if report else "nested measurement skipped")
        for corpus, r in report.items():
            print(f"  {corpus}  top {r['top']:.3f}\n    refitted without it: {band_line(r['after'])}"
                  f"\n    stored model:        {band_line(r['stored'])}")
        for key in ("after", "stored") if report else ():
            pooled = [[sum(r[key][i][j] for r in report.values()) for j in (0, 1)] for i in range(3)]
            print(f"  all, {'refitted' if key == 'after' else 'stored'}: {band_line(pooled)}")
        if report:
            print(f"  held-out log-loss per draft: "
                  f"{sum(r['loss'] for r in report.values()) / sum(r['drafts'] for r in report.values()):.4f}")
        print(f"fitted on all {sum(len(s) for s in by_corpus.values())} drafts "
              f"({sum(r for s in by_corpus.values() for _, r in s)} right), l2 {a.l2}: top {final['top']:.3f}")
        for name, w in final["weights"].items():
            print(f"    {name:14s} {w:+.3f}")
        for name, w in model.HAND_SET.items():
            print(f"    {name:14s} {w:+.3f}   hand-set (confidence.HAND_SET)")
        print(f"matched drafts with a lead as written: {lead_ok} of {leads} with the right lead")
    if a.write:
        with open(model.MODEL_FILE, "w", encoding="utf-8") as f:
            json.dump({"fitted_on": a.dirs, "drafts": sum(len(s) for s in by_corpus.values()), "l2": a.l2,
                       "target": TARGET, "min_top": MIN_TOP, "top": round(final["top"], 4),
                       "weights": final["weights"]}, f, indent=1)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

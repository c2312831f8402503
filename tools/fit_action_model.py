"""Fit the minutes action classifier (services/intake/domain/minutes/classifier.py) and cross-validate it by document.

    .venv/bin/python -m tools.fit_action_model DIR [DIR ...] [--folds N] [--l2 X] [--write] [--json]
        [--ngrams 2,3 --ngram-l2 X --ngram-min K]

1. Every document is parsed keeping every candidate action (the classifier switched
   off); each prose draft carries its features.  A draft is labelled an action when it
   is matched to a gold action that is not `generic` (the yardstick's matching: gold in
   order, the most similar free draft, ratio >= 0.5).
2. Cross-validation by document: the documents are cut into N folds (default: one per
   document, leave-one-document-out); each fold is parsed again with weights fitted on
   the other folds only and scored with the yardstick's figures.  Those figures estimate
   how the parser does on documents it has never seen; per directory they are printed too.
3. The weights fitted on all documents are printed, and written to
   action_weights.json with --write.

The fit is an L2-regularised logistic regression (Newton steps, numpy); features seen on
fewer than MIN_SEEN drafts are left out.  With --ngrams the candidates also carry their
character n-grams (classifier.char_ngrams), kept when seen on at least --ngram-min drafts
of the fold's training documents and penalised with their own --ngram-l2; each Newton
step is solved by conjugate gradients over the features held sparse (SparseRows), so tens
of thousands of n-grams over thousands of drafts fit in seconds.  The
sizes and the two settings are stored with the weights, and the parser reads the sizes.
"""

import argparse
import datetime as dt
import json
import sys

import numpy as np

from services.intake.domain.errors import IntakeInputError
from services.intake.domain.minutes import classifier
from services.intake.parsers import MinutesParser, ParseContext
from tools import score_real

MIN_SEEN = 3


def parse_drafts(text, meeting_date, parser=MinutesParser()):
    context = ParseContext(directory=score_real.DEMO_DIRECTORY, meeting_date=meeting_date, title=None,
                           year=int(meeting_date[:4]), today=dt.date.fromisoformat(meeting_date), format="text")
    try:
        return parser.parse(text, context).drafts
    except IntakeInputError:
        return []


def label(drafts, gold, ys):
    """Per draft: True when the yardstick's matching pairs it with a (non-generic) gold action."""
    tally = score_real.Tally(ys)
    dicts = [d.to_dict() for d in drafts]
    free, matched = list(range(len(dicts))), set()
    for g in gold:
        bi = tally.best_draft(g, dicts, free)
        if bi is not None:
            free.remove(bi)
            matched.add(bi)
    return [i in matched for i in range(len(drafts))]


def collect(dirs, ngrams=None):
    """[(doc id, text, meta, gold, [(features, label)])] with every candidate kept.

    ngrams: the n-gram sizes the candidates carry (None: the stored ones, () none).
    """
    ys = score_real.load_yardstick()
    docs = []
    with classifier.using(keep_all=True, ngrams=ngrams):
        for d in dirs:
            for nn, text, meta, gold in score_real._documents([d]):
                drafts = parse_drafts(text, ys.meeting_date(meta))
                labels = label(drafts, gold, ys)
                samples = [(dr.action_features, y) for dr, y in zip(drafts, labels)
                           if getattr(dr, "action_features", None)]
                docs.append({"id": f"{d.rstrip('/').split('/')[-1]}/{nn}", "dir": d, "text": text,
                             "meta": meta, "gold": gold, "samples": samples})
    return docs


def is_ngram(name):
    return name.startswith("ng:")


class SparseRows:
    """The drafts' features as one sparse matrix (rows, columns, values): products with a
    vector in O(non-zeros), so thousands of n-grams over thousands of drafts fit in seconds."""

    def __init__(self, samples, index):
        rows, cols, vals = [], [], []
        for r, (x, _) in enumerate(samples):
            for name, value in x.items():
                i = index.get(name)
                if i is not None:
                    rows.append(r)
                    cols.append(i)
                    vals.append(value)
        self.rows, self.cols = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
        self.vals = np.array(vals, dtype=float)
        self.shape = (len(samples), len(index))

    def dot(self, w):            # X @ w
        return np.bincount(self.rows, weights=self.vals * w[self.cols], minlength=self.shape[0])

    def tdot(self, v):           # Xᵀ @ v
        return np.bincount(self.cols, weights=self.vals * v[self.rows], minlength=self.shape[1])

    def tdot_squares(self, v):   # (X ∘ X)ᵀ @ v: the Hessian's diagonal
        return np.bincount(self.cols, weights=self.vals ** 2 * v[self.rows], minlength=self.shape[1])


def newton_cg(X, y, offset, penalty, steps=50, tol=1e-6):
    """Weights minimising the L2-penalised logistic loss: Newton steps, each solved by
    conjugate gradients on Hessian-vector products (preconditioned by the diagonal)."""
    w = np.zeros(X.shape[1])

    def loss(w):
        z = np.clip(X.dot(w) + offset, -30, 30)
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(penalty * w * w))

    current = loss(w)
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(X.dot(w) + offset, -30, 30)))
        grad = X.tdot(p - y) + penalty * w
        s = p * (1 - p)
        diag = X.tdot_squares(s) + penalty
        step = _cg(lambda v: X.tdot(s * X.dot(v)) + penalty * v, grad, diag)
        t = 1.0                  # backtracking: the full step, halved while it does not lower the loss
        while t > 1e-4 and loss(w - t * step) > current:
            t /= 2
        w = w - t * step
        previous, current = current, loss(w)
        if np.abs(t * step).max() < tol or previous - current < 1e-9 * abs(previous):
            break
    return w


def _cg(hess_dot, b, diag, iterations=200, rtol=1e-12):
    x = np.zeros_like(b)
    r = b.copy()
    z = r / diag
    d = z.copy()
    rz = r @ z
    stop = rtol * (b @ b)
    for _ in range(iterations):
        hd = hess_dot(d)
        a = rz / (d @ hd)
        x += a * d
        r -= a * hd
        if r @ r < stop:
            break
        z = r / diag
        rz, previous = r @ z, rz
        d = z + (rz / previous) * d
    return x


def fit(samples, l2=1.0, steps=50, ngram_l2=None, ngram_min=None):
    """Logistic regression weights {feature: log-odds} from [(features, label)].

    Character n-grams ('ng:…') are kept when seen on ngram_min drafts and weigh under
    their own penalty ngram_l2 (both default to the stored settings).
    """
    ngram_l2 = classifier.load_setting("ngram_l2", 1.0) if ngram_l2 is None else ngram_l2
    ngram_min = classifier.load_setting("ngram_min", MIN_SEEN) if ngram_min is None else ngram_min
    counts = {}
    for x, _ in samples:
        for name in x:
            counts[name] = counts.get(name, 0) + 1
    hand = classifier.HAND_SET     # not fitted: their hand-set weights are a fixed part of every score
    names = sorted(n for n, c in counts.items()
                   if (c >= (ngram_min if is_ngram(n) else MIN_SEEN) or n == "bias") and n not in hand)
    index = {n: i for i, n in enumerate(names)}
    y = np.array([float(lab) for _, lab in samples])
    offset = np.array([sum(weight * x.get(name, 0.0) for name, weight in hand.items()) for x, _ in samples])
    X = SparseRows(samples, index)
    penalty = np.array([ngram_l2 if is_ngram(n) else l2 for n in names])
    penalty[index["bias"]] = 1e-6
    w = newton_cg(X, y, offset, penalty, steps)
    fitted = {n: round(float(w[i]), 3) for i, n in enumerate(names) if not is_ngram(n) or round(float(w[i]), 3)}
    return fitted | hand     # what the documents cannot show keeps its hand-set weight


def folds_of(docs, k, by_dir=False):
    if by_dir:      # leave one corpus (directory) out
        dirs = sorted({d["dir"] for d in docs})
        return [[i for i, d in enumerate(docs) if d["dir"] == name] for name in dirs]
    if not k or k >= len(docs):
        return [[i] for i in range(len(docs))]
    return [list(range(len(docs)))[f::k] for f in range(k)]


def cross_validate(docs, k=None, l2=1.0, threshold=classifier.THRESHOLD, override=classifier.OVERRIDE,
                   by_dir=False, ngrams=None, ngram_l2=None, ngram_min=None):
    """Yardstick tallies per directory, each document parsed with weights fitted without its fold."""
    ys = score_real.load_yardstick()
    tallies = {}
    for fold in folds_of(docs, k, by_dir):
        held = set(fold)
        weights = fit([s for i, d in enumerate(docs) if i not in held for s in d["samples"]], l2,
                      ngram_l2=ngram_l2, ngram_min=ngram_min)
        with classifier.using(weights, threshold=threshold, override=override, ngrams=ngrams):
            for i in fold:
                doc = docs[i]
                drafts = [dr.to_dict() for dr in parse_drafts(doc["text"], ys.meeting_date(doc["meta"]))]
                for key in (doc["dir"], "all"):
                    tallies.setdefault(key, score_real.Tally(ys)).add_document(doc["id"], drafts, doc["gold"], False)
    return tallies


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--folds", type=int, default=None, help="folds by document (default: leave one out)")
    ap.add_argument("--by-dir", action="store_true",
                    help="leave one directory (corpus) out instead of one document: the cross-corpus figure")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, default=classifier.THRESHOLD)
    ap.add_argument("--override", type=float, default=classifier.OVERRIDE,
                    help="probability from which a rule's veto is overruled (above 1: never)")
    ap.add_argument("--ngrams", default=None,
                    help="sizes of character n-grams, '2,3' (default: the stored ones; 0: none)")
    ap.add_argument("--ngram-l2", type=float, default=None, help="L2 penalty of the n-grams (default: stored)")
    ap.add_argument("--ngram-min", type=int, default=None,
                    help="drafts an n-gram must be seen on (default: stored)")
    ap.add_argument("--write", action="store_true", help="store the weights fitted on all documents")
    ap.add_argument("--no-cv", action="store_true", help="fit on all documents only, no cross-validation")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    ngrams = classifier._Active.ngrams if a.ngrams is None else tuple(int(n) for n in a.ngrams.split(",") if int(n))
    ngram_l2 = classifier.load_setting("ngram_l2", 1.0) if a.ngram_l2 is None else a.ngram_l2
    ngram_min = classifier.load_setting("ngram_min", MIN_SEEN) if a.ngram_min is None else a.ngram_min
    docs = collect(a.dirs, ngrams)
    samples = [s for d in docs for s in d["samples"]]
    tallies = {} if a.no_cv else cross_validate(docs, a.folds, a.l2, a.threshold, a.override, a.by_dir,
                                                ngrams, ngram_l2, ngram_min)
    weights = fit(samples, a.l2, ngram_l2=ngram_l2, ngram_min=ngram_min)
    report = {"samples": len(samples), "actions": sum(y for _, y in samples),
              "cross_validated": {k: t.figures() for k, t in tallies.items()},
              "calibration": {k: t.calibration() for k, t in tallies.items()}}
    if a.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        print(f"{len(samples)} candidates, {report['actions']} of them actions; "
              f"cross-validated ({'one corpus out' if a.by_dir else a.folds or 'leave-one-out'} folds, l2={a.l2}, threshold {a.threshold}, override {a.override}"
              + (f", n-grams {','.join(map(str, ngrams))} seen on {ngram_min}+ drafts, l2 {ngram_l2}" if ngrams else "") + "):")
        for key, t in tallies.items():
            print(f"  {key}: " + score_real.LINE.format(**t.figures()))
        grams = [w for n, w in weights.items() if is_ngram(n)]
        if grams:
            print(f"    {len(grams)} n-grams weighed (|w| max {max(map(abs, grams)):.2f}); the strongest:")
        for name, w in sorted(weights.items(), key=lambda kv: -abs(kv[1]))[:80 if grams else None]:
            print(f"    {name:40s} {w:+.2f}")
    if a.write:
        with open(classifier.WEIGHTS_FILE, "w", encoding="utf-8") as f:
            json.dump({"fitted_on": a.dirs, "samples": len(samples), "l2": a.l2,
                       "threshold": a.threshold, "override": a.override}
                      | ({"ngrams": list(ngrams), "ngram_l2": ngram_l2, "ngram_min": ngram_min} if ngrams else {})
                      | {"weights": weights}, f, indent=1, ensure_ascii=False)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

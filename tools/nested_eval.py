"""Score the minutes parser fully one corpus out: the cut and the classifier fitted without
the corpus they are scored on.

    .venv/bin/python -m tools.nested_eval DIR [DIR ...] [--cut 0.3] [--classifier 0.2,0.25]

For each DIR in turn, the cut weights (tools/fit_cut_model.py) are fitted on the other DIRs,
the classifier (tools/fit_action_model.py, the stored n-gram settings) on the candidates that
cut makes in the other DIRs, and the held-out DIR is parsed with both and scored with the
yardstick (tools/score_real.py); the figures are pooled over the DIRs, once per classifier
threshold. The one-corpus-out figures of tools/fit_cut_model.py keep the stored classifier,
fitted on every corpus, which flatters a change that makes more candidates (an in-sample
classifier rejects the bad ones it has memorised); this is the measure round 21 of
docs/intake.md used. About 45 s a held-out corpus on this machine. Writes nothing.
"""

import argparse
import json
import sys

from services.intake.domain.minutes import classifier, cut_model
from tools import fit_action_model, fit_cut_model, score_real


def evaluate(dirs, cut_threshold, thresholds, per_dir=False):
    """{classifier threshold: pooled figures} (and, with per_dir, {DIR: figures} beside)."""
    ys = score_real.load_yardstick()
    commas = fit_cut_model.collect(dirs)
    pooled = {t: score_real.Tally(ys) for t in thresholds}
    each = {t: {} for t in thresholds}
    for held in dirs:
        rest = [d for d in dirs if d != held]
        cut_weights = fit_cut_model.fit([s for d in rest for s in commas[d]])
        with cut_model.using(weights=cut_weights, threshold=cut_threshold):
            docs = fit_action_model.collect(rest)
            weights = fit_action_model.fit([s for doc in docs for s in doc["samples"]])
            for t in thresholds:
                alone = each[t][held] = score_real.Tally(ys)
                with classifier.using(weights=weights, threshold=t):
                    for nn, text, meta, gold in score_real._documents([held]):
                        drafts = score_real.parse_document(text, ys.meeting_date(meta))
                        pooled[t].add_document(nn, drafts, gold, False)
                        alone.add_document(nn, drafts, gold, False)
    figures = {t: pooled[t].figures() for t in thresholds}
    if per_dir:
        return figures, {t: {d: tally.figures() for d, tally in each[t].items()} for t in thresholds}
    return figures


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--cut", type=float, default=cut_model.load_weights()[1],
                    help="the cut's threshold (default: the stored one)")
    ap.add_argument("--classifier", default=None,
                    help="classifier thresholds, '0.15,0.2' (default: the stored one)")
    ap.add_argument("--by-dir", action="store_true", help="also print each held-out DIR")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    thresholds = ([float(t) for t in a.classifier.split(",")] if a.classifier
                  else [classifier.load_setting("threshold", classifier.THRESHOLD)])
    figures, per_dir = evaluate(a.dirs, a.cut, thresholds, per_dir=True)
    if a.json:
        json.dump({"cut": a.cut, "figures": figures, "per_dir": per_dir}, sys.stdout, indent=1,
                  default=str)
        return 0
    for t in thresholds:
        print(f"cut {a.cut}, classifier {t}:", fit_cut_model.figures_line(figures[t]))
        if a.by_dir:
            for d, f in per_dir[t].items():
                print(f"  {d}:", fit_cut_model.figures_line(f))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How far the candidates reach: the recall no weighing of the action classifier can pass.

    .venv/bin/python -m tools.candidate_reach DIR [DIR ...] [--verbose]

Every document is parsed with every candidate kept (classifier.using(keep_all=True)) and
matched to its gold as the yardstick does.  Per directory: the recall reached (the most
any classifier could get), and of the gold actions no candidate matches, how many lie
inside a longer candidate (at least INSIDE of the gold text is one stretch of it): those
are lost to granularity (one candidate where the annotators saw several actions), the
others to reading (no candidate at all).  --verbose lists them (`IN` and `NONE`).
Round 8 (docs/intake.md) used it to find where the blind sets are lost.
"""

import argparse
import difflib
import sys

from services.intake.domain.minutes import classifier
from tools import fit_action_model, score_real

INSIDE = 0.6


def _inside(gold_text, task, norm):
    g, t = norm(gold_text), norm(task or "")
    if not g:
        return 0.0
    return difflib.SequenceMatcher(None, g, t, autojunk=False).find_longest_match(0, len(g), 0, len(t)).size / len(g)


def reach(dirs, verbose=False, out=sys.stdout):
    """{dir: {"recall", "candidates", "missed", "inside"}} with every candidate kept."""
    ys = score_real.load_yardstick()
    report = {}
    for d in dirs:
        tally, missed, inside = score_real.Tally(ys), 0, 0
        with classifier.using(keep_all=True):
            for nn, text, meta, gold in score_real._documents([d]):
                drafts = [x.to_dict() for x in fit_action_model.parse_drafts(text, ys.meeting_date(meta))]
                free = list(range(len(drafts)))
                for g in gold:
                    bi = tally.best_draft(g, drafts, free)
                    if bi is not None:
                        free.remove(bi)
                        continue
                    missed += 1
                    share, task = max(((_inside(g["text"], dr.get("task"), ys.norm), dr.get("task") or "")
                                       for dr in drafts), default=(0.0, ""))
                    inside += share >= INSIDE
                    if verbose:
                        print(f"  {'IN  ' if share >= INSIDE else 'NONE'} {nn} {g['text'][:60]}"
                              + (f" << {task[:80]}" if share >= INSIDE else ""), file=out)
                tally.add_document(nn, drafts, gold, False)
        figures = tally.figures()
        report[d] = {"recall": figures["recall"], "candidates": figures["drafts"], "missed": missed, "inside": inside}
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--verbose", action="store_true", help="list the gold actions no candidate matches")
    a = ap.parse_args(argv)
    for d, r in reach(a.dirs, a.verbose).items():
        print(f"{d}: reach {r['recall']:.2f} ({r['candidates']} candidates); {r['missed']} gold actions "
              f"unmatched, {r['inside']} of them inside a longer candidate")
    return 0


if __name__ == "__main__":
    sys.exit(main())

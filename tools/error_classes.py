"""What the error-class tools share (tools/lead_errors.py, tools/deadline_errors.py): every
gold action with the draft the yardstick's matching pairs it with, and their command line."""
import argparse
import json

from tools import score_real


def gold_pairs(dirs, ys):
    """(corpus/doc, draft or None, gold, meeting date) for every gold action, in order."""
    tally = score_real.Tally(ys)
    for d in dirs:
        name = d.rstrip("/").split("/")[-1]
        for nn, text, meta, gold in score_real._documents([d]):
            meeting = ys.meeting_date(meta)
            drafts = score_real.parse_document(text, meeting)
            free = list(range(len(drafts)))
            for g in gold:
                bi = tally.best_draft(g, drafts, free)
                if bi is not None:
                    free.remove(bi)
                yield f"{name}/{nn}", (drafts[bi] if bi is not None else None), g, meeting


def main(description, count, rows, argv=None, width=18):
    """The tools' command line: DIR... [--verbose] [--json]; a table of `rows` per corpus."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--verbose", action="store_true", help="print every wrong pair with its class")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    counts = count(a.dirs, verbose=a.verbose)
    if a.json:
        print(json.dumps({d: dict(c) for d, c in counts.items()}, ensure_ascii=False, indent=1))
        return 0
    names = [d.rstrip("/").split("/")[-1] for d in a.dirs]
    print("class".ljust(width) + "".join(n.rjust(8) for n in names) + "   all")
    for k in rows:
        row = [counts[d][k] for d in a.dirs]
        print(k.ljust(width) + "".join(str(v).rjust(8) for v in row) + str(sum(row)).rjust(6))
    return 0

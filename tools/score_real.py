"""Score the minutes parser in-process on annotated real documents, as ../shared/tools/score_minutes.py does.

    .venv/bin/python -m tools.score_real DIR [DIR ...] [--verbose] [--calibration] [--json]

DIR holds docs/NN.txt, expected/NN.json and expected/NN.meta.json (handbook MINUTES.md,
"Annotating real minutes").  The matching rules and the six figures are those of the
yardstick: its helpers (norm, units_score, f1, meeting_date) are imported from
score_minutes.py itself (found beside the repository at ../shared/tools, or at
$SCORE_MINUTES), so the figures here are the ones the running system would get with
the demo directory (scripts/demo.py), without starting the system.

--calibration prints, per confidence band, how many drafts are right: matched to a
gold action with the right lead units and the right deadline.
"""

import argparse
import datetime as dt
import difflib
import glob
import importlib.util
import json
import os
import pathlib
import sys

from scripts.demo import UNITS
from services.intake.domain.errors import IntakeInputError
from services.intake.parsers import MinutesParser, ParseContext

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEMO_DIRECTORY = [{"code": code, "name": name, "aliases": aliases} for code, name, _k, _p, aliases in UNITS]
BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 1.01))


def load_yardstick():
    path = os.environ.get("SCORE_MINUTES") or str(ROOT.parent / "shared" / "tools" / "score_minutes.py")
    if not os.path.isfile(path):
        raise FileNotFoundError(
            "the handbook's scorer is not at {} (it lives in ../shared/tools beside the checkout); "
            "set SCORE_MINUTES to the path of score_minutes.py".format(path))
    spec = importlib.util.spec_from_file_location("score_minutes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def parse_document(text, meeting_date, directory=DEMO_DIRECTORY, parser=MinutesParser()):
    """The drafts the system would return, as dicts; [] where it would refuse the text."""
    context = ParseContext(directory=directory, meeting_date=meeting_date, title=None,
                           year=int(meeting_date[:4]), today=dt.date.fromisoformat(meeting_date),
                           format="text")
    try:
        return [d.to_dict() for d in parser.parse(text, context).drafts]
    except IntakeInputError:
        return []


def _documents(dirs):
    for path in sorted(p for d in dirs for p in glob.glob(os.path.join(d, "docs", "*.txt"))):
        root, nn = os.path.dirname(os.path.dirname(path)), os.path.basename(path)[:-4]
        with open(os.path.join(root, "expected", nn + ".meta.json"), encoding="utf-8") as f:
            meta = json.load(f)
        with open(os.path.join(root, "expected", nn + ".json"), encoding="utf-8") as f:
            gold = [g for g in json.load(f) if not g.get("generic")]
        with open(path, encoding="utf-8") as f:
            yield nn, f.read(), meta, gold


class Tally:
    """The yardstick's counters plus, per draft, its confidence and whether it is right."""

    def __init__(self, ys):
        self.ys = ys
        self.t = dict(docs=0, gold=0, drafts=0, matched=0, ltp=0, lfp=0, lfn=0, ctp=0, cfp=0, cfn=0,
                      dl_n=0, dl_ok=0, ld_n=0, ld_ok=0)
        self.judged = []          # (confidence, right)

    def best_draft(self, g, drafts, free):
        best, bi = 0.0, None
        for i in free:
            task = self.ys.norm(drafts[i].get("task") or "")
            r = max(difflib.SequenceMatcher(None, self.ys.norm(g.get(k)), task, autojunk=False).ratio()
                    for k in ("text", "text_simplified") if g.get(k))
            if r > best:
                best, bi = r, i
        return (bi if best >= 0.5 else None)

    def deadline_ok(self, g, p):
        pd = p.get("deadline")
        if g.get("deadline"):
            return pd == g["deadline"]
        if g.get("deadline_partial"):
            return bool(pd) and pd[4:] == g["deadline_partial"][1:]
        if not (g.get("deadline_approx") or g.get("recurring")):
            return pd in (None, "")
        return True     # not scored: any reading will do

    def match_pair(self, g, p):
        t, ys = self.t, self.ys
        t["matched"] += 1
        lead = ys.units_score(p.get("lead"), g.get("lead"), g.get("lead_simplified"))
        for key, (a, b, c) in (("l", lead), ("c", ys.units_score(p.get("co"), g.get("co"), g.get("co_simplified")))):
            t[key + "tp"] += a
            t[key + "fp"] += b
            t[key + "fn"] += c
        scored_deadline = g.get("deadline") or g.get("deadline_partial") or not (
            g.get("deadline_approx") or g.get("recurring"))
        deadline_ok = self.deadline_ok(g, p)
        if scored_deadline:
            t["dl_ok"] += deadline_ok
        if g.get("leader"):
            t["ld_ok"] += bool(p.get("leader")) and ys.norm(p["leader"]) in (
                ys.norm(g["leader"]), ys.norm(g.get("leader_simplified") or g["leader"]))
        return lead[1] == 0 and lead[2] == 0 and deadline_ok

    def add_document(self, nn, drafts, gold, verbose):
        t = self.t
        t["docs"] += 1
        t["gold"] += len(gold)
        t["drafts"] += len(drafts)
        free, right = list(range(len(drafts))), set()
        for g in gold:
            bi = self.best_draft(g, drafts, free)
            if g.get("deadline") or g.get("deadline_partial") or not (g.get("deadline_approx") or g.get("recurring")):
                t["dl_n"] += 1
            if g.get("leader"):
                t["ld_n"] += 1
            if bi is None:
                t["lfn"] += len(g.get("lead") or [])
                t["cfn"] += len(g.get("co") or [])
                if verbose:
                    print("  MISSED {} {} | lead {} | {}".format(nn, g["text"][:70], g.get("lead"), g.get("deadline")))
                continue
            free.remove(bi)
            if self.match_pair(g, drafts[bi]):
                right.add(bi)
            elif verbose:
                p = drafts[bi]
                print("  WRONG  {} {} | lead {} vs {} | {} vs {} | leader {} vs {}".format(
                    nn, g["text"][:40], p.get("lead"), g.get("lead"), p.get("deadline"), g.get("deadline"),
                    p.get("leader"), g.get("leader")))
        for i, d in enumerate(drafts):
            self.judged.append((d.get("confidence", 1.0), i in right))
        if verbose:
            for i in free:
                print("  EXTRA  {} {}".format(nn, (drafts[i].get("task") or "")[:70]))

    def figures(self):
        t, f1 = self.t, self.ys.f1
        return {
            "documents": t["docs"], "actions": t["gold"], "drafts": t["drafts"],
            "recall": t["matched"] / t["gold"] if t["gold"] else 0.0,
            "precision": t["matched"] / t["drafts"] if t["drafts"] else 0.0,
            "lead_f1": f1(t["ltp"], t["lfp"], t["lfn"]),
            "co_f1": f1(t["ctp"], t["cfp"], t["cfn"]),
            "deadline_accuracy": t["dl_ok"] / t["dl_n"] if t["dl_n"] else 0.0,
            "leader_accuracy": t["ld_ok"] / t["ld_n"] if t["ld_n"] else 0.0,
        }

    def calibration(self):
        rows = []
        for low, high in BANDS:
            band = [right for conf, right in self.judged if low <= conf < high]
            rows.append({"band": f"{low:.1f}-{min(high, 1.0):.1f}", "drafts": len(band),
                         "right": sum(band), "share": sum(band) / len(band) if band else None})
        return rows


def score(dirs, verbose=False, directory=DEMO_DIRECTORY):
    tally = Tally(load_yardstick())
    for nn, text, meta, gold in _documents(dirs):
        drafts = parse_document(text, tally.ys.meeting_date(meta), directory)
        tally.add_document(nn, drafts, gold, verbose)
    return tally


LINE = ("{documents} documents, {actions} actions, {drafts} drafts: recall {recall:.2f}, precision "
        "{precision:.2f}, lead F1 {lead_f1:.2f}, co F1 {co_f1:.2f}, deadline {deadline_accuracy:.2f}, "
        "leader {leader_accuracy:.2f}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--verbose", action="store_true", help="list missed, wrong and extra drafts")
    ap.add_argument("--calibration", action="store_true", help="share of right drafts per confidence band")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    tally = score(a.dirs, a.verbose)
    figures = tally.figures()
    if a.json:
        print(json.dumps({"figures": figures, "calibration": tally.calibration()}, indent=1))
        return 0
    print(LINE.format(**figures))
    if a.calibration:
        for row in tally.calibration():
            share = "-" if row["share"] is None else f"{row['share']:.2f}"
            print(f"  confidence {row['band']}: {row['drafts']:3d} drafts, {row['right']:3d} right ({share})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

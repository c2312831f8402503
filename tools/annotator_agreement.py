"""How far two annotators of the same documents agree, in the yardstick's own figures.

    .venv/bin/python -m tools.annotator_agreement DIR_A DIR_B [--verbose] [--json]

DIR_A and DIR_B hold the same docs/NN.txt, each with its own expected/NN.json (handbook
MINUTES.md, "Annotating real minutes"). B's actions are scored as if they were drafts
against A's gold, with the matching of tools/score_real.py (the yardstick's), then the
other way round: recall of one direction is about the precision of the other. What two
careful annotators reach against each other is a ceiling for any parser judged against
one of them: a figure the parser cannot be expected to exceed on documents annotated by
someone else. Only documents present in both are counted.
"""
import argparse
import json
import os
import sys

from tools.score_real import LINE, Tally, load_yardstick


def actions(root, nn):
    with open(os.path.join(root, "expected", nn + ".json"), encoding="utf-8") as f:
        return [a for a in json.load(f) if not a.get("generic")]


def as_draft(action):
    """An annotated action in the shape of a draft (task, lead, co, deadline, leader)."""
    return {"task": action.get("text_simplified") or action.get("text") or "",
            "lead": action.get("lead") or [], "co": action.get("co") or [],
            "deadline": action.get("deadline") or year_unknown(action.get("deadline_partial")),
            "leader": action.get("leader")}


def year_unknown(partial):
    """A deadline read without its year ("--MM-DD") as a draft's date: the yardstick compares
    only month and day with a partial gold deadline, so the same reading by both annotators
    agrees; the year 0000 never equals a full date, where the other annotator found the year."""
    return "0000" + partial[1:] if partial else None


def common_documents(dir_a, dir_b):
    def names(root):
        folder = os.path.join(root, "expected")
        return {n[:-5] for n in os.listdir(folder) if n.endswith(".json")
                and not n.endswith(".meta.json")}
    return sorted(names(dir_a) & names(dir_b))


def agreement(gold_dir, other_dir, verbose=False):
    """The yardstick's figures of `other_dir`'s actions taken as drafts against `gold_dir`."""
    tally = Tally(load_yardstick())
    for nn in common_documents(gold_dir, other_dir):
        drafts = [as_draft(a) for a in actions(other_dir, nn)]
        tally.add_document(nn, drafts, actions(gold_dir, nn), verbose)
    return tally.figures()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir_a")
    ap.add_argument("dir_b")
    ap.add_argument("--verbose", action="store_true", help="list missed, differing and extra actions")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    out = {"b_against_a": agreement(a.dir_a, a.dir_b, a.verbose),
           "a_against_b": agreement(a.dir_b, a.dir_a, a.verbose)}
    if a.json:
        print(json.dumps(out, indent=1))
        return 0
    for label, figures in (("B scored against A", out["b_against_a"]),
                           ("A scored against B", out["a_against_b"])):
        print(label + ": " + LINE.format(**figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())

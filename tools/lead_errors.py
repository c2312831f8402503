"""Classify the lead-unit errors of drafts the yardstick matched to a gold action.

    .venv/bin/python -m tools.lead_errors DIR [DIR ...] [--verbose] [--json]

The drafts are matched to gold actions exactly as `tools/score_real.py` (the yardstick's
matching); for each matched pair whose lead units are not right (a false positive or a
false negative under the yardstick's `units_score`: units as written, one name inside
the other counts) the pair is put in one class:

- no_lead: the draft names no lead, the gold lead is written in the draft's own text;
- not_carried: the gold lead is not written in the draft's text (a subject named in an
  earlier sentence, a heading or a table column), and the draft has none or another;
- co_or_counterpart: a unit the draft leads is gold's co-unit, or stands after a
  counterpart word (与/向/报/对/为/经/会同/配合/协助…) in the text;
- person_or_role: a lead of the draft names people or a post (…领导, …人员, 书记, 主任…);
- cut_or_extended: a lead of the draft and a gold lead share two or more characters in a
  row but neither holds the other (`区住建局` vs `住建局和城管局`);
- several_for_one: the draft has more leads than gold, one of them right;
- one_for_several: the draft has fewer leads than gold, all of them right;
- lead_not_in_gold: gold names no lead, the draft names one;
- other: a wrong unit of the text none of the above explains.

The classes are checked in the order listed for pairs with nothing right; pairs with
something right are several_for_one / one_for_several / co_or_counterpart.
"""

import collections
import re
import sys

from tools import error_classes, score_real

CLASSES = ("no_lead", "not_carried", "co_or_counterpart", "person_or_role", "cut_or_extended",
           "several_for_one", "one_for_several", "lead_not_in_gold", "other")

COUNTERPART_BEFORE = re.compile(r"(?:与|同|跟|向|报|报送|上报|对|为|经|会同|配合|协助|支持|给|和|征求|商)$")
PERSON = re.compile(r"(?:领导|人员|干部|职工|员工|书记|主任|局长|处长|科长|部长|院长|校长|经理|总监|主管|"
                    r"负责人|责任人|组长|队长|站长|所长|董事长|总经理|同志|老师|教师|医生|护士|成员|党员|群众)$")


def _common_run(a, b, n=2):
    return any(a[i:i + n] in b for i in range(len(a) - n + 1))


def classify(draft, gold, ys):
    """The class of one matched pair's lead error, or None when its lead is right."""
    pred, want = list(draft.get("lead") or []), list(gold.get("lead") or [])
    tp, fp, fn = ys.units_score(pred, want, gold.get("lead_simplified"))
    if fp == 0 and fn == 0:
        return None
    task = ys.norm(draft.get("task") or "")
    co = list(gold.get("co") or []) + list(gold.get("co_simplified") or [])
    wrong = [p for p in pred if not any(ys.same_unit(p, g) for g in want + list(gold.get("lead_simplified") or []))]

    def counterpart(p):
        at = task.find(ys.norm(p))
        return any(ys.same_unit(p, c) for c in co) or (at > 0 and bool(COUNTERPART_BEFORE.search(task[:at])))

    if tp:
        if wrong and any(counterpart(p) for p in wrong):
            return "co_or_counterpart"
        return "several_for_one" if fp else "one_for_several"
    if not want:
        return "lead_not_in_gold"
    in_text = any(ys.norm(g) in task for g in want)
    if not pred:
        return "no_lead" if in_text else "not_carried"
    if not in_text:
        return "not_carried"
    if any(counterpart(p) for p in pred):
        return "co_or_counterpart"
    if any(PERSON.search(ys.norm(p)) for p in pred):
        return "person_or_role"
    if any(_common_run(ys.norm(p), ys.norm(g)) for p in pred for g in want):
        return "cut_or_extended"
    return "other"


def matched_pairs(dirs, ys):
    """(document id, draft, gold) for every pair the yardstick's matching makes."""
    for doc, draft, g, _meeting in error_classes.gold_pairs(dirs, ys):
        if draft is not None:
            yield doc, draft, g


def count(dirs, ys=None, verbose=False):
    """{dir: Counter(class -> pairs)}, with 'matched' and 'wrong' totals."""
    ys = ys or score_real.load_yardstick()
    out = {}
    for d in dirs:
        c = collections.Counter()
        for doc, draft, g in matched_pairs([d], ys):
            c["matched"] += 1
            k = classify(draft, g, ys)
            if k:
                c["wrong"] += 1
                c[k] += 1
                if verbose:
                    print(f"  {k:18s} {doc} {draft.get('lead')} vs {g.get('lead')} | {(draft.get('task') or '')[:60]}")
        out[d] = c
    return out


def main(argv=None):
    return error_classes.main(__doc__.splitlines()[0], count, ("matched", "wrong") + CLASSES, argv)


if __name__ == "__main__":
    sys.exit(main())

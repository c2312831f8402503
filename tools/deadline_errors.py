"""Classify the deadline errors of drafts the yardstick matched to a gold action.

    .venv/bin/python -m tools.deadline_errors DIR [DIR ...] [--verbose] [--json]

The drafts are matched to gold actions exactly as `tools/score_real.py` does; a pair is
scored for its deadline as there (gold with a date or a partial --MM-DD, or gold with no
deadline at all; gold with only an approximate 年内/全年 or a recurring 每月 is not scored),
and each pair whose deadline is wrong is put in one class.

Gold has a date, the draft has none:
- missed_in_text: the gold's deadline phrase is written in the draft's own text;
- recurring_for_date: the draft read a cadence (每月…) or an event span where gold has a date;
- not_carried: the phrase is not in the draft's text (stated once for a list, a heading or
  a neighbouring sentence).
Both have a date, different ones:
- wrong_year: the same month and day in another year (the year rule, or a meeting with no year);
- relative: gold's phrase is relative to the meeting (本周内, 下周, 10日内, 工作日, 节前, 本月…);
- other_clause: the draft's phrase is not in gold's text (a neighbouring action's date, a
  purpose clause, a report);
- misread: the same phrase read to another date (月 vs 月底, 上旬, milestones…).
Gold has no date (nor approx nor recurring), the draft has one:
- vague_as_date: gold or the draft's text says 尽快/抓紧/及时… and the draft still has a date;
- start_date: the draft's phrase is a start (从/自…起/开始);
- meeting_or_report_date: the meeting's own day, a 截至 date or the day an event is told of;
- date_not_in_gold: the draft's phrase is not in gold's text (a neighbour's, a heading's);
- date_in_gold_text: the phrase is in gold's text but gold gives no deadline (a period
  named, 上半年工作计划, or the annotator read it as no limit).

`count` also reports, per corpus, how many scored gold actions no draft matched (each a
deadline error the deadline code cannot reach: accuracy is bounded by recall).
"""

import collections
import re
import sys

from services.intake.domain.minutes.deadlines import VAGUE_WORDS
from tools import error_classes, score_real

CLASSES = ("missed_in_text", "recurring_for_date", "not_carried", "wrong_year", "relative", "other_clause",
           "misread", "vague_as_date", "start_date", "meeting_or_report_date", "date_not_in_gold",
           "date_in_gold_text")

RELATIVE = re.compile(r"本周|下周|这周|星期|本月|下月|当月|[日天周]内|工作日|个月|节前|节后|会后|当天|当日|明天|次日")
START = re.compile(r"起|开始")
START_BEFORE = re.compile(r"(?:从|自)$")


def scored(gold):
    """Whether the yardstick scores this gold action's deadline (score_real.Tally)."""
    return bool(gold.get("deadline") or gold.get("deadline_partial")
                or not (gold.get("deadline_approx") or gold.get("recurring")))


def _in(phrase, text, ys):
    return bool(phrase) and ys.norm(phrase) in ys.norm(text)


def classify(draft, gold, ys, meeting=None):
    """The class of one matched pair's deadline error, or None when it is right (or not scored)."""
    if not scored(gold):
        return None
    tally = score_real.Tally(ys)
    if tally.deadline_ok(gold, draft):
        return None
    task = draft.get("task") or ""
    gtext = gold.get("text") or ""
    gphrase = gold.get("deadline_text") or ""
    pred, pphrase = draft.get("deadline"), draft.get("deadline_text") or ""
    want = gold.get("deadline") or gold.get("deadline_partial")
    if want:
        if not pred:
            if draft.get("cadence") or "recurring" in (draft.get("flags") or []) \
                    or "event_deadline" in (draft.get("flags") or []):
                return "recurring_for_date"
            return "missed_in_text" if _in(gphrase, task, ys) else "not_carried"
        if gold.get("deadline") and pred[4:] == gold["deadline"][4:]:
            return "wrong_year"
        if RELATIVE.search(gphrase):
            return "relative"
        if not _in(pphrase, gtext, ys) and not _in(pphrase, gphrase, ys):
            return "other_clause"
        return "misread"
    # gold has no date
    if any(w in gphrase for w in VAGUE_WORDS) or any(w in task for w in VAGUE_WORDS if w not in pphrase):
        return "vague_as_date"
    at = task.find(pphrase) if pphrase else -1
    if at >= 0 and (START.match(task, at + len(pphrase)) or START_BEFORE.search(task[:at])):
        return "start_date"
    if (meeting and pred == meeting) or pphrase.startswith(("截至", "截止")):
        return "meeting_or_report_date"
    return "date_in_gold_text" if _in(pphrase, gtext, ys) else "date_not_in_gold"


def pairs(dirs, ys):
    """(corpus/doc, draft or None, gold, meeting date) for every scored gold action."""
    for doc, draft, g, meeting in error_classes.gold_pairs(dirs, ys):
        if scored(g):
            yield doc, draft, g, meeting


def count(dirs, ys=None, verbose=False):
    """{dir: Counter(class -> pairs)}, with 'scored', 'unmatched', 'matched' and 'wrong' totals."""
    ys = ys or score_real.load_yardstick()
    out = {}
    for d in dirs:
        c = collections.Counter()
        for doc, draft, g, meeting in pairs([d], ys):
            c["scored"] += 1
            if draft is None:
                c["unmatched"] += 1
                continue
            c["matched"] += 1
            k = classify(draft, g, ys, meeting)
            if k:
                c["wrong"] += 1
                c[k] += 1
                if verbose:
                    print(f"  {k:22s} {doc} {draft.get('deadline')} {draft.get('deadline_text')!r} vs "
                          f"{g.get('deadline') or g.get('deadline_partial')} {g.get('deadline_text')!r} | "
                          f"{(draft.get('task') or '')[:70]}")
        out[d] = c
    return out


def main(argv=None):
    return error_classes.main(__doc__.splitlines()[0], count,
                              ("scored", "unmatched", "matched", "wrong") + CLASSES, argv, width=24)


if __name__ == "__main__":
    sys.exit(main())

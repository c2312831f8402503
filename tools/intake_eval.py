"""Measure the minutes parser against a labelled corpus: precision / recall / F1 per measure.

Usage (from the repository root):  python -m tools.intake_eval [corpus_dir]

Corpus layout: for each document `NAME.txt` (or `NAME.docx`) a `NAME.json` with
    {"directory": "dir_x.json", "meeting_date": "YYYY-MM-DD" (optional),
     "actions": [{"anchor": "text unique to the action", "lead": [...], "co": [...],
                  "deadline": "YYYY-MM-DD" | null}]}
A predicted draft matches a labelled action when its task text contains the anchor
(one-to-one, in order).  Units are compared by directory code when the name
matches the directory, otherwise by the name as written.

Measures:
  task boundaries  matched pairs / drafts (P) and / labelled actions (R)
  lead units       unit-level: units of matched pairs that agree / all predicted / all labelled
  co-units         same for co-units
  deadlines        matched pairs with the same date / drafts with a date / labelled actions with a date
"""

import json
import pathlib
import sys

from services.intake.domain.errors import IntakeInputError
from services.intake.domain.minutes.directory import Directory
from services.intake.domain.minutes.units import clean_unit_name
from services.intake.domain.normalize import normalize_line
from services.intake.parsers import MinutesParser, ParseContext

MEASURES = ("task boundaries", "lead units", "co-units", "deadlines")
DEFAULT_CORPUS = pathlib.Path(__file__).resolve().parents[1] / "tests" / "intake" / "corpus"


class Tally:
    def __init__(self):
        self.tp = self.pred = self.gold = 0

    def add(self, tp, pred, gold):
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def precision(self):
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self):
        return self.tp / self.gold if self.gold else (1.0 if not self.pred else 0.0)

    @property
    def f1(self):
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _unit_keys(names, directory):
    keys = set()
    for name in names or []:
        name = clean_unit_name(normalize_line(name))
        match = directory.match(name)
        keys.add(match.code or name)
    return keys


def _documents(corpus):
    for label_path in sorted(corpus.glob("*.json")):
        if label_path.name.startswith("dir_"):
            continue
        for suffix in (".txt", ".docx"):
            doc_path = label_path.with_suffix(suffix)
            if doc_path.exists():
                yield doc_path, label_path
                break


def evaluate(corpus=DEFAULT_CORPUS):
    """Run the parser over the corpus -> {"measures": {name: Tally}, "documents": [...]}."""
    corpus = pathlib.Path(corpus)
    totals = {name: Tally() for name in MEASURES}
    documents = []
    parser = MinutesParser()
    for doc_path, label_path in _documents(corpus):
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        entries = json.loads((corpus / labels["directory"]).read_text(encoding="utf-8")) \
            if labels.get("directory") else []
        directory = Directory(entries)
        payload = doc_path.read_bytes() if doc_path.suffix == ".docx" else doc_path.read_text(encoding="utf-8")
        context = ParseContext(directory=entries, meeting_date=labels.get("meeting_date"))
        try:
            drafts = [d.to_dict() for d in parser.parse(payload, context).drafts]
        except IntakeInputError:
            drafts = []
        gold = labels["actions"]
        doc = {name: Tally() for name in MEASURES}
        used = set()
        pairs = []
        for action in gold:
            anchor = normalize_line(action["anchor"])
            for index, draft in enumerate(drafts):
                if index not in used and anchor in draft["task"]:
                    used.add(index)
                    pairs.append((action, draft))
                    break
        doc["task boundaries"].add(len(pairs), len(drafts), len(gold))
        for field, name in (("lead", "lead units"), ("co", "co-units")):
            tp = sum(len(_unit_keys(d[field], directory) & _unit_keys(a[field], directory)) for a, d in pairs)
            doc[name].add(tp, sum(len(_unit_keys(d[field], directory)) for d in drafts),
                          sum(len(_unit_keys(a[field], directory)) for a in gold))
        doc["deadlines"].add(sum(1 for a, d in pairs if a["deadline"] and d["deadline"] == a["deadline"]),
                             sum(1 for d in drafts if d["deadline"]),
                             sum(1 for a in gold if a["deadline"]))
        for name in MEASURES:
            totals[name].add(doc[name].tp, doc[name].pred, doc[name].gold)
        documents.append({"name": doc_path.name, "gold": len(gold), "drafts": len(drafts),
                          "matched": len(pairs), "measures": doc})
    return {"measures": totals, "documents": documents}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    corpus = pathlib.Path(argv[0]) if argv else DEFAULT_CORPUS
    report = evaluate(corpus)
    docs = report["documents"]
    print(f"corpus: {corpus} ({len(docs)} documents, "
          f"{sum(d['gold'] for d in docs)} labelled actions, {sum(d['drafts'] for d in docs)} drafts)")
    for name in MEASURES:
        t = report["measures"][name]
        print(f"{name:16s} P={t.precision:.3f} R={t.recall:.3f} F1={t.f1:.3f}  (tp={t.tp} pred={t.pred} gold={t.gold})")
    print()
    print(f"{'document':40s} {'gold':>4s} {'draft':>5s} {'match':>5s} {'leadF1':>6s} {'coF1':>6s} {'dateF1':>6s}")
    for d in docs:
        m = d["measures"]
        print(f"{d['name']:40s} {d['gold']:4d} {d['drafts']:5d} {d['matched']:5d} "
              f"{m['lead units'].f1:6.2f} {m['co-units'].f1:6.2f} {m['deadlines'].f1:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

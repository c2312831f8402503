"""Throughput of the minutes parser on a few hundred synthetic minutes built from the corpus.

Run from the repository root:  python bench/intake_bench.py [count]
Prints documents/s and items/s; it asserts nothing and is not a test.
"""

import json
import pathlib
import random
import re
import sys
import time
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.intake.domain.errors import IntakeInputError  # noqa: E402
from services.intake.parsers import MinutesParser, ParseContext  # noqa: E402
from bench import results  # noqa: E402

CORPUS = ROOT / "tests" / "intake" / "corpus"


def load_corpus():
    docs = []
    for label in sorted(CORPUS.glob("[0-9]*.json")):
        meta = json.loads(label.read_text(encoding="utf-8"))
        text = label.with_suffix(".txt").read_text(encoding="utf-8")
        directory = json.loads((CORPUS / meta["directory"]).read_text(encoding="utf-8"))
        docs.append((text, directory))
    return docs


def vary(text, directory, rng):
    """Move the meeting date and swap unit names, so no two documents are identical."""
    year, month, day = rng.randint(2021, 2026), rng.randint(1, 12), rng.randint(1, 28)
    text = re.sub(r"20\d{2}年\d{1,2}月\d{1,2}日", f"{year}年{month}月{day}日", text, count=1)
    names = [e["name"] for e in directory]
    for _ in range(3):
        a, b = rng.sample(names, 2)
        text = text.replace(a, "\0").replace(b, a).replace("\0", b)
    return text


def build(count, seed=7):
    rng = random.Random(seed)
    corpus = load_corpus()
    documents = []
    for _ in range(count):
        parts = rng.sample(corpus, rng.randint(1, 3))
        head_text, directory = parts[0]
        text = vary(head_text, directory, rng)
        for extra, _ in parts[1:]:
            body = "\n".join(extra.split("\n")[2:])   # drop the extra document's opening
            text += "\n" + body
        documents.append((text, directory))
    return documents


def main(argv):
    count = int(argv[1]) if len(argv) > 1 else 300
    documents = build(count)
    parser = MinutesParser()
    items = errors = 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    for text, directory in documents:
        try:
            items += len(parser.parse(text, ParseContext(directory=directory)).drafts)
        except IntakeInputError:
            errors += 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started     # what the parser costs, whatever else the machine runs
    # Reference, same documents, same run: the floor any parser pays (Unicode
    # normalisation and a sentence split), so the ratio shows what the rules cost.
    started = time.perf_counter()
    sentences = 0
    for text, _ in documents:
        sentences += len(re.split(r"[。；;\n]", unicodedata.normalize("NFKC", text)))
    floor = time.perf_counter() - started
    chars = sum(len(t) for t, _ in documents)
    print(f"documents: {len(documents)} ({chars} characters), items: {items}, rejected: {errors}")
    print(f"{'measure':<44} {'documents/s':>12} {'items/s':>10}")
    print(f"{'minutes parser':<44} {len(documents) / elapsed:>12.1f} {items / elapsed:>10.1f}")
    print(f"{'minutes parser, per CPU second':<44} {len(documents) / cpu:>12.1f} {items / cpu:>10.1f}")
    print(f"{'reference: NFKC + sentence split only':<44} {len(documents) / floor:>12.1f} {'':>10}")
    print(f"ratio parser / reference: {floor / elapsed:.4f}")
    results.record("intake minutes parser", len(documents) / elapsed, "documents/s", len(documents) / floor,
                   "NFKC + sentence split of the same documents")
    results.record("intake minutes parser, per CPU second", len(documents) / cpu, "documents/CPU s",
                   len(documents) / floor, "NFKC + sentence split of the same documents")

if __name__ == "__main__":
    main(sys.argv)

"""The benchmarks' one table: each bench script records its figures here (bench/results.json)
and `python bench/results.py` prints them side by side with their references.

A row: figure, value, unit, reference (measured in the same run), ratio = value/reference
(or reference/value for times, so that higher is always better), target ratio, met?
"""
import json
import os
import platform
import sys
import time

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json")


def load():
    if not os.path.exists(PATH):
        return {"machine": machine(), "rows": {}}
    with open(PATH, encoding="utf-8") as fh:
        return json.load(fh)


def machine():
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "platform": platform.platform()}


def record(figure, value, unit, reference, reference_name, target=None, higher_is_better=True):
    """Keep one figure (the latest run of it) in bench/results.json."""
    ratio = (value / reference) if higher_is_better else (reference / value)
    data = load()
    data["machine"] = machine()
    data["rows"][figure] = {
        "value": round(value, 3), "unit": unit, "reference": round(reference, 3),
        "reference_name": reference_name, "ratio": round(ratio, 3), "target": target,
        "met": None if target is None else ratio >= target,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with open(PATH, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)


def table(data):
    width = max([6] + [len(name) for name in data["rows"]])   # every name whole
    lines = ["{:<{w}} {:>10} {:>11} {:>7} {:>7} {:>5}".format(
        "figure", "value", "reference", "ratio", "target", "met", w=width)]
    for name, row in sorted(data["rows"].items()):
        lines.append("{:<{w}} {:>10} {:>11} {:>7.2f} {:>7} {:>5}".format(
            name, "{:.1f}".format(row["value"]), "{:.1f}".format(row["reference"]),
            row["ratio"], "-" if row["target"] is None else "≥{}".format(row["target"]),
            "-" if row["met"] is None else ("yes" if row["met"] else "NO"), w=width))
    return "\n".join(lines)


def markdown(data, prefixes=()):
    """The same rows as a Markdown table (for docs/performance.md), optionally only the
    figures whose name starts with one of `prefixes`."""
    lines = ["| figure | value | reference | ratio | target | met | measured |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in sorted(data["rows"].items()):
        if prefixes and not name.startswith(tuple(prefixes)):
            continue
        lines.append("| {} | {:.1f} {} | {:.1f} ({}) | {:.2f} | {} | {} | {} |".format(
            name, row["value"], row["unit"], row["reference"], row["reference_name"],
            row["ratio"], "-" if row["target"] is None else "≥ {}".format(row["target"]),
            "-" if row["met"] is None else ("yes" if row["met"] else "**no**"),
            row["measured_at"][:16].replace("T", " ")))
    return "\n".join(lines)


if __name__ == "__main__":
    data = load()
    if not data["rows"]:
        sys.exit("no figures yet: run `make bench`")
    if sys.argv[1:2] == ["--markdown"]:
        print(markdown(data, sys.argv[2:]))
        sys.exit(0)
    print(table(data))
    print("\nreferences: " + "; ".join(sorted({"{}: {}".format(n, r["reference_name"])
                                                for n, r in data["rows"].items()}))[:2000])

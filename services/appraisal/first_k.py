"""On SQLite, the silent-evidence sample picked inside the aggregate's one pass.

SQLite has no parallel scan: a second pass over the period's items to number the silent
candidates (sampling.scan) cost as much as the whole reference GROUP BY. Its aggregate
already reads every row once, so there an application-defined aggregate,
`duban_first_k(deadline, number, title, completed_on, issued_on, last_feedback_on)`, called
only for the silent candidates (`FILTER (WHERE …)`), keeps each group's first
EVIDENCE_SAMPLE by (deadline, number), the order sampling.py picks in; queries.item_facts
merges a department's groups. PostgreSQL walks its partial indexes instead (sampling.py; its
aggregate runs in parallel workers, which a Python function would stop).
"""
import collections
import datetime as dt
import json

from sqlalchemy import func

from .domain.accountability import EVIDENCE_SAMPLE

NAME = "duban_first_k"
Sample = collections.namedtuple(
    "Sample", "department number title deadline completed_on issued_on last_feedback_on")


class FirstK:
    """The aggregate: rows in, the first EVIDENCE_SAMPLE by (deadline, number) out (JSON)."""

    def __init__(self):
        self.rows = []

    def step(self, *row):
        self.rows.append(row)
        if len(self.rows) > 8 * EVIDENCE_SAMPLE:
            self._keep()

    def _keep(self):
        self.rows.sort(key=lambda r: (r[0], r[1]))
        del self.rows[EVIDENCE_SAMPLE:]

    def finalize(self):
        self._keep()
        return json.dumps(self.rows, ensure_ascii=False) if self.rows else None


def register(session):
    """Make the aggregate known to the connection this session's transaction uses."""
    session.connection().connection.driver_connection.create_aggregate(NAME, 6, FirstK)


def column(model, condition):
    """The aggregate over `model`'s rows that meet `condition` (its other rows skip it)."""
    return getattr(func, NAME)(model.deadline, model.number, model.title, model.completed_on,
                               model.issued_on, model.last_feedback_on).filter(condition)


def add(found, department, text):
    """Add one group's JSON answer to `found` ({department: [Sample]})."""
    if text:
        found.setdefault(department, []).extend(
            Sample(department, number, title, *map(_date, (deadline, completed, issued, last)))
            for deadline, number, title, completed, issued, last in json.loads(text))


def first(found):
    """Each department's first EVIDENCE_SAMPLE of its groups' samples, in order."""
    for department, rows in found.items():
        rows.sort(key=lambda r: (r.deadline, r.number))
        del rows[EVIDENCE_SAMPLE:]
    return found


def _date(value):
    return dt.date.fromisoformat(value) if value else None

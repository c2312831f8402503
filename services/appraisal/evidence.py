"""The sample items of the inaction evidence (无为问责), built in Python or, on PostgreSQL, in
the database.

A record's silent and unexplained-overdue grounds each show up to EVIDENCE_SAMPLE items
(sampling.py picks which). `silent_item` and `unexplained_item` build them in Python from
the picked rows. On PostgreSQL `insert_records` writes the records in one INSERT ... SELECT
that builds the same items in SQL (`silent_json`, `unexplained_json`: the same keys in the
same order, the same values) beside the walks and the scan that pick them, so the picked
rows (40,000 when 2,000 departments are flagged) never travel to Python and back as 4 MB of
JSON. tests/appraisal/test_evidence.py holds both to the same records, item for item.
"""
import json

from sqlalchemy import (JSON, Integer, String, bindparam, case, cast, column, func, literal,
                        null, select, union_all)

from . import sampling
from .domain.accountability import INACTION

# the ground of a record (domain/accountability.py) that each kind of sample shows
GROUND = {sampling.SILENT: "silent", sampling.UNEXPLAINED: "unexplained_overdue"}


def silent_item(row, as_of):
    since = row.last_feedback_on or row.issued_on
    return {"number": row.number, "title": row.title, "since": since.isoformat(),
            "days_silent": (as_of - since).days}


def unexplained_item(row, as_of):
    done = row.completed_on if row.completed_on and row.completed_on <= as_of else None
    return {"number": row.number, "title": row.title, "deadline": row.deadline.isoformat(),
            "days_late": ((done or as_of) - row.deadline).days}


def silent_json(c, as_of):
    """silent_item in SQL, over a sample's columns `c` (a date becomes "YYYY-MM-DD" in
    JSON, a difference of dates an integer)."""
    since = func.coalesce(c.last_feedback_on, c.issued_on)
    return func.json_build_object("number", c.number, "title", c.title, "since", since,
                                  "days_silent", literal(as_of) - since)


def unexplained_json(c, as_of):
    """unexplained_item in SQL: the completion counts only when it came by as_of."""
    done_or_as_of = func.least(func.coalesce(c.completed_on, as_of), as_of)
    return func.json_build_object("number", c.number, "title", c.title,
                                  "deadline", c.deadline, "days_late", done_or_as_of - c.deadline)


def insert_records(session, table, appraisal_id, records, samples, as_of):
    """Insert the inaction `records` (accountability.inaction's, in their order) into
    `table` (accountability_records); their silent and unexplained-overdue grounds, given
    with no items, get their department's rows of `samples` (sampling.sample_rows) as
    items, in (deadline, number) order."""
    if not records:
        return
    session.flush()  # what the ORM holds (the appraisal itself) goes first
    gathered = _gathered(_given(records), samples, as_of)
    q = (select(literal(appraisal_id), gathered.c.department, literal(INACTION),
                _filled_evidence(gathered))
         .where(gathered.c.n.isnot(None)).order_by(gathered.c.n))
    session.execute(table.insert().from_select(
        ["appraisal_id", "department", "kind", "evidence"], q))


def _given(records):
    """The records as a table (n: their order), from one JSON parameter."""
    text = json.dumps([{"n": n, "department": r["department"], "evidence": r["evidence"]}
                       for n, r in enumerate(records)], ensure_ascii=False)
    return (func.json_to_recordset(cast(bindparam("records", text, type_=String), JSON))
            .table_valued(column("n", Integer), column("department", String),
                          column("evidence", JSON))
            .render_derived(name="given", with_types=True))


def _gathered(given, samples, as_of):
    """One row per department: its record's order and evidence (none for a department
    sampled without a record) and its sample items of each kind, as JSON arrays.

    The records and the samples meet in a GROUP BY rather than a join: the planner cannot
    size either side (a JSON parameter, LIMITed walks) and, guessing a handful of rows,
    chose a nested loop over 2,000 x 4,000 pairs (seconds)."""
    s = samples.c
    item = case((s.kind == sampling.SILENT, silent_json(s, as_of)),
                else_=unexplained_json(s, as_of))
    rows = union_all(
        select(given.c.n, given.c.department, given.c.evidence,
               null().label("kind"), null().label("deadline"), null().label("number"),
               null().label("item")),
        select(null(), s.department, null(), s.kind, s.deadline, s.number, item),
    ).subquery("rows")
    r = rows.c
    return (select(r.department, func.min(r.n).label("n"),
                   func.json_agg(r.evidence).filter(r.n.isnot(None)).op("->")(0)
                   .label("evidence"),
                   *[func.json_agg(r.item).aggregate_order_by(r.deadline, r.number)
                     .filter(r.kind == kind).label(kind) for kind in GROUND])
            .group_by(r.department).subquery("gathered"))


def _filled_evidence(gathered):
    """A record's evidence with the items put into its sampled grounds; its other grounds
    and the key order as given (json_each keeps both)."""
    ground = (func.json_each(gathered.c.evidence)
              .table_valued("key", "value", with_ordinality="at")
              .render_derived(name="ground"))
    empty = cast(literal("[]"), JSON)
    filled = case(*[(ground.c.key == GROUND[kind], func.json_build_object(
        "count", ground.c.value.op("->")("count"),
        "items", func.coalesce(gathered.c[kind], empty))) for kind in GROUND],
        else_=ground.c.value)
    return (select(func.json_object_agg(ground.c.key, filled).aggregate_order_by(ground.c.at))
            .scalar_subquery())

"""The sample items of the inaction evidence (无为问责), built in Python or, on PostgreSQL, in
the database.

A record's silent and unexplained-overdue grounds each show up to EVIDENCE_SAMPLE items
(sampling.py picks which). `silent_item` and `unexplained_item` build them in Python from
the picked rows. On PostgreSQL `insert_records` writes the records in one INSERT ... SELECT
that builds the same items in SQL (`silent_json`, `unexplained_json`: the same keys in the
same order, the same values) from the walks that pick them (sampling.first_candidates, a
LATERAL join per record), so the picked rows (40,000 when 2,000 departments are flagged)
never travel to Python and back as 4 MB of JSON. tests/appraisal/test_evidence.py holds
both to the same records, item for item.
"""
import json

from sqlalchemy import (JSON, Integer, String, bindparam, case, cast, column, func, literal,
                        select, true)

from . import sampling
from .domain.accountability import INACTION

# the ground of a record (domain/accountability.py) that each kind of sample shows
GROUND = {sampling.SILENT: "silent", sampling.UNEXPLAINED: "unexplained_overdue"}


def silent_item(row, as_of):
    """A silent item: since when it has had no report (its issue, if never), and for how
    many days by as_of."""
    since = row.last_feedback_on or row.issued_on
    return {"number": row.number, "title": row.title, "since": since.isoformat(),
            "days_silent": (as_of - since).days}


def unexplained_item(row, as_of):
    """An unexplained overdue item: its deadline and how many days late it was completed,
    or is by as_of."""
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


def insert_records(session, table, appraisal_id, records, walk, as_of):
    """Insert the inaction `records` (accountability.inaction's, in their order) into
    `table` (accountability_records). Their silent and unexplained-overdue grounds come
    with no items; each gets, as items, its department's walk of that kind:
    `walk(kind, department)`, a query of the department's first candidates
    (sampling.first_candidates), run once per record that carries the ground."""
    if not records:
        return
    session.flush()  # what the ORM holds (the appraisal itself) goes first
    given = _given(records)
    items = {kind: _items(kind, walk, given, as_of) for kind in GROUND}
    q = (select(literal(appraisal_id), given.c.department, literal(INACTION),
                _filled_evidence(given, items))
         .select_from(_joined(given, items.values()))
         .order_by(given.c.n))
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


def _items(kind, walk, given, as_of):
    """Per record, the JSON array of its department's samples of `kind`, in (deadline,
    number) order (NULL when the record does not carry that ground: no walk is made)."""
    carried = given.c.evidence.op("->")(GROUND[kind]).isnot(None)
    # the walk reads the record's department: a LATERAL subquery correlated with the records
    sample = walk(kind, given.c.department).where(carried).correlate(given).lateral("sample")
    item = (silent_json if kind == sampling.SILENT else unexplained_json)(sample.c, as_of)
    return (select(func.json_agg(item).aggregate_order_by(sample.c.deadline, sample.c.number)
                   .label("items"))
            .lateral(kind))


def _joined(given, laterals):
    """The records, each joined with its row of every lateral (an aggregate: one row)."""
    joined = given
    for lateral in laterals:
        joined = joined.join(lateral, true())
    return joined


def _filled_evidence(given, items):
    """A record's evidence with the items put into its sampled grounds; its other grounds
    and the key order as given (json_each keeps both)."""
    ground = (func.json_each(given.c.evidence)
              .table_valued("key", "value", with_ordinality="at")
              .render_derived(name="ground"))
    empty = cast(literal("[]"), JSON)
    filled = case(*[(ground.c.key == GROUND[kind], func.json_build_object(
        "count", ground.c.value.op("->")("count"),
        "items", func.coalesce(items[kind].c["items"], empty))) for kind in GROUND],
        else_=ground.c.value)
    return (select(func.json_object_agg(ground.c.key, filled).aggregate_order_by(ground.c.at))
            .scalar_subquery())

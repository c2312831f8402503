"""The sample items of the inaction evidence (无为问责), built in Python or, on PostgreSQL, in
the database.

A record's silent and unexplained-overdue grounds each show up to EVIDENCE_SAMPLE items
(sampling.py picks which). `silent_item` and `unexplained_item` build them in Python from
the picked rows. On PostgreSQL `insert_records` writes the records in one INSERT ... SELECT
that builds the same items in SQL, as JSON text (`silent_json`, `unexplained_json`: the same
keys in the same order, the same values), from the walks that pick them
(sampling.first_candidates, a LATERAL join per record), and puts them into the text Python
renders of the rest of each record (`pieces`), so the picked rows (40,000 when 2,000
departments are flagged) never travel to Python and back as 4 MB of JSON.
tests/appraisal/test_evidence.py holds both to the same records, item for item, and to the
same JSON text.
"""
import json

from sqlalchemy import (JSON, Boolean, Integer, String, Text, bindparam, case, cast, column, func,
                        literal, select, true)

from . import sampling
from .domain.accountability import INACTION

# the ground of a record (domain/accountability.py) that each kind of sample shows
GROUND = {sampling.SILENT: "silent", sampling.UNEXPLAINED: "unexplained_overdue"}
SAMPLED = {ground: kind for kind, ground in GROUND.items()}
# what stands for a sampled ground's items in the text pieces renders, and that text
GAP = {kind: "\x00items of " + kind for kind in GROUND}
GAP_TEXT = {kind: json.dumps(gap) for kind, gap in GAP.items()}


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
    """silent_item in SQL, as JSON text, over a sample's columns `c` (a date becomes
    "YYYY-MM-DD", a difference of dates an integer; strings escaped by to_json)."""
    since = func.coalesce(c.last_feedback_on, c.issued_on)
    return _concat('{"number": ', _json(c.number), ', "title": ', _json(c.title),
                   ', "since": ', _json(since), ', "days_silent": ',
                   cast(literal(as_of) - since, Text), "}")


def unexplained_json(c, as_of):
    """unexplained_item in SQL, as JSON text: the completion counts only when it came by
    as_of."""
    done_or_as_of = func.least(func.coalesce(c.completed_on, as_of), as_of)
    return _concat('{"number": ', _json(c.number), ', "title": ', _json(c.title),
                   ', "deadline": ', _json(c.deadline), ', "days_late": ',
                   cast(done_or_as_of - c.deadline, Text), "}")


def _json(value):
    """A value as JSON text (to_json: ISO dates, escaped strings)."""
    return cast(func.to_json(value), Text)


def _concat(*parts):
    """The parts joined with ||, a str as a text literal."""
    joined = None
    for part in parts:
        part = literal(part, Text) if isinstance(part, str) else part
        joined = part if joined is None else joined.op("||", return_type=Text)(part)
    return joined


def insert_records(session, table, appraisal_id, records, walk, as_of):
    """Insert the inaction `records` (accountability.inaction's, in their order) into
    `table` (accountability_records). Their silent and unexplained-overdue grounds come
    with no items; each gets, as items, its department's walk of that kind:
    `walk(kind, department)`, a query of the department's first candidates
    (sampling.first_candidates), run once per record that carries the ground.

    Each record's evidence is written as JSON text: Python renders what it knows around the
    places of the sampled items (pieces), the statement puts each walk's items there as text
    (string_agg of silent_json / unexplained_json) and casts the whole once to JSON: cheaper
    than building every item as a JSON value and putting them into the record with
    json_each and json_object_agg (round 7 in docs/appraisal.md)."""
    if not records:
        return
    session.flush()  # what the ORM holds (the appraisal itself) goes first
    given = _given(records)
    items = {kind: _items(kind, walk, given, as_of) for kind in GROUND}
    q = (select(literal(appraisal_id), given.c.department, literal(INACTION),
                _evidence(given, items))
         .select_from(_joined(given, items.values()))
         .order_by(given.c.n))
    session.execute(table.insert().from_select(
        ["appraisal_id", "department", "kind", "evidence"], q))


def pieces(evidence):
    """A record's evidence as JSON text with a gap where each sampled ground's items go:
    (head, mid, tail, {kinds carried}), the text being head + the silent items + mid + the
    unexplained-overdue items + tail (a ground the record does not carry adds nothing), as
    json.dumps writes it. The grounds keep their order."""
    kinds = [SAMPLED[key] for key in evidence if key in SAMPLED]
    # the statement fills the silent gap first: the grounds in that order, as
    # domain/accountability.inaction writes them
    assert kinds in ([], [sampling.SILENT], [sampling.UNEXPLAINED],
                     [sampling.SILENT, sampling.UNEXPLAINED]), kinds
    marked = {key: dict(value, items=GAP[SAMPLED[key]]) if key in SAMPLED else value
              for key, value in evidence.items()}
    texts = [_dumps(marked)]
    for kind in kinds:
        # a gap's text holds NUL, which no string read from PostgreSQL can: it is there once
        before, found, after = texts.pop().partition(GAP_TEXT[kind])
        assert found and GAP_TEXT[kind] not in after, kind
        texts += [before, after]
    head, mid, tail = texts if len(texts) == 3 else (texts[0], "", "".join(texts[1:]))
    return head, mid, tail, set(kinds)


# json.dumps(value, ensure_ascii=False), without making an encoder at each call
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _given(records):
    """The records as a table (n: their order; head, mid, tail: pieces), from one JSON
    parameter."""
    rows = []
    for n, record in enumerate(records):
        head, mid, tail, kinds = pieces(record["evidence"])
        rows.append({"n": n, "department": record["department"], "head": head, "mid": mid,
                     "tail": tail, **{kind: kind in kinds for kind in GROUND}})
    return (func.json_to_recordset(cast(bindparam("records", _dumps(rows), type_=String), JSON))
            .table_valued(column("n", Integer), column("department", String),
                          column("head", Text), column("mid", Text), column("tail", Text),
                          *[column(kind, Boolean) for kind in GROUND])
            .render_derived(name="given", with_types=True))


def _items(kind, walk, given, as_of):
    """Per record, the JSON text of its department's samples of `kind` as an array, in
    (deadline, number) order (NULL when the record does not carry that ground: no walk is
    made)."""
    # the walk reads the record's department: a LATERAL subquery correlated with the records
    sample = walk(kind, given.c.department).where(given.c[kind]).correlate(given).lateral("sample")
    item = (silent_json if kind == sampling.SILENT else unexplained_json)(sample.c, as_of)
    listed = func.string_agg(item, literal(", ", Text)).aggregate_order_by(sample.c.deadline,
                                                                          sample.c.number)
    return select(_concat("[", listed, "]").label("items")).lateral(kind)


def _joined(given, laterals):
    """The records, each joined with its row of every lateral (an aggregate: one row)."""
    joined = given
    for lateral in laterals:
        joined = joined.join(lateral, true())
    return joined


def _evidence(given, items):
    """A record's evidence: its pieces with the items of the grounds it carries (an empty
    array when a walk found none), cast to JSON once."""
    def gap(kind):
        return case((given.c[kind], func.coalesce(items[kind].c["items"], "[]")), else_="")
    return cast(_concat(given.c.head, gap(sampling.SILENT), given.c.mid,
                        gap(sampling.UNEXPLAINED), given.c.tail), JSON)

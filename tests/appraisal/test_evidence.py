"""The inaction evidence written in the database (services/appraisal/evidence.py), on
PostgreSQL: the same records as those built in Python, item for item, and walks that go
through the partial indexes the migration made (ix_items_silent, ix_items_unexplained)."""
import datetime as dt
import json
import random

import pytest
from sqlalchemy import select, text

from services.appraisal import queries, sampling
from services.appraisal.domain import periods
from services.appraisal.domain.accountability import Thresholds
from services.appraisal.handlers.appraisals import inaction_records, insert_inaction
from services.appraisal.models import AccountabilityRecord, Appraisal, Chase, ItemOutcome

D = dt.date
H1 = periods.parse_half("2026-H1")
AS_OF = D(2026, 7, 3)
# titles JSON must escape (quotes, backslashes, control characters) beside plain Chinese and
# what it need not (a slash, a line separator)
TITLES = ['催办"加急"事项', "第一行\n第二行", "制表\t符", "反斜杠\\路径", "普通事项", "emoji ✓",
          "控制\x01字符", "斜线/与\u2028分隔"]


def random_items(session, rng, count=1500, departments=20):
    """Items of every kind around H1: late, overdue, silent, completed after the day of the
    figures, stopped, milestones; some departments with more than EVIDENCE_SAMPLE
    candidates of a kind, some with fewer; chases, some unanswered."""
    for n in range(count):
        # the first departments get most items, the last ones a few
        department = "D{:02d}".format(int(departments * rng.random() ** 4))
        deadline = D(2025, 12, 1) + dt.timedelta(days=rng.randrange(240))
        completed = (deadline + dt.timedelta(days=rng.randrange(-40, 40))
                     if rng.random() < 0.6 else None)
        issued = (D(2025, 11, 1) + dt.timedelta(days=rng.randrange(200))
                  if rng.random() < 0.9 else None)
        last = (issued + dt.timedelta(days=rng.randrange(200))
                if issued and rng.random() < 0.5 else None)
        number = "N{:05d}-{}".format(rng.randrange(100000), n)  # unique, in no set order
        session.add(ItemOutcome(
            id="id-{}".format(n), number=number, title=rng.choice(TITLES) + str(n), org_id="HQ",
            org_path="/HQ/{}/".format(department), department=department,
            department_name=department, category="routine", source_kind="minutes",
            milestone=rng.random() < 0.05, status="x", original_deadline=deadline,
            deadline_in_force=deadline, deadline=deadline, completed_on=completed,
            cancelled_on=(deadline + dt.timedelta(days=rng.randrange(-60, 60))
                          if rng.random() < 0.05 else None),
            suspended_on=D(2026, 2, 1) if rng.random() < 0.03 else None, issued_on=issued,
            feedback_cadence=rng.choice(["none", "monthly", "weekly"]), last_feedback_on=last,
            reason="原因" if rng.random() < 0.3 else None))
        if rng.random() < 0.15:
            session.add(Chase(event_id="chase-{}".format(n), item_id="id-{}".format(n),
                              number=1, chased_on=D(2026, 1, 1) + dt.timedelta(
                                  days=rng.randrange(181)),
                              answer_days=rng.choice([None, 1, 9]), org_id="HQ",
                              org_path="/HQ/{}/".format(department), department=department,
                              milestone=False))
    session.flush()


def records_in_the_database(session, entries):
    session.add(Appraisal(id="a1", org_id="HQ", period=H1.label, status="draft", weights={},
                          as_of=AS_OF, created_at=dt.datetime.now(dt.timezone.utc),
                          created_by="test", computed_at=dt.datetime.now(dt.timezone.utc)))
    insert_inaction(session, "a1", "HQ", True, H1, AS_OF, entries, Thresholds())
    session.expire_all()
    return [{"department": r.department, "kind": r.kind, "evidence": r.evidence}
            for r in session.scalars(select(AccountabilityRecord)
                                     .order_by(AccountabilityRecord.id))]


def test_the_records_written_in_the_database_are_those_built_in_python(pg_session):
    random_items(pg_session, random.Random(20261130))
    entries = queries.department_facts(pg_session, "HQ", True, H1, AS_OF,
                                       with_in_progress=False, silent_days=30,
                                       chase_answer_days=5)
    built = inaction_records(pg_session, "HQ", True, H1, AS_OF, entries, Thresholds())
    written = records_in_the_database(pg_session, entries)
    # the data reaches every case: full samples and short ones of both kinds, chases
    grounds = [r["evidence"] for r in built]
    for ground in ("silent", "unexplained_overdue"):
        lengths = {len(g[ground]["items"]) for g in grounds if ground in g}
        assert 10 in lengths and min(lengths) < 10, (ground, lengths)
    assert any("unanswered_chases" in g for g in grounds)
    assert written == built
    # the same keys in the same order, the same values (JSON text compared as Python wrote it)
    assert json.dumps(written, ensure_ascii=False) == json.dumps(built, ensure_ascii=False)
    # and the very text Python writes (json.dumps' separators, escapes and UTF-8)
    stored = pg_session.execute(text("SELECT evidence::text FROM accountability_records "
                                     "ORDER BY id")).scalars().all()
    assert stored == [json.dumps(r["evidence"], ensure_ascii=False) for r in built]


def test_no_record_writes_nothing(pg_session):
    entries = queries.department_facts(pg_session, "HQ", True, H1, AS_OF,
                                       with_in_progress=False, silent_days=30,
                                       chase_answer_days=5)
    assert records_in_the_database(pg_session, entries) == []


@pytest.mark.parametrize("kind,index", [(sampling.SILENT, "ix_items_silent"),
                                        (sampling.UNEXPLAINED, "ix_items_unexplained")])
def test_each_walk_goes_through_its_partial_index(pg_session, kind, index):
    """The walk's conditions imply the index's predicate (else the planner cannot use it,
    and every walk would read all of a department's items again)."""
    random_items(pg_session, random.Random(7), count=300, departments=3)
    pg_session.execute(text("ANALYZE items"))
    q = sampling.walk_query("postgresql", "HQ", True, H1,
                            sampling.conditions(AS_OF, 30)[kind], ["D00", "D01"])
    compiled = q.compile(dialect=pg_session.get_bind().dialect)
    raw = pg_session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is read whole
        cursor.execute("EXPLAIN " + compiled.string, compiled.params)
        plan = "\n".join(line for line, in cursor.fetchall())
    assert index in plan, plan


@pytest.mark.parametrize("kind,index", [(sampling.SILENT, "ix_items_silent"),
                                        (sampling.UNEXPLAINED, "ix_items_unexplained")])
def test_each_walk_reads_only_its_index_once_the_table_is_vacuumed(pg_session, kind, index):
    """The index carries every column the walk reads (models.*_INCLUDE): on all-visible
    pages (a vacuumed table) the walk never reads the table itself."""
    random_items(pg_session, random.Random(7), count=300, departments=3)
    pg_session.commit()
    with pg_session.get_bind().connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE items"))
    condition = sampling.conditions(AS_OF, 30)[kind]
    for org, is_group in (("HQ", True), ("D00", False)):  # a group, and a place in org paths
        q = sampling.walk_query("postgresql", org, is_group, H1, condition, ["D00", "D01"])
        compiled = q.compile(dialect=pg_session.get_bind().dialect)
        raw = pg_session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + compiled.string, compiled.params)
            plan = "\n".join(line for line, in cursor.fetchall())
        assert "Index Only Scan using " + index in plan, plan
        assert "Heap Fetches: 0" in plan, plan
        pg_session.rollback()


def test_the_migrations_make_the_evidence_indexes_of_the_models(pg_url, other_pg_url):
    """Alembic's comparison of the migrations with the models (tests/test_shared.py) does not
    look at an index's INCLUDE columns or its predicate: the definitions are compared here."""
    from shared.db import make_engine
    from shared.migrate import upgrade
    from services.appraisal.models import Base
    upgrade("appraisal", pg_url)
    models = make_engine(other_pg_url)
    Base.metadata.create_all(models)
    definitions = []
    for engine in (make_engine(pg_url), models):
        with engine.connect() as conn:
            definitions.append(dict(conn.execute(text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'items' "
                "AND indexname IN ('ix_items_silent', 'ix_items_unexplained')")).all()))
        engine.dispose()
    assert len(definitions[0]) == 2 and definitions[0] == definitions[1]
    assert "INCLUDE (org_id, org_path, cancelled_on, suspended_on, title, completed_on" in (
        definitions[0]["ix_items_silent"])


@pytest.mark.parametrize("grounds", [("silent", "unexplained_overdue", "unanswered_chases"),
                                     ("silent",), ("unexplained_overdue",),
                                     ("unanswered_chases",),
                                     ("silent", "unanswered_chases")])
def test_the_pieces_of_a_record_put_its_items_where_python_would(grounds):
    """evidence.pieces: the text around the sampled grounds' items, whichever a record
    carries; with the items put in, it is the record's JSON as Python writes it."""
    from services.appraisal import evidence as ev
    from services.appraisal.domain.accountability import inaction
    silent = [{"number": 'N"1', "title": "第一行\n第二行", "since": "2026-01-05",
               "days_silent": 179}]
    unexplained = [{"number": "N2", "title": "反斜杠\\", "deadline": "2026-03-15",
                    "days_late": 5}] * 2
    chases = [{"number": "N3", "title": "t", "item_id": "i", "chase": 1,
               "chased_on": "2026-02-01", "answered_after_days": None}] * 3
    record = inaction("D1", {"count": 1 if "silent" in grounds else 0, "items": silent},
                      {"count": 2 if "unexplained_overdue" in grounds else 0,
                       "items": unexplained},
                      {"count": 3 if "unanswered_chases" in grounds else 0, "items": chases},
                      Thresholds())
    evidence = record["evidence"]
    emptied = {key: dict(value, items=[]) if key in ev.SAMPLED else value
               for key, value in evidence.items()}
    head, mid, tail, kinds = ev.pieces(emptied)
    assert kinds == {ev.SAMPLED[g] for g in grounds if g in ev.SAMPLED}
    text = (head + (json.dumps(silent, ensure_ascii=False) if "silent" in grounds else "") + mid
            + (json.dumps(unexplained, ensure_ascii=False)
               if "unexplained_overdue" in grounds else "") + tail)
    assert text == json.dumps(evidence, ensure_ascii=False)

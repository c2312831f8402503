"""The inaction evidence samples (services/appraisal/sampling.py), on SQLite and PostgreSQL.

Each selection is checked through both paths (the walk through an index: the department
index on SQLite, the partial indexes on PostgreSQL; and the windowed scan) against samples
picked by hand: the first EVIDENCE_SAMPLE candidates of each department and kind in
(deadline, number) order.
"""
import datetime as dt
import random

import pytest

from services.appraisal import queries, sampling
from services.appraisal.domain import periods
from services.appraisal.models import ItemOutcome

D = dt.date
H1 = periods.parse_half("2026-H1")
AS_OF = D(2026, 7, 3)
SILENT_DAYS = 30
WALK_ALL, SCAN_ALL = 10 ** 9, -1


def add(session, number, department, deadline, org="HQ", **kw):
    values = dict(id="id-" + number, number=number, title="事项" + number, org_id=org,
                  org_path="/{}/{}/".format(org, department), department=department,
                  department_name=department, category="routine", source_kind="minutes",
                  milestone=False, status="in_progress", original_deadline=deadline,
                  deadline_in_force=deadline, deadline=deadline, feedback_cadence="none")
    values.update(kw)
    session.add(ItemOutcome(**values))


def scenario(session):
    """Department A: 12 unexplained overdue candidates and distractors; department B: one
    silent candidate among items that are not."""
    # A: twelve late or overdue with no reason; two share a deadline (number breaks the tie)
    for n, day in enumerate([20, 3, 3, 11, 28, 5, 17, 9, 1, 25, 14, 22]):
        add(session, "A-{:02d}".format(n), "A", D(2026, 3, day))
    # not candidates: a reason was given; completed on time; a milestone; cancelled in the
    # period; due in H2; another organisation's; completed late but a reason stated
    add(session, "A-90", "A", D(2026, 1, 2), reason="审批慢")
    add(session, "A-91", "A", D(2026, 1, 2), completed_on=D(2026, 1, 2))
    add(session, "A-92", "A", D(2026, 1, 2), milestone=True)
    add(session, "A-93", "A", D(2026, 1, 2), cancelled_on=D(2026, 2, 1))
    add(session, "A-94", "A", D(2026, 7, 1))
    add(session, "A-95", "A", D(2026, 1, 2), org="OTHER")
    # completed late (after the deadline, before as_of): a candidate, due before A-08
    add(session, "A-96", "A", D(2026, 1, 31), completed_on=D(2026, 2, 10))
    # B: one silent item (monthly reports, the last on 04-01: 93 days by 07-03)
    add(session, "B-01", "B", D(2026, 6, 20), issued_on=D(2026, 1, 5),
        feedback_cadence="monthly", last_feedback_on=D(2026, 4, 1))
    # not silent: reported on 06-20 (13 days); completed; no cadence; never issued
    add(session, "B-02", "B", D(2026, 6, 25), issued_on=D(2026, 1, 5),
        feedback_cadence="monthly", last_feedback_on=D(2026, 6, 20))
    add(session, "B-03", "B", D(2026, 6, 25), issued_on=D(2026, 1, 5),
        feedback_cadence="monthly", completed_on=D(2026, 6, 1))
    add(session, "B-04", "B", D(2026, 6, 25), issued_on=D(2026, 1, 5))
    add(session, "B-05", "B", D(2026, 6, 25), feedback_cadence="monthly")
    session.flush()


def wanted_from_aggregate(session, departments=None):
    rows = {}
    facts = queries.item_facts(session, "HQ", True, H1, AS_OF, with_in_progress=False,
                               silent_days=SILENT_DAYS, rows=rows)
    pick = departments or set(facts)
    return {sampling.SILENT: {c: (rows[c], facts[c]["silent"]) for c in pick},
            sampling.UNEXPLAINED: {c: (rows[c], facts[c]["unexplained_overdue"]) for c in pick}}


def numbers(found, kind, department):
    return [r.number for r in found[kind].get(department, [])]


@pytest.mark.parametrize("walk_reads", [WALK_ALL, SCAN_ALL, sampling.WALK_READS])
def test_the_first_ten_by_deadline_then_number(session, walk_reads):
    scenario(session)
    wanted = wanted_from_aggregate(session)
    # the aggregate counted what the samples are drawn from: 13 unexplained in A, 1 silent
    # in B; A has 17 items in H1 (A-94 is due in H2, A-95 another organisation's), B 5
    # (B-01, B-02, B-04 and B-05 are overdue without a reason too)
    assert wanted[sampling.UNEXPLAINED]["A"] == (17, 13)
    assert wanted[sampling.SILENT]["B"] == (5, 1)
    assert wanted[sampling.UNEXPLAINED]["B"] == (5, 4)
    found = sampling.samples(session, "HQ", True, H1, AS_OF, wanted, SILENT_DAYS, walk_reads)
    # deadlines: A-96 01-31, A-08 03-01, A-01 03-03, A-02 03-03, A-05 03-05, A-07 03-09,
    # A-03 03-11, A-10 03-14, A-06 03-17, A-00 03-20 | A-11 03-22, A-09 03-25, A-04 03-28
    assert numbers(found, sampling.UNEXPLAINED, "A") == [
        "A-96", "A-08", "A-01", "A-02", "A-05", "A-07", "A-03", "A-10", "A-06", "A-00"]
    assert numbers(found, sampling.SILENT, "B") == ["B-01"]
    assert numbers(found, sampling.SILENT, "A") == []
    assert numbers(found, sampling.UNEXPLAINED, "B") == ["B-01", "B-02", "B-04", "B-05"]


def test_the_plan_walks_dense_candidates_and_scans_sparse_ones():
    wanted = {sampling.UNEXPLAINED: {"dense": (500, 190), "few": (8, 3), "none": (50, 0)},
              sampling.SILENT: {"dense": (500, 13), "few": (8, 3)}}
    walks, scans = sampling.plan(wanted)
    # dense: 500 x 11/191 = 28.8 reads; few: all 8; silent in dense: 500 x 11/14 = 393
    assert walks == {sampling.UNEXPLAINED: ["dense", "few"], sampling.SILENT: ["few"]}
    assert scans == {sampling.SILENT: ["dense"]}
    assert sampling.expected_reads(500, 10) == 500
    assert sampling.expected_reads(110, 21) == 55
    # a kind walked through its partial index (PostgreSQL) reads about one item per sample:
    # walked however sparse its candidates
    walks, scans = sampling.plan(wanted, dense=sampling.DENSE_WALKS["postgresql"])
    assert walks == {sampling.UNEXPLAINED: ["dense", "few"], sampling.SILENT: ["dense", "few"]}
    assert scans == {}


def test_the_appraisal_records_carry_the_samples_in_that_order(session):
    scenario(session)
    from services.appraisal.domain.accountability import Thresholds
    from services.appraisal.handlers.appraisals import inaction_records
    entries = queries.department_facts(session, "HQ", True, H1, AS_OF, with_in_progress=False,
                                       silent_days=SILENT_DAYS, chase_answer_days=5)
    records = {r["department"]: r for r in inaction_records(
        session, "HQ", True, H1, AS_OF, entries, Thresholds())}
    a = records["A"]["evidence"]["unexplained_overdue"]
    assert a["count"] == 13 and len(a["items"]) == 10
    # A-96 completed 02-10, ten days after its deadline; A-08 still open: 124 days by 07-03
    assert a["items"][0] == {"number": "A-96", "title": "事项A-96", "deadline": "2026-01-31",
                             "days_late": 10}
    assert a["items"][1]["days_late"] == 124
    assert records["B"]["evidence"]["silent"] == {"count": 1, "items": [
        {"number": "B-01", "title": "事项B-01", "since": "2026-04-01", "days_silent": 93}]}
    assert "silent" not in records["A"]["evidence"]


@pytest.mark.parametrize("walk_reads", [WALK_ALL, SCAN_ALL])
def test_both_paths_agree_with_a_selection_made_in_python(session, walk_reads):
    rng = random.Random(20261129)
    expected = {sampling.SILENT: {}, sampling.UNEXPLAINED: {}}
    for n in range(800):
        department = "D{}".format(rng.randrange(8))
        deadline = D(2025, 12, 1) + dt.timedelta(days=rng.randrange(240))
        completed = (deadline + dt.timedelta(days=rng.randrange(-40, 40))
                     if rng.random() < 0.6 else None)
        cancelled = deadline + dt.timedelta(days=rng.randrange(-60, 60)) \
            if rng.random() < 0.1 else None
        issued = D(2025, 11, 1) + dt.timedelta(days=rng.randrange(200)) \
            if rng.random() < 0.9 else None
        cadence = rng.choice(["none", "monthly", "weekly"])
        last = issued + dt.timedelta(days=rng.randrange(200)) if issued and rng.random() < 0.5 \
            else None
        reason = "原因" if rng.random() < 0.3 else None
        milestone = rng.random() < 0.05
        number = "N{:05d}-{}".format(rng.randrange(100000), n)  # unique, in no set order
        add(session, number, department, deadline, completed_on=completed,
            cancelled_on=cancelled, issued_on=issued, feedback_cadence=cadence,
            last_feedback_on=last, reason=reason, milestone=milestone)
        # the rules, written out: a candidate is due in H1, no milestone, not stopped by
        # 06-30; silent: issued, a cadence, open on 07-03, no report since 06-03;
        # unexplained: no reason, due before 07-03 and not completed by its deadline
        if not (H1.start <= deadline <= H1.end) or milestone or \
                (cancelled and cancelled <= H1.end):
            continue
        key = (deadline, number)
        if issued and cadence != "none" and (completed is None or completed > AS_OF) and \
                (last or issued) <= D(2026, 6, 3):
            expected[sampling.SILENT].setdefault(department, []).append(key)
        if reason is None and deadline < AS_OF and (completed is None or completed > deadline):
            expected[sampling.UNEXPLAINED].setdefault(department, []).append(key)
    session.flush()
    wanted = wanted_from_aggregate(session)
    for kind, per_department in expected.items():
        for department, keys in per_department.items():
            assert wanted[kind][department][1] == len(keys), (kind, department)
    found = sampling.samples(session, "HQ", True, H1, AS_OF, wanted, SILENT_DAYS, walk_reads)
    for kind, per_department in expected.items():
        for department in wanted[kind]:
            picked = [number for _, number in sorted(per_department.get(department, []))]
            assert numbers(found, kind, department) == picked[:sampling.EVIDENCE_SAMPLE], (
                kind, department)


def test_on_sqlite_the_aggregate_picks_the_silent_samples_the_walks_and_scan_pick(session):
    """first_k.py: SQLite's aggregate picks each department's silent samples in its one
    pass; they are the ones the walks and the scan pick (PostgreSQL keeps those paths)."""
    rng = random.Random(20261130)
    for n in range(600):
        deadline = D(2026, 1, 1) + dt.timedelta(days=rng.randrange(181))
        issued = D(2025, 12, 1) + dt.timedelta(days=rng.randrange(150))
        add(session, "S{:05d}-{}".format(rng.randrange(100000), n), "D{}".format(n % 6),
            deadline, issued_on=issued, feedback_cadence=rng.choice(["monthly", "none"]),
            last_feedback_on=issued + dt.timedelta(days=rng.randrange(60))
            if rng.random() < 0.5 else None,
            completed_on=deadline if rng.random() < 0.2 else None,
            milestone=rng.random() < 0.05,
            cancelled_on=deadline if rng.random() < 0.05 else None)
    for n in range(200):  # one department, one outcome group: the aggregate trims as it goes
        add(session, "BIG-{:03d}".format(rng.randrange(1000)) + "-{}".format(n), "BIG",
            D(2026, 1, 1) + dt.timedelta(days=rng.randrange(181)), issued_on=D(2025, 12, 1),
            feedback_cadence="monthly")
    session.flush()
    picked, rows = {}, {}
    facts = queries.item_facts(session, "HQ", True, H1, AS_OF, with_in_progress=False,
                               silent_days=SILENT_DAYS, rows=rows, silent_samples=picked)
    wanted = {sampling.SILENT: {c: (rows[c], f["silent"]) for c, f in facts.items()}}
    if session.get_bind().dialect.name == "postgresql":
        assert picked == {}
        return
    assert {c: len(v) for c, v in picked.items()} == {
        c: min(f["silent"], sampling.EVIDENCE_SAMPLE) for c, f in facts.items() if f["silent"]}
    assert sum(f["silent"] for f in facts.values()) > 6 * sampling.EVIDENCE_SAMPLE
    assert facts["BIG"]["silent"] == 200 and len(picked["BIG"]) == sampling.EVIDENCE_SAMPLE
    for walk_reads in (WALK_ALL, SCAN_ALL):
        found = sampling.samples(session, "HQ", True, H1, AS_OF, wanted, SILENT_DAYS, walk_reads)
        for code in facts:
            assert [r.number for r in picked.get(code, [])] == \
                numbers(found, sampling.SILENT, code), code
            assert [(r.deadline, r.title, r.issued_on, r.last_feedback_on, r.completed_on)
                    for r in picked.get(code, [])] == \
                [(r.deadline, r.title, r.issued_on, r.last_feedback_on, r.completed_on)
                 for r in found[sampling.SILENT].get(code, [])]
    known = sampling.samples(session, "HQ", True, H1, AS_OF, wanted, SILENT_DAYS,
                             known={sampling.SILENT: picked})
    assert {c: [r.number for r in v] for c, v in known[sampling.SILENT].items() if v} == \
        {c: [r.number for r in v] for c, v in picked.items()}

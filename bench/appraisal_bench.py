"""The half-year appraisal and the monthly report over many items, beside a bare GROUP BY.

Run from the repository root (never by CI; it asserts nothing):
    python bench/appraisal_bench.py --db sqlite   [--items 1000000 --departments 2000]
    python bench/appraisal_bench.py --db postgres [--pg-admin postgresql+psycopg2://postgres@127.0.0.1/postgres]

It fills a fresh appraisal database (a temporary SQLite file, or a throwaway PostgreSQL
database dropped afterwards, vacuumed after the load) with synthetic item outcomes, all due
in 2026-H1, spread over the departments of one group and ten subsidiaries, with feedback due
dates and assessed reports on a fifth of them. Then, in the same run, it times (median of
--repeat runs after one warm-up):
  reference   SELECT department, count(*) ... GROUP BY department over the period's rows
  aggregate   the appraisal's SQL (queries.department_facts): every fact per department
  appraisal   the whole computation: aggregate, scoring, ranking, accountability, rows written
  and likewise for one month (2026-03): a bare GROUP BY over the month's rows, one over
  the rows the report reads (due from the previous month's start on: it counts the month
  before too, and "in progress" counts work due later), and the monthly report (this month
  and the one before, the overdue list, subsidiaries and totals).
The figures go into bench/results.json (bench/results.py) with the machine's load average
at the start and end of the timings, since the machine is shared.
"""
import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import results  # noqa: E402

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from services.appraisal import handlers, queries  # noqa: E402
from services.appraisal.domain import periods  # noqa: E402
from services.appraisal.domain.accountability import Thresholds  # noqa: E402
from services.appraisal.models import (Appraisal, Base, FeedbackDue, FeedbackRecord,  # noqa: E402
                                       InboxEntry, ItemOutcome, OrgUnit)
from services.appraisal.plugins import discover_rules  # noqa: E402
from shared.clock import FixedClock  # noqa: E402
from shared.uow import UnitOfWork  # noqa: E402

H1 = periods.parse_half("2026-H1")
MONTH = periods.parse_month("2026-03")
AS_OF = dt.datetime(2026, 7, 3, 2, 0, tzinfo=dt.timezone.utc)
COLUMNS = ("id", "number", "title", "org_id", "org_path", "subsidiary", "department",
           "department_name", "co_departments", "category", "source_kind", "milestone", "status",
           "original_deadline", "deadline_in_force", "deadline", "completed_on", "cancelled_on",
           "suspended_on", "issued_on", "quality", "feedback_cadence", "last_feedback_on",
           "reason", "new_plan", "version")
OWNER = ("org_id", "org_path", "department", "milestone")


def departments(count):
    """(code, subsidiary or None): a third directly under the group, the rest in ten
    subsidiaries."""
    out = []
    for n in range(count):
        sub = None if n % 3 == 0 else "S{:02d}".format(n % 10)
        out.append(("D{:04d}".format(n), sub))
    return out


def item_rows(count, depts, rng):
    span = (H1.end - H1.start).days + 1
    for n in range(count):
        code, sub = depts[rng.randrange(len(depts))]
        deadline = H1.start + dt.timedelta(days=rng.randrange(span))
        roll = rng.random()
        completed = None
        if roll < 0.75:
            completed = deadline + dt.timedelta(days=rng.randrange(-30, 20))
        cancelled = deadline - dt.timedelta(days=5) if 0.75 <= roll < 0.78 else None
        suspended = deadline - dt.timedelta(days=3) if 0.78 <= roll < 0.80 else None
        path = "/G/{}{}/".format(sub + "/" if sub else "", code)
        yield {"id": "{:032x}".format(n), "number": "DB-2026-{:07d}".format(n), "title": "事项",
               "org_id": "G", "org_path": path, "subsidiary": sub, "department": code,
               "department_name": "部门" + code, "co_departments": [], "category": "routine",
               "source_kind": "annual_goal" if n % 20 == 0 else "minutes",
               "milestone": n % 20 == 0, "status": "completed" if completed else "in_progress",
               "original_deadline": deadline, "deadline_in_force": deadline, "deadline": deadline,
               "completed_on": completed, "cancelled_on": cancelled, "suspended_on": suspended,
               "issued_on": H1.start, "quality": rng.randrange(50, 101) if completed else None,
               "feedback_cadence": "monthly" if n % 5 == 0 else "none",
               "last_feedback_on": deadline - dt.timedelta(days=10) if n % 5 == 0 else None,
               "reason": "原因" if n % 7 == 0 else None, "new_plan": None,
               "version": 1}


def copy_rows(session, table, columns, rows):
    """PostgreSQL COPY (bulk inserts there run ~36,000 rows/s; COPY is several times that)."""
    def cell(v):
        if v is None:
            return r"\N"
        if isinstance(v, bool):
            return "t" if v else "f"
        if isinstance(v, list):
            return "[]"
        return str(v).replace("\t", " ")
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(cell(row[c]) for c in columns) + "\n")
    buffer.seek(0)
    raw = session.connection().connection
    with raw.cursor() as cursor:
        cursor.copy_expert("COPY {} ({}) FROM STDIN".format(table, ",".join(columns)), buffer)


def fill(session, postgres, items, dept_count, seed):
    rng = random.Random(seed)
    depts = departments(dept_count)
    session.add(OrgUnit(code="G", name="集团", kind="group", parent=None, path="/G/"))
    for s in range(10):
        session.add(OrgUnit(code="S{:02d}".format(s), name="子公司{}".format(s), kind="subsidiary",
                            parent="G", path="/G/S{:02d}/".format(s)))
    for code, sub in depts:
        session.add(OrgUnit(code=code, name="部门" + code, kind="department", parent=sub or "G",
                            path="/G/{}{}/".format(sub + "/" if sub else "", code)))
    session.flush()
    chunk, rows, feedback, dues = 50000, [], [], []
    fid = 0

    def flush():
        if not rows:
            return
        if postgres:
            copy_rows(session, "items", COLUMNS, rows)
            copy_rows(session, "feedback", ("id", "item_id", "submitted_on", "accurate") + OWNER,
                      feedback)
            copy_rows(session, "feedback_due", ("item_id", "due_on", "submitted_on") + OWNER,
                      dues)
        else:
            session.execute(insert(ItemOutcome), rows)
            if feedback:
                session.execute(insert(FeedbackRecord), feedback)
            if dues:
                session.execute(insert(FeedbackDue), dues)
        rows.clear(), feedback.clear(), dues.clear()

    for row in item_rows(items, depts, rng):
        rows.append(row)
        if row["feedback_cadence"] == "monthly":
            due = row["deadline"] - dt.timedelta(days=15)
            met = due - dt.timedelta(days=1) if rng.random() < 0.8 else None
            owner = {key: row[key] for key in OWNER}
            dues.append(dict(owner, item_id=row["id"], due_on=due, submitted_on=met))
            if met:
                fid += 1
                feedback.append(dict(owner, id=fid, item_id=row["id"], submitted_on=met,
                                     accurate=rng.random() < 0.9))
        if len(rows) >= chunk:
            flush()
    flush()
    session.commit()
    if postgres:
        # VACUUM too, as autovacuum would after such a load on a default server (this machine
        # runs with autovacuum off): it sets the visibility map, which the evidence walks'
        # index-only scans rely on (docs/appraisal.md, round 7)
        with session.get_bind().connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE"))


def timed(fn, repeat):
    fn()  # warm-up: caches, plans
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def bare_group_by(session, period, reads_from=None):
    """The reference: count per department over the period's rows (or, with `reads_from`,
    over every row due from that day on: the rows the monthly report reads, since it counts
    the month before too and its "in progress" column counts work due after the month)."""
    window = (ItemOutcome.deadline >= reads_from if reads_from
              else ItemOutcome.deadline.between(period.start, period.end))
    q = (select(ItemOutcome.department, func.count())
         .where(ItemOutcome.org_id == "G", window).group_by(ItemOutcome.department))
    return session.execute(q).all()


def profile(label, fn, top):
    """cProfile of one call: the `top` frames by own time (where the time is spent)."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    stats = pstats.Stats(prof).stats
    total = sum(tt for _, _, tt, _, _ in stats.values())
    print("\nprofile of {} ({:.3f}s profiled): top {} frames by own time".format(
        label, total, top))
    print("{:>9}{:>9}{:>9}  {}".format("own s", "cum s", "calls", "frame"))
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (path, line, name), (_, calls, own, cum, _) in rows:
        where = os.path.relpath(path, ROOT) if path.startswith(ROOT) else os.path.basename(path)
        print("{:>9.3f}{:>9.3f}{:>9}  {} ({}:{})".format(own, cum, calls, name, where, line))


def run(url, postgres, args):
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    rules = discover_rules(entry_points=[])
    with Session(engine, expire_on_commit=False) as session:
        start = time.perf_counter()
        fill(session, postgres, args.items, args.departments, args.seed)
        loaded = time.perf_counter() - start
        count = session.scalar(select(func.count()).select_from(ItemOutcome))
        in_month = session.scalar(select(func.count()).select_from(ItemOutcome).where(
            ItemOutcome.deadline.between(MONTH.start, MONTH.end)))
        uow = UnitOfWork(session, None, FixedClock(AS_OF), actor="bench", producer="appraisal",
                         inbox=InboxEntry)
        appraisal = handlers.create_appraisal(uow, {"period": "2026-H1", "org": "G"}, rules,
                                              Thresholds())
        scored = sum(1 for d in appraisal["departments"] if d["score"] is not None)
        row = session.get(Appraisal, appraisal["id"])

        def recompute():
            with uow:
                handlers.compute(uow, row, rules, Thresholds())

        load_before = os.getloadavg()[0]
        figures = {
            "reference": timed(lambda: bare_group_by(session, H1), args.repeat),
            "aggregate": timed(lambda: queries.department_facts(
                session, "G", True, H1, AS_OF.date(), with_in_progress=False), args.repeat),
            "appraisal": timed(recompute, args.repeat),
            "month reference": timed(lambda: bare_group_by(session, MONTH), args.repeat),
            "rows it reads": timed(lambda: bare_group_by(
                session, MONTH, periods.previous_month(MONTH).start), args.repeat),
            "monthly report": timed(lambda: handlers.monthly_report(uow, "G", MONTH.label),
                                    args.repeat),
        }
        figures["load"] = (load_before, os.getloadavg()[0])
        if args.profile:
            profile("the whole appraisal", recompute, args.profile)
            profile("the monthly report", lambda: handlers.monthly_report(uow, "G", MONTH.label),
                    args.profile)
    engine.dispose()
    return loaded, count, in_month, scored, figures


def postgres_url(admin_url):
    name = "duban_bench_{}".format(uuid.uuid4().hex[:10])
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "{}"'.format(name)))
    return admin, name, admin_url.rsplit("/", 1)[0] + "/" + name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--departments", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="after the timings, profile (cProfile) the whole appraisal and the "
                             "monthly report once each and print their top N frames")
    parser.add_argument("--pg-admin", default=os.environ.get(
        "DUBAN_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    if args.db == "sqlite":
        folder = tempfile.mkdtemp(prefix="duban-bench-")
        path = os.path.join(folder, "appraisal.db")
        try:
            result = run("sqlite:///" + path, False, args)
        finally:
            if os.path.exists(path):
                os.remove(path)
            os.rmdir(folder)
    else:
        admin, name, url = postgres_url(args.pg_admin)
        try:
            result = run(url, True, args)
        finally:
            with admin.connect() as conn:
                conn.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name)))
            admin.dispose()
    loaded, count, in_month, scored, f = result
    print("appraisal bench on {}: {:,} items ({:,} due in {}), {:,} departments ({} scored), "
          "loaded in {:.1f}s; median of {}".format(args.db, count, in_month, MONTH.label,
                                                   args.departments, scored, loaded, args.repeat))
    print("{:<18}{:>10}{:>12}".format("what", "seconds", "x reference"))
    for name in ("reference", "aggregate", "appraisal"):
        print("{:<18}{:>10.3f}{:>12.2f}".format(name, f[name], f[name] / f["reference"]))
    print("{:<18}{:>10}{:>12}{:>16}".format("", "", "x month", "x rows it reads"))
    for name in ("month reference", "rows it reads", "monthly report"):
        print("{:<18}{:>10.3f}{:>12.2f}{:>16.2f}".format(
            name, f[name], f[name] / f["month reference"], f[name] / f["rows it reads"]))
    print("1-minute load average at the start and end of the timings: {:.2f}, {:.2f}".format(
        *f["load"]))
    record(args.db, f)


def record(db, f):
    """Into bench/results.json: each time beside its reference (target: at most 3x it)."""
    load = " (load {:.1f}-{:.1f})".format(*f["load"])
    half = "bare GROUP BY over the half-year's items" + load
    month = "bare GROUP BY over the month's items" + load
    for name, value, reference, what, target in (
            ("aggregate", f["aggregate"], f["reference"], half, 1 / 3),
            ("whole appraisal", f["appraisal"], f["reference"], half, 1 / 3),
            ("monthly report", f["monthly report"], f["month reference"], month, 1 / 3),
            ("monthly report vs the rows it reads", f["monthly report"], f["rows it reads"],
             "bare GROUP BY over the items the report reads" + load, None)):
        results.record("appraisal/{} {} (reference/time)".format(db, name), value, "s",
                       reference, what, target, higher_is_better=False)


if __name__ == "__main__":
    main()

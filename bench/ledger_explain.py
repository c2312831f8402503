"""EXPLAIN ANALYZE of every statement the ledger's queries run, on a filled database.

    python bench/ledger_explain.py URL [--kind status] [--full]

URL is a tracking database filled by `bench/ledger_bench.py --keep` (PostgreSQL or SQLite).
Runs tracking's own list_items / get_item use cases (as the platform administrator and as
the contact of the busiest department) with SQLAlchemy recording each statement, then
prints each statement's plan: on PostgreSQL `EXPLAIN (ANALYZE, BUFFERS)` (the plan's
first lines and its execution time unless --full), on SQLite `EXPLAIN QUERY PLAN`.
"""
import argparse
import datetime as dt
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench import ledger_fill  # noqa: E402
from bench.ledger_bench import WORDS2, WORDS3  # noqa: E402
from services.tracking.handlers import items, ledger  # noqa: E402
from shared.access import Principal  # noqa: E402
from shared.clock import Clock  # noqa: E402
from shared.contracts.tracking import ItemQuery  # noqa: E402
from shared.schemas import load  # noqa: E402

ADMIN = Principal(kind="admin", id="admin", name="admin", roles=("admin",), org_id=None)


class Uow:
    def __init__(self, session, principal):
        self.session, self.principal, self.clock = session, principal, Clock()


def queries(sample, today):
    d = sample["departments"][0]
    return {
        "status": {"status": "in_progress"},
        "department": {"department": d},
        "overdue": {"overdue": "true"},
        "deadline range": {"deadline_from": today.isoformat(),
                           "deadline_to": (today + dt.timedelta(days=30)).isoformat()},
        "text 2 chars": {"q": WORDS2[0]},
        "text 3 chars": {"q": WORDS3[0]},
        "text rare": {"q": WORDS3[-1]},
        "deep page": {"page": "2501"},
        "no filter": {},
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--kind")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--contact", action="store_true", help="as a department's contact")
    args = parser.parse_args()
    engine = create_engine(args.url)
    postgres = engine.dialect.name == "postgresql"
    sample = ledger_fill.sample(args.url)
    today = dt.date.today()
    principal = ADMIN
    if args.contact:
        with engine.connect() as c:
            org = c.execute(text("SELECT code FROM org_units WHERE parent_id IS NULL "
                                 "ORDER BY id LIMIT 1")).scalar()
        principal = Principal(kind="person", id="person:0", name="contact", roles=("contact",),
                              org_id=org, organisation=org,
                              units=(sample["departments"][0],))
    seen = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cur, stmt, params, ctx, many: seen.append((stmt, params)))
    todo = queries(sample, today)
    if args.kind:
        todo = {k: v for k, v in todo.items() if k == args.kind}
    todo_item = not args.kind or args.kind == "item page"
    for name, query in todo.items():
        plans(engine, postgres, name, lambda s: ledger.list_items(
            Uow(s, principal), load(ItemQuery(), query)), seen, args.full)
    if todo_item:
        plans(engine, postgres, "item page", lambda s: items.get_item(
            Uow(s, principal), sample["item_ids"][0]), seen, args.full)


def plans(engine, postgres, name, use_case, seen, full):
    with Session(engine) as s:
        use_case(s)  # warm
        del seen[:]
        t0 = time.perf_counter()
        use_case(s)
        elapsed = (time.perf_counter() - t0) * 1000
        statements = list(seen)
    print("=" * 100)
    print("{}: {} statements, {:.1f} ms in all (the use case, Python included)".format(
        name, len(statements), elapsed))
    with engine.connect() as conn:
        for stmt, params in statements:
            first = " ".join(stmt.split())
            if not first.upper().startswith("SELECT"):  # a SET LOCAL: applies to what follows
                conn.exec_driver_sql(stmt, params)
                print("-" * 100 + "\n" + first)
                continue
            print("-" * 100)
            print(first if full else first[:400])
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
            rows = conn.exec_driver_sql(prefix + stmt, params).fetchall()
            lines = [" | ".join(str(v) for v in r) for r in rows]
            if postgres and not full:
                lines = lines[:14] + [line for line in lines[14:] if "Execution Time" in line]
            print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Benchmark of notify: the due scan, the send rate and how late a reminder leaves.

    python bench/notify_bench.py [--items 1000000] [--small 10000] [--db sqlite|postgres|both]
                                 [--sends 500] [--latency-items 40] [--skip-latency]

1. The due-reminder scan (the very query the sender runs, FOR UPDATE SKIP LOCKED on
   PostgreSQL) over a table for --items open items (three rungs each: two already sent,
   one pending in the future, plus 200 due now) beside the same scan over --small items,
   in the same run. Target: the large scan takes at most 2x the small one.
2. Sends per second through notify's sender to a local fake SMS gateway (generic HTTP
   protocol, signed) beside plain `requests` posts to the same fake. Target: >= 0.5.
3. Lateness: reminders due at two minute marks, the sender scanning every
   NOTIFY_SCAN_SECONDS (15 s by default, as deployed); the latest arrival after its slot.
   Target: under one minute.
Prints figures; asserts nothing. Row counts are options so CI never runs it.
"""
import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from services.notify import sending  # noqa: E402
from services.notify.api import set_ladder  # noqa: E402
from services.notify.channels import discover_channels  # noqa: E402
from services.notify.context import Context  # noqa: E402
from services.notify.models import Base, InboxEntry, OpenItem, OutboxEvent  # noqa: E402
from services.notify.projection import apply_snapshot  # noqa: E402
from services.notify.schedule import reconcile  # noqa: E402
from shared.clock import Clock, org_zone  # noqa: E402
from shared.db import is_postgres, make_engine  # noqa: E402
from shared.outbox import add_event  # noqa: E402
from shared.uow import UnitOfWork  # noqa: E402
from tests.notify.fake_sms import FakeSmsGateway  # noqa: E402
from tests.notify.helpers import snapshot  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_ADMIN = os.environ.get("DUBAN_TEST_PG_URL",
                          "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
DUE = 200


class TableOutbox:
    def add(self, session, envelope):
        add_event(session, OutboxEvent, envelope)


# ---- databases
def fresh_database(kind):
    if kind == "sqlite":
        path = os.path.join(tempfile.mkdtemp(prefix="notify-bench-"), "notify.db")
        return "sqlite:///" + path, lambda: None
    name = "notify_bench_{}".format(uuid.uuid4().hex[:8])
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "{}"'.format(name)))
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name

    def drop():
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name)))
        admin.dispose()
    return url, drop


FILL_PG = """
INSERT INTO rungs (item_id, rung, recipient, channel, series, kind, role, due_at, next_at,
                   status, attempts)
SELECT 'i' || n, r.rung, '139' || lpad((n % 100000000)::text, 8, '0'), 'sms', 'deadline',
       r.kind, 'responsible',
       CASE WHEN r.status = 'pending' AND n % :every = 0 THEN now() - interval '1 minute'
            WHEN r.status = 'pending' THEN now() + (n % 30 + 1) * interval '1 day'
            ELSE now() - (n % 30 + 1) * interval '1 day' END,
       CASE WHEN r.status = 'pending' AND n % :every = 0 THEN now() - interval '1 minute'
            WHEN r.status = 'pending' THEN now() + (n % 30 + 1) * interval '1 day'
            ELSE now() - (n % 30 + 1) * interval '1 day' END,
       r.status, CASE WHEN r.status = 'sent' THEN 1 ELSE 0 END
FROM generate_series(1, :n) AS n,
     (VALUES ('2026-12-31/before-7', 'before', 'sent'), ('2026-12-31/before-3', 'before', 'sent'),
             ('2026-12-31/before-1', 'before', 'pending')) AS r(rung, kind, status)
"""

def fill(url, items):
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    every = max(1, items // DUE)
    started = time.perf_counter()
    with engine.begin() as conn:
        if is_postgres(engine):
            conn.execute(text(FILL_PG), {"n": items, "every": every})
        else:
            conn.execute(text(FILL_SQLITE_SIMPLE), {"n": items, "every": every})
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return engine, time.perf_counter() - started


FILL_SQLITE_SIMPLE = """
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :n),
r(rung, kind, status) AS (SELECT '2026-12-31/before-7', 'before', 'sent'
                          UNION ALL SELECT '2026-12-31/before-3', 'before', 'sent'
                          UNION ALL SELECT '2026-12-31/before-1', 'before', 'pending'),
rows(n, rung, kind, status, at) AS (
  SELECT s.n, r.rung, r.kind, r.status,
         CASE WHEN r.status = 'pending' AND s.n % :every = 0
                THEN strftime('%Y-%m-%d %H:%M:%S', 'now', '-1 minutes')
              WHEN r.status = 'pending'
                THEN strftime('%Y-%m-%d %H:%M:%S', 'now', '+' || (s.n % 30 + 1) || ' days')
              ELSE strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (s.n % 30 + 1) || ' days')
         END || '.000000'
  FROM s CROSS JOIN r)
INSERT INTO rungs (item_id, rung, recipient, channel, series, kind, role, due_at, next_at,
                   status, attempts)
SELECT 'i' || n, rung, '139' || substr('00000000' || (n % 100000000), -8), 'sms', 'deadline',
       kind, 'responsible', at, at, status, CASE WHEN status = 'sent' THEN 1 ELSE 0 END
FROM rows
"""


def time_scan(engine, runs=50):
    """Median seconds of the due scan (locking on PostgreSQL), and how many rows it found."""
    times, found = [], 0
    now = Clock().now()
    for _ in range(runs):
        with Session(engine) as session:
            q = sending.due_query(now, DUE)
            if is_postgres(engine):
                q = q.with_for_update(skip_locked=True)
            started = time.perf_counter()
            rows = list(session.scalars(q))
            times.append(time.perf_counter() - started)
            found = len(rows)
            session.rollback()
    return statistics.median(times), found


def scan_bench(kind, items, small):
    print("== due scan on {} ==".format(kind))
    results = {}
    for count in (small, items):
        url, drop = fresh_database(kind)
        try:
            engine, took = fill(url, count)
            median, found = time_scan(engine)
            results[count] = median
            print("  {:>9,} open items ({:,} rungs, filled in {:.0f} s): scan {:.2f} ms, "
                  "{} due rows".format(count, 3 * count, took, median * 1000, found))
            engine.dispose()
        finally:
            drop()
    ratio = results[items] / results[small]
    print("  ratio {:,} / {:,}: {:.2f} (target <= 2)".format(items, small, ratio))
    return ratio


# ---- sends per second
def seed_due(url, count, ladder=None, deadline_days=1):
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    now = Clock().now()
    local = now.astimezone(org_zone())
    ladder = ladder or {"send_at": (local - dt.timedelta(hours=1)).strftime("%H:%M"),
                        "quiet_hours": {"start": (local + dt.timedelta(hours=3)).strftime("%H:%M"),
                                        "end": (local + dt.timedelta(hours=4)).strftime("%H:%M")}}
    with Session(engine, expire_on_commit=False) as session:
        uow = UnitOfWork(session, TableOutbox(), Clock(), producer="notify", inbox=InboxEntry)
        ctx = Context(channels={"http": object()}, default_channel="http")
        with uow:
            set_ladder(uow, ctx, "HQ", "*", ladder)
        with uow:
            for n in range(count):
                item = OpenItem(id="b-{:05d}".format(n), status="registered", version=0,
                                updated_at=now)
                apply_snapshot(item, snapshot(item_id=item.id, mobile_offset=n + 1,
                                              deadline=(local.date() + dt.timedelta(
                                                  days=deadline_days)).isoformat()), now)
                session.add(item)
                session.flush()
                reconcile(uow, ctx, item, now)
    return engine


def fake_in_its_own_process():
    """The fake gateway in a separate process, so that it does not share this process's
    interpreter lock with the sender being measured."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.notify.fake_sms"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONWARNINGS="ignore"))
    base = proc.stdout.readline().strip()
    settings = FakeSmsGateway.settings(types.SimpleNamespace(base=base, slow_seconds=15.0),
                                       NOTIFY_CHANNEL="http", NOTIFY_DAILY_CAP_PER_NUMBER=0)
    return proc, base, settings


def sends_bench(count):
    print("== sends per second to the fake gateway (generic HTTP, signed, own process) ==")
    proc, base, settings = fake_in_its_own_process()
    try:
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="notify-bench-"), "n.db")
        engine = seed_due(url, count)
        ctx = Context.from_config(settings, discover_channels(settings, entry_points=[]))
        with Session(engine, expire_on_commit=False) as session:
            uow = UnitOfWork(session, TableOutbox(), Clock(), producer="notify",
                             inbox=InboxEntry)
            started = time.perf_counter()
            outcome = sending.run_due(uow, ctx, Clock().now())
            notify_rate = count / (time.perf_counter() - started)
        stats = requests.get(base + "/stats").json()
        assert outcome.get("sent") == count and stats["messages"] == count, (outcome, stats)
        gateway = ctx.channel("http")
        plain = requests.Session()
        body = b'{"to":"13900001111","text":"x","kind":"before","out_id":"p","params":{}}'
        started = time.perf_counter()
        for n in range(count):
            plain.post(settings["NOTIFY_HTTP_SMS_URL"], data=body, headers=gateway.headers(body))
        plain_rate = count / (time.perf_counter() - started)
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    print("  notify: {:.0f} sends/s; plain requests (one after another): {:.0f} posts/s; "
          "ratio {:.2f} (target >= 0.5)".format(notify_rate, plain_rate,
                                                notify_rate / plain_rate))
    return notify_rate / plain_rate


# ---- lateness
def latency_bench(count, scan_seconds):
    print("== lateness: slot -> arrival at the provider, scanning every {:.0f} s ==".format(
        scan_seconds))
    fake = FakeSmsGateway()
    arrivals = {}
    original = fake.record

    def stamp(protocol, to, out_id, body):
        arrivals[out_id] = Clock().now()
        original(protocol, to, out_id, body)
    fake.record = stamp
    settings = fake.settings(NOTIFY_CHANNEL="http", NOTIFY_DAILY_CAP_PER_NUMBER=0)
    try:
        local = Clock().now().astimezone(org_zone())
        slot = (local + dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
        url = "sqlite:///" + os.path.join(tempfile.mkdtemp(prefix="notify-bench-"), "l.db")
        ladder = {"send_at": slot.strftime("%H:%M"), "before_days": [1],
                  "quiet_hours": {"start": (local + dt.timedelta(hours=3)).strftime("%H:%M"),
                                  "end": (local + dt.timedelta(hours=4)).strftime("%H:%M")}}
        engine = seed_due(url, count, ladder)
        ctx = Context.from_config(settings, discover_channels(settings, entry_points=[]))
        slot_utc = slot.astimezone(dt.timezone.utc)
        # the scanner starts at a random phase, as a deployed timer would
        time.sleep((uuid.uuid4().int % 1000) / 1000 * scan_seconds)
        with Session(engine, expire_on_commit=False) as session:
            uow = UnitOfWork(session, TableOutbox(), Clock(), producer="notify",
                             inbox=InboxEntry)
            while len(arrivals) < count and Clock().now() < slot_utc + dt.timedelta(minutes=3):
                sending.recover(uow, ctx, Clock().now())
                sending.run_due(uow, ctx, Clock().now())
                time.sleep(scan_seconds)
    finally:
        fake.close()
    late = sorted((a - slot_utc).total_seconds() for a in arrivals.values())
    print("  {} of {} reminders arrived; after their slot: median {:.1f} s, max {:.1f} s "
          "(target < 60 s)".format(len(late), count, statistics.median(late) if late else -1,
                                   late[-1] if late else -1))
    return late


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--sends", type=int, default=500)
    parser.add_argument("--latency-items", type=int, default=40)
    parser.add_argument("--scan-seconds", type=float,
                        default=float(os.environ.get("NOTIFY_SCAN_SECONDS", 15)))
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args(argv)
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    for kind in kinds:
        scan_bench(kind, args.items, args.small)
    sends_bench(args.sends)
    if not args.skip_latency:
        latency_bench(args.latency_items, args.scan_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

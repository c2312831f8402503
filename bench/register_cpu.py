"""Profile: what one `register_item` RPC costs in process, and its relay's pass.

    python bench/register_cpu.py [--db sqlite|postgres] [--items 300] [--profile N]

The single registration (`bench/rpc_register.py`) is a use case inside `exactly_once`
(the inbox claim and the recorded answer) on a real database, then a pass of the outbox
relay publishing its one event to the broker (a private vhost) and marking it. This tool
runs that pair N times in one process, without nameko's RPC around it, and prints the
CPU of each per registration (`time.process_time`: this process only, not the database
server's), the statements each issues (SQLAlchemy cursor events, by their first words),
and with `--profile N` the N costliest frames of each by cumulative CPU time. Asserts nothing
and records nothing: it is the before/after tool for the registration's write path.
"""
import eventlet

eventlet.monkey_patch()  # noqa: E402  (as the services run: green psycopg2)

import argparse  # noqa: E402
import collections  # noqa: E402
import cProfile  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
import uuid  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nameko.testing.services import worker_factory  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench.broker import private_vhost  # noqa: E402
from bench.databases import drop_database, fresh_database  # noqa: E402
from services.tracking.models import OutboxEvent  # noqa: E402
from services.tracking.service import TrackingService  # noqa: E402
from shared.broker_setup import declare  # noqa: E402
from shared.clock import Clock  # noqa: E402
from shared.db import engine_for, session_factory  # noqa: E402
from shared.migrate import upgrade  # noqa: E402
from shared.outbox import Outbox  # noqa: E402
from shared.rpc import RequestInfo  # noqa: E402

def relay_for(url, amqp):
    """The tracking service's outbox relay, set up as its container would."""
    relay = Outbox(OutboxEvent)
    relay.container = types.SimpleNamespace(
        service_name="tracking", config={"DATABASE_URL": url, "AMQP_URI": amqp})
    relay.setup()
    return relay


class Registrar:
    """A worker per call, as nameko makes one per request: its own session, outbox writer
    and request id (so `exactly_once` claims and records every call)."""

    def __init__(self, url, relay):
        self.Session = session_factory(engine_for(url))
        self.relay = relay
        self.clock = Clock()

    def register(self, payload):
        session = self.Session()
        try:
            worker = TrackingService()  # what the container injects, without mocks
            worker.db, worker.clock, worker.caller = session, self.clock, "bench"
            worker.outbox = self.relay.get_dependency(worker)
            worker.request = RequestInfo(message_id=str(uuid.uuid4()))
            worker.config = {"NUMBER_PREFIX": "DB"}
            result = worker.register_item(payload)
            self.relay.worker_teardown(worker)
            return result
        finally:
            session.close()


def kind_of(sql):
    words = sql.split()
    head = " ".join(words[:3]) if words else ""
    for table in ("inbox", "org_units", "number_sequences", "calendar_days", "items ",
                  "item_co_departments", "item_history", "outbox", "pg_advisory"):
        if table in sql:
            return "{} … {}".format(words[0], table.strip())
    return head


WALL = {}  # label -> wall ms per call


def run(fn, n, profile, statements, label):
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not waits
    seen = len(statements)
    spent = 0.0
    wall = time.perf_counter()
    for _ in range(n):
        start = time.process_time()
        if profiler:
            profiler.enable()
        fn()
        if profiler:
            profiler.disable()
        spent += time.process_time() - start
    WALL[label] = (time.perf_counter() - wall) * 1000 / n
    if profiler:
        print("---- {}: top {} frames by cumulative time".format(label, profile))
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return spent * 1000 / n, statements[seen:]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--items", type=int, default=300)
    p.add_argument("--profile", type=int, default=0, metavar="N")
    args = p.parse_args()
    url = fresh_database(args.db, tempfile.mkdtemp(), "duban_reg")
    deadline = (Clock().today() + dt.timedelta(days=30)).isoformat()
    item = {"title": "基准测试事项", "content": "内容" * 50, "lead_department": "FIN",
            "deadline": deadline}
    try:
        upgrade("tracking", url)
        with private_vhost("bench_regcpu") as amqp:
            declare(amqp)
            relay = relay_for(url, amqp)
            registrar = Registrar(url, relay)
            setup = registrar.Session()
            directory = worker_factory(TrackingService, db=setup, clock=Clock(), caller="bench",
                                       outbox=relay.get_dependency(object()),
                                       config={"NUMBER_PREFIX": "DB"})
            directory.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
            directory.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department",
                                       "parent": "HQ"})
            setup.close()
            statements = []
            event.listen(engine_for(url), "before_cursor_execute",
                         lambda conn, cursor, sql, *rest: statements.append(sql))
            for _ in range(20):  # warm up
                registrar.register(item)
                relay.relay_once()
            use_case, by_use_case = run(lambda: registrar.register(item), args.items,
                                        args.profile, statements, "register_item")
            # the relay's pass after each registration, as in the service
            pairs = []

            def pair():
                registrar.register(item)
                start = time.process_time()
                relay.relay_once()
                pairs.append(time.process_time() - start)

            statements_before_pairs = len(statements)
            run(pair, args.items, 0, statements, "pair")
            relay_ms = sum(pairs) * 1000 / len(pairs)
            relay_statements = [s for s in statements[statements_before_pairs:]]
            if args.profile:
                profiler = cProfile.Profile(time.process_time)
                for _ in range(args.items):
                    registrar.register(item)
                    profiler.enable()
                    relay.relay_once()
                    profiler.disable()
                print("---- relay pass: top {} frames by cumulative time".format(args.profile))
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
            relay.stop()
    finally:
        drop_database(url)
    per_call = collections.Counter(kind_of(s) for s in by_use_case)
    pair_counts = collections.Counter(kind_of(s) for s in relay_statements)
    print("database: {}  registrations: {}".format(args.db, args.items))
    print("use case (exactly_once register_item): {:.2f} CPU ms ({:.2f} ms wall), {:.1f} "
          "statements a call".format(use_case, WALL["register_item"],
                                     len(by_use_case) / args.items))
    for kind, count in sorted(per_call.items()):
        print("    {:<40} {:>6.2f}".format(kind, count / args.items))
    print("relay pass after it: {:.2f} CPU ms; registration + pass: {:.2f} ms wall, {:.1f} "
          "statements".format(relay_ms, WALL["pair"], len(relay_statements) / args.items))
    for kind, count in sorted(pair_counts.items()):
        print("    {:<40} {:>6.2f}".format(kind, count / args.items))


if __name__ == "__main__":
    main()

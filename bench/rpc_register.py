"""Benchmark: items registered per second over RPC, beside a bare nameko RPC round trip
and raw kombu on the same broker.

    python bench/rpc_register.py [--items 500] [--db sqlite|postgres] [--in-flight 10]
                                 [--processes one|separate]

Starts a tracking service and a service whose RPC does nothing in this process (tracking
on a fresh database), or with `--processes separate` each as its own `nameko run` process
as `make run` and the containers deploy them (the client stays in this process), registers N items through nameko RPC (sequentially and with several
calls in flight), calls the empty RPC the same way, and measures the raw kombu
publish→consume rate (persistent, publisher confirms) on the same broker. A second
reference, the durable floor: an RPC that writes the call's body as one row and commits
(SQLAlchemy Core, one INSERT, same database), the least any registration that answers only
once its item is stored can cost. Prints the figures and records them in bench/results.json
(issue 10's targets: registration ≥ 0.5 of the bare round trip, sequential and in flight).
Asserts nothing.
"""
import eventlet

eventlet.monkey_patch()  # noqa: E402

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nameko.containers import ServiceContainer  # noqa: E402
from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, text  # noqa: E402

from nameko.rpc import rpc  # noqa: E402

from bench import results  # noqa: E402
from bench.broker import private_vhost  # noqa: E402
from shared.broker_setup import declare  # noqa: E402
from bench.reference import raw_kombu  # noqa: E402
from services.tracking.service import TrackingService  # noqa: E402
from shared.clock import Clock  # noqa: E402
from shared.db import make_engine  # noqa: E402
from shared.migrate import upgrade  # noqa: E402



FLOOR = MetaData()
floor_rows = Table("bench_durable_floor", FLOOR, Column("id", Integer, primary_key=True),
                   Column("body", Text, nullable=False))
_floor = {}     # the engine of the durable floor, set before the services start


class Bare:
    """The references: an RPC that does nothing, and one that stores its call durably."""

    name = "bench_bare"

    @rpc
    def noop(self, payload):
        return {"ok": True}

    @rpc
    def store(self, payload):
        if "engine" not in _floor:                  # its own process: the URL from the bench
            _floor["engine"] = make_engine(os.environ["BENCH_FLOOR_URL"],
                                           pool_size=int(os.environ.get("BENCH_FLOOR_POOL", 10)))
        with _floor["engine"].begin() as conn:      # one INSERT, one COMMIT
            conn.execute(floor_rows.insert().values(body=payload["content"]))
        return {"ok": True}


def rate(call, n, in_flight):
    """Calls per second: one at a time, or with `in_flight` replies outstanding."""
    start = time.perf_counter()
    if in_flight <= 1:
        for _ in range(n):
            call().result()
    else:
        pending = []
        for _ in range(n):
            pending.append(call())
            if len(pending) >= in_flight:
                pending.pop(0).result()
        for reply in pending:
            reply.result()
    return n / (time.perf_counter() - start)


def database(kind):
    if kind == "sqlite":
        return "sqlite:///{}".format(os.path.join(tempfile.mkdtemp(), "bench.db")), None
    admin = create_engine("postgresql+psycopg2://postgres@127.0.0.1:5432/postgres",
                          isolation_level="AUTOCOMMIT")
    name = "duban_bench_{}".format(uuid.uuid4().hex[:8])
    with admin.connect() as c:
        c.execute(text('CREATE DATABASE "{}"'.format(name)))
    return "postgresql+psycopg2://postgres@127.0.0.1:5432/" + name, (admin, name)


class InProcess:
    """Tracking and the references as containers of this process."""

    def __init__(self, amqp, url, args):
        _floor["engine"] = make_engine(url, pool_size=args.in_flight)
        FLOOR.create_all(_floor["engine"])
        config = {"AMQP_URI": amqp, "DATABASE_URL": url, "OVERDUE_CHECK_SECONDS": 3600,
                  "FEEDBACK_CHECK_SECONDS": 3600}
        self.containers = [ServiceContainer(TrackingService, config),
                           ServiceContainer(Bare, {"AMQP_URI": amqp})]

    def start(self):
        for container in self.containers:
            container.start()

    def stop(self):
        for container in self.containers:
            container.stop()
        _floor.pop("engine").dispose()


class Processes:
    """Tracking and the references each as its own `nameko run` process, as deployed (the
    floor's table made here first)."""

    def __init__(self, amqp, url, args):
        engine = make_engine(url)
        FLOOR.create_all(engine)
        engine.dispose()
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        nameko = os.path.join(os.path.dirname(sys.executable), "nameko")
        env = dict(os.environ, AMQP_URI=amqp, TRACKING_DATABASE_URL=url, BENCH_FLOOR_URL=url,
                   BENCH_FLOOR_POOL=str(args.in_flight),
                   OVERDUE_CHECK_SECONDS="3600", FEEDBACK_CHECK_SECONDS="3600",
                   LOG_LEVEL="WARNING", PYTHONWARNINGS="ignore")
        self.commands = [
            [nameko, "run", "--config", os.path.join(root, "services", "tracking", "config.yaml"),
             "services.tracking.service:TrackingService"],
            [nameko, "run", "--broker", amqp, "bench.rpc_register:Bare"]]
        self.root, self.env, self.amqp, self.procs = root, env, amqp, []

    def start(self):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="rpc_register-", suffix=".log",
                                               delete=False)
        for command in self.commands:
            self.procs.append(subprocess.Popen(command, cwd=self.root, env=self.env,
                                               stdout=self.log, stderr=subprocess.STDOUT))
        try:
            self._wait_ready()
        except BaseException:       # a failed start or an interrupt leaves no process behind
            self.stop()
            raise

    def _wait_ready(self):
        deadline = time.monotonic() + 60
        with ClusterRpcProxy({"AMQP_URI": self.amqp}, timeout=2) as rpc_:
            for ready in (lambda: rpc_.tracking.ping(), lambda: rpc_.bench_bare.noop({})):
                while True:
                    try:
                        ready()
                        break
                    except Exception:
                        if time.monotonic() > deadline or any(p.poll() is not None
                                                              for p in self.procs):
                            raise SystemExit("a service of the bench did not start; its "
                                             "output is in " + self.log.name)
                        time.sleep(0.5)

    def stop(self):
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def measure(amqp, url, args):
    """register_item and the bare RPC, sequential and with args.in_flight calls in flight."""
    system = (Processes if args.processes == "separate" else InProcess)(amqp, url, args)
    system.start()
    deadline = (Clock().today() + dt.timedelta(days=30)).isoformat()
    try:
        with ClusterRpcProxy({"AMQP_URI": amqp}, timeout=30) as rpc_:
            rpc_.tracking.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
            rpc_.tracking.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department",
                                           "parent": "HQ"})
            item = {"title": "基准测试事项", "content": "内容" * 50, "lead_department": "FIN",
                    "deadline": deadline}
            for _ in range(20):  # warm up all three
                rpc_.tracking.register_item(item)
                rpc_.bench_bare.noop(item)
                rpc_.bench_bare.store(item)
            half = args.items // 2
            register = lambda: rpc_.tracking.register_item.call_async(item)  # noqa: E731
            noop = lambda: rpc_.bench_bare.noop.call_async(item)  # noqa: E731
            store = lambda: rpc_.bench_bare.store.call_async(item)  # noqa: E731
            sequential = rate(register, half, 1)
            bare_sequential = rate(noop, half, 1)
            floor_sequential = rate(store, half, 1)
            concurrent = rate(register, args.items - half, args.in_flight)
            bare_concurrent = rate(noop, args.items - half, args.in_flight)
            floor_concurrent = rate(store, args.items - half, args.in_flight)
    finally:
        system.stop()
    return sequential, bare_sequential, floor_sequential, concurrent, bare_concurrent, floor_concurrent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--in-flight", type=int, default=10)
    parser.add_argument("--processes", choices=["one", "separate"], default="one",
                        help="separate: tracking and the references as their own nameko "
                             "processes, as deployed")
    args = parser.parse_args()
    url, cleanup = database(args.db)
    try:
        run(args, url)
    finally:
        if cleanup:
            from shared.db import dispose
            dispose(url)
            admin, name = cleanup
            with admin.connect() as c:
                c.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name)))


def run(args, url):
    """Measure, print and record (the database made and dropped by main)."""
    upgrade("tracking", url)
    with private_vhost("bench_rpc") as amqp:  # never the queues of a running system
        declare(amqp)
        (sequential, bare_sequential, floor_sequential,
         concurrent, bare_concurrent, floor_concurrent) = measure(amqp, url, args)
        reference = raw_kombu(amqp, args.items)
    print("database: {}  items: {}  processes: {}".format(args.db, args.items, args.processes))
    print("{:<46} {:>10}".format("measure", "per second"))
    for label, value in (("register_item over RPC, sequential", sequential),
                         ("bare nameko RPC, sequential (ref.)", bare_sequential),
                         ("RPC storing one row, sequential (floor)", floor_sequential),
                         ("register_item over RPC, {} in flight".format(args.in_flight),
                          concurrent),
                         ("bare nameko RPC, {} in flight (ref.)".format(args.in_flight),
                          bare_concurrent),
                         ("RPC storing one row, {} in flight (floor)".format(args.in_flight),
                          floor_concurrent),
                         ("raw kombu publish->consume, confirms", reference)):
        print("{:<46} {:>10.0f}".format(label, value))
    tag = args.db if args.processes == "one" else args.db + ", separate processes"
    results.record("register_item/{} sequential (items/s)".format(tag), sequential, "1/s",
                   bare_sequential, "bare nameko RPC round trip, sequential", target=0.5)
    results.record("register_item/{} {} in flight (items/s)".format(tag, args.in_flight),
                   concurrent, "1/s", bare_concurrent,
                   "bare nameko RPC round trip, {} in flight".format(args.in_flight), target=0.5)
    results.record("register_item/{}: in flight vs sequential".format(tag), concurrent,
                   "1/s", sequential, "register_item sequential", target=1.0)
    # The durable floor against the bare round trip: where it is under 0.5, no registration
    # that answers after its commit can reach the target on this machine.
    results.record("durable floor/{} sequential (calls/s)".format(tag), floor_sequential,
                   "1/s", bare_sequential, "bare nameko RPC round trip, sequential")
    results.record("durable floor/{} {} in flight (calls/s)".format(tag, args.in_flight),
                   floor_concurrent, "1/s", bare_concurrent,
                   "bare nameko RPC round trip, {} in flight".format(args.in_flight))
    results.record("register_item/{} sequential vs the durable floor".format(tag), sequential,
                   "1/s", floor_sequential, "RPC storing one row, sequential")


if __name__ == "__main__":
    main()

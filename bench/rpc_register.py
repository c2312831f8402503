"""Benchmark: items registered per second over RPC, beside raw kombu on the same broker.

    python bench/rpc_register.py [--items 500] [--db sqlite|postgres] [--in-flight 10]

Starts a tracking service in this process on a fresh database, registers N items
through nameko RPC (sequentially and with several calls in flight), and measures in
the same run the raw kombu publish→consume rate (persistent, publisher confirms) on
the same broker as the reference. Prints figures, asserts nothing.
"""
import eventlet

eventlet.monkey_patch()  # noqa: E402

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kombu import Connection, Exchange, Queue  # noqa: E402
from nameko.containers import ServiceContainer  # noqa: E402
from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from services.tracking.service import TrackingService  # noqa: E402
from shared.clock import Clock  # noqa: E402
from shared.migrate import upgrade  # noqa: E402

AMQP = os.environ.get("AMQP_URI", "amqp://guest:guest@localhost:5672//")


def raw_kombu(n):
    """Publish n persistent confirmed messages, then consume them all: messages/s."""
    name = "bench-{}".format(uuid.uuid4().hex[:8])
    ex = Exchange(name, type="direct", durable=False, auto_delete=True)
    queue = Queue(name, ex, routing_key=name, auto_delete=True)
    body = {"id": str(uuid.uuid4()), "type": "item.registered", "data": {"title": "x" * 200}}
    with Connection(AMQP, transport_options={"confirm_publish": True}) as conn:
        queue(conn.channel()).declare()
        producer = conn.Producer(serializer="json")
        received = []
        start = time.perf_counter()
        for _ in range(n):
            producer.publish(body, exchange=ex, routing_key=name, delivery_mode=2)
        with conn.Consumer(queue, callbacks=[lambda b, m: (received.append(1), m.ack())]):
            while len(received) < n:
                conn.drain_events(timeout=10)
        elapsed = time.perf_counter() - start
    return n / elapsed


def database(kind):
    if kind == "sqlite":
        return "sqlite:///{}".format(os.path.join(tempfile.mkdtemp(), "bench.db")), None
    admin = create_engine("postgresql+psycopg2://postgres@127.0.0.1:5432/postgres",
                          isolation_level="AUTOCOMMIT")
    name = "duban_bench_{}".format(uuid.uuid4().hex[:8])
    with admin.connect() as c:
        c.execute(text('CREATE DATABASE "{}"'.format(name)))
    return "postgresql+psycopg2://postgres@127.0.0.1:5432/" + name, (admin, name)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--in-flight", type=int, default=10)
    args = parser.parse_args()
    url, cleanup = database(args.db)
    upgrade("tracking", url)
    container = ServiceContainer(TrackingService, {"AMQP_URI": AMQP, "DATABASE_URL": url,
                                                   "OVERDUE_CHECK_SECONDS": 3600})
    container.start()
    deadline = (Clock().today() + dt.timedelta(days=30)).isoformat()
    try:
        with ClusterRpcProxy({"AMQP_URI": AMQP}, timeout=30) as rpc:
            rpc.tracking.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
            rpc.tracking.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department",
                                          "parent": "HQ"})
            item = {"title": "基准测试事项", "content": "内容" * 50, "lead_department": "FIN",
                    "deadline": deadline}
            half = args.items // 2
            start = time.perf_counter()
            for _ in range(half):
                rpc.tracking.register_item(item)
            sequential = half / (time.perf_counter() - start)
            start = time.perf_counter()
            pending = []
            for _ in range(args.items - half):
                pending.append(rpc.tracking.register_item.call_async(item))
                if len(pending) >= args.in_flight:
                    pending.pop(0).result()
            for reply in pending:
                reply.result()
            concurrent = (args.items - half) / (time.perf_counter() - start)
    finally:
        container.stop()
    reference = raw_kombu(args.items)
    print("database: {}  items: {}".format(args.db, args.items))
    print("{:<46} {:>10}".format("measure", "per second"))
    print("{:<46} {:>10.0f}".format("register_item over RPC, sequential", sequential))
    print("{:<46} {:>10.0f}".format("register_item over RPC, {} in flight".format(args.in_flight),
                                    concurrent))
    print("{:<46} {:>10.0f}".format("raw kombu publish->consume, confirms (ref.)", reference))
    print("ratio sequential / raw kombu: {:.2f}".format(sequential / reference))
    print("ratio in flight / raw kombu:  {:.2f}".format(concurrent / reference))
    if cleanup:
        from shared.db import dispose
        dispose(url)
        admin, name = cleanup
        with admin.connect() as c:
            c.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name)))


if __name__ == "__main__":
    main()

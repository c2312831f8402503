"""Benchmark: the whole system as operators run it, each service its own process.

    python bench/pipeline_bench.py [--db sqlite|postgres] [--milestones 5000]
        [--drafts 300] [--pipeline 300 --rate 20] [--tracking-instances 1|2]

Starts tracking, intake, notify, appraisal and the gateway with `nameko run` on a private
RabbitMQ vhost and fresh databases, and an independent consumer (a plain kombu queue
bound to `tracking.events` for `item.registered`, as another system would subscribe).
Then, through the gateway's HTTP API as the platform administrator:

- bulk, goal sheet: a sheet of N milestones uploaded and confirmed; items/s from the
  confirm call to the N-th `item.registered` at the consumer;
- bulk, minutes: minutes with M numbered actions, confirmed likewise;
- pipeline: items registered one by one (`POST /api/v1/items`) at a fixed rate; items/s
  and p50 / p99 latency from the HTTP call to the event at the consumer;
- memory: each service's resident size idle and its peak during the run.

The reference, in the same run on the same broker: raw kombu publish with confirms →
consume of the same number of messages of the same size as the `item.registered`
envelopes received. With `--tracking-instances 2` two tracking processes share the work
(competing consumers); the run then checks that every item was registered exactly once,
numbers are gap-free, and every item's events reached the consumer in version order.
Records figures in bench/results.json; asserts nothing.
"""
import argparse
import csv
import datetime as dt
import io
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests
from kombu import Connection, Exchange, Queue
from sqlalchemy import create_engine, text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench import results  # noqa: E402
from bench.broker import drop_vhost, make_vhost  # noqa: E402
from bench.reference import raw_kombu  # noqa: E402

PG = "postgresql+psycopg2://postgres@127.0.0.1:5432/"
SERVICES = ("tracking", "intake", "notify", "appraisal")
UNITS = [("HQ", "集团", "group", None)] + [
    ("D{:02d}".format(i), "第{}部".format(i), "department", "HQ") for i in range(1, 21)]


# -- set-up ---------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def databases(kind, tmp):
    if kind == "sqlite":
        return {s: "sqlite:///{}".format(os.path.join(tmp, s + ".db")) for s in SERVICES}, []
    admin = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
    urls, names = {}, []
    with admin.connect() as c:
        for s in SERVICES:
            name = "duban_bench_{}_{}".format(s, uuid.uuid4().hex[:6])
            c.execute(text('CREATE DATABASE "{}"'.format(name)))
            urls[s], names = PG + name, names + [name]
    return urls, names


def drop_databases(names):
    if not names:
        return
    admin = create_engine(PG + "postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        for name in names:
            c.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name)))


class System:
    """The services as separate `nameko run` processes, like `make run` starts them."""

    def __init__(self, amqp, urls, port, tracking_instances, tmp):
        self.token = secrets.token_urlsafe(24)
        self.base = "http://127.0.0.1:{}".format(port)
        self.env = dict(os.environ, AMQP_URI=amqp, WEB_SERVER_ADDRESS="127.0.0.1:{}".format(port),
                        DUBAN_ADMIN_TOKEN=self.token, LOG_LEVEL="WARNING",
                        OUTBOX_POLL_SECONDS="0.5", PYTHONWARNINGS="ignore",
                        **{s.upper() + "_DATABASE_URL": u for s, u in urls.items()})
        self.tracking_instances = tracking_instances
        self.tmp = tmp
        self.procs = {}
        self.phases = []  # (what just happened, resident size of each process)
        self.cpu = []  # (a bulk step, CPU seconds each process used in it)

    def start(self):
        py = sys.executable
        subprocess.run([py, "-m", "shared.broker_setup"], cwd=ROOT, env=self.env, check=True)
        subprocess.run([py, "-m", "shared.migrate"] + list(SERVICES), cwd=ROOT, env=self.env,
                       check=True, stdout=subprocess.DEVNULL)
        nameko = os.path.join(os.path.dirname(py), "nameko")
        names = ["tracking"] * self.tracking_instances + ["intake", "notify", "appraisal",
                                                          "gateway"]
        for i, service in enumerate(names):
            label = service if service != "tracking" else "tracking{}".format(i + 1)
            log = open(os.path.join(self.tmp, label + ".log"), "w")
            self.procs[label] = subprocess.Popen(
                [nameko, "run", "--config", os.path.join(ROOT, "services", service, "config.yaml"),
                 "services.{0}.service:{1}Service".format(service, service.capitalize())],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/health", timeout=2).json().get("status") == "ok":
                    return
            except (requests.RequestException, ValueError):
                pass
            time.sleep(0.5)
        raise SystemExit("the system did not become healthy; logs in " + self.tmp)

    def stop(self):
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    def rss_mb(self):
        out = {}
        for label, proc in self.procs.items():
            with open("/proc/{}/status".format(proc.pid)) as fh:
                kb = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))
            out[label] = kb / 1024.0
        return out

    def cpu_s(self):
        """CPU seconds (user + system) each process has used so far."""
        out, tick = {}, os.sysconf("SC_CLK_TCK")
        for label, proc in self.procs.items():
            with open("/proc/{}/stat".format(proc.pid)) as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            out[label] = (int(fields[11]) + int(fields[12])) / tick
        return out

    def http(self):
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + self.token
        return s


class MemoryWatch(threading.Thread):
    """Peak resident size of each process, sampled every 0.2 s."""

    def __init__(self, system):
        super().__init__(daemon=True)
        self.system, self.peak, self.running = system, {}, True

    def run(self):
        while self.running:
            for label, mb in self.system.rss_mb().items():
                self.peak[label] = max(self.peak.get(label, 0), mb)
            time.sleep(0.2)


class Tap(threading.Thread):
    """An independent subscriber: its own queue on tracking.events, item.registered."""

    def __init__(self, amqp, routing_key="item.#"):
        super().__init__(daemon=True)
        self.amqp, self.routing_key = amqp, routing_key
        self.seen = {}  # event type -> [(monotonic time, envelope)]
        self.ready = threading.Event()
        self.running = True
        self.lock = threading.Lock()

    def run(self):
        ex = Exchange("tracking.events", type="topic", durable=True)
        queue = Queue("bench-tap-" + uuid.uuid4().hex[:6], ex, routing_key=self.routing_key,
                      auto_delete=True)
        with Connection(self.amqp) as conn:
            with conn.Consumer(queue, callbacks=[self.on_message], prefetch_count=500):
                self.ready.set()
                while self.running:
                    try:
                        conn.drain_events(timeout=0.5)
                    except OSError:  # socket.timeout
                        pass

    def on_message(self, body, message):
        with self.lock:
            self.seen.setdefault(body.get("type"), []).append((time.monotonic(), body))
        message.ack()

    def count(self, event_type="item.registered"):
        with self.lock:
            return len(self.seen.get(event_type, []))

    def wait_for(self, n, event_type="item.registered", seconds=600):
        deadline = time.monotonic() + seconds
        while self.count(event_type) < n:
            if time.monotonic() > deadline:
                raise SystemExit("only {} of {} {} events arrived".format(
                    self.count(event_type), n, event_type))
            time.sleep(0.005)
        with self.lock:
            return self.seen[event_type][n - 1][0]


# -- the measures ---------------------------------------------------------------------

def seed(http, base):
    for code, name, kind, parent in UNITS:
        r = http.post(base + "/api/v1/org-units", json={"code": code, "name": name,
                                                         "kind": kind, "parent": parent})
        r.raise_for_status()


def goal_sheet(n, year):
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["目标", "节点", "牵头单位", "完成时限"])
    for i in range(n):
        month = 1 + i % 12
        w.writerow(["年度目标{}".format(i // 10 + 1), "完成第{}项节点工作任务".format(i + 1),
                    "第{}部".format(1 + i % 20), "{}-{:02d}-28".format(year, month)])
    return out.getvalue().encode("utf-8")


def minutes_text(n, year):
    lines = ["集团总经理办公会会议纪要", "会议议定事项如下："]
    for i in range(n):
        lines.append("{}、由第{}部负责完成第{}项专项整改工作，于{}年{}月28日前完成。".format(
            i + 1, 1 + i % 20, i + 1, year, 1 + i % 12))
    return "\n".join(lines)


def bulk(system, tap, upload, expected):
    """Upload a source, confirm it, wait for every item.registered: items/s."""
    http = system.http()
    r = upload(http)
    r.raise_for_status()
    source = r.json()
    if len(source["drafts"]) != expected:
        raise SystemExit("expected {} drafts, the parser made {}".format(
            expected, len(source["drafts"])))
    system.phases.append(("{} drafts parsed".format(expected), system.rss_mb()))
    before = tap.count()
    cpu = system.cpu_s()
    start = time.monotonic()
    r = http.post(system.base + "/api/v1/intake/sources/{}/confirm".format(source["id"]),
                  json={}, timeout=600)
    r.raise_for_status()
    confirmed_after = time.monotonic() - start
    system.phases.append(("{} drafts confirmed".format(expected), system.rss_mb()))
    last = tap.wait_for(before + expected)
    system.phases.append(("{} items registered".format(expected), system.rss_mb()))
    time.sleep(2)  # the other services' projections of the last events
    after = system.cpu_s()
    system.cpu.append(("{} drafts, confirm to registered".format(expected),
                       {k: after[k] - cpu[k] for k in after}))
    return expected / (last - start), confirmed_after


def pipeline(system, tap, n, per_second):
    """Items registered one by one at a fixed rate: (items/s, p50 ms, p99 ms)."""
    http = system.http()
    deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    sent = {}
    start = time.monotonic()
    for i in range(n):
        due = start + i / per_second
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        t0 = time.monotonic()
        r = http.post(system.base + "/api/v1/items", json={
            "title": "流水线事项{}".format(i), "content": "内容" * 40,
            "lead_department": "D{:02d}".format(1 + i % 20), "deadline": deadline})
        r.raise_for_status()
        sent[r.json()["id"]] = t0
    tap.wait_for(tap.count())  # settle
    deadline_at = time.monotonic() + 60
    arrived = {}
    while time.monotonic() < deadline_at and len(arrived) < n:
        with tap.lock:
            for at, body in tap.seen.get("item.registered", []):
                item_id = body["data"].get("id") or body.get("subject_id")
                if item_id in sent:
                    arrived[item_id] = at
        time.sleep(0.05)
    latencies = sorted((arrived[i] - sent[i]) * 1000 for i in arrived)
    elapsed = max(arrived.values()) - start
    return (len(arrived) / elapsed, statistics.median(latencies),
            latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))])


def check_exactly_once(tap, urls, expected):
    """Every item once in the database, numbers gap-free, each item's events in order."""
    engine = create_engine(urls["tracking"])
    with engine.connect() as c:
        items = c.execute(text("SELECT count(*), count(DISTINCT number) FROM items")).one()
    with tap.lock:
        registered = [b["subject_id"] for _, b in tap.seen.get("item.registered", [])]
        versions = {}
        out_of_order = 0
        for event_type in tap.seen:
            pass
        for _, body in sorted((x for v in tap.seen.values() for x in v), key=lambda x: x[0]):
            v = body["data"].get("version")
            if v is None:
                continue
            last = versions.get(body["subject_id"], 0)
            if v < last:
                out_of_order += 1
            versions[body["subject_id"]] = max(last, v)
    return {"items": items[0], "distinct_numbers": items[1], "expected": expected,
            "registered_events": len(registered), "distinct_registered": len(set(registered)),
            "out_of_order": out_of_order}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--milestones", type=int, default=5000)
    p.add_argument("--drafts", type=int, default=300)
    p.add_argument("--pipeline", type=int, default=300)
    p.add_argument("--rate", type=float, default=20.0)
    p.add_argument("--tracking-instances", type=int, default=1)
    p.add_argument("--port", type=int, default=0, help="the gateway's port (default: a free one)")
    p.add_argument("--py-spy", metavar="OUT", help="record tracking1 with py-spy (collapsed "
                   "stacks) during the goal sheet; py-spy must be on PATH")
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="duban-bench-")
    vhost, amqp = make_vhost("bench_pipeline")
    urls, names = databases(args.db, tmp)
    system = System(amqp, urls, args.port or free_port(), args.tracking_instances, tmp)
    tap = None
    tag = "{}{}".format(args.db, "" if args.tracking_instances == 1 else
                        ", {} tracking".format(args.tracking_instances))
    try:
        system.start()
        tap = Tap(amqp)
        tap.start()
        tap.ready.wait(10)
        http = system.http()
        seed(http, system.base)
        time.sleep(2)
        idle = system.rss_mb()
        watch = MemoryWatch(system)
        watch.start()
        year = dt.date.today().year + 1
        spy = args.py_spy and subprocess.Popen(
            ["py-spy", "record", "--format", "raw", "-r", "200", "-o", args.py_spy, "-p",
             str(system.procs["tracking1"].pid)], stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        goals_rate, goals_confirm = bulk(system, tap, lambda h: h.post(
            system.base + "/api/v1/intake/goals", data={"year": str(year)}, timeout=600,
            files={"file": ("goals.csv", goal_sheet(args.milestones, year), "text/csv")}),
            args.milestones)
        if spy:
            spy.send_signal(2)
            spy.wait()
        minutes_rate, minutes_confirm = bulk(system, tap, lambda h: h.post(
            system.base + "/api/v1/intake/minutes", timeout=600, json={
                "text": minutes_text(args.drafts, year),
                "meeting_date": dt.date.today().isoformat()}), args.drafts)
        pipe_rate, p50, p99 = pipeline(system, tap, args.pipeline, args.rate)
        watch.running = False
        with tap.lock:
            sizes = [len(json.dumps(b, ensure_ascii=False).encode())
                     for _, b in tap.seen["item.registered"][:200]]
        size = int(statistics.mean(sizes))
        reference = raw_kombu(amqp, args.milestones, size)
        reference_small = raw_kombu(amqp, args.drafts, size)
        total = args.milestones + args.drafts + args.pipeline
        check = check_exactly_once(tap, urls, total)
    finally:
        if tap is not None:
            tap.running = False
        system.stop()
        drop_vhost(vhost)
        drop_databases(names)
    print("database: {}  tracking instances: {}  event size: {} B".format(
        args.db, args.tracking_instances, size))
    rows = [("goal sheet, {} milestones: items/s to the consumer".format(args.milestones),
             goals_rate, reference),
            ("minutes, {} drafts: items/s to the consumer".format(args.drafts), minutes_rate,
             reference_small),
            ("pipeline at {}/s: items/s".format(args.rate), pipe_rate, args.rate)]
    print("{:<58} {:>9} {:>11} {:>6}".format("figure", "value", "reference", "ratio"))
    for label, value, ref in rows:
        print("{:<58} {:>9.1f} {:>11.1f} {:>6.2f}".format(label, value, ref, value / ref))
    print("confirm call answered after: goal sheet {:.2f} s, minutes {:.2f} s".format(
        goals_confirm, minutes_confirm))
    print("pipeline latency HTTP call -> event at the consumer: p50 {:.1f} ms, p99 {:.1f} ms"
          .format(p50, p99))
    print("resident size (MB), idle -> peak:")
    for label in sorted(idle):
        print("  {:<12} {:>7.1f} -> {:>7.1f}".format(label, idle[label], watch.peak.get(label, 0)))
    print("resident size (MB) after each step:")
    for what, sizes in system.phases:
        print("  {:<28} {}".format(what, "  ".join("{} {:.0f}".format(k, v)
                                                   for k, v in sorted(sizes.items()))))
    print("CPU seconds each process used (bulk, from the confirm call to 2 s after the last "
          "event; 2 cores):")
    for what, used in system.cpu:
        print("  {:<36} {}".format(what, "  ".join("{} {:.1f}".format(k, v)
                                                   for k, v in sorted(used.items()))))
    print("exactly-once check: {}".format(check))
    ref_name = "raw kombu publish (confirms) -> consume, same size, same count"
    results.record("bulk goal sheet {}/{} (items/s)".format(args.milestones, tag), goals_rate,
                   "1/s", reference, ref_name, target=0.5)
    results.record("bulk minutes {}/{} (items/s)".format(args.drafts, tag), minutes_rate, "1/s",
                   reference_small, ref_name, target=0.5)
    results.record("pipeline {}/s/{}: items/s".format(args.rate, tag), pipe_rate, "1/s",
                   args.rate, "the offered rate (one POST /api/v1/items at a time)", target=0.9)
    results.record("pipeline {}/s/{}: p50 latency (ms)".format(args.rate, tag), p50, "ms",
                   p99, "the same run's p99 (spread)", target=None, higher_is_better=False)
    for label in sorted(idle):
        results.record("memory {} peak/{} (MB)".format(label, tag),
                       watch.peak.get(label, idle[label]), "MB", 150.0, "the 150 MB limit",
                       target=1.0, higher_is_better=False)


if __name__ == "__main__":
    main()

"""Benchmark: the ledger (GET /api/v1/items and the item page) at scale, through the gateway,
beside the gateway's GET /health round trip measured in the same run.

    python bench/ledger_bench.py --db postgres [--items 1000000]
    python bench/ledger_bench.py --db sqlite   [--items 100000]
    python bench/ledger_bench.py --db postgres --keep        # leave the filled database
    python bench/ledger_bench.py --db postgres --url URL     # reuse a filled database
    python bench/ledger_bench.py --db postgres --fill-only   # fill, migrate and keep; no run

Fills a fresh tracking database with synthetic rows (bench/ledger_fill.py: bulk inserts
straight into the tables, ~2,000 departments) before the ledger's indexes, migrates it to
head (building them over the whole table), starts tracking and the
gateway as `nameko run` processes on their own RabbitMQ vhost and port, signs in as the
platform administrator (DUBAN_ADMIN_TOKEN) and as a department contact, then times each
query kind over HTTP with 1 and with 20 concurrent clients (threads, one keep-alive
session each): p50 and p95 of each kind against p50 and p95 of GET /health (one RPC
round trip to tracking) at the same concurrency. Issue 10's target: p95 ≤ 3× the health
p95; recorded as ratio = health p95 / query p95 (higher is better), target ≥ 0.33.
Asserts nothing.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from sqlalchemy import create_engine, text  # noqa: E402

from bench import ledger_fill, results  # noqa: E402
from bench.broker import drop_vhost, make_vhost  # noqa: E402
from shared.migrate import alembic_config, upgrade  # noqa: E402
from alembic import command  # noqa: E402

NAMEKO = os.path.join(os.path.dirname(sys.executable), "nameko")
PG_ADMIN = os.environ.get("DUBAN_BENCH_PG_URL",
                          "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
ADMIN_TOKEN = "bench-ledger-admin-token-0123456789"
CONTACT_PASSWORD = "bench-contact-pass-1"
FILL_AT = "0005"  # the revision before the ledger's indexes
WORDS2 = ["预算", "审计", "安全", "招聘", "合同"]          # two characters
WORDS3 = ["信息化", "供应商", "数据中心", "绩效考核", "乌鲁木齐"]  # three and more (a city: rarer)


def database(kind, items):
    if kind == "sqlite":
        folder = tempfile.mkdtemp()
        return "sqlite:///{}".format(os.path.join(folder, "ledger.db")), (None, folder)
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    name = "ledger_bench_{}".format(uuid.uuid4().hex[:8])
    with admin.connect() as c:
        c.execute(text('CREATE DATABASE "{}"'.format(name)))
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, (admin, name)


def start_services(url, amqp, port, workdir):
    """tracking and the gateway, each a `nameko run` process (the gateway's health asks
    tracking only: the other services are not started)."""
    env = dict(os.environ, AMQP_URI=amqp, TRACKING_DATABASE_URL=url, DUBAN_ADMIN_TOKEN=ADMIN_TOKEN,
               WEB_SERVER_ADDRESS="127.0.0.1:{}".format(port), OVERDUE_CHECK_SECONDS="86400",
               FEEDBACK_CHECK_SECONDS="86400", LOG_LEVEL="WARNING", PYTHONPATH=ROOT)
    gateway_config = os.path.join(workdir, "gateway.yaml")
    with open(os.path.join(ROOT, "services", "gateway", "config.yaml"), encoding="utf-8") as fh:
        body = fh.read().replace("HEALTH_SERVICES: [tracking, intake, notify, appraisal]",
                                 "HEALTH_SERVICES: [tracking]")
    with open(gateway_config, "w", encoding="utf-8") as fh:
        fh.write(body)
    procs = []
    for config, target in ((os.path.join(ROOT, "services", "tracking", "config.yaml"),
                            "services.tracking.service:TrackingService"),
                           (gateway_config, "services.gateway.service:GatewayService")):
        procs.append(subprocess.Popen([NAMEKO, "run", "--config", config, target], cwd=ROOT,
                                      env=env, start_new_session=True))
    base = "http://127.0.0.1:{}".format(port)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/health", timeout=2).json().get("status") == "ok":
                return base, procs
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.5)
    stop(procs)
    raise SystemExit("tracking and the gateway did not come up")


def stop(procs):
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sign_in_contact(base, department):
    """A person of `department` who is its contact, signed in: their session token."""
    admin = {"Authorization": "Bearer " + ADMIN_TOKEN}
    username = "contact{}".format(uuid.uuid4().hex[:6])
    person = requests.post(base + "/api/v1/people", headers=admin, json={
        "name": "联系人", "mobile": "139{:08d}".format(uuid.uuid4().int % 10 ** 8),
        "org_unit": department, "roles": ["contact"], "username": username,
        "password": CONTACT_PASSWORD}, timeout=30)
    person.raise_for_status()
    requests.put(base + "/api/v1/org-units/{}/contact".format(department), headers=admin,
                 json={"person": person.json()["id"]}, timeout=30).raise_for_status()
    session = requests.post(base + "/api/v1/auth/token", json={
        "username": username, "password": CONTACT_PASSWORD}, timeout=30)
    session.raise_for_status()
    return session.json()["token"]


def kinds(sample, today, deep_page):
    """name -> (who, list of request paths cycled through)."""
    depts = sample["departments"]
    return {
        "health": ("none", ["/health"]),
        "status": ("admin", ["/api/v1/items?status=" + s for s in
                             ("in_progress", "issued", "completion_requested", "registered")]),
        "department": ("admin", ["/api/v1/items?department=" + d for d in depts[:20]]),
        "overdue": ("admin", ["/api/v1/items?overdue=true", "/api/v1/items?overdue=true&org=JT"]),
        "deadline range": ("admin", ["/api/v1/items?deadline_from={}&deadline_to={}".format(
            a, b) for a, b in months(today)]),
        "text 2 chars": ("admin", ["/api/v1/items?q=" + w for w in WORDS2]),
        "text 3+ chars": ("admin", ["/api/v1/items?q=" + w for w in WORDS3]),
        "deep page (offset)": ("admin", ["/api/v1/items?page={}".format(deep_page + k)
                                         for k in range(5)]),
        "deep page (cursor)": ("admin", ["/api/v1/items?cursor=" + c for c in sample["cursors"]]),
        "item page": ("admin", ["/api/v1/items/" + i for i in sample["item_ids"]]),
        "contact: own list": ("contact", ["/api/v1/items", "/api/v1/items?page=2"]),
        "contact: overdue": ("contact", ["/api/v1/items?overdue=true"]),
        "contact: text": ("contact", ["/api/v1/items?q=" + w for w in WORDS2 + WORDS3]),
    }


def months(today):
    out = []
    for k in range(-6, 6, 2):
        start = today.replace(day=1)
        y, m = divmod(start.month - 1 + k, 12)
        a = start.replace(year=start.year + y, month=m + 1)
        y2, m2 = divmod(a.month, 12)
        b = a.replace(year=a.year + y2, month=m2 + 1)
        out.append((a.isoformat(), b.isoformat()))
    return out


def measure(base, headers, paths, clients, total):
    """Latencies (ms) of `total` requests spread over `clients` threads, each with its own
    keep-alive session, cycling through `paths`."""
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(total))

    def worker():
        with requests.Session() as s:
            s.headers.update(headers)
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                t0 = time.perf_counter()
                r = s.get(base + paths[n % len(paths)], timeout=120)
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    (latencies if r.status_code == 200 else errors).append(
                        ms if r.status_code == 200 else r.status_code)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print("  {} failed requests: {}".format(len(errors), sorted(set(errors))))
    return latencies


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(base, tokens, sample, args, today):
    deep_page = args.deep_offset // 20 + 1
    admin = {"Authorization": "Bearer " + tokens["admin"]}
    # the cursors at the same depth: the next_cursor of the pages before
    sample["cursors"] = [requests.get(base + "/api/v1/items?page={}".format(deep_page - 1 + k),
                                      headers=admin, timeout=60).json()["next_cursor"]
                         for k in range(5)]
    table = kinds(sample, today, deep_page)
    found = {}
    for clients in (1, 20):
        total = args.requests * (1 if clients == 1 else 2)
        for name, (who, paths) in table.items():
            headers = {} if who == "none" else {"Authorization": "Bearer " + tokens[who]}
            measure(base, headers, paths, clients, max(clients, total // 10))  # warm up
            if name == "health":
                continue
            # the reference is measured right before each kind, at the same concurrency
            health = measure(base, {}, ["/health"], clients, total)
            values = measure(base, headers, paths, clients, total)
            found[(name, clients)] = (values, health)
            print("{:<20} {:>3} clients  p50 {:7.1f} ms  p95 {:7.1f} ms   health p50 {:5.1f} "
                  "p95 {:5.1f} ms   ratio {:.2f}".format(
                      name, clients, statistics.median(values), pct(values, 95),
                      statistics.median(health), pct(health, 95),
                      pct(health, 95) / pct(values, 95)), flush=True)
    return found


def record(found, db, items):
    for (name, clients), (values, health) in found.items():
        size = "{}M".format(items // 10 ** 6) if items % 10 ** 6 == 0 else "{}k".format(
            items // 1000)
        results.record("ledger/{} {}: {}, {}c p95 ms".format(db, size, name, clients),
            pct(values, 95), "ms", pct(health, 95), "GET /health p95, same clients",
            target=0.33, higher_is_better=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--items", type=int)
    parser.add_argument("--requests", type=int, default=200, help="per kind, 1 client")
    parser.add_argument("--deep-offset", type=int, default=50000)
    parser.add_argument("--port", type=int, default=8191)
    parser.add_argument("--url", help="a database filled before (kept with --keep)")
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument("--fill-only", action="store_true", help="fill, migrate, keep; no run")
    args = parser.parse_args()
    items = args.items or (1000000 if args.db == "postgres" else 100000)
    import datetime as dt
    today = dt.date.today()
    cleanup = None
    if args.url:
        url = args.url
        upgrade("tracking", url)
    else:
        url, cleanup = database(args.db, items)
        # the rows go in before the ledger's indexes (revision 0006), which are then built
        # once over the whole table, as a migration meets an existing ledger
        command.upgrade(alembic_config("tracking", url), FILL_AT)
        t0 = time.perf_counter()
        ledger_fill.fill(url, items, today=today)
        print("filled {} items in {:.0f} s: {}".format(items, time.perf_counter() - t0, url),
              flush=True)
        t0 = time.perf_counter()
        upgrade("tracking", url)
        ledger_fill.analyze(url)
        print("migrated to head (the ledger's indexes) in {:.0f} s".format(
            time.perf_counter() - t0), flush=True)
    if args.fill_only:
        return
    name, amqp = make_vhost("ledger_bench")
    subprocess.run([sys.executable, "-m", "shared.broker_setup", "--amqp-uri", amqp], cwd=ROOT,
                   check=True, capture_output=True)
    workdir = tempfile.mkdtemp()
    procs = []
    try:
        base, procs = start_services(url, amqp, args.port, workdir)
        sample = ledger_fill.sample(url)
        tokens = {"admin": ADMIN_TOKEN, "contact": sign_in_contact(base, sample["departments"][0])}
        print("database: {}  items: {}  load: {}".format(args.db, items, os.getloadavg()))
        found = run(base, tokens, sample, args, today)
    finally:
        stop(procs)
        drop_vhost(name)
        shutil.rmtree(workdir, ignore_errors=True)
    record(found, args.db, items)
    if cleanup and not args.keep:
        admin, dbname = cleanup
        if admin is None:
            shutil.rmtree(dbname, ignore_errors=True)  # the SQLite file's folder
        else:
            with admin.connect() as c:
                c.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(dbname)))
    elif args.keep:
        print("kept:", url)


if __name__ == "__main__":
    main()

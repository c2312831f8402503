"""Profile: the CPU each service's batched handler spends per message, in process.

    python bench/batch_cpu.py [--db sqlite|postgres] [--items 1000] [--profile N]

A bulk registration is CPU-bound on this project's 2-core machine (docs/performance.md):
every service that handles the items competes for the same cores. This tool measures,
without the broker, what each batched handler costs per message on a real database:
tracking applying `draft.confirmed` (a registration: item, co-department, history and
outbox rows, the inbox claim), then notify and appraisal applying the `item.registered`
events tracking wrote to its outbox, in batches of 100 as `shared/batching.py` hands them
over. Each service gets a fresh database (`--db postgres`: throwaway databases on the
local server). CPU is this process's (`time.process_time`), so the database server's own
work is not in it. `--profile N` prints the N costliest frames of each, by cumulative time.
Asserts nothing and records nothing: it is the before/after tool for the handlers.
"""
import argparse
import cProfile
import datetime as dt
import os
import pstats
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nameko.testing.services import worker_factory  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.databases import drop_database, fresh_database  # noqa: E402

from services.appraisal import models as appraisal_models  # noqa: E402
from services.appraisal.plugins import discover_rules  # noqa: E402
from services.appraisal.service import AppraisalService  # noqa: E402
from services.notify import models as notify_models  # noqa: E402
from services.notify.channels import discover_channels  # noqa: E402
from services.notify.context import Context  # noqa: E402
from services.notify.service import NotifyService  # noqa: E402
from services.tracking import models as tracking_models  # noqa: E402
from services.tracking.service import TrackingService  # noqa: E402
from shared.clock import FixedClock  # noqa: E402
from shared.db import make_engine  # noqa: E402
from shared.outbox import add_event  # noqa: E402

BATCH = 100
CLOCK = FixedClock(dt.datetime(2026, 11, 27, 2, tzinfo=dt.timezone.utc))


class TableOutbox:
    """What the Outbox dependency does inside a transaction: a row in the service's outbox."""

    def __init__(self, model):
        self.model = model

    def add(self, session, envelope):
        add_event(session, self.model, envelope)


class Refuse:
    """Dead letters: nothing should be parked here; say so loudly if something is."""
    retries, backoff, park_retry = 0, 0, 0

    def park(self, handler, source, event_type, payload, error, attempts):
        raise SystemExit("{} parked an event: {}".format(handler, error))


def session_on(url, base):
    engine = make_engine(url)
    base.metadata.create_all(engine)
    return Session(engine)


def confirmed(i):
    """A draft.confirmed as intake publishes it for a goal-sheet milestone."""
    draft = str(uuid.uuid4())
    return {"id": str(uuid.uuid4()), "type": "draft.confirmed", "version": 1,
            "occurred_at": "2026-11-27T02:00:00Z", "producer": "intake",
            "data": {"item_id": str(uuid.uuid4()), "draft_id": draft, "actor": "office",
                     "item": {"title": "里程碑 {}".format(i),
                              "content": "年度目标的第 {} 个里程碑，按计划推进".format(i),
                              "lead_department": ("D1", "D2")[i % 2], "co_departments": ["D3"],
                              "deadline": "2026-12-31", "assigning_leader": "张三",
                              "feedback_cadence": ("none", "monthly")[i % 2],
                              "source": {"kind": "annual_goal", "ref": "2026年度目标",
                                         "goal": "目标一", "year": 2026, "draft_id": draft}}}}


def tracking_worker(url):
    session = session_on(url, tracking_models.Base)
    service = worker_factory(TrackingService, db=session, clock=CLOCK, caller="intake",
                             outbox=TableOutbox(tracking_models.OutboxEvent),
                             dead_letters=Refuse(), config={"NUMBER_PREFIX": "DB"})
    service.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
    for n in (1, 2, 3):
        service.create_org_unit({"code": "D{}".format(n), "name": "第{}部".format(n),
                                 "kind": "department", "parent": "HQ"})
    return service, session


def notify_worker(url):
    session = session_on(url, notify_models.Base)
    ctx = Context(channels=discover_channels({}, entry_points=[]), default_channel="console")
    service = worker_factory(NotifyService, db=session, clock=CLOCK, ctx=ctx, caller="tracking",
                             outbox=TableOutbox(notify_models.OutboxEvent),
                             dead_letters=Refuse(), config={"NOTIFY_REBUILD": "off"})
    return service, session


def appraisal_worker(url):
    session = session_on(url, appraisal_models.Base)
    service = worker_factory(AppraisalService, db=session, clock=CLOCK, caller="tracking",
                             outbox=TableOutbox(appraisal_models.OutboxEvent),
                             rules=discover_rules(entry_points=[]), dead_letters=Refuse(),
                             config={"APPRAISAL_REBUILD": "off"})
    return service, session


def timed(handler, batches, profile):
    """CPU ms per message of `handler` over every batch but the first (a warm-up)."""
    handler(batches[0])
    profiler = cProfile.Profile() if profile else None
    start = time.process_time()
    if profiler:
        profiler.enable()
    for batch in batches[1:]:
        handler(batch)
    if profiler:
        profiler.disable()
    spent = time.process_time() - start
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return spent * 1000 / sum(len(b) for b in batches[1:])


def in_batches(messages):
    return [messages[i:i + BATCH] for i in range(0, len(messages), BATCH)]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--items", type=int, default=1000, help="messages per service (default 1000)")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="also print the N costliest frames of each handler")
    args = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="duban-cpu-")
    urls = {name: fresh_database(args.db, tmp, "duban_cpu_" + name)
            for name in ("tracking", "notify", "appraisal")}
    try:
        tracking, session = tracking_worker(urls["tracking"])
        figures = [("tracking: draft.confirmed -> item registered",
                    timed(tracking.on_draft_confirmed,
                          in_batches([confirmed(i) for i in range(args.items + BATCH)]),
                          args.profile))]
        registered = [row.payload for row in session.scalars(
            select(tracking_models.OutboxEvent).where(
                tracking_models.OutboxEvent.type == "item.registered")
            .order_by(tracking_models.OutboxEvent.seq))]
        session.close()
        for name, make in (("notify", notify_worker), ("appraisal", appraisal_worker)):
            service, other = make(urls[name])
            figures.append(("{}: item.registered projected".format(name),
                            timed(service.on_item_registered, in_batches(registered),
                                  args.profile)))
            other.close()
    finally:
        for url in urls.values():
            drop_database(url)
    print("database: {}  messages per service: {} (batches of {})".format(
        args.db, args.items, BATCH))
    print("{:<50} {:>16}".format("handler", "CPU ms / message"))
    for name, value in figures:
        print("{:<50} {:>16.2f}".format(name, value))


if __name__ == "__main__":
    main()

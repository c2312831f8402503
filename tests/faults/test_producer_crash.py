"""A producer killed with SIGKILL at random points under load, on SQLite and PostgreSQL.

Clients register items over RPC with ids they choose (retrying with the same id, as
the gateway's Idempotency-Key does) while tracking is SIGKILLed and restarted at
random moments. After the last restart the relay publishes whatever was committed
and not yet published: every committed item's `item.registered` reaches a subscriber,
no acknowledged request is missing, no item is registered twice.
"""
import datetime as dt
import os
import random
import time
import uuid

import eventlet
import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from services.tracking.models import Item
from services.tracking.models import OutboxEvent as TrackingOutbox
from shared.clock import Clock
from tests.faults.conftest import report, wait_up
from tests.faults.rig import tracking_effects, unpublished, wait_for
from tests.helpers import EventTap

pytestmark = pytest.mark.integration
LOAD_SECONDS = float(os.environ.get("DUBAN_CRASH_SECONDS", 12))
CLIENTS = 4


def committed_items(db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        ids = set(s.scalars(select(Item.id)))
    engine.dispose()
    return ids


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_producer_sigkilled_under_load_loses_nothing(system, database, request):
    tracking_url = request.getfixturevalue("pg_url") if database == "postgres" else None
    s = system(tracking_url=tracking_url)
    tap = EventTap(s.amqp_uri, "tracking.events", "item.registered")
    s.start("tracking")
    deadline_day = (Clock().today() + dt.timedelta(days=20)).isoformat()
    acknowledged, attempts = set(), [0]
    stop_at = time.monotonic() + LOAD_SECONDS
    rng = random.Random(os.environ.get("DUBAN_FAULT_SEED", "faults"))

    def client(n):
        while time.monotonic() < stop_at:
            item_id = str(uuid.uuid4())
            while True:  # the same id until it is acknowledged: a retry registers nothing new
                attempts[0] += 1
                try:
                    with ClusterRpcProxy({"AMQP_URI": s.amqp_uri}, timeout=6) as rpc:
                        rpc.tracking.register_item({"title": "压力 {}".format(n),
                                                    "lead_department": "FIN",
                                                    "deadline": deadline_day}, item_id=item_id)
                    acknowledged.add(item_id)
                    break
                except Exception:
                    eventlet.sleep(0.3)

    clients = [eventlet.spawn(client, n) for n in range(CLIENTS)]
    kills = 0
    while time.monotonic() < stop_at:
        eventlet.sleep(rng.uniform(0.8, 2.5))
        s.tracking.kill()  # SIGKILL, wherever it is: mid-request, mid-commit, mid-publish
        kills += 1
        s.tracking.start()
    wait_up(s.amqp_uri, "tracking")
    for c in clients:
        c.wait()
    wait_for(lambda: unpublished(s.tracking_url, TrackingOutbox) == 0, 60,
             message="the relay did not publish what was pending")
    committed = committed_items(s.tracking_url)
    wait_for(lambda: {b["subject_id"] for _, b in tap.settle(quiet=0.5)} >= committed, 30,
             message="committed items never reached the subscriber")
    messages = tap.settle(quiet=1.0)
    tap.close()
    received = {b["subject_id"] for _, b in messages}
    _, _, duplicated = tracking_effects(s.tracking_url, committed)
    lost = len(committed - received) + len(acknowledged - committed)
    report("c producer SIGKILL ({})".format(database), kills=kills, requests=attempts[0],
           acknowledged=len(acknowledged), committed=len(committed), published=len(received),
           deliveries=len(messages), lost=lost, duplicated=duplicated)
    assert kills >= 3 and len(acknowledged) > 0
    assert lost == 0 and duplicated == 0

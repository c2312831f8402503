"""Nothing is lost, nothing happens twice: crashes, duplicates, late starters, dead letters."""
import datetime as dt
import os
import subprocess
import sys
import time
import uuid

import pytest

from shared.clock import Clock
from nameko.exceptions import UnknownService
from nameko.standalone.rpc import ClusterRpcProxy
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from services.tracking.models import Item, OrgUnit, OutboxEvent
from services.tracking.service import TrackingService
from shared.broker_setup import declare
from shared.clock import utc_iso
from shared.migrate import upgrade
from tests.helpers import EventTap, publish_event, wait_until
from tests.integration.conftest import seed_directory, service_config

pytestmark = pytest.mark.integration
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMEKO = os.path.join(os.path.dirname(sys.executable), "nameko")


def run_tracking(amqp_uri, db_url, failpoints=""):
    env = dict(os.environ, AMQP_URI=amqp_uri, TRACKING_DATABASE_URL=db_url,
               DUBAN_FAILPOINTS=failpoints, OUTBOX_POLL_SECONDS="0.2", LOG_LEVEL="WARNING",
               PYTHONWARNINGS="ignore")
    return subprocess.Popen([NAMEKO, "run", "--config", "services/tracking/config.yaml",
                             "services.tracking.service:TrackingService"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def rpc_when_up(amqp_uri, fn, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=10) as rpc:
                return fn(rpc)
        except UnknownService:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def seed_over_rpc(rpc):
    rpc.tracking.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
    rpc.tracking.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department",
                                  "parent": "HQ"})


def outbox_rows(db_url, type_):
    engine = create_engine(db_url)
    with Session(engine) as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.type == type_)).all()
    engine.dispose()
    return rows


@pytest.mark.parametrize("failpoint,copies", [("outbox.before_publish", 1),
                                              ("outbox.after_publish", 2)])
def test_crash_between_commit_and_publish_loses_nothing(rabbit_config, sqlite_url, failpoint,
                                                        copies):
    """Killed after the commit: the event still goes out after restart (once, or at worst twice
    with the same id when the crash came after the publish but before it was marked)."""
    uri = rabbit_config["AMQP_URI"]
    upgrade("tracking", sqlite_url)
    declare(uri)
    tap = EventTap(uri, "tracking.events", "item.registered")
    proc = run_tracking(uri, sqlite_url)
    rpc_when_up(uri, seed_over_rpc)  # directory events go out normally
    proc.terminate()
    proc.wait(timeout=20)

    proc = run_tracking(uri, sqlite_url, failpoints=failpoint)
    deadline = (Clock().today() + dt.timedelta(days=9)).isoformat()
    try:
        # with the id chosen by the caller, as the gateway does: the request itself may be
        # redelivered after the crash (it was not acknowledged) and must not register twice
        rpc_when_up(uri, lambda rpc: rpc.tracking.register_item(
            {"title": "崩溃测试", "lead_department": "FIN", "deadline": deadline},
            item_id=str(uuid.uuid4())))
    except Exception:
        pass  # the process may die before the reply is sent; the commit is what matters
    try:
        code = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()  # a failing run must not leave a service behind
        code = proc.wait()
    assert code == 137, "the failpoint did not end the process"
    rows = outbox_rows(sqlite_url, "item.registered")
    assert len(rows) == 1 and rows[0].published_at is None  # committed, not marked
    assert len(tap.settle(quiet=0.5)) == copies - 1

    proc = run_tracking(uri, sqlite_url)
    try:
        tap.wait_for(copies)
        messages = tap.settle(quiet=1.5)
        assert len(messages) == copies
        assert {body["id"] for _, body in messages} == {rows[0].event_id}
        assert len(outbox_rows(sqlite_url, "item.registered")) == 1  # one item, whatever the redelivery
        wait_until(lambda: outbox_rows(sqlite_url, "item.registered")[0].published_at is not None)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        tap.close()


def draft_envelope(item_id, lead="FIN", event_id=None, title="纪要事项"):
    deadline = (Clock().today() + dt.timedelta(days=20)).isoformat()
    return {"id": event_id or str(uuid.uuid4()), "type": "draft.confirmed", "version": 1,
            "occurred_at": utc_iso(dt.datetime.now(dt.timezone.utc)), "producer": "intake",
            "org_id": None, "subject_id": "draft-1",
            "data": {"item_id": item_id, "draft_id": "draft-1", "item": {
                "title": title, "lead_department": lead, "deadline": deadline,
                "source": {"kind": "minutes", "ref": "纪要5号", "clause": "三、", "draft_id": "d1"}}}}


def test_duplicate_delivery_changes_nothing_twice(sqlite_url, make_system, rabbit_config):
    system = make_system(sqlite_url)
    seed_directory(system.http)
    item_id = str(uuid.uuid4())
    envelope = draft_envelope(item_id)
    uri = rabbit_config["AMQP_URI"]
    publish_event(uri, "intake", envelope)
    publish_event(uri, "intake", envelope)  # the same event delivered again
    publish_event(uri, "intake", draft_envelope(item_id))  # the draft confirmed twice
    system.tap.wait_for(1)
    assert [k for k, _ in system.tap.settle(quiet=1.5)] == ["item.registered"]
    items = system.http.get("/api/v1/items").json()
    assert items["total"] == 1 and items["items"][0]["id"] == item_id
    assert items["items"][0]["source"] == {"kind": "minutes", "ref": "纪要5号", "clause": "三、",
                                           "draft_id": "d1", "goal": None, "year": None}
    history = system.http.get("/api/v1/items/{}/history".format(item_id)).json()["history"]
    assert [h["action"] for h in history] == ["register"]


def test_events_published_before_the_consumer_started_are_kept(sqlite_url, rabbit_config,
                                                                container_factory, web_config):
    uri = rabbit_config["AMQP_URI"]
    upgrade("tracking", sqlite_url)
    declare(uri)  # the setup step, before any service runs
    item_id = str(uuid.uuid4())
    publish_event(uri, "intake", draft_envelope(item_id, lead="FIN"))
    engine = create_engine(sqlite_url)
    with Session(engine) as s:  # directory rows written directly: tracking is not running yet
        group = OrgUnit(code="HQ", name="集团", kind="group", aliases=[])
        s.add_all([group, OrgUnit(code="FIN", name="财务部", kind="department", parent=group,
                                  aliases=[])])
        s.commit()
    container = container_factory(TrackingService,
                                  service_config(rabbit_config, web_config, sqlite_url))
    container.start()

    def registered():
        with Session(engine) as s:
            return s.get(Item, item_id)
    item = wait_until(registered, message="the early event was lost")
    assert item.lead_unit.code == "FIN"
    engine.dispose()


def test_a_refused_registration_is_announced_not_parked(sqlite_url, make_system,
                                                         rabbit_config):
    """The directory changed after intake's dry run: tracking says so on its exchange."""
    system = make_system(sqlite_url)
    seed_directory(system.http)
    item_id = str(uuid.uuid4())
    rejected = EventTap(rabbit_config["AMQP_URI"], "tracking.events",
                        "item.registration_rejected")
    try:
        publish_event(rabbit_config["AMQP_URI"], "intake",
                      draft_envelope(item_id, lead="LOGISTICS"))
        (key, envelope), = rejected.wait_for(1)
    finally:
        rejected.close()
    assert envelope["subject_id"] == item_id
    assert envelope["data"]["draft_id"] == "draft-1"
    assert "LOGISTICS" in str(envelope["data"]["fields"]["lead_department"])
    assert system.http.get("/api/v1/items").json()["total"] == 0
    assert system.http.get("/api/v1/admin/dead-letters/tracking").json()["dead_letters"] == []


def test_failing_handler_parks_the_event_and_replay_applies_it(sqlite_url, make_system,
                                                               rabbit_config):
    system = make_system(sqlite_url)
    seed_directory(system.http)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # a fault of the service's own: its history table is away
        conn.exec_driver_sql("ALTER TABLE item_history RENAME TO item_history_away")
    item_id = str(uuid.uuid4())
    publish_event(rabbit_config["AMQP_URI"], "intake", draft_envelope(item_id))
    letters = wait_until(lambda: system.http.get("/api/v1/admin/dead-letters/tracking")
                         .json()["dead_letters"], message="nothing was parked")
    assert len(letters) == 1 and "item_history" in letters[0]["error"]
    assert system.http.get("/api/v1/items").json()["total"] == 0
    # the operator fixes the cause, then replays
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE item_history_away RENAME TO item_history")
    engine.dispose()
    r = system.http.post("/api/v1/admin/dead-letters/tracking/{}/replay".format(letters[0]["id"]))
    assert r.status_code == 200, r.text
    assert system.http.get("/api/v1/items/{}".format(item_id)).json()["lead_department"]["code"] \
        == "FIN"
    assert system.http.get("/api/v1/admin/dead-letters/tracking").json()["dead_letters"] == []
    again = system.http.post("/api/v1/admin/dead-letters/tracking/{}/replay".format(
        letters[0]["id"]))
    assert again.status_code == 409  # replayed once; nothing runs twice
    assert system.http.get("/api/v1/items").json()["total"] == 1  # and tracking still answers
    shown = system.http.get("/api/v1/admin/dead-letters/tracking", params={"all": "true"}).json()
    assert shown["dead_letters"][0]["replayed_at"].endswith("Z")
    huge = system.http.post("/api/v1/admin/dead-letters/tracking/{}/replay".format(2 ** 64))
    assert huge.status_code == 404 and huge.json()["error"]["code"] == "not_found"


def test_overdue_event_once_even_across_restarts(db_url, make_system, rabbit_config,
                                                 container_factory, web_config):
    system = make_system(db_url, OVERDUE_CHECK_SECONDS=0.2)
    person = seed_directory(system.http)
    today = Clock().today()
    iid = system.http.post("/api/v1/items", json={
        "title": "逾期测试", "lead_department": "FIN", "responsible_person": person,
        "deadline": today.isoformat()}).json()["id"]
    system.http.post("/api/v1/items/{}/issue".format(iid), json={})
    engine = create_engine(db_url)
    with Session(engine) as s:  # time passes: the deadline is now behind us
        s.execute(update(Item).where(Item.id == iid)
                  .values(deadline=today - dt.timedelta(days=2),
                          due_by=today - dt.timedelta(days=2)))
        s.commit()
    engine.dispose()
    system.tap.wait_for(3)
    assert [k for k, _ in system.tap.settle(quiet=1.5)] == ["item.registered", "item.issued",
                                                             "item.overdue"]
    system.tracking.stop()
    restarted = container_factory(TrackingService, system.config)
    restarted.start()
    time.sleep(1.5)  # several timer ticks after the restart
    assert [k for k, _ in system.tap.settle(quiet=0.5)].count("item.overdue") == 1
    listed = system.http.get("/api/v1/items", params={"overdue": "true"}).json()
    assert [i["id"] for i in listed["items"]] == [iid]


def test_an_event_that_cannot_even_be_parked_is_requeued_not_dropped(sqlite_url, make_system,
                                                                     rabbit_config):
    system = make_system(sqlite_url, HANDLER_PARK_RETRY_SECONDS=0.3)
    seed_directory(system.http)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # the dead-letter store is unavailable
        conn.exec_driver_sql("ALTER TABLE dead_letters RENAME TO dead_letters_away")
    malformed = draft_envelope(str(uuid.uuid4()))
    del malformed["data"]["item_id"]  # a bug of the producer: the handler cannot succeed
    publish_event(rabbit_config["AMQP_URI"], "intake", malformed)
    time.sleep(1.5)  # several failed attempts to park
    with engine.begin() as conn:  # and it is back
        conn.exec_driver_sql("ALTER TABLE dead_letters_away RENAME TO dead_letters")
    letters = wait_until(lambda: system.http.get("/api/v1/admin/dead-letters/tracking")
                         .json()["dead_letters"], message="the event was dropped")
    assert len(letters) == 1 and "item_id" in letters[0]["error"]
    engine.dispose()


def test_a_parked_event_is_corrected_or_discarded_with_an_audit_record(sqlite_url, make_system,
                                                                       rabbit_config):
    system = make_system(sqlite_url)
    http = system.http
    seed_directory(http)
    good = draft_envelope(str(uuid.uuid4()))
    broken = dict(good, data=dict(good["data"]))
    broken["data"]["registration"] = broken["data"].pop("item")  # a producer's bug
    publish_event(rabbit_config["AMQP_URI"], "intake", broken)
    other = draft_envelope(str(uuid.uuid4()))
    del other["data"]["item_id"]
    publish_event(rabbit_config["AMQP_URI"], "intake", other)
    letters = wait_until(lambda: len(http.get("/api/v1/admin/dead-letters/tracking")
                                     .json()["dead_letters"]) == 2 and
                         http.get("/api/v1/admin/dead-letters/tracking").json()["dead_letters"],
                         message="not parked")
    first, second = letters
    base = "/api/v1/admin/dead-letters/tracking/{}"
    # the reason is required and nothing changes without it
    r = http.patch(base.format(first["id"]), json={"payload": broken})
    assert r.status_code == 422 and "reason" in r.json()["error"]["fields"]
    r = http.patch(base.format(first["id"]), json={"payload": good, "reason": "字段名错误"})
    assert r.status_code == 200, r.text
    audit = r.json()["audit"]
    assert audit[0]["action"] == "corrected" and audit[0]["reason"] == "字段名错误"
    assert "registration" in audit[0]["before"]["data"]
    assert http.post((base + "/replay").format(first["id"])).status_code == 200
    assert http.get("/api/v1/items/" + good["data"]["item_id"]).status_code == 200
    r = http.post((base + "/discard").format(second["id"]), json={"reason": "重复事件"})
    assert r.status_code == 200 and r.json()["discarded_at"].endswith("Z")
    assert http.post((base + "/replay").format(second["id"])).status_code == 409
    assert http.post((base + "/discard").format(second["id"]),
                     json={"reason": "again"}).status_code == 409
    assert http.get("/api/v1/admin/dead-letters/tracking").json()["dead_letters"] == []
    shown = http.get("/api/v1/admin/dead-letters/tracking", params={"all": "true"}).json()
    actions = {d["id"]: [a["action"] for a in d["audit"]] for d in shown["dead_letters"]}
    assert actions == {first["id"]: ["corrected", "replayed"], second["id"]: ["discarded"]}

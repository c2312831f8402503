"""notify with the real services: tracking, notify and the gateway (with notify's routes)
in nameko containers on a throwaway vhost, RabbitMQ, PostgreSQL and SQLite."""
import datetime as dt
import time
import types
import uuid

import pytest
from sqlalchemy import create_engine, text

from services.gateway.service import GatewayService
from services.notify.service import NotifyService
from services.tracking.service import TrackingService
from shared.broker_setup import declare
from shared.clock import Clock, org_zone
from shared.db import dispose
from shared.migrate import upgrade
from shared.topology import SUBSCRIPTIONS
from tests.conftest import PG_ADMIN_URL
from tests.helpers import EventTap, sign_in_to_pages
from tests.integration.conftest import seed_directory, service_config
from tests.notify.fake_sms import FakeSmsGateway
from tests.notify.receiver import Receiver

pytestmark = pytest.mark.integration
SECRET = "integration-secret-1"


GatewayWithNotify = GatewayService  # the gateway has the notify routes

@pytest.fixture()
def fake():
    gateway = FakeSmsGateway(slow_seconds=1.0)
    yield gateway
    gateway.close()


@pytest.fixture()
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture()
def notify_db(tmp_path):
    """notify's own database beside tracking's: a SQLite file, or another PostgreSQL db."""
    made = []

    def make(tracking_url):
        if tracking_url.startswith("sqlite"):
            return "sqlite:///{}".format(tmp_path / "notify.db")
        name = "duban_n_{}".format(uuid.uuid4().hex[:12])
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('CREATE DATABASE "{}"'.format(name)))
        admin.dispose()
        made.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    yield make
    for name in made:
        dispose(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name)))
        admin.dispose()


@pytest.fixture()
def notify_system(rabbit_config, web_config, container_factory, web_session, fake, notify_db):
    taps = []

    def make(db_url, start_notify=True, declare_notify=True, **extra):
        notify_url = notify_db(db_url)
        upgrade("tracking", db_url)
        upgrade("notify", notify_url)
        subs = SUBSCRIPTIONS if declare_notify else \
            tuple(s for s in SUBSCRIPTIONS if s[2] != "notify")
        declare(rabbit_config["AMQP_URI"], subscriptions=subs)
        config = service_config(rabbit_config, web_config, db_url,
                                HEALTH_SERVICES=["tracking", "notify"], **extra)
        notify_config = dict(config, **fake.settings(), DATABASE_URL=notify_url,
                             NOTIFY_SCAN_SECONDS=0.3, NOTIFY_CHANNEL="aliyun",
                             NOTIFY_WEBHOOK_FORBID_PRIVATE="off")
        notify_config.update(extra)
        tap = EventTap(rabbit_config["AMQP_URI"], "notify.events", "#")
        taps.append(tap)
        tracking = container_factory(TrackingService, config)
        gateway = container_factory(GatewayWithNotify, config)
        tracking.start()
        gateway.start()
        system = types.SimpleNamespace(http=web_session, tap=tap, fake=fake,
                                       notify_config=notify_config, container_factory=
                                       container_factory)

        def start():
            system.notify = container_factory(NotifyService, notify_config)
            system.notify.start()
        system.start_notify = start
        if start_notify:
            start()
        return system

    yield make
    for tap in taps:
        tap.close()


def wait_until(check, timeout=20, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.1)


def awake_ladder():
    """A ladder whose quiet hours are not now, so the test does not depend on the hour."""
    now = dt.datetime.now(org_zone())
    start = (now + dt.timedelta(hours=3)).strftime("%H:%M")
    end = (now + dt.timedelta(hours=4)).strftime("%H:%M")
    send_at = (now + dt.timedelta(hours=6)).strftime("%H:%M")
    return {"quiet_hours": {"start": start, "end": end}, "send_at": send_at}


def issue_item(http, person, days=3):
    body = {"title": "编制年度预算", "lead_department": "FIN", "responsible_person": person,
            "deadline": (Clock().today() + dt.timedelta(days=days)).isoformat()}
    r = http.post("/api/v1/items", json=body)
    assert r.status_code == 201, r.text
    iid = r.json()["id"]
    assert http.post("/api/v1/items/{}/issue".format(iid), json={}).status_code == 200
    return iid


def reminders(http, iid):
    r = http.get("/api/v1/items/{}/reminders".format(iid))
    return r.json() if r.status_code == 200 else None


def test_reminders_chases_and_webhooks_end_to_end(db_url, notify_system, receiver):
    system = notify_system(db_url)
    http = system.http
    person = seed_directory(http)
    r = http.put("/api/v1/notify/ladders/HQ/*", json=awake_ladder())
    assert r.status_code == 200, r.text
    hook = http.post("/api/v1/webhooks", json={"url": receiver.url, "secret": SECRET,
                                               "events": ["reminder.sent", "chase.sent"]})
    assert hook.status_code == 201, hook.text
    iid = issue_item(http, person)
    # the item is projected and its missed rung caught up once, through the fake provider
    view = wait_until(lambda: (lambda v: v if v and any(x["status"] == "sent" for x in
                                                        v["reminders"]) else None)(
        reminders(http, iid)), what="a reminder sent")
    sent = [x for x in view["reminders"] if x["status"] == "sent"]
    assert len(sent) == 1 and sent[0]["recipient"] == "139****1111"
    assert sent[0]["channel"] == "aliyun"
    assert [m[0] for m in system.fake.messages] == ["aliyun"] and system.fake.bad_signatures == 0
    # a manual chase (催办): sent now, logged, counted
    chase = http.post("/api/v1/items/{}/chase".format(iid), json={"note": "请今日反馈"})
    assert chase.status_code == 201, chase.text
    assert chase.json()["status"] == "sent" and chase.json()["count"] == 1
    types_ = [k for k, _ in system.tap.wait_for(2)]
    assert sorted(types_) == ["chase.sent", "reminder.sent"]
    log = http.get("/api/v1/notifications", params={"item_id": iid}).json()
    assert log["total"] == 2 and all("****" in n["recipient"] for n in log["notifications"])
    # webhooks: both events delivered, signed; a redelivery goes out again
    wait_until(lambda: len(receiver.requests) >= 2, what="webhook deliveries")
    deliveries = http.get("/api/v1/webhooks/{}/deliveries".format(hook.json()["id"])).json()
    assert {d["status"] for d in deliveries["deliveries"]} == {"sent"}
    again = http.post("/api/v1/webhooks/{}/deliveries/{}/redeliver".format(
        hook.json()["id"], deliveries["deliveries"][0]["id"]))
    assert again.status_code == 200 and again.json()["attempts"] == 2
    assert len(receiver.requests) == 3
    # nothing sent twice after more scans
    time.sleep(1.0)
    assert len(system.fake.messages) == 2


@pytest.mark.parametrize("method,path,body,field", [
    ("post", "/api/v1/items/{iid}/chase", {"mobile": "12345"}, "mobile"),
    ("post", "/api/v1/items/{iid}/chase", {"channel": "pigeon"}, "channel"),
    ("put", "/api/v1/notify/ladders/HQ/key", {"before_days": "soon"}, "before_days"),
    ("put", "/api/v1/notify/ladders/HQ/key", {"escalation": [{"after_days": 3, "role": "head"},
                                                             {"after_days": 1,
                                                              "role": "leader"}]},
     "escalation"),
    ("put", "/api/v1/notify/ladders/HQ/vip", {}, "category"),
    ("put", "/api/v1/notify/templates/HQ/before", {"text": "{secret}"}, "text"),
    ("post", "/api/v1/webhooks", {"url": "file:///etc/passwd", "secret": SECRET,
                                  "events": ["*"]}, "url"),
])
def test_bad_input_gets_the_common_error_and_changes_nothing(sqlite_url, notify_system, method,
                                                             path, body, field):
    system = notify_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    iid = issue_item(http, person, days=30)
    before = wait_until(lambda: (lambda v: v if v and v["reminders"] else None)(
        reminders(http, iid)), what="the issued item planned")
    r = getattr(http, method)(path.format(iid=iid), json=body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_failed" and field in error["fields"]
    assert reminders(http, iid) == before
    assert http.get("/api/v1/notify/ladders/HQ/key").json()["before_days"] == [7, 3, 1]
    assert http.get("/api/v1/webhooks").json() == {"webhooks": []}
    assert http.get("/api/v1/notify/templates/HQ").json()["templates"][0]["default"] is True


def test_ladders_and_templates_belong_to_a_group_tracking_knows(sqlite_url, notify_system):
    """The platform administrator may name any group; a unit that is no group, or no unit
    at all, is a 404 and nothing is stored (a ladder there would never apply)."""
    system = notify_system(sqlite_url)
    http = system.http
    seed_directory(http)
    for org in ("NOPE", "FIN"):
        for method, path, body in (
                ("get", "/api/v1/notify/ladders/{}/key", None),
                ("put", "/api/v1/notify/ladders/{}/key", {"before_days": [5, 2]}),
                ("get", "/api/v1/notify/templates/{}", None),
                ("put", "/api/v1/notify/templates/{}/before", {"text": "{number}即将到期"})):
            r = getattr(http, method)(path.format(org), json=body)
            assert r.status_code == 404, (org, path, r.text)
            assert r.json()["error"]["message"].startswith("No organisation '{}'".format(org))
    assert http.put("/api/v1/notify/ladders/HQ/key", json={"before_days": [5, 2]}
                    ).json()["before_days"] == [5, 2]
    engine = create_engine(system.notify_config["DATABASE_URL"])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT org_id FROM ladders")).scalars().all() == ["HQ"]
        assert conn.execute(text("SELECT count(*) FROM templates")).scalar() == 0
    engine.dispose()
    # a webhook or delivery id that is no number names nothing either
    for method, path in (("delete", "/api/v1/webhooks/abc"), ("get", "/api/v1/webhooks/0/deliveries"),
                         ("post", "/api/v1/webhooks/1/deliveries/x/redeliver")):
        r = getattr(http, method)(path)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (path, r.text)


def test_a_webhook_to_a_private_address_is_refused_when_configured(sqlite_url, notify_system):
    system = notify_system(sqlite_url, NOTIFY_WEBHOOK_FORBID_PRIVATE="on")
    r = system.http.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/x",
                                                   "secret": SECRET, "events": ["*"]})
    assert r.status_code == 422 and "url" in r.json()["error"]["fields"]
    assert system.http.get("/api/v1/webhooks").json() == {"webhooks": []}


def test_an_item_notify_has_not_received_is_taken_from_tracking_on_demand(sqlite_url,
                                                                          notify_system):
    """Notify started after the item's events and without its rebuild: it has not
    received the item tracking shows. A chase fetches tracking's snapshot (as the caller
    sees it), projects it as an event would and goes out; the reminders are there."""
    system = notify_system(sqlite_url, start_notify=False, declare_notify=False,
                           NOTIFY_REBUILD="off")
    http = system.http
    iid = issue_item(http, seed_directory(http))
    system.start_notify()
    chase = http.post("/api/v1/items/{}/chase".format(iid), json={"note": "请今日反馈"})
    assert chase.status_code == 201, chase.text
    assert chase.json()["status"] == "sent" and chase.json()["count"] == 1
    assert len(system.fake.messages) == 1
    rungs = [r["rung"] for r in reminders(http, iid)["reminders"]]
    assert "manual/1" in rungs and any(r.endswith("/before-1") for r in rungs)
    assert http.get("/api/v1/items/{}/reminders".format(uuid.uuid4())).status_code == 404


def test_notify_rebuilds_its_projection_from_the_event_log(db_url, notify_system, rabbit_config):
    # notify is not deployed yet: its queues do not exist, so it misses every live event
    system = notify_system(db_url, start_notify=False, declare_notify=False)
    http = system.http
    person = seed_directory(http)
    iids = [issue_item(http, person, days=d) for d in (5, 20, 40)]
    http.post("/api/v1/items/{}/cancel".format(iids[1]), json={"reason": "决策调整"})
    system.start_notify()
    views = [wait_until(lambda i=i: reminders(http, i), what="rebuild") for i in iids]
    assert {x["status"] for x in views[1]["reminders"]} <= {"cancelled"}
    assert views[0]["reminders"] and views[2]["reminders"]
    assert any(x["rung"].endswith("/before-7") and x["status"] == "pending"
               for x in views[2]["reminders"])
    # once rebuilt, live events flow in as usual
    late = issue_item(http, person, days=60)
    wait_until(lambda: reminders(http, late), what="a live event after the rebuild")


def test_the_item_page_shows_reminders_and_chases(sqlite_url, notify_system):
    system = notify_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    iid = issue_item(http, person, days=30)
    wait_until(lambda: (lambda v: v and v["reminders"])(reminders(http, iid)), what="planned")
    csrf = sign_in_to_pages(http, "HQ")
    assert "/items/{}/reminders".format(iid) in http.get("/items/{}".format(iid)).text
    page = http.get("/items/{}/reminders".format(iid))
    assert page.status_code == 200 and "before-7" in page.text and "139****1111" in page.text
    r = http.post("/items/{}/chase".format(iid), data={"role": "contact", "csrf": csrf,
                                                        "note": "<b>请尽快</b>"})
    assert r.status_code == 200 and "第1次催办" in r.text      # followed the 303
    assert "已催办 Chased 1 次" in r.text
    bad = http.post("/items/{}/chase".format(iid), data={"role": "king", "csrf": csrf})
    assert bad.status_code == 422 and "role" in bad.text
    assert len(system.fake.messages) == 1

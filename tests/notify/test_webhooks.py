"""Webhooks: registration checks, signed deliveries, retries with backoff, redelivery."""
import datetime as dt
import hashlib
import hmac

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.notify.models import Base, Webhook
from services.notify.webhooks import matches, private_address
from shared.errors import NotFound, ValidationFailed
from tests.notify.helpers import envelope, fixed, make_worker, snapshot
from tests.notify.receiver import Receiver

SECRET = "s3cret-s3cret-s3cret"


@pytest.fixture()
def session(tmp_path):
    engine = create_engine("sqlite:///{}".format(tmp_path / "notify.db"))
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


@pytest.fixture()
def receiver():
    r = Receiver()
    yield r
    r.close()


def worker(session, clock, forbid="off"):
    return make_worker(session, clock, {"NOTIFY_WEBHOOK_FORBID_PRIVATE": forbid})


def receiver_checks(headers, body, secret=SECRET):
    """What docs/events.md tells a receiver to do."""
    expected = "sha256=" + hmac.new(secret.encode(), headers["X-Duban-Timestamp"].encode() +
                                    b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Duban-Signature"])


def test_events_reach_the_webhook_signed(session, receiver):
    clock = fixed(2026, 12, 24, 1)
    notify = worker(session, clock)
    hook = notify.service.create_webhook({"url": receiver.url, "secret": SECRET,
                                          "events": ["reminder.sent", "item.*"]})
    assert hook["secret"] == "s3cr…"
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    notify.service.tick()          # sends before-7, then delivers both events
    types = [e["type"] for e in receiver.events()]
    assert types == ["item.issued", "reminder.sent"]
    for headers, body in receiver.requests:
        assert receiver_checks(headers, body)
        assert not receiver_checks(headers, body, secret="another-secret-123")
    assert receiver.events()[1]["data"]["recipient"] == "139****1111"


def test_a_failing_receiver_is_retried_with_backoff_and_logged(session, receiver):
    clock = fixed(2026, 12, 1, 1)
    notify = worker(session, clock)
    hook = notify.service.create_webhook({"url": receiver.url, "secret": SECRET,
                                          "events": ["item.*"]})
    receiver.statuses = [500, 503]
    notify.service.on_item_issued(envelope("item.issued", snapshot()))
    notify.service.tick()
    clock.at += dt.timedelta(seconds=29)
    notify.service.tick()
    assert len(receiver.requests) == 1
    clock.at += dt.timedelta(seconds=1)
    notify.service.tick()
    clock.at += dt.timedelta(seconds=60)
    notify.service.tick()
    assert len(receiver.requests) == 3
    [delivery] = notify.service.webhook_deliveries(hook["id"])["deliveries"]
    assert (delivery["status"], delivery["attempts"], delivery["response_status"]) == \
        ("sent", 3, 200)


def test_a_delivery_can_be_redelivered_from_the_api(session, receiver):
    clock = fixed(2026, 12, 1, 1)
    notify = worker(session, clock)
    hook = notify.service.create_webhook({"url": receiver.url, "secret": SECRET,
                                          "events": ["item.*"]})
    notify.service.on_item_issued(envelope("item.issued", snapshot()))
    notify.service.tick()
    [delivery] = notify.service.webhook_deliveries(hook["id"])["deliveries"]
    again = notify.service.redeliver_webhook(hook["id"], delivery["id"])
    assert again["status"] == "sent" and again["attempts"] == 2
    assert len(receiver.requests) == 2
    assert receiver.requests[0][0]["X-Duban-Event-Id"] == receiver.requests[1][0]["X-Duban-Event-Id"]
    with pytest.raises(NotFound):
        notify.service.redeliver_webhook(hook["id"], 999)
    with pytest.raises(ValidationFailed):
        notify.service.redeliver_webhook(hook["id"], "1; drop table")


@pytest.mark.parametrize("url,forbid", [
    ("ftp://example.com/x", "off"), ("javascript:alert(1)", "off"), ("http:///nohost", "off"),
    ("http://127.0.0.1:8080/hook", "on"), ("http://10.1.2.3/hook", "on"),
    ("http://169.254.169.254/latest/meta-data", "on"), ("http://[::1]/hook", "on"),
    ("http://localhost/hook", "on"),
])
def test_a_bad_webhook_url_is_refused_and_nothing_stored(session, url, forbid):
    notify = worker(session, fixed(2026, 12, 1), forbid=forbid)
    with pytest.raises(ValidationFailed) as err:
        notify.service.create_webhook({"url": url, "secret": SECRET, "events": ["item.*"]})
    assert "url" in err.value.fields
    assert session.scalar(select(func.count()).select_from(Webhook)) == 0


@pytest.mark.parametrize("payload,field", [
    ({"url": "https://example.com/h", "secret": "short", "events": ["item.*"]}, "secret"),
    ({"url": "https://example.com/h", "secret": SECRET, "events": []}, "events"),
    ({"url": "https://example.com/h", "secret": SECRET, "events": ["item.exploded"]}, "events"),
])
def test_other_bad_webhook_input_is_refused(session, payload, field):
    notify = worker(session, fixed(2026, 12, 1))
    with pytest.raises(ValidationFailed) as err:
        notify.service.create_webhook(payload)
    assert field in err.value.fields
    assert session.scalar(select(func.count()).select_from(Webhook)) == 0


def test_pattern_matching_and_private_addresses():
    assert matches(["item.*"], "item.completed") and not matches(["item.*"], "chase.sent")
    assert matches(["*"], "chase.sent")
    assert private_address("192.168.1.1") and not private_address("8.8.8.8")


def test_a_removed_webhook_gets_nothing_more(session, receiver):
    clock = fixed(2026, 12, 1, 1)
    notify = worker(session, clock)
    hook = notify.service.create_webhook({"url": receiver.url, "secret": SECRET,
                                          "events": ["*"]})
    notify.service.delete_webhook(hook["id"])
    notify.service.on_item_issued(envelope("item.issued", snapshot()))
    notify.service.tick()
    assert receiver.requests == []
    assert notify.service.list_webhooks() == {"webhooks": []}

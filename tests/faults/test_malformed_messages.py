"""Malformed messages on intake.events: parked in tracking's dead-letter table and logged,
and tracking goes on consuming the next good message."""
import datetime as dt
import json
import uuid

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from services.tracking.models import DeadLetter
from shared.clock import Clock
from shared.events import make_envelope
from tests.faults.conftest import report
from tests.faults.rig import publish_raw, tracking_effects, wait_for

pytestmark = pytest.mark.integration
MB = 1024 * 1024


def envelope(item_id, version=1, **extra):
    deadline = (Clock().today() + dt.timedelta(days=30)).isoformat()
    env = make_envelope("draft.confirmed", "intake", {
        "item_id": item_id, "draft_id": "d-" + item_id[:8], "source_id": "faults",
        "item": {"title": "好消息", "lead_department": "FIN", "deadline": deadline,
                 "source": {"kind": "minutes", "ref": "纪要", "clause": "一、",
                            "draft_id": "d-" + item_id[:8]}}},
        dt.datetime.now(dt.timezone.utc), subject_id="d", version=version)
    env.update(extra)
    return env


def dead_letters(db_url):
    engine = create_engine(db_url)
    with Session(engine) as s:
        rows = [(r.event_id, r.error, len(json.dumps(r.payload))) for r in
                s.scalars(select(DeadLetter).order_by(DeadLetter.id))]
    engine.dispose()
    return rows


def test_malformed_messages_are_parked_and_consuming_goes_on(system):
    s = system().start("tracking")
    uri = s.amqp_uri
    bad = [
        ("not JSON", b"{this is not json", "application/json"),
        ("not JSON, binary", bytes(range(256)) * 4, "application/octet-stream"),
        ("wrong envelope (a list)", json.dumps([1, 2, 3]), "application/json"),
        ("wrong envelope (no data)", json.dumps({"id": str(uuid.uuid4()),
                                                 "type": "draft.confirmed", "version": 1}),
         "application/json"),
        ("unknown version", json.dumps(envelope(str(uuid.uuid4()), version=99)),
         "application/json"),
        ("huge body", json.dumps(envelope(str(uuid.uuid4()), padding="x" * (8 * MB))),
         "application/json"),
    ]
    for _, body, content_type in bad:
        publish_raw(uri, "intake.events", "draft.confirmed", body, content_type)
    good = [str(uuid.uuid4()) for _ in range(3)]
    for item_id in good:
        publish_raw(uri, "intake.events", "draft.confirmed", json.dumps(envelope(item_id)))

    wait_for(lambda: tracking_effects(s.tracking_url, good)[0] == len(good), 60,
             message="tracking stopped consuming after the malformed messages")
    letters = wait_for(lambda: (lambda rows: rows if len(rows) >= len(bad) else None)(
        dead_letters(s.tracking_url)), 60, message="not every malformed message was parked")
    processed, lost, duplicated = tracking_effects(s.tracking_url, good)
    log = s.tracking.log()
    report("d malformed messages", published=len(bad) + len(good), parked=len(letters),
           processed=processed, lost=lost + len(bad) - len(letters), duplicated=duplicated)
    assert len(letters) == len(bad), letters
    assert log.count("parking intake/draft.confirmed") >= len(bad), log[-3000:]
    assert s.tracking.running()
    assert lost == 0 and duplicated == 0
    errors = " | ".join(e for _, e, _ in letters)
    for expected in ("Cannot decode", "not an envelope", "without a valid data",
                     "Unsupported event version 99", "Message of"):
        assert expected in errors, (expected, errors)
    assert max(size for _, _, size in letters) < 1 * MB  # the huge body is parked, not kept whole

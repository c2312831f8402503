"""draft.confirmed applied in batches (shared/batching.py): many messages, one transaction,
each still exactly once; a malformed message is parked and a refusal announced without
taking its neighbours down."""
import uuid

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.tracking.models import DeadLetter, Item, OrgUnit
from services.tracking.service import TrackingService
from shared.batching import BatchingEventHandler
from shared.broker_setup import declare
from shared.migrate import upgrade
from tests.helpers import EventTap, publish_event, wait_until
from tests.integration.conftest import service_config
from tests.integration.test_reliability import draft_envelope


def envelope(**fields):
    """A confirmed draft of its own (each draft registers at most one item)."""
    body = draft_envelope(str(uuid.uuid4()), **fields)
    body["data"]["draft_id"] = body["data"]["item"]["source"]["draft_id"] = str(uuid.uuid4())
    return body


def test_a_burst_is_applied_in_batches_exactly_once(sqlite_url, rabbit_config, web_config,
                                                     container_factory):
    uri = rabbit_config["AMQP_URI"]
    upgrade("tracking", sqlite_url)
    declare(uri)
    engine = create_engine(sqlite_url)
    with Session(engine) as s:  # the directory, written directly: tracking is not running
        group = OrgUnit(code="HQ", name="集团", kind="group", aliases=[])
        s.add_all([group, OrgUnit(code="FIN", name="财务部", kind="department", parent=group,
                                  aliases=[])])
        s.commit()
    good = [envelope(title="批量{}".format(i)) for i in range(40)]
    refused = envelope(lead="LOGISTICS")
    malformed = {"id": str(uuid.uuid4()), "type": "draft.confirmed", "version": 1}  # no data
    burst = good[:20] + [good[3], malformed, refused] + good[20:] + [good[30]]  # two redelivered
    for message in burst:  # all queued before tracking starts: they arrive together
        publish_event(uri, "intake", message)
    rejected = EventTap(uri, "tracking.events", "item.registration_rejected")
    container = container_factory(TrackingService, service_config(rabbit_config, web_config,
                                                                  sqlite_url))
    entry = next(e for e in container.entrypoints if isinstance(e, BatchingEventHandler))
    sizes = []
    flush = entry._flush
    entry._flush = lambda: (sizes.append(len(entry._buffer)), flush())
    container.start()
    try:
        def settled():
            with Session(engine) as s:
                return s.scalar(select(func.count()).select_from(Item)) == 40 and \
                    s.scalar(select(func.count()).select_from(DeadLetter)) == 1
        wait_until(settled, timeout=30, message="the burst was not applied")
        (_, announced), = rejected.wait_for(1)
        assert announced["subject_id"] == refused["data"]["item_id"]
        with Session(engine) as s:
            items = s.scalars(select(Item)).all()
            letter = s.scalars(select(DeadLetter)).one()
        assert {i.id for i in items} == {e["data"]["item_id"] for e in good}
        assert sorted(int(i.number.rsplit("-", 1)[1]) for i in items) == list(range(1, 41))
        assert letter.event_id == malformed["id"] and "data" in letter.error
        assert max(sizes) > 1, "the messages were applied one by one, not in batches"
    finally:
        rejected.close()
        engine.dispose()

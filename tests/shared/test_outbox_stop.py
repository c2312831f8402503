"""The relay stopped in the middle of a batch (nameko stopping the service): the rows the
broker did not confirm stay unpublished for the next start, and the stop is no error."""
import datetime as dt
import logging
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.intake.models import Base, OutboxEvent
from shared.db import make_engine
from shared.events import make_envelope
from shared.outbox import Outbox, add_event


class StoppedMidBatch:
    """Stands for the relay's publisher at the moment `Outbox.stop()` closes it under a
    batch: the first message was confirmed, the others never will be."""

    def __init__(self, relay):
        self.relay = relay

    def publish_many(self, messages, exchange):
        self.relay.stop()
        return {messages[0][0]: None}

    def close(self):
        pass


def test_a_stop_during_a_batch_keeps_the_rest_unpublished_and_logs_no_error(tmp_path, caplog):
    url = "sqlite:///{}".format(tmp_path / "outbox.db")
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as s:
        for n in range(3):
            add_event(s, OutboxEvent, make_envelope("draft.confirmed", "intake", {"n": n},
                                                    dt.datetime.now(dt.timezone.utc)))
        s.commit()
    relay = Outbox(OutboxEvent)
    relay.engine, relay.batch = engine, 10
    relay.exchange, relay.must_route, relay.held, relay.interval = None, None, {}, 0.01
    relay._wake, relay._running = threading.Event(), True
    relay.publisher = StoppedMidBatch(relay)
    with caplog.at_level(logging.INFO, logger="shared.outbox"):
        relay._run()  # returns: the stop ends the loop
    with Session(engine) as s:
        unpublished = s.scalar(select(func.count()).select_from(OutboxEvent)
                               .where(OutboxEvent.published_at.is_(None)))
    assert unpublished == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert any("stopped during a batch" in r.getMessage() for r in caplog.records)
    engine.dispose()

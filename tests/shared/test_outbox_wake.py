"""The relay's loop: a batch that was not full ends a pass, and the next pass starts when
a writer wakes the relay; a writer that commits while a batch is out at the broker is not
missed (no wait for the poll interval)."""
import datetime as dt
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.intake.models import Base, OutboxEvent
from shared.db import make_engine
from shared.events import make_envelope
from shared.outbox import Outbox, add_event
from tests.helpers import wait_until


def write(engine, n):
    with Session(engine) as s:
        add_event(s, OutboxEvent, make_envelope("source.noticed", "intake", {"n": n},
                                                dt.datetime.now(dt.timezone.utc)))
        s.commit()


class WriterDuringPublish:
    """Stands for the broker; while the first batch that is not full is out, a worker
    commits an event and wakes the relay (what `Outbox.worker_teardown` does after the
    worker's commit): after that batch the relay would otherwise wait for the poll."""

    def __init__(self, relay, engine):
        self.relay, self.engine, self.batches, self.late = relay, engine, [], False

    def publish_many(self, messages, exchange):
        self.batches.append([m[2] for m in messages])
        if len(messages) < self.relay.batch and not self.late:
            self.late = True
            write(self.engine, "late")
            self.relay._wake.set()
        return {message_id: None for message_id, _, _ in messages}

    def close(self):
        pass


def relay_on(engine, batch):
    relay = Outbox(OutboxEvent)
    relay.engine, relay.batch = engine, batch
    relay.exchange, relay.must_route, relay.held = None, None, {}
    relay.interval = 60.0  # a pass that waited for the poll would never finish here
    relay._wake, relay._running = threading.Event(), True
    return relay


def unpublished(engine):
    with Session(engine) as s:
        return s.scalar(select(func.count()).select_from(OutboxEvent)
                        .where(OutboxEvent.published_at.is_(None)))


def test_full_batches_follow_each_other_and_a_commit_during_a_batch_is_not_missed(tmp_path):
    engine = make_engine("sqlite:///{}".format(tmp_path / "outbox.db"))
    Base.metadata.create_all(engine)
    for n in range(5):
        write(engine, n)
    relay = relay_on(engine, batch=2)
    relay.publisher = broker = WriterDuringPublish(relay, engine)
    loop = threading.Thread(target=relay._run, daemon=True)
    loop.start()
    try:
        wait_until(lambda: broker.late and unpublished(engine) == 0,
                   message="a row waited for the poll")
        # two full batches one after the other, the fifth row alone, then the late one
        assert [len(b) for b in broker.batches] == [2, 2, 1, 1]
        assert relay.more is False
    finally:
        relay._running = False
        relay._wake.set()
        loop.join(timeout=5)
        engine.dispose()

"""Two guarantees that only show under concurrency, each with a test that fails when its
mechanism is removed: the event log's cursor never skips (outbox writers are serialised
on PostgreSQL), and a duplicate delivery has no second effect (the inbox claim)."""
import datetime as dt
import threading
import time
import uuid

import pytest
from sqlalchemy import Integer, String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from services.tracking.models import Base as TrackingBase
from services.tracking.models import OutboxEvent
from shared.clock import utc_iso
from shared.consumer import DeadLetterAdmin, DeadLetterMixin, DeadLetters, reliable_handler
from shared.events import make_envelope
from shared.inbox import InboxMixin
from shared.outbox import Outbox, OutboxMixin, add_event, read_log
from shared.service import ServiceBase
from tests.helpers import publish_event, wait_until

pytestmark = pytest.mark.integration


def envelope(n):
    return make_envelope("item.updated", "tracking", {"n": n}, dt.datetime.now(dt.timezone.utc),
                         subject_id=str(n), org_id="HQ")


def test_the_event_log_cursor_never_skips_a_later_committing_writer(pg_url):
    engine = create_engine(pg_url)
    TrackingBase.metadata.create_all(engine)
    first_inserted = threading.Event()

    def slow_writer():
        with Session(engine) as s:
            add_event(s, OutboxEvent, envelope(1))
            s.flush()  # seq taken ...
            first_inserted.set()
            time.sleep(1.0)  # ... committed late
            s.commit()

    def quick_writer():
        first_inserted.wait()
        with Session(engine) as s:
            add_event(s, OutboxEvent, envelope(2))
            s.commit()

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=quick_writer)]
    for t in threads:
        t.start()
    seen, cursor = [], 0
    deadline = time.monotonic() + 5
    while len(seen) < 2 and time.monotonic() < deadline:  # a subscriber catching up
        with Session(engine) as s:
            rows = read_log(s, OutboxEvent, after=cursor)
            seen += [r.payload["data"]["n"] for r in rows]
            cursor = rows[-1].seq if rows else cursor
        time.sleep(0.05)
    for t in threads:
        t.join()
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(OutboxEvent)) == 2
    engine.dispose()
    assert seen == [1, 2]  # nothing skipped, in commit order


class Base(DeclarativeBase):
    pass


class Effect(Base):
    """A deliberately non-idempotent effect: one row per handled event."""

    __tablename__ = "effects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    note: Mapped[str] = mapped_column(String(64))


class Inbox(InboxMixin, Base):
    __tablename__ = "inbox"


class Outbox_(OutboxMixin, Base):
    __tablename__ = "outbox"


class Letters(DeadLetterMixin, Base):
    __tablename__ = "dead_letters"


class CountingService(ServiceBase, DeadLetterAdmin):
    name = "counting"
    inbox_model = Inbox
    outbox = Outbox(Outbox_)
    dead_letters = DeadLetters(Letters)

    @reliable_handler("intake", "draft.confirmed")
    def on_draft_confirmed(self, payload):
        self.uow().session.add(Effect(note=payload["id"][:36]))


def test_a_duplicate_delivery_has_no_second_effect(sqlite_url, rabbit_config, container_factory):
    engine = create_engine(sqlite_url)
    Base.metadata.create_all(engine)
    container = container_factory(CountingService, dict(rabbit_config, DATABASE_URL=sqlite_url,
                                                        OUTBOX_RELAY="off"))
    container.start()
    event = {"id": str(uuid.uuid4()), "type": "draft.confirmed", "version": 1,
             "occurred_at": utc_iso(dt.datetime.now(dt.timezone.utc)), "producer": "intake",
             "org_id": None, "subject_id": "d", "data": {}}
    for _ in range(3):  # delivered three times
        publish_event(rabbit_config["AMQP_URI"], "intake", event)
    publish_event(rabbit_config["AMQP_URI"], "intake", dict(event, id=str(uuid.uuid4())))

    def count():
        with Session(engine) as s:
            return s.scalar(select(func.count()).select_from(Effect))
    wait_until(lambda: count() >= 2, message="the events were not handled")
    time.sleep(0.5)
    assert count() == 2  # one effect per event id
    engine.dispose()

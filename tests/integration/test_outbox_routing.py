"""An event the broker confirms but routes nowhere is not marked published (mandatory)."""
import datetime as dt
import logging
import uuid

import pytest
from kombu import Connection, Exchange, Queue
from nameko.rpc import rpc
from nameko.standalone.rpc import ServiceRpcProxy
from sqlalchemy import select

from services.intake.models import OutboxEvent
from shared.broker_setup import declare
from shared.db import Database, engine_for, session_factory
from shared.events import make_envelope
from shared.migrate import upgrade
from shared.outbox import Outbox, add_event
from shared.topology import queue_name
from tests.helpers import wait_until

pytestmark = pytest.mark.integration


class RelayOnly:
    """Just intake's outbox relay, in a real nameko container."""
    name = "intake"
    outbox = Outbox(OutboxEvent)


def write_events(db_url, types):
    Session = session_factory(engine_for(db_url))
    ids = []
    with Session() as session:
        for event_type in types:
            envelope = make_envelope(event_type, "intake", {"n": len(ids)},
                                     dt.datetime.now(dt.timezone.utc), subject_id="s")
            add_event(session, OutboxEvent, envelope)
            ids.append(envelope["id"])
        session.commit()
    return ids


def rows(db_url):
    Session = session_factory(engine_for(db_url))
    with Session() as session:
        return {r.event_id: r for r in session.scalars(select(OutboxEvent))}


def drain(amqp_uri, queue):
    with Connection(amqp_uri) as conn:
        q = Queue(queue, durable=True)(conn.channel())
        got = []
        while True:
            message = q.get(no_ack=True)
            if message is None:
                return got
            got.append(message.payload["id"])


def test_unroutable_event_stays_in_the_outbox_until_a_queue_is_bound(
        rabbit_config, db_url, container_factory, caplog):
    """On both databases: on PostgreSQL the relay marks the rows it takes in the same
    statement, and unmarks the ones the broker did not route before its commit."""
    uri = rabbit_config["AMQP_URI"]
    upgrade("intake", db_url)
    # No setup step yet: intake.events exists (the relay declares it) but no queue is bound.
    container = container_factory(RelayOnly, dict(rabbit_config, DATABASE_URL=db_url,
                                                  OUTBOX_POLL_SECONDS=0.1))
    container.start()
    caplog.set_level(logging.ERROR, logger="shared.outbox")
    confirmed, other = write_events(db_url, ["draft.confirmed", "source.noticed"])

    # draft.confirmed has a Duban subscriber (topology): unroutable means kept and retried
    row = wait_until(lambda: (lambda r: r if r.attempts >= 2 else None)(rows(db_url)[confirmed]),
                     message="the unroutable event was not retried")
    assert row.published_at is None
    assert "unroutable" in row.last_error and "NO_ROUTE" in row.last_error
    assert any("kept unpublished" in r.getMessage() for r in caplog.records)
    # a type nobody in Duban subscribes to is not held: offered to whoever is bound, then done
    assert wait_until(lambda: rows(db_url)[other].published_at)

    declare(uri)  # the setup step binds tracking's queue: the kept event now goes out
    wait_until(lambda: rows(db_url)[confirmed].published_at, timeout=90,
               message="the kept event did not go out after the queue was bound")
    queue = queue_name("intake", "draft.confirmed", "tracking", "on_draft_confirmed")
    assert drain(uri, queue) == [confirmed]

    # and from now on events of that type go straight out
    again, = write_events(db_url, ["draft.confirmed"])
    wait_until(lambda: rows(db_url)[again].published_at)
    assert rows(db_url)[again].attempts == 0
    assert drain(uri, queue) == [again]


def test_must_route_all_holds_every_type(rabbit_config, sqlite_url, container_factory):
    upgrade("intake", sqlite_url)
    uri = rabbit_config["AMQP_URI"]
    container = container_factory(RelayOnly, dict(rabbit_config, DATABASE_URL=sqlite_url,
                                                  OUTBOX_POLL_SECONDS=0.1,
                                                  OUTBOX_MUST_ROUTE="all"))
    container.start()
    held, = write_events(sqlite_url, ["source.noticed"])
    row = wait_until(lambda: (lambda r: r if r.attempts >= 1 else None)(rows(sqlite_url)[held]))
    assert row.published_at is None
    with Connection(uri) as conn:  # an outside subscriber binds a queue
        Queue("outside-" + uuid.uuid4().hex[:6], Exchange("intake.events", type="topic",
                                                          durable=True),
              routing_key="source.#", durable=True)(conn.channel()).declare()
    wait_until(lambda: rows(sqlite_url)[held].published_at, timeout=90)


class RelayWithWriters(RelayOnly):
    """The relay (batches of three) and an RPC whose every call commits one event, as a use
    case does."""
    outbox = Outbox(OutboxEvent, batch=3)
    db = Database()

    @rpc
    def write(self, n):
        envelope = make_envelope("source.noticed", "intake", {"n": n},
                                 dt.datetime.now(dt.timezone.utc), subject_id="w")
        self.outbox.add(self.db, envelope)
        self.db.commit()
        return envelope["id"]


def test_the_relay_misses_no_commit_between_two_passes(rabbit_config, sqlite_url,
                                                       container_factory):
    """The relay asks the table again only when woken (or after the poll interval) unless
    its batch was full. Here the poll is a minute and batches hold three: rows written
    before the start go out in full batches at once, and every one of many concurrent
    writers' events goes out though most commit while a batch is out at the broker."""
    upgrade("intake", sqlite_url)
    before = write_events(sqlite_url, ["source.noticed"] * 7)
    container = container_factory(RelayWithWriters, dict(
        rabbit_config, DATABASE_URL=sqlite_url, OUTBOX_POLL_SECONDS=60))
    container.start()
    wait_until(lambda: all(rows(sqlite_url)[i].published_at for i in before),
               message="rows behind a full batch waited for the poll")
    with ServiceRpcProxy("intake", rabbit_config) as proxy:
        calls = [proxy.write.call_async(n) for n in range(40)]
        written = [call.result() for call in calls]
    wait_until(lambda: all(rows(sqlite_url)[i].published_at for i in written),
               message="a commit made while a batch was out waited for the poll")

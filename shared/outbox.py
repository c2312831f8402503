"""Transactional outbox: events written with their change, published by a relay.

Rule 1 of the handbook: no event without its change, no change without its event.
A use case adds the envelope to the outbox in the same transaction as the change;
the relay publishes committed rows in order with publisher confirms and marks them
published. A crash anywhere loses nothing and at worst publishes twice (consumers
dedupe on the envelope id). The table doubles as the event log read by
`GET /api/v1/events?after=<seq>`.

Every event is published `mandatory`: a confirm alone only says the broker took the
message, not that any queue did. An event of a type some Duban service subscribes to
(shared/topology.py) that comes back unroutable stays unpublished, with its attempt
and error recorded, and its type is retried with backoff while other types flow on.
An event nobody inside Duban subscribes to is only offered to outside subscribers;
routed nowhere, it is still marked published (it stays in the event log).
`OUTBOX_MUST_ROUTE=all` makes every type required.
"""
import datetime as dt
import logging
import threading

import time

from kombu import Connection, Exchange
from nameko.constants import PERSISTENT
from nameko.extensions import DependencyProvider
from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, select, text, update
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared import failpoints
from shared.db import BigId, engine_for, is_postgres, is_sqlite, session_factory
from shared.events import exchange_for
from shared.topology import SUBSCRIPTIONS

log = logging.getLogger(__name__)


class OutboxMixin:
    """Columns of a service's outbox table; subclass it in the service's models."""

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True, nullable=False)
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    subject_id: Mapped[str] = mapped_column(String(64), nullable=True, index=True)
    org_id: Mapped[str] = mapped_column(String(64), nullable=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str] = mapped_column(Text, nullable=True)

    @declared_attr.directive
    def __table_args__(cls):
        unpublished = text("published_at IS NULL")
        return (Index("ix_{}_unpublished".format(cls.__tablename__), "seq",
                      postgresql_where=unpublished, sqlite_where=unpublished),)


def add_event(session, model, envelope):
    """Write an envelope into the outbox inside the caller's transaction."""
    if is_postgres(session.get_bind()):
        # Serialise outbox writers so commit order equals seq order: a reader of the
        # event log that has seen seq N can never later miss a smaller seq.
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:t))"),
                        {"t": model.__tablename__})
    occurred = dt.datetime.fromisoformat(envelope["occurred_at"].replace("Z", "+00:00"))
    session.add(model(event_id=envelope["id"], type=envelope["type"], version=envelope["version"],
                      subject_id=envelope["subject_id"], org_id=envelope["org_id"],
                      occurred_at=occurred, payload=envelope))


def read_log(session, model, after=0, limit=100, types=None, subject_id=None):
    """Committed events after a cursor, oldest first: the catch-up feed."""
    q = select(model).where(model.seq > after).order_by(model.seq).limit(limit)
    if types:
        q = q.where(model.type.in_(types))
    if subject_id:
        q = q.where(model.subject_id == str(subject_id))
    return list(session.scalars(q))


class Unroutable(Exception):
    """The broker confirmed the event but no queue was bound for its routing key."""


class ConfirmingPublisher:
    """One AMQP connection of the relay: publisher confirms plus `mandatory`.

    py-amqp reports a returned message through the channel's `basic_return` event
    before it reads the confirm, so a publish returns only after both; a message that
    came back raises Unroutable. (nameko's pooled Publisher raises on the return and
    leaves that message's confirm unread on the pooled channel, where the next publish
    would take it for its own.)
    """

    def __init__(self, amqp_uri, retry_policy=None):
        self.amqp_uri = amqp_uri
        # Short in-publish retries: the relay loop backs off between batches anyway.
        self.retry_policy = retry_policy or {"max_retries": 3, "interval_start": 0.5,
                                             "interval_step": 1, "interval_max": 3}
        self.conn = None
        self.producer = None
        self._returned = None

    def _on_return(self, exc, exchange, routing_key, message):
        self._returned = "{} (exchange {!r}, routing key {!r})".format(exc, exchange, routing_key)

    def _ensure(self):
        if self.conn is None:
            self.conn = Connection(self.amqp_uri, transport_options={"confirm_publish": True},
                                   connect_timeout=5)
            self.producer = self.conn.Producer(serializer="json", on_return=self._on_return)
        return self.producer

    def publish(self, body, exchange, routing_key):
        self._returned = None
        try:
            self._ensure().publish(body, exchange=exchange, routing_key=routing_key,
                                   declare=[exchange], mandatory=True,
                                   delivery_mode=PERSISTENT, retry=True,
                                   retry_policy=self.retry_policy)
        except Exception:
            self.close()  # start the next attempt on a fresh connection
            raise
        if self._returned:
            raise Unroutable(self._returned)

    def close(self):
        conn, self.conn, self.producer = self.conn, None, None
        if conn is not None:
            try:
                conn.release()
            except Exception:  # the connection is already gone
                pass


class OutboxWriter:
    def __init__(self, provider, worker_ctx):
        self._provider = provider
        self._worker_ctx = worker_ctx

    def add(self, session, envelope):
        add_event(session, self._provider.model, envelope)
        self._provider.dirty.add(self._worker_ctx)


class Outbox(DependencyProvider):
    """The outbox writer for workers, and the relay that publishes its rows.

    The relay runs in one managed green thread per service instance; it wakes when
    a worker that wrote events ends, and otherwise polls every `OUTBOX_POLL_SECONDS`.
    On PostgreSQL, rows are claimed with FOR UPDATE SKIP LOCKED, so several instances
    can relay the same table.
    """

    def __init__(self, model, producer=None, config_key="DATABASE_URL", batch=200):
        self.model = model
        self.producer = producer
        self.config_key = config_key
        self.batch = batch
        self.dirty = set()

    def setup(self):
        config = self.container.config
        self.producer = self.producer or self.container.service_name
        self.exchange = Exchange(exchange_for(self.producer), type="topic", durable=True,
                                 delivery_mode=PERSISTENT)
        self.engine = engine_for(config[self.config_key])
        self.Session = session_factory(self.engine)
        self.enabled = str(config.get("OUTBOX_RELAY", "on")).lower() not in ("off", "false", "0")
        self.interval = float(config.get("OUTBOX_POLL_SECONDS", 1.0))
        self.publisher = ConfirmingPublisher(config["AMQP_URI"])
        must_route = str(config.get("OUTBOX_MUST_ROUTE", "declared")).lower()
        self.must_route = None if must_route == "all" else {
            event_type for source, event_type, _, _ in SUBSCRIPTIONS if source == self.producer}
        self.held = {}  # event type -> (monotonic time of the next try, current delay)
        self._wake = threading.Event()
        self._running = False

    def start(self):
        if self.enabled:
            self._running = True
            self.container.spawn_managed_thread(self._run, identifier="outbox_relay")

    def stop(self):
        self._running = False
        self._wake.set()
        self.publisher.close()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return OutboxWriter(self, worker_ctx)

    def worker_teardown(self, worker_ctx):
        if worker_ctx in self.dirty:
            self.dirty.discard(worker_ctx)
            self._wake.set()

    def _run(self):
        backoff = self.interval
        while self._running:
            try:
                count = self.relay_once()
                backoff = self.interval
            except Exception:  # the broker or the database is away: try again later
                log.exception("outbox relay failed; retrying in %.1fs", backoff)
                count = 0
                backoff = min(backoff * 2, 30.0)
            if count == 0 and self._running:
                self._wake.wait(timeout=backoff)
                self._wake.clear()

    def required(self, event_type):
        return self.must_route is None or event_type in self.must_route

    def _hold(self, event_type):
        """Retry an unroutable type later, backing off from the poll interval to 60 s."""
        delay = min(self.held.get(event_type, (0, self.interval / 2))[1] * 2, 60.0)
        self.held[event_type] = (time.monotonic() + delay, delay)

    def _held_types(self):
        now = time.monotonic()
        return sorted(t for t, (until, _) in self.held.items() if until > now)

    def relay_once(self):
        """Publish one batch of unpublished rows in order; returns how many went out.

        Rows of a type held back as unroutable are skipped (the rows of one type keep
        their order: a topic exchange routes on the type alone); the other types go on.
        """
        session = self.Session()
        published, unroutable = [], {}
        try:
            q = (select(self.model).where(self.model.published_at.is_(None))
                 .order_by(self.model.seq).limit(self.batch))
            held = self._held_types()
            if held:
                q = q.where(self.model.type.not_in(held))
            if is_postgres(self.engine):
                q = q.with_for_update(skip_locked=True)
            rows = list(session.scalars(q))
            if not rows:
                session.rollback()
                return 0
            if is_sqlite(self.engine):
                session.commit()  # end the read snapshot before network I/O
            error = None
            for row in rows:
                if row.type in unroutable:
                    continue
                failpoints.hit("outbox.before_publish")
                try:
                    self.publisher.publish(row.payload, exchange=self.exchange,
                                           routing_key=row.type)
                except Unroutable as exc:
                    if self.required(row.type):
                        unroutable[row.type] = (row.seq, "unroutable: {}".format(exc))
                        continue
                    log.debug("%s %s routed to no queue; nobody in Duban subscribes to it",
                              row.type, row.event_id)
                except Exception as exc:
                    error = (row.seq, repr(exc))
                    break
                else:
                    self.held.pop(row.type, None)
                published.append(row.seq)
                failpoints.hit("outbox.after_publish")
            now = dt.datetime.now(dt.timezone.utc)
            if published:
                session.execute(update(self.model).where(self.model.seq.in_(published))
                                .values(published_at=now))
            failures = list(unroutable.values()) + ([error] if error else [])
            for seq, message in failures:
                session.execute(update(self.model).where(self.model.seq == seq)
                                .values(attempts=self.model.attempts + 1, last_error=message))
            session.commit()
            for event_type, (seq, message) in unroutable.items():
                self._hold(event_type)
                log.error("outbox seq %s (%s) is kept unpublished: %s; retrying in %.1fs",
                          seq, event_type, message, self.held[event_type][1])
            if error:
                raise RuntimeError("publish of outbox seq {} failed: {}".format(*error))
            return len(published)
        finally:
            session.close()

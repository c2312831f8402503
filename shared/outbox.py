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
import json
import logging
import socket
import threading
import time

from kombu import Connection, Exchange
from nameko.constants import PERSISTENT
from nameko.extensions import DependencyProvider
from sqlalchemy import (JSON, DateTime, Index, Integer, String, Text, bindparam, cast, select, text,
                        update)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared import failpoints
from shared.db import BigId, engine_for, is_postgres, is_sqlite
from shared.events import exchange_for
from shared.topology import SUBSCRIPTIONS
from shared.rows import insert_rows
from shared.uow import CACHE

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


ORDER_LOCK = "SELECT pg_advisory_xact_lock(hashtext(:t))"  # :t, the outbox's table name


def hold_order_lock(session, model):
    """Serialise outbox writers so commit order equals seq order: a reader of the event
    log that has seen seq N can never later miss a smaller seq (PostgreSQL; taken once
    per transaction, the unit of work forgets `held` when it ends). A use case that
    takes other row locks before it writes events (tracking's number counter) takes this
    one first, so two transactions never wait on each other in opposite orders."""
    if not order_lock_held(session, model) and is_postgres(session.get_bind()):
        session.execute(text(ORDER_LOCK), {"t": model.__tablename__})
        note_order_lock(session, model)


def order_lock_held(session, model):
    return model.__tablename__ in session.info.get(CACHE, {}).get("outbox_locks", ())


def note_order_lock(session, model):
    """Remember that this transaction holds `model`'s ordering lock (taken by a statement
    of the caller's that also does something else: tracking's number counter)."""
    session.info.setdefault(CACHE, {}).setdefault("outbox_locks", set()).add(
        model.__tablename__)


def add_event(session, model, envelope):
    """Write an envelope into the outbox inside the caller's transaction (one Core INSERT,
    held until the session flushes: shared.rows)."""
    hold_order_lock(session, model)
    occurred = dt.datetime.fromisoformat(envelope["occurred_at"].replace("Z", "+00:00"))
    insert_rows(session, model.__table__, [{
        "event_id": envelope["id"], "type": envelope["type"], "version": envelope["version"],
        "subject_id": envelope["subject_id"], "org_id": envelope["org_id"],
        "occurred_at": occurred, "payload": envelope, "published_at": None, "attempts": 0,
        "last_error": None}])


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
    """One AMQP connection of the relay: a batch published under one confirm wait.

    The channel is in confirm mode; every message of a batch is published `mandatory`
    and persistent, then the relay waits once until the broker has confirmed them all
    (RabbitMQ confirms persistent messages after writing them, and writes many at a
    time: one wait per batch, not one per message). A message that no queue took comes
    back (basic.return, before its confirm) and is reported unroutable by its
    message id. A nack, a timeout or a lost connection fails the messages not yet
    confirmed; those confirmed before stay published.
    """

    def __init__(self, amqp_uri, confirm_timeout=30.0):
        self.amqp_uri = amqp_uri
        self.confirm_timeout = confirm_timeout
        self.conn = None
        self.channel = None
        self.declared = set()
        self._tag = 0
        self._pending = {}  # delivery tag -> message id, until confirmed
        self._confirmed, self._nacked, self._returned = set(), set(), {}

    def _ensure(self):
        if self.conn is None:
            self.conn = Connection(self.amqp_uri, connect_timeout=5)
            self.conn.ensure_connection(max_retries=3, interval_start=0.5, interval_step=1,
                                        interval_max=3)
            self.channel = self.conn.channel()
            self.channel.confirm_select()
            self.channel.events["basic_ack"].add(self._on_ack)
            self.channel.events["basic_nack"].add(self._on_nack)
            self.channel.events["basic_return"].add(self._on_return)
            self.declared, self._tag = set(), 0
        return self.channel

    def _settle(self, delivery_tag, multiple, into):
        tags = [t for t in self._pending if t <= delivery_tag] if multiple else [delivery_tag]
        for tag in tags:
            message_id = self._pending.pop(tag, None)
            if message_id is not None:
                into.add(message_id)

    def _on_ack(self, delivery_tag, multiple):
        self._settle(delivery_tag, multiple, self._confirmed)

    def _on_nack(self, delivery_tag, multiple):
        self._settle(delivery_tag, multiple, self._nacked)

    def _on_return(self, exc, exchange, routing_key, message):
        message_id = (message.properties or {}).get("message_id")
        self._returned[message_id] = "{} (exchange {!r}, routing key {!r})".format(
            exc, exchange, routing_key)

    def publish_many(self, messages, exchange):
        """Publish [(message id, body, routing key)] (the body a JSON text, or a value to
        dump); returns {message id: None if routed and confirmed, an Unroutable, or another
        exception}. Ids missing from the answer were not confirmed (the connection failed
        first)."""
        self._confirmed, self._nacked, self._returned = set(), set(), {}
        outcome = {}
        try:
            channel = self._ensure()
            if exchange.name not in self.declared:
                exchange(channel).declare()
                self.declared.add(exchange.name)
            for message_id, body, routing_key in messages:
                # the outbox's own text (stored once, compact UTF-8 JSON) goes out as is
                payload = (body if isinstance(body, str)
                           else json.dumps(body, ensure_ascii=False)).encode("utf-8")
                self._tag += 1
                self._pending[self._tag] = message_id
                channel.basic_publish(
                    channel.prepare_message(payload, content_type="application/json",
                                            content_encoding="utf-8",
                                            properties={"delivery_mode": PERSISTENT,
                                                        "message_id": message_id}),
                    exchange=exchange.name, routing_key=routing_key, mandatory=True)
            deadline = time.monotonic() + self.confirm_timeout
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the broker did not confirm {} message(s) within {:.0f}s"
                                       .format(len(self._pending), self.confirm_timeout))
                try:
                    self.conn.drain_events(timeout=min(left, 1.0))
                except socket.timeout:
                    pass
        except Exception as exc:
            failure = exc
            self.close()
        else:
            failure = None
        for message_id in self._confirmed:
            returned = self._returned.get(message_id)
            outcome[message_id] = Unroutable(returned) if returned else None
        for message_id in self._nacked:
            outcome[message_id] = RuntimeError("the broker nacked the message")
        if failure is not None:
            outcome["*"] = failure
        self._pending = {}
        return outcome

    def close(self):
        conn, self.conn, self.channel = self.conn, None, None
        self._pending = {}
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
        # the statement that takes (PostgreSQL) or reads (SQLite) a batch, per held types
        self._take_statements = {}

    def setup(self):
        config = self.container.config
        self.producer = self.producer or self.container.service_name
        self.exchange = Exchange(exchange_for(self.producer), type="topic", durable=True,
                                 delivery_mode=PERSISTENT)
        self.engine = engine_for(config[self.config_key])
        self.enabled = str(config.get("OUTBOX_RELAY", "on")).lower() not in ("off", "false", "0")
        self.interval = float(config.get("OUTBOX_POLL_SECONDS", 1.0))
        self.publisher = ConfirmingPublisher(config["AMQP_URI"])
        must_route = str(config.get("OUTBOX_MUST_ROUTE", "declared")).lower()
        self.must_route = None if must_route == "all" else {
            event_type for source, event_type, _, _ in SUBSCRIPTIONS if source == self.producer}
        self.held = {}  # event type -> (monotonic time of the next try, current delay)
        self.more = False  # the last batch was full: rows may be waiting behind it
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
            except Exception as exc:  # the broker or the database is away: try again later
                if not self._running:
                    # stop() closed the publisher under a batch: the rows not confirmed
                    # stay unpublished and go out after the next start (no traceback for
                    # an orderly stop).
                    log.info("outbox relay stopped during a batch: %s", exc)
                    break
                log.exception("outbox relay failed; retrying in %.1fs", backoff)
                count = 0
                backoff = min(backoff * 2, 30.0)
            # A batch that was not full left nothing behind it: wait for the next worker's
            # commit (it sets the event after committing, so an event set while this
            # batch was out is not lost) instead of asking the table again at once.
            if (count == 0 or not self.more) and self._running:
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

    def _sort_outcome(self, rows, outcome):
        """What a published batch came to, in seq order: the seqs to mark published, the
        first unroutable row of each type that must be routed ({type: (seq, message)}),
        and the first failure (seq, message) after which nothing counts."""
        published, unroutable = [], {}
        for row in rows:
            result = outcome.get(row.event_id, outcome.get("*", KeyError("unconfirmed")))
            if row.type in unroutable:
                continue  # an earlier event of its type came back: keep this one too
            if isinstance(result, Unroutable):
                if self.required(row.type):
                    unroutable[row.type] = (row.seq, "unroutable: {}".format(result))
                    continue
                log.debug("%s %s routed to no queue; nobody in Duban subscribes to it",
                          row.type, row.event_id)
            elif result is not None:
                return published, unroutable, (row.seq, repr(result))
            else:
                self.held.pop(row.type, None)
            published.append(row.seq)
        return published, unroutable, None

    def _pending_rows(self, held):
        """The next batch of unpublished rows, oldest first: (seq, event_id, type, body),
        the body as the JSON text stored (published without parsing it again)."""
        m = self.model
        q = (select(m.seq, m.event_id, m.type, cast(m.payload, Text).label("body"))
             .where(m.published_at.is_(None)).order_by(m.seq).limit(self.batch))
        if held:
            q = q.where(m.type.not_in(held))
        return q

    def _take_rows(self, held):
        """PostgreSQL: the next batch, locked and marked published in one statement
        (`UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`), its time bound as
        `now`. The mark is only committed once the broker has confirmed; rows it did not
        are unmarked first. Built once per set of held types (building it each pass was a
        third of the pass's CPU)."""
        key = ("take",) + tuple(held)
        if key not in self._take_statements:
            table = self.model.__table__
            batch = (self._pending_rows(held).with_only_columns(table.c.seq)
                     .with_for_update(skip_locked=True).cte("batch")
                     .prefix_with("MATERIALIZED"))
            self._take_statements[key] = (
                update(table).where(table.c.seq == batch.c.seq)
                .values(published_at=bindparam("now", type_=table.c.published_at.type))
                .returning(table.c.seq, table.c.event_id, table.c.type,
                           cast(table.c.payload, Text).label("body")))
        return self._take_statements[key]

    def relay_once(self):
        """Publish one batch of unpublished rows in order; returns how many went out.

        Rows of a type held back as unroutable are skipped (the rows of one type keep
        their order: a topic exchange routes on the type alone); the other types go on.
        On PostgreSQL the batch's rows are taken (locked and marked) by one statement and
        stay locked until the mark commits after the broker's confirms, so another
        instance's relay takes the rows after them, and a crash in between leaves them
        unpublished; on SQLite the read ends before the network I/O and gives the
        process's one connection back to the workers while the batch is out.
        """
        held = self._held_types()
        if is_sqlite(self.engine):
            key = ("read",) + tuple(held)
            if key not in self._take_statements:
                self._take_statements[key] = self._pending_rows(held)
            with self.engine.connect() as connection:
                rows = connection.execute(self._take_statements[key]).all()
            return self._publish(rows, None)
        with self.engine.connect() as connection:
            rows = connection.execute(self._take_rows(held),
                                      {"now": dt.datetime.now(dt.timezone.utc)}).all()
            rows = sorted(rows, key=lambda r: r.seq)
            return self._publish(rows, connection, marked=True)

    def _publish(self, rows, connection, marked=False):
        """Publish `rows` and mark them, in `connection`'s transaction (or a new one);
        `marked`: the rows were marked published when they were taken."""
        self.more = len(rows) >= self.batch
        if not rows:
            return 0
        failpoints.hit("outbox.before_publish")
        outcome = self.publisher.publish_many(
            [(row.event_id, row.body, row.type) for row in rows], self.exchange)
        published, unroutable, error = self._sort_outcome(rows, outcome)
        failpoints.hit("outbox.after_publish")
        taken = [row.seq for row in rows] if marked else []
        if connection is None:
            with self.engine.connect() as connection:
                self._mark(connection, published, unroutable, error, taken)
        else:
            self._mark(connection, published, unroutable, error, taken)
        for event_type, (seq, message) in unroutable.items():
            self._hold(event_type)
            log.error("outbox seq %s (%s) is kept unpublished: %s; retrying in %.1fs",
                      seq, event_type, message, self.held[event_type][1])
        if error:
            raise RuntimeError("publish of outbox seq {} failed: {}".format(*error))
        return len(published)

    def _mark(self, connection, published, unroutable, error, taken=()):
        """Mark the published rows (`taken`: rows marked already, when they were taken;
        those not published are unmarked), and count an attempt on each row that failed."""
        table = self.model.__table__
        done = set(published)
        if taken:
            unmark = [seq for seq in taken if seq not in done]
            if unmark:
                connection.execute(update(table).where(table.c.seq.in_(unmark))
                                   .values(published_at=None))
        elif published:
            connection.execute(update(table).where(table.c.seq.in_(published))
                               .values(published_at=dt.datetime.now(dt.timezone.utc)))
        failures = list(unroutable.values()) + ([error] if error else [])
        for seq, message in failures:
            connection.execute(update(table).where(table.c.seq == seq)
                               .values(attempts=table.c.attempts + 1, last_error=message))
        connection.commit()

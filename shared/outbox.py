"""Transactional outbox: events written with their change, published by a relay.

Rule 1 of the handbook: no event without its change, no change without its event.
A use case adds the envelope to the outbox in the same transaction as the change;
the relay publishes committed rows in order with publisher confirms and marks them
published. A crash anywhere loses nothing and at worst publishes twice (consumers
dedupe on the envelope id). The table doubles as the event log read by
`GET /api/v1/events?after=<seq>`.
"""
import datetime as dt
import logging
import threading

from kombu import Exchange
from nameko.amqp.publish import Publisher
from nameko.constants import PERSISTENT
from nameko.extensions import DependencyProvider
from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, select, text, update
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared import failpoints
from shared.db import BigId, engine_for, is_postgres, is_sqlite, session_factory
from shared.events import exchange_for

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
        self.publisher = Publisher(config["AMQP_URI"], use_confirms=True, delivery_mode=PERSISTENT,
                                   serializer="json")
        self._wake = threading.Event()
        self._running = False

    def start(self):
        if self.enabled:
            self._running = True
            self.container.spawn_managed_thread(self._run, identifier="outbox_relay")

    def stop(self):
        self._running = False
        self._wake.set()

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

    def relay_once(self):
        """Publish one batch of unpublished rows in order; returns how many went out."""
        session = self.Session()
        published = []
        try:
            q = (select(self.model).where(self.model.published_at.is_(None))
                 .order_by(self.model.seq).limit(self.batch))
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
                failpoints.hit("outbox.before_publish")
                try:
                    self.publisher.publish(row.payload, exchange=self.exchange,
                                           routing_key=row.type, declare=[self.exchange],
                                           retry=True, retry_policy={"max_retries": 3})
                except Exception as exc:
                    error = (row.seq, repr(exc))
                    break
                published.append(row.seq)
                failpoints.hit("outbox.after_publish")
            now = dt.datetime.now(dt.timezone.utc)
            if published:
                session.execute(update(self.model).where(self.model.seq.in_(published))
                                .values(published_at=now))
            if error:
                session.execute(update(self.model).where(self.model.seq == error[0])
                                .values(attempts=self.model.attempts + 1, last_error=error[1]))
            session.commit()
            if error:
                raise RuntimeError("publish of outbox seq {} failed: {}".format(*error))
            return len(published)
        finally:
            session.close()

"""Event handlers that never silently drop a message.

Nameko acks and drops an event when its handler raises. `reliable_handler` retries
with backoff inside the worker (the message stays unacked, so a crash redelivers
it), then parks the event in the service's dead-letter table, where an operator can
list and replay it. If even parking fails, the message is requeued.

Malformed messages are parked at once, with an error saying what is wrong: a body
that does not decode (kombu would log and drop it), a body over MAX_EVENT_BYTES
(kept as its first bytes), an envelope without id/type/data, or a version the
handler does not know.
"""
import datetime as dt
import functools
import logging
import traceback

import eventlet
from nameko.events import EventHandler
from nameko.extensions import DependencyProvider
from nameko.messaging import QueueConsumer
from sqlalchemy import JSON, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from shared import access
from shared.db import BigId, engine_for, session_factory
from shared.clock import utc_iso
from shared.errors import Conflict, DubanError, NotFound, ValidationFailed
from shared.rpc import exactly_once, rpc
from shared.schemas import check_id

log = logging.getLogger(__name__)
MAX_EVENT_BYTES = 1024 * 1024
PARKED_HEAD_BYTES = 64 * 1024


class DeadLetterMixin:
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    handler: Mapped[str] = mapped_column(String(120), nullable=False)
    source: Mapped[str] = mapped_column(String(64), nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    event_id: Mapped[str] = mapped_column(String(64), nullable=True, index=True)
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    error: Mapped[str] = mapped_column(Text, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    parked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    replayed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    discarded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    # What operators did to the letter: [{at, actor, action, reason, before?}]
    audit: Mapped[list] = mapped_column(JSON, nullable=True)


def dead_letter_view(row):
    return {"id": row.id, "handler": row.handler, "source": row.source,
            "event_type": row.event_type, "event_id": row.event_id, "error": row.error,
            "attempts": row.attempts, "parked_at": utc_iso(row.parked_at),
            "replayed_at": utc_iso(row.replayed_at),
            "discarded_at": utc_iso(row.discarded_at), "audit": list(row.audit or []),
            "payload": row.payload}


def _open_letter(session, model, dead_letter_id):
    check_id(dead_letter_id, "dead letter")
    row = session.get(model, dead_letter_id)
    if row is None:
        raise NotFound("No dead letter {}".format(dead_letter_id))
    if row.replayed_at or row.discarded_at:
        done = "replayed" if row.replayed_at else "discarded"
        raise Conflict("Dead letter {} was already {}".format(dead_letter_id, done),
                       {"status": [done]})
    return row


def _audit(row, actor, action, reason, **extra):
    row.audit = list(row.audit or []) + [dict(
        at=utc_iso(dt.datetime.now(dt.timezone.utc)), actor=actor, action=action,
        reason=reason, **extra)]


class DeadLetters(DependencyProvider):
    """The service's dead-letter store (its own short transactions)."""

    def __init__(self, model, config_key="DATABASE_URL"):
        self.model = model
        self.config_key = config_key

    def setup(self):
        self.Session = session_factory(engine_for(self.container.config[self.config_key]))
        self.retries = int(self.container.config.get("HANDLER_RETRIES", 4))
        self.backoff = float(self.container.config.get("HANDLER_BACKOFF_SECONDS", 0.2))
        self.park_retry = float(self.container.config.get("HANDLER_PARK_RETRY_SECONDS", 5))

    def get_dependency(self, worker_ctx):
        return self

    def park(self, handler, source, event_type, payload, error, attempts):
        with self.Session() as session:
            event_id = payload.get("id") if isinstance(payload, dict) else None
            session.add(self.model(handler=handler, source=source, event_type=event_type,
                                   event_id=event_id, payload=payload, error=error,
                                   attempts=attempts, parked_at=dt.datetime.now(dt.timezone.utc)))
            session.commit()

    def list(self, include_replayed=False, limit=100):
        """Letters still waiting for an operator (all of them with `include_replayed`)."""
        with self.Session() as session:
            q = select(self.model).order_by(self.model.id).limit(limit)
            if not include_replayed:
                q = q.where(self.model.replayed_at.is_(None), self.model.discarded_at.is_(None))
            return [dead_letter_view(r) for r in session.scalars(q)]

    def get(self, dead_letter_id):
        check_id(dead_letter_id, "dead letter")
        with self.Session() as session:
            row = session.get(self.model, dead_letter_id)
            if row is None:
                raise NotFound("No dead letter {}".format(dead_letter_id))
            return dead_letter_view(row)

    def mark_replayed(self, dead_letter_id, actor="system"):
        with self.Session() as session:
            row = session.get(self.model, dead_letter_id)
            row.replayed_at = dt.datetime.now(dt.timezone.utc)
            _audit(row, actor, "replayed", None)
            session.commit()

    def correct(self, session, dead_letter_id, payload, actor, reason):
        """Replace a parked event's payload (the cause was in the event); audited."""
        row = _open_letter(session, self.model, dead_letter_id)
        _audit(row, actor, "corrected", reason, before=row.payload)
        row.payload = payload
        session.flush()
        return dead_letter_view(row)

    def discard(self, session, dead_letter_id, actor, reason):
        """Give up on a parked event for good; audited."""
        row = _open_letter(session, self.model, dead_letter_id)
        row.discarded_at = dt.datetime.now(dt.timezone.utc)
        _audit(row, actor, "discarded", reason)
        session.flush()
        return dead_letter_view(row)


def inbox_key(payload):
    """The inbox key of an event: its envelope id (None for a payload without one)."""
    event_id = payload.get("id") if isinstance(payload, dict) else None
    return str(event_id)[:36] if event_id else None


def consume_once(service, fn, consumer, payload):
    """Run `fn(service, payload)` in the service's unit of work, once per event id.

    The event is claimed in the inbox inside the same transaction as its effect.
    """
    uow = service.uow()
    with uow:
        key = inbox_key(payload)
        if key and uow.claim(key, consumer) is not None:
            return None
        return fn(service, payload)


def check_envelope(payload, event_type, versions):
    """ValidationFailed (parked at once) unless `payload` is an envelope this handler reads."""
    if not isinstance(payload, dict):
        raise ValidationFailed("Malformed event: not an envelope ({})".format(
            type(payload).__name__), {"envelope": ["not an object"]})
    missing = [k for k, kind in (("id", str), ("type", str), ("data", dict))
               if not isinstance(payload.get(k), kind)]
    if missing:
        raise ValidationFailed("Malformed event: envelope without a valid {}".format(
            ", ".join(missing)), {"envelope": missing})
    if payload["type"] != event_type:
        raise ValidationFailed("Malformed event: type {!r} routed as {!r}".format(
            payload["type"], event_type), {"type": [payload["type"]]})
    if payload.get("version") not in versions:
        raise ValidationFailed("Unsupported event version {!r}; this handler reads {}".format(
            payload.get("version"), ", ".join(map(str, versions))),
            {"version": [str(payload.get("version"))]})


def raw_summary(message, body=None):
    """What is kept of a message that cannot be parked whole: its first bytes and size."""
    raw = message.body if isinstance(message.body, bytes) else str(message.body).encode()
    summary = {"raw": raw[:PARKED_HEAD_BYTES].decode("utf-8", "replace"), "size": len(raw),
               "content_type": message.content_type, "truncated": len(raw) > PARKED_HEAD_BYTES}
    if isinstance(body, dict) and isinstance(body.get("id"), str):
        summary["id"] = body["id"][:64]
    return summary


class ParkingQueueConsumer(QueueConsumer):
    """nameko's queue consumer, except that a body it cannot decode is parked, not dropped."""

    def on_decode_error(self, message, exc):
        tag = message.delivery_info.get("consumer_tag")
        provider = next((p for p, consumer in self._consumers.items()
                         if tag in getattr(consumer, "_active_tags", {}).values()), None)
        if not isinstance(provider, ReliableEventHandler):
            return super().on_decode_error(message, exc)
        try:
            provider.park_raw(message, "Cannot decode the message body: {!r}".format(exc))
        except Exception:
            log.exception("could not park an undecodable message; requeueing")
            eventlet.sleep(provider.dead_letters().park_retry)
            self.requeue_message(message)
            return
        self.ack_message(message)


class ReliableEventHandler(EventHandler):
    """The entrypoint of `reliable_handler`: parks what cannot reach the handler."""

    queue_consumer = ParkingQueueConsumer()

    def dead_letters(self):
        return next(d for d in self.container.dependencies if isinstance(d, DeadLetters))

    def park_raw(self, message, error, body=None):
        log.error("parking %s/%s: %s", self.source_service, self.event_type, error)
        self.dead_letters().park(self.method_name, self.source_service, self.event_type,
                                 raw_summary(message, body), error, 0)

    def handle_message(self, body, message):
        if not self.parked_if_oversized(body, message):
            super().handle_message(body, message)

    def parked_if_oversized(self, body, message):
        """A message over MAX_EVENT_BYTES is parked (as its first bytes) and acked."""
        limit = int(self.container.config.get("MAX_EVENT_BYTES", MAX_EVENT_BYTES))
        size = len(message.body or b"")
        if size <= limit:
            return False
        try:
            self.park_raw(message, "Message of {} bytes; the limit is {}".format(size, limit),
                          body)
        except Exception:
            log.exception("could not park an oversized message; requeueing")
            eventlet.sleep(self.dead_letters().park_retry)
            self.queue_consumer.requeue_message(message)
            return True
        self.queue_consumer.ack_message(message)
        return True


def apply_with_retries(self, name, source_service, event_type, versions, consume, payload):
    """Apply one message; on an error, roll back and retry with backoff, or park it in the
    dead-letter store: at once for bad data (a DubanError other than a Conflict, or an
    envelope that is malformed or of another version), after `retries` attempts for
    anything else. Returns None when parked; raises (the message is requeued) only when it
    cannot even be parked."""
    store = self.dead_letters
    attempts = 0
    while True:
        attempts += 1
        try:
            check_envelope(payload, event_type, versions)
            return consume(self, payload)
        except Exception as exc:
            self.db.rollback()
            # Bad data will not get better; a conflict with a concurrent change (two
            # deliveries racing, a stale version) may pass on a retry.
            permanent = isinstance(exc, DubanError) and not isinstance(exc, Conflict)
            if permanent or attempts > store.retries:
                _park(store, name, source_service, event_type, payload, exc, attempts)
                return None
            eventlet.sleep(store.backoff * (2 ** (attempts - 1)))


def _park(store, name, source_service, event_type, payload, exc, attempts):
    log.error("parking %s/%s after %d attempt(s): %r", source_service, event_type, attempts, exc)
    try:
        store.park(name, source_service, event_type, payload,
                   "".join(traceback.format_exception_only(type(exc), exc)).strip(), attempts)
    except Exception:
        # Cannot even park (the database is away): requeue, but not in a hot loop.
        log.exception("could not park %s/%s; requeueing", source_service, event_type)
        eventlet.sleep(store.park_retry)
        raise


def reliable_handler(source_service, event_type, versions=(1,), batch=None, batch_autoflush=True,
                     batch_prepare=None, consumer=None, **kwargs):
    """`@event_handler` with an inbox claim, retries, backoff and a dead-letter store.

    With `batch=N`, messages that arrive together (up to N) are applied in one
    transaction (shared/batching.py); a batch that fails is applied again one message
    at a time, with the retries and parking below. `batch_autoflush=False` writes a
    batch's rows in one flush at its commit; `batch_prepare(uow, payloads)` reads what
    the batch's messages need once (see `batching.batch_of`).

    The service needs `uow()` (shared.service.ServiceBase) and `dead_letters` (a
    DeadLetters). A DubanError (bad data: retrying will not help) is parked at once —
    except a Conflict (a concurrent change), which is retried — and so is an envelope
    that is malformed or of a version not in `versions`.

    Events are claimed under `consumer` (default `source.method`): handlers that share one
    name apply each event once among them (notify's projection, whose catch-up from the
    event log claims under the same name).
    """
    claim_as = consumer

    def decorator(fn):
        consumer = claim_as or "{}.{}".format(source_service, fn.__name__)

        def consume(self, payload):
            return consume_once(self, fn, consumer, payload)
        consume.fn, consume.consumer = fn, consumer  # a batch claims its events at once

        @functools.wraps(fn)
        def wrapper(self, payload):
            return apply_with_retries(self, fn.__name__, source_service, event_type, versions,
                                      consume, payload)
        wrapper.reliable_source = (source_service, event_type)
        wrapper.consume = consume
        wrapper.reliable_versions = tuple(versions)
        if batch:
            from shared.batching import BatchingEventHandler, batch_of
            entry = batch_of(wrapper, consume, event_type, versions, batch_autoflush,
                             batch_prepare)
            return BatchingEventHandler.decorator(source_service, event_type,
                                                  requeue_on_error=True, batch_size=batch,
                                                  **kwargs)(entry)
        return ReliableEventHandler.decorator(source_service, event_type, requeue_on_error=True,
                                              **kwargs)(wrapper)
    return decorator


def _reason(payload):
    reason = (payload or {}).get("reason") if isinstance(payload, dict) else None
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 2000:
        raise ValidationFailed("Say why (reason, up to 2000 characters): it is audited",
                               {"reason": ["required"]})
    return reason.strip()


class DeadLetterAdmin:
    """RPC methods for operators, mixed into every consuming service."""

    @rpc
    def list_dead_letters(self, include_replayed=False):
        access.require_platform(self.caller)
        return self.dead_letters.list(include_replayed=include_replayed)

    @rpc
    @exactly_once
    def correct_dead_letter(self, dead_letter_id, body):
        """{payload, reason}: the corrected event, replayed afterwards by the operator."""
        access.require_platform(self.caller)
        if not isinstance(body, dict) or not isinstance(body.get("payload"), dict):
            raise ValidationFailed("Give the corrected event as `payload` (an object)",
                                   {"payload": ["an object"]})
        uow = self.uow()
        with uow:
            return self.dead_letters.correct(uow.session, dead_letter_id, body["payload"],
                                             uow.actor, _reason(body))

    @rpc
    @exactly_once
    def discard_dead_letter(self, dead_letter_id, body):
        """{reason}: the event will never be applied."""
        access.require_platform(self.caller)
        uow = self.uow()
        with uow:
            return self.dead_letters.discard(uow.session, dead_letter_id, uow.actor,
                                             _reason(body))

    @rpc
    def replay_dead_letter(self, dead_letter_id):
        access.require_platform(self.caller)
        letter = self.dead_letters.get(dead_letter_id)
        if letter["replayed_at"] or letter["discarded_at"]:
            done = "replayed" if letter["replayed_at"] else "discarded"
            raise Conflict("Dead letter {} was already {}".format(dead_letter_id, done),
                           {"status": [done]})
        handler = getattr(type(self), letter["handler"], None)
        if handler is None or not hasattr(handler, "consume"):
            raise NotFound("No handler {}".format(letter["handler"]))
        check_envelope(letter["payload"], letter["event_type"],
                       getattr(handler, "reliable_versions", (1,)))
        handler.consume(self, letter["payload"])
        # The handler may have read without committing; give its connection back before
        # the dead-letter store takes one (SQLite has a single connection per process).
        self.db.close()
        self.dead_letters.mark_replayed(dead_letter_id, str(self.caller))
        return {"replayed": dead_letter_id}

"""Events applied in batches: many messages, one transaction (group commit).

A bulk confirm in intake sends tracking thousands of `draft.confirmed` events at once.
Applied one per worker and transaction, each pays for a worker, a commit and the reads
every registration repeats (the directory, the calendar). `reliable_handler(...,
batch=N)` makes the entrypoint a `BatchingEventHandler`: messages that arrive within
`EVENT_BATCH_LINGER_SECONDS` of each other (default 0.01), up to N, go to one worker,
which applies them in one unit of work, each still claimed in the inbox under its own
event id. Every message of the batch is acked only after that commit; a crash before
it redelivers them all, and the inbox makes the redelivery change nothing twice.

If the batch fails as a whole (one message conflicts, the database refuses), it is
rolled back and each message is applied again on its own, with the usual retries and
parking: a bad message never takes its neighbours down with it. Malformed envelopes
are parked before the batch is formed.

The batching consumer has its own AMQP connection whose prefetch is
`EVENT_BATCH_PREFETCH` (default 200), so batches are not capped by the worker pool.
"""
import contextlib
import functools
import logging

import eventlet
from nameko.exceptions import ContainerBeingKilled

from shared.consumer import (ParkingQueueConsumer, ReliableEventHandler, check_envelope,
                             inbox_key)
from shared.errors import ValidationFailed

log = logging.getLogger(__name__)


class BatchQueueConsumer(ParkingQueueConsumer):
    """A queue consumer (own connection) that lets a batch's messages be outstanding."""

    @property
    def prefetch_count(self):
        return int(self.container.config.get("EVENT_BATCH_PREFETCH", 200))


class BatchingEventHandler(ReliableEventHandler):
    queue_consumer = BatchQueueConsumer()

    def __init__(self, *args, batch_size=100, **kwargs):
        self.batch_size = batch_size
        self._buffer = []
        self._flusher = None
        super().__init__(*args, **kwargs)

    def handle_message(self, body, message):
        if self.parked_if_oversized(body, message):
            return
        self._buffer.append((body, message))
        if len(self._buffer) >= self.batch_size:
            self._flush()
        elif self._flusher is None:
            self._flusher = self.container.spawn_managed_thread(
                self._flush_after_linger, identifier="batch_linger")

    def _flush_after_linger(self):
        eventlet.sleep(float(self.container.config.get("EVENT_BATCH_LINGER_SECONDS", 0.01)))
        self._flusher = None
        self._flush()

    def _flush(self):
        batch, self._buffer = self._buffer, []
        if not batch:
            return
        messages = [m for _, m in batch]
        try:
            self.container.spawn_worker(
                self, ([b for b, _ in batch],), {},
                context_data=self.unpack_message_headers(messages[0]),
                handle_result=functools.partial(self._batch_done, messages))
        except ContainerBeingKilled:
            for message in messages:
                self.queue_consumer.requeue_message(message)

    def _batch_done(self, messages, worker_ctx, result=None, exc_info=None):
        for message in messages:
            self.handle_message_processed(message, result, exc_info)
        return result, exc_info


def batch_of(single, consume, event_type, versions, autoflush=True, prepare=None):
    """The worker method of a batching entrypoint, from `reliable_handler`'s pieces:
    `single(self, payload)` applies one message with retries and parking; `consume(self,
    payload)` applies one inside the caller's unit of work, claimed in the inbox.

    With `autoflush=False` the batch's rows are written in one flush at its commit (the
    ORM inserts each table's rows together) instead of before every statement: for
    handlers whose messages never read what an earlier message of the batch wrote (two
    messages that clash, e.g. one key inserted twice, fail the batch at its flush, and
    it is applied again one message at a time, with autoflush). `prepare(uow, payloads)`,
    if given, runs first in the batch's unit of work: what every message would read on its
    own, read once for the batch (e.g. which of its items exist already)."""

    @functools.wraps(single)
    def apply_batch(self, payloads):
        good = []
        for payload in payloads:
            try:
                check_envelope(payload, event_type, versions)
                good.append(payload)
            except ValidationFailed:
                single(self, payload)  # parks it, saying what is wrong
        if len(good) > 1:
            uow = self.uow()
            try:
                with uow, _autoflush(uow.session, autoflush):
                    if prepare is not None:
                        prepare(uow, good)
                    _consume_all(self, uow, consume, good)
                return None
            except Exception as exc:
                self.db.rollback()
                log.warning("a batch of %d %s events failed as a whole (%r); applying them "
                            "one at a time", len(good), event_type, exc)
        for payload in good:
            single(self, payload)
        return None

    apply_batch.reliable_source = single.reliable_source
    apply_batch.consume = consume
    apply_batch.reliable_versions = single.reliable_versions
    return apply_batch


def _autoflush(session, on):
    return contextlib.nullcontext() if on else session.no_autoflush


def _consume_all(service, uow, consume, payloads):
    """Each payload applied once, inside the batch's unit of work: the batch's event ids
    are claimed in the inbox in one statement, then each claimed one is applied."""
    claimed = uow.claim_many([k for k in map(inbox_key, payloads) if k], consume.consumer)
    for payload in payloads:
        key = inbox_key(payload)
        if key is None:
            consume(service, payload)
        elif key in claimed:
            claimed.discard(key)  # the same event twice in a batch is applied once
            with uow:
                consume.fn(service, payload)


def subject_ids(payloads):
    """The ids of the items a batch of item events is about (its `data.id`s), for a
    handler's `batch_prepare`."""
    return {p["data"]["id"] for p in payloads
            if isinstance(p.get("data"), dict) and isinstance(p["data"].get("id"), str)}

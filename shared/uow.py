"""The unit of work: one business transaction that commits once.

A use case runs inside `with uow:`; the block's change, its history records, the
events it emits (into the transactional outbox) and the request or event it claims
(in the inbox) are committed together when the outermost block ends, or rolled back
together if it raises. Blocks nest: an inner `with uow:` joins the outer transaction,
so a use case can be called on its own (a timer, a test) or inside `exactly_once`.

A request that carries the caller's deadline (the gateway's timeout) is not committed
after it: the caller has answered 503 by then, and "503" must mean "nothing was done".

Concurrency errors surface as the common error vocabulary, wherever they happen (a
flush inside the block, or the commit): a stale version or a serialisation failure is
a 409 the client can retry, a unique-key race a 409 naming the clash.
"""
import datetime as dt
import hashlib
import json
import time

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from shared import access, errors, failpoints
from shared.events import make_envelope
from shared.rows import update_row

RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}  # serialisation, deadlock, lock not available


_CLAIMS = {}  # (inbox table, on PostgreSQL?, reads) -> the claim statement, built once


def _claim_statement(table, postgres, reads=None):
    """`INSERT … ON CONFLICT DO NOTHING` into an inbox, with its values bound at execution
    (building the statement per claim cost as much as running it); with `reads` ({name:
    scalar subquery}), `RETURNING` them: a row only when the key was claimed now."""
    key = (table, postgres, tuple((name, id(query)) for name, query in (reads or {}).items()))
    if key not in _CLAIMS:
        insert = pg_insert if postgres else sqlite_insert
        stmt = insert(table).on_conflict_do_nothing()
        if reads:
            stmt = stmt.returning(*(query.label(name) for name, query in reads.items()))
        _CLAIMS[key] = stmt
    return _CLAIMS[key]


CACHE = "duban.transaction_cache"  # session.info key of the per-transaction read cache
READ_WITH_CLAIM = "read_with_claim"  # the transaction cache of what a claim read (claim_reads)


def transaction_cache(session, name):
    """A dict that lives until the unit of work ends (UnitOfWork empties it on commit and
    on rollback): what one transaction reads many times, e.g. in a bulk registration or a
    batch of events."""
    return session.info.setdefault(CACHE, {}).setdefault(name, {})


def translate(exc):
    """The DubanError a database concurrency error means, or None for anything else."""
    if isinstance(exc, errors.DubanError):
        return None
    if isinstance(exc, StaleDataError):
        return errors.Conflict("The record was changed by someone else at the same moment; "
                               "reload it and try again", {"version": ["stale"]})
    if isinstance(exc, IntegrityError):
        return errors.Conflict("The request clashes with a record written at the same moment "
                               "(a duplicate code, key or request); reload and try again",
                               {"_schema": ["concurrent duplicate"]})
    if isinstance(exc, (OperationalError, DBAPIError)):
        code = getattr(getattr(exc, "orig", None), "pgcode", None)
        text = str(getattr(exc, "orig", exc)).lower()
        if code in RETRYABLE_SQLSTATES or "database is locked" in text:
            return errors.Conflict("The database was busy with a concurrent change; try again",
                                   {"_schema": ["busy"]})
    return None


SECRET_FIELDS = {"password", "old_password", "new_password"}


def _redacted(value):
    """`value` without the secrets in it: a digest of a password would be a weak hash of
    it kept in the inbox."""
    if isinstance(value, dict):
        return {k: ("*" if k in SECRET_FIELDS else _redacted(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redacted(v) for v in value]
    return value


def request_digest(name, args, kwargs):
    """A stable digest of what a request asked, to tell a replay from a reused key."""
    body = json.dumps([name, _redacted(args), _redacted(kwargs)], sort_keys=True,
                      ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class UnitOfWork:
    """What a use case needs: the session, the outbox, the clock and who is acting
    (`principal`, a shared.access.Principal; `actor`, the name the history records).

    `producer` names the events' producer; `inbox` is the service's inbox model, where
    processed events and requests are claimed in the same transaction as their effect.
    `claim_reads` ({name: scalar subquery}) are read in a request's claim statement
    itself, without a round trip of their own, into `transaction_cache(session,
    READ_WITH_CLAIM)` (tracking reads its directory's version so).
    """

    def __init__(self, session, outbox, clock, actor="system", producer=None, inbox=None,
                 deadline=None, principal=None, claim_reads=None):
        self.session = session
        self.outbox = outbox
        self.clock = clock
        self.actor = str(actor)  # the name the history records
        self.principal = principal if principal is not None else access.SYSTEM
        self.producer = producer
        self.inbox = inbox
        self.deadline = deadline  # epoch seconds after which the caller no longer waits
        self.claim_reads = claim_reads
        self._depth = 0

    # ---- the transaction
    def __enter__(self):
        self._depth += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        self._depth -= 1
        if self._depth > 0:
            return False
        self.session.info.pop(CACHE, None)  # what the transaction read is not kept past it
        if exc_type is not None:
            self.session.rollback()
            mapped = translate(exc)
            if mapped is not None:
                raise mapped from exc
            return False
        failpoints.pause("uow.before_commit")
        if self.deadline is not None and time.time() > self.deadline:
            # The caller has given up (it answered 503): committing now would make that
            # answer a lie, and its retry a duplicate.
            self.session.rollback()
            raise errors.ServiceUnavailable(
                "The request took longer than the caller waits; nothing was changed, "
                "try again", {"_schema": ["deadline passed"]})
        try:
            self.session.commit()
        except Exception as failure:
            self.session.rollback()
            mapped = translate(failure)
            if mapped is not None:
                raise mapped from failure
            raise
        return False

    @property
    def active(self):
        return self._depth > 0

    # ---- events
    def emit(self, type, data, subject_id=None, org_id=None):
        """Write an event into the outbox, inside this transaction."""
        self.outbox.add(self.session, make_envelope(type, self.producer, data, self.clock.now(),
                                                    subject_id=subject_id, org_id=org_id))

    # ---- exactly once
    def claim(self, key, consumer, digest=None):
        """Claim `key` for `consumer` in this transaction.

        Returns None the first time; for a key already claimed, the earlier row (whose
        `result` holds what the first run answered). A key reused for a different
        request (another digest) is a 422.
        """
        # One statement: INSERT ... ON CONFLICT DO NOTHING (on PostgreSQL it waits for a
        # concurrent claim of the same key to commit or roll back, then answers).
        connection = self.session.connection()
        claimed = connection.execute(
            _claim_statement(self.inbox.__table__, connection.dialect.name == "postgresql",
                             self.claim_reads),
            {"event_id": key, "consumer": consumer, "digest": digest,
             "received_at": dt.datetime.now(dt.timezone.utc)})
        if self.claim_reads:
            read = claimed.first()
            if read is not None:
                transaction_cache(self.session, READ_WITH_CLAIM).update(read._mapping)
                return None
        elif claimed.rowcount == 1:
            return None
        row = self.session.get(self.inbox, (key, consumer))
        if digest and row.digest and row.digest != digest:
            raise errors.ValidationFailed(
                "This Idempotency-Key was already used for a different request",
                {"Idempotency-Key": ["reused with a different body"]})
        return row

    def claim_many(self, keys, consumer):
        """Claim several event ids for `consumer` in one statement (a batch of events):
        the set of those claimed now. One claimed before, or twice in `keys`, is in it
        at most once (`INSERT … ON CONFLICT DO NOTHING RETURNING`)."""
        keys = sorted(set(keys))  # one order for every batch: no deadlock between two
        if not keys:
            return set()
        connection = self.session.connection()
        table = self.inbox.__table__
        insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
        now = dt.datetime.now(dt.timezone.utc)
        stmt = insert(table).values([{"event_id": key, "consumer": consumer, "digest": None,
                                      "received_at": now} for key in keys])
        return set(connection.execute(stmt.on_conflict_do_nothing()
                                      .returning(table.c.event_id)).scalars())

    def record_result(self, key, consumer, result):
        """The answer beside the claim, written with the transaction's last flush (on
        PostgreSQL in the same statement as the rows the use case wrote: shared.rows)."""
        update_row(self.session, self.inbox.__table__, {"event_id": key, "consumer": consumer},
                   {"result": result})

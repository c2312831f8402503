"""Idempotent consumers: an inbox row per (event or request id, consumer), written with the effect.

Events are claimed by their envelope id, RPC requests by their request key (see
shared/rpc.exactly_once); a request's row also keeps what the first run answered, so
a redelivered request gets the same answer without running again.
"""
import datetime as dt

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column


class InboxMixin:
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=True)
    result: Mapped[dict] = mapped_column(JSON, nullable=True)


def claim(session, model, event_id, consumer):
    """True the first time this consumer sees the event, False for a duplicate.

    The row is part of the caller's transaction: if the effect rolls back, so does
    the claim. Two concurrent deliveries both passing the check collide on the
    primary key at commit, and the loser's handler retries and then sees the row.
    """
    if session.get(model, (event_id, consumer)) is not None:
        return False
    session.add(model(event_id=event_id, consumer=consumer,
                      received_at=dt.datetime.now(dt.timezone.utc)))
    return True

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


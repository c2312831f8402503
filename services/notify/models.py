"""The notify service's tables (its own database; no other service reads them)."""
import datetime as dt

from sqlalchemy import (JSON, Boolean, Date, Index, Integer, String, Text, UniqueConstraint,
                        text)
from sqlalchemy import DateTime as _DateTime
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.consumer import DeadLetterMixin
from shared.db import BigId
from shared.inbox import InboxMixin
from shared.outbox import OutboxMixin

PENDING, SENDING, CHECKING = "pending", "sending", "checking"
SENT, FAILED, UNCERTAIN, CANCELLED, SUPERSEDED = (
    "sent", "failed", "uncertain", "cancelled", "superseded")
RUNG_STATUSES = (PENDING, SENDING, CHECKING, SENT, FAILED, UNCERTAIN, CANCELLED, SUPERSEDED)


class UtcDateTime(TypeDecorator):
    """An aware UTC datetime on both databases (SQLite hands back naive values)."""

    impl = _DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


def DateTime(timezone=True):  # noqa: N802 - reads like the SQLAlchemy type it stands for
    return UtcDateTime()


class Base(DeclarativeBase):
    pass


class OpenItem(Base):
    """The projection of an item from tracking.events: what reminders need to know."""

    __tablename__ = "items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), nullable=True, index=True)
    # codes from the group down to the lead department (who may see the item's reminders)
    org_path: Mapped[list] = mapped_column(JSON, nullable=True)
    number: Mapped[str] = mapped_column(String(40), nullable=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(24), nullable=False)
    category: Mapped[str] = mapped_column(String(16), nullable=False, default="routine")
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=True)
    feedback_due_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    department: Mapped[str] = mapped_column(String(64), nullable=True, index=True)
    departments: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    people: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    chase_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    needs_plan: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (Index("ix_items_needs_plan", "id", postgresql_where=text("needs_plan"),
                            sqlite_where=text("needs_plan")),)


class Rung(Base):
    """One reminder (催办/提醒): once per (item, rung, recipient, channel), whatever happens."""

    __tablename__ = "rungs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(String(36), nullable=False)
    rung: Mapped[str] = mapped_column(String(80), nullable=False)
    recipient: Mapped[str] = mapped_column(String(20), nullable=False)  # 11-digit mobile
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    series: Mapped[str] = mapped_column(String(16), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    recipient_name: Mapped[str] = mapped_column(String(100), nullable=True)
    org_id: Mapped[str] = mapped_column(String(64), nullable=True)
    department: Mapped[str] = mapped_column(String(64), nullable=True)
    note: Mapped[str] = mapped_column(String(500), nullable=True)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    next_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    out_id: Mapped[str] = mapped_column(String(40), nullable=True)
    provider_id: Mapped[str] = mapped_column(String(100), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, nullable=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    message: Mapped[dict] = mapped_column(JSON, nullable=True)  # {text, params}, fixed at claim

    __table_args__ = (
        UniqueConstraint("item_id", "rung", "recipient", "channel", name="uq_rungs_once"),
        Index("ix_rungs_item", "item_id"),
        # the due scan reads only pending (and in-flight) rows: it does not grow with history
        Index("ix_rungs_due", "next_at", postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
        Index("ix_rungs_inflight", "next_at",
              postgresql_where=text("status IN ('sending', 'checking')"),
              sqlite_where=text("status IN ('sending', 'checking')")),
    )


class Delivery(Base):
    """The delivery log: every attempt, its outcome, the provider's id or error (masked)."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    rung_id: Mapped[int] = mapped_column(BigId, nullable=True, index=True)
    item_id: Mapped[str] = mapped_column(String(36), nullable=True, index=True)
    org_id: Mapped[str] = mapped_column(String(64), nullable=True)
    department: Mapped[str] = mapped_column(String(64), nullable=True, index=True)
    rung: Mapped[str] = mapped_column(String(80), nullable=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=True)
    channel: Mapped[str] = mapped_column(String(32), nullable=False)
    recipient: Mapped[str] = mapped_column(String(20), nullable=True)  # masked
    attempt: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    status: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    provider_id: Mapped[str] = mapped_column(String(100), nullable=True)
    error: Mapped[str] = mapped_column(Text, nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)


class LadderConfig(Base):
    """An organisation's ladder for a category ('*': every category without its own)."""

    __tablename__ = "ladders"
    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(16), primary_key=True)
    config: Mapped[dict] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Template(Base):
    __tablename__ = "templates"
    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class CalendarDay(Base):
    """The office calendar per organisation (from tracking's calendar.updated)."""

    __tablename__ = "calendar_days"
    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=True)


class DailyCount(Base):
    """Messages sent per number per local day: the local daily cap."""

    __tablename__ = "daily_counts"
    mobile: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class State(Base):
    """Small facts the service keeps about itself (the event-log rebuild cursor)."""

    __tablename__ = "state"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=True)


class Webhook(Base):
    """Another system's subscription: a URL, the event types, a secret for signatures."""

    __tablename__ = "webhooks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(500), nullable=False)
    events: Mapped[list] = mapped_column(JSON, nullable=False)
    secret: Mapped[str] = mapped_column(String(200), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    webhook_id: Mapped[int] = mapped_column(BigId, nullable=False, index=True)
    event_id: Mapped[str] = mapped_column(String(36), nullable=False)
    event_type: Mapped[str] = mapped_column(String(64), nullable=False)
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    response_status: Mapped[int] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id", name="uq_webhook_event"),
        Index("ix_webhook_deliveries_due", "next_at", postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
    )


class InboxEntry(InboxMixin, Base):
    __tablename__ = "inbox"


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class DeadLetter(DeadLetterMixin, Base):
    __tablename__ = "dead_letters"

"""The intake service's tables: source documents and their drafts."""
import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from shared.consumer import DeadLetterMixin
from shared.inbox import InboxMixin
from shared.outbox import OutboxMixin


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A document an office handed in: minutes, an assignment list, a goal sheet."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    format: Mapped[str] = mapped_column(String(16), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=True)
    reference: Mapped[str] = mapped_column(String(200), nullable=True)
    meeting_date: Mapped[dt.date] = mapped_column(Date, nullable=True)
    year: Mapped[int] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text, nullable=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary, nullable=True)
    meta: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    settled: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    warnings: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_by: Mapped[str] = mapped_column(String(120), nullable=False)
    # the group of whoever handed it in (None: the platform administrator or the system)
    org_id: Mapped[str] = mapped_column(String(64), nullable=True)

    drafts = relationship("DraftRow", order_by="DraftRow.position", lazy="selectin",
                          back_populates="source")


class DraftRow(Base):
    """A proposed item, editable until it is confirmed (then it names its item)."""

    __tablename__ = "drafts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    fields: Mapped[dict] = mapped_column(JSON, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    item_id: Mapped[str] = mapped_column(String(36), nullable=True, unique=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_by: Mapped[str] = mapped_column(String(120), nullable=False)
    confirmed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    rejection: Mapped[dict] = mapped_column(JSON, nullable=True)  # why tracking refused it
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    source = relationship(Source, back_populates="drafts")

    __mapper_args__ = {"version_id_col": version}


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class InboxEntry(InboxMixin, Base):
    __tablename__ = "inbox"


class DeadLetter(DeadLetterMixin, Base):
    __tablename__ = "dead_letters"

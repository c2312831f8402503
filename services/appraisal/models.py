"""The appraisal service's tables (its own database; no other service reads them).

A projection of item outcomes built from tracking.events (items, deadline changes,
feedback, feedback due dates, org units, the office calendar), and what the service
makes of it: monthly reports, half-year appraisals with their department rows,
accountability records, audited manual adjustments and weights per organisation.
"""
import datetime as dt

from sqlalchemy import (JSON, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String,
                        Text, UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.consumer import DeadLetterMixin
from shared.db import BigId
from shared.inbox import InboxMixin
from shared.outbox import OutboxMixin


class Base(DeclarativeBase):
    pass


class InboxEntry(InboxMixin, Base):
    __tablename__ = "inbox"


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class DeadLetter(DeadLetterMixin, Base):
    __tablename__ = "dead_letters"


# ---------------------------------------------------------------- the projection

class OrgUnit(Base):
    """A directory node as tracking published it; `path` is '/GROUP/.../CODE/'."""

    __tablename__ = "org_units"
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    parent: Mapped[str] = mapped_column(String(64), nullable=True)
    path: Mapped[str] = mapped_column(String(1000), nullable=False)
    leader: Mapped[dict] = mapped_column(JSON, nullable=True)  # 分管领导, when tracking names one


# The static parts of the evidence conditions (sampling.py), as the predicates of the partial
# indexes its walks go through (migration 0004): PostgreSQL's planner uses such an index when
# the query's conditions imply the predicate.
UNEXPLAINED_PREDICATE = ("reason IS NULL AND NOT milestone "
                         "AND coalesce(completed_on, '9999-12-31') > deadline")
SILENT_PREDICATE = "feedback_cadence <> 'none' AND issued_on IS NOT NULL AND NOT milestone"
# The other columns a walk reads (sampling.candidate_filter's organisation and stop dates, the
# sample's columns, sampling.COLUMNS), carried by both indexes (INCLUDE; migration 0005)
WALK_INCLUDE = ("org_id", "org_path", "cancelled_on", "suspended_on", "title", "completed_on",
                "issued_on", "last_feedback_on")


class ItemOutcome(Base):
    """One supervised item as the appraisal sees it (lead department = the department judged)."""

    __tablename__ = "items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(32), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    org_id: Mapped[str] = mapped_column(String(64), nullable=False)
    org_path: Mapped[str] = mapped_column(String(1000), nullable=False)  # '/HQ/SUB/DEPT/'
    subsidiary: Mapped[str] = mapped_column(String(64), nullable=True)
    department: Mapped[str] = mapped_column(String(64), nullable=False)
    department_name: Mapped[str] = mapped_column(String(200), nullable=False)
    co_departments: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    category: Mapped[str] = mapped_column(String(16), nullable=False)
    source_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    milestone: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(32), nullable=False)
    original_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    deadline_in_force: Mapped[dt.date] = mapped_column(Date, nullable=False)
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)  # the appraisal deadline
    completed_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    cancelled_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    suspended_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    quality: Mapped[int] = mapped_column(Integer, nullable=True)
    feedback_cadence: Mapped[str] = mapped_column(String(32), nullable=False, default="none")
    last_feedback_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text, nullable=True)    # the latest stated reason
    new_plan: Mapped[str] = mapped_column(Text, nullable=True)  # and new plan
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    __table_args__ = (
        Index("ix_items_org_deadline", "org_id", "deadline"),
        # a department's items in (deadline, number) order: the evidence walks on SQLite
        # (sampling.py) and every lookup by department
        Index("ix_items_department_deadline", "department", "deadline", "number"),
        # the same order over the items the static part of a kind of evidence keeps
        # (sampling.py's walks, on PostgreSQL): unexplained overdue, whose walk then reads about
        # one item per sample; silent, whose dynamic conditions (open on the day of the
        # figures, no report since the cutoff) are key columns after the order, so the scan of
        # the index skips the items they reject without reading them. Each also carries
        # (INCLUDE) every other column its walk reads, so that a walk is an index-only scan:
        # it reads no row of the table on pages the visibility map marks all-visible
        # (PostgreSQL only: SQLite's planner never takes them, its walks binding their dates,
        # and would only pay for them on every write)
        Index("ix_items_unexplained", "department", "deadline", "number",
              postgresql_where=text(UNEXPLAINED_PREDICATE),
              postgresql_include=list(WALK_INCLUDE)).ddl_if(dialect="postgresql"),
        Index("ix_items_silent", "department", "deadline", "number",
              text("coalesce(completed_on, '9999-12-31')"),
              text("coalesce(last_feedback_on, issued_on)"),
              postgresql_where=text(SILENT_PREDICATE),
              postgresql_include=list(WALK_INCLUDE)).ddl_if(dialect="postgresql"),
    )


class DeadlineChange(Base):
    """An approved extension as tracking applied it (item.deadline_changed)."""

    __tablename__ = "deadline_changes"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    approved_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    old_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    new_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)


class FeedbackOwner:
    """The item's organisation and lead department, copied onto its feedback and chase rows
    so their facts are a GROUP BY without a join (kept in step when the item moves)."""

    org_id: Mapped[str] = mapped_column(String(64), nullable=False)
    org_path: Mapped[str] = mapped_column(String(1000), nullable=False)
    department: Mapped[str] = mapped_column(String(64), nullable=False)
    milestone: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class FeedbackRecord(FeedbackOwner, Base):
    """A progress report (进展反馈) and, once assessed, whether it was accurate."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    item_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    submitted_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    accurate: Mapped[bool] = mapped_column(Boolean, nullable=True)

    __table_args__ = (Index("ix_feedback_org_submitted", "org_id", "submitted_on"),)


class FeedbackDue(FeedbackOwner, Base):
    """A feedback due date (反馈节点) of an item, and the day it was first met."""

    __tablename__ = "feedback_due"
    item_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    due_on: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    submitted_on: Mapped[dt.date] = mapped_column(Date, nullable=True)

    __table_args__ = (Index("ix_feedback_due_org_due", "org_id", "due_on"),)


class Chase(FeedbackOwner, Base):
    """A manual chase (催办) notify sent for an item (notify.events `chase.sent`), and how
    many days after it the department answered (its first report on or after the chase
    day, or the item's completion); None while unanswered. Its owner follows the item."""

    __tablename__ = "chases"
    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)  # the item's n-th chase
    chased_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    answer_days: Mapped[int] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_chases_org_chased", "org_id", "chased_on"),)


class CalendarDay(Base):
    """The office calendar as tracking published it (calendar.updated)."""

    __tablename__ = "calendar_days"
    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=True)


class ProjectionCursor(Base):
    """How far the projection was rebuilt from a producer's event log."""

    __tablename__ = "projection_cursors"
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    after: Mapped[int] = mapped_column(BigId, nullable=False, default=0)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


# ---------------------------------------------------------------- what the service makes

class OrgWeights(Base):
    """The weights an organisation gives each scoring rule (sum 100)."""

    __tablename__ = "org_weights"
    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    weights: Mapped[dict] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_by: Mapped[str] = mapped_column(String(120), nullable=False)


class MonthlyReport(Base):
    """A published monthly report (月度通报), as it was made."""

    __tablename__ = "monthly_reports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64), nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)
    made_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    content: Mapped[dict] = mapped_column(JSON, nullable=False)

    __table_args__ = (UniqueConstraint("org_id", "month", name="uq_monthly_reports_org_month"),)


class Appraisal(Base):
    """A half-year appraisal (半年考核) of one organisation: a draft until published, then frozen."""

    __tablename__ = "appraisals"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64), nullable=False)
    period: Mapped[str] = mapped_column(String(7), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # draft | published
    weights: Mapped[dict] = mapped_column(JSON, nullable=False)
    as_of: Mapped[dt.date] = mapped_column(Date, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_by: Mapped[str] = mapped_column(String(120), nullable=False)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    published_by: Mapped[str] = mapped_column(String(120), nullable=True)

    __table_args__ = (UniqueConstraint("org_id", "period", name="uq_appraisals_org_period"),)


class AppraisalRow(Base):
    """One department's result in an appraisal."""

    __tablename__ = "appraisal_rows"
    appraisal_id: Mapped[str] = mapped_column(ForeignKey("appraisals.id"), primary_key=True)
    department: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    subsidiary: Mapped[str] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # scored | no_items_due
    facts: Mapped[dict] = mapped_column(JSON, nullable=False)
    values: Mapped[dict] = mapped_column(JSON, nullable=False)
    base_score: Mapped[float] = mapped_column(Float, nullable=True)
    adjustment: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    score: Mapped[float] = mapped_column(Float, nullable=True)
    rank: Mapped[int] = mapped_column(Integer, nullable=True)
    plan_execution_rate: Mapped[float] = mapped_column(Float, nullable=True)


class AccountabilityRecord(Base):
    """问责: a talk with the supervising or principal leader, or inaction, with its evidence."""

    __tablename__ = "accountability_records"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    appraisal_id: Mapped[str] = mapped_column(ForeignKey("appraisals.id"), nullable=False,
                                              index=True)
    department: Mapped[str] = mapped_column(String(64), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    evidence: Mapped[dict] = mapped_column(JSON, nullable=False)


class Adjustment(Base):
    """A manual adjustment of a department's score: points, a reason, who and when (audited)."""

    __tablename__ = "adjustments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    appraisal_id: Mapped[str] = mapped_column(ForeignKey("appraisals.id"), nullable=False,
                                              index=True)
    department: Mapped[str] = mapped_column(String(64), nullable=False)
    points: Mapped[float] = mapped_column(Float, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    actor: Mapped[str] = mapped_column(String(120), nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)

"""The tracking service's tables (its own database; no other service reads them)."""
import datetime as dt

from sqlalchemy import (JSON, BigInteger, Boolean, Date, DateTime, ForeignKey, Index, Integer,
                        String, Text, UniqueConstraint, event, text)
from sqlalchemy.schema import DDL
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload

from shared.consumer import DeadLetterMixin
from shared.db import BigId
from shared.inbox import InboxMixin
from shared.outbox import OutboxMixin


def utcnow():
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    pass


# Made by migration 0007 on SQLite only (the ledger's FTS5 trigram index and its rowid map,
# handlers/search.py); not models, so the comparison of migrations and models skips them.
Base.metadata.info["unmodelled_tables"] = ("items_fts", "item_search_ids")


class OrgUnit(Base):
    """A node of the directory: the group, a subsidiary or a department."""

    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    parent_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), nullable=True)
    aliases: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    contact_person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", use_alter=True, name="fk_org_units_contact"), nullable=True)
    head_person_id: Mapped[int] = mapped_column(  # 部门负责人
        ForeignKey("people.id", use_alter=True, name="fk_org_units_head"), nullable=True)
    leader_person_id: Mapped[int] = mapped_column(  # 分管领导
        ForeignKey("people.id", use_alter=True, name="fk_org_units_leader"), nullable=True)
    number_format: Mapped[str] = mapped_column(String(64), nullable=True)  # a group's item numbers
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    parent = relationship("OrgUnit", remote_side=[id], lazy="joined", join_depth=3)
    # Read-only views of the people named by the id columns above (set the ids to change them).
    # Loaded when read (a unit found by its code for a registration needs none of them);
    # lists that show them ask for them in bulk (UNIT_PEOPLE).
    contact = relationship("Person", foreign_keys=[contact_person_id], lazy="select",
                           viewonly=True)
    head = relationship("Person", foreign_keys=[head_person_id], lazy="select", viewonly=True)
    leader = relationship("Person", foreign_keys=[leader_person_id], lazy="select",
                          viewonly=True)
    substitutes = relationship("Person", secondary="contact_substitutes", lazy="select",
                               order_by="Person.id", viewonly=True)


def unit_people(path=None):
    """Loader options that bring the people of units (contact, head, leader, substitutes)
    in bulk: `path` is how the query reaches the units (e.g. joinedload(Item.lead_unit))."""
    names = ("contact", "head", "leader", "substitutes")
    if path is None:
        return [selectinload(getattr(OrgUnit, n)) for n in names]
    return [path.selectinload(getattr(OrgUnit, n)) for n in names]


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    mobile: Mapped[str] = mapped_column(String(20), nullable=False)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), nullable=False)
    roles: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    request_id: Mapped[str] = mapped_column(String(36), nullable=True, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # sign-in (people who use the pages); the hash is argon2id, never the password
    username: Mapped[str] = mapped_column(String(64), nullable=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=True)

    org_unit = relationship(OrgUnit, foreign_keys=[org_unit_id], lazy="joined")

    __table_args__ = (UniqueConstraint("mobile", name="uq_people_mobile"),
                      UniqueConstraint("username", name="uq_people_username"))


class Token(Base):
    """A bearer token: a signed-in person's session, or an API token an admin made.

    Only the SHA-256 digest of the secret is kept; the secret is shown once."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # session | api
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=True)
    roles: Mapped[list] = mapped_column(JSON, nullable=False, default=list)   # api tokens
    org_id: Mapped[str] = mapped_column(String(64), nullable=True)           # its group
    organisation: Mapped[str] = mapped_column(String(64), nullable=True)     # its scope
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(120), nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)

    person = relationship("Person", lazy="joined")

    __table_args__ = (UniqueConstraint("digest", name="uq_tokens_digest"),)


class SignInFailure(Base):
    """A failed sign-in, counted per username and per address to slow guessing down."""

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False)

    __table_args__ = (Index("ix_sign_in_failures_at", "at"),)


class ContactSubstitute(Base):
    """A person allowed to act for a department's contact (联系人 B角)."""

    __tablename__ = "contact_substitutes"
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)


class DirectoryChange(Base):
    """Audit trail of the directory."""

    __tablename__ = "directory_changes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120), nullable=False)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_key: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    changes: Mapped[dict] = mapped_column(JSON, nullable=False)


class NumberSequence(Base):
    """Last number handed out per organisation and year."""

    __tablename__ = "number_sequences"
    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


LEDGER_ORDER = ("deadline", "org_id", "number", "id")
SEARCH_TEXT_PG = ("((((number::text || ' '::text) || title::text) || ' '::text) || content)")
WORKING_SQL = "status IN ('registered', 'issued', 'in_progress', 'completion_requested')"


class ItemCoDepartment(Base):
    __tablename__ = "item_co_departments"
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    org_unit = relationship(OrgUnit, lazy="joined")

    __table_args__ = (Index("ix_item_co_departments_unit", "org_unit_id", "item_id"),)


class Item(Base):
    """A supervised item (督办事项)."""

    __tablename__ = "items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(64), nullable=False)  # unique within its group
    org_id: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    source_ref: Mapped[str] = mapped_column(String(200), nullable=True)
    source_clause: Mapped[str] = mapped_column(String(64), nullable=True)
    source_draft_id: Mapped[str] = mapped_column(String(64), nullable=True, unique=True)
    source_goal: Mapped[str] = mapped_column(String(200), nullable=True)  # 年度目标 of a milestone
    source_year: Mapped[int] = mapped_column(Integer, nullable=True)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), nullable=False)
    supervising_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), nullable=True)
    responsible_person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=True)
    # Why the responsible person is not of the lead department, when they are not.
    responsible_person_reason: Mapped[str] = mapped_column(Text, nullable=True)
    assigning_leader: Mapped[str] = mapped_column(String(100), nullable=True)
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    original_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # The deadline moved to the first working day on or after it (office calendar).
    due_by: Mapped[dt.date] = mapped_column(Date, nullable=False)
    category: Mapped[str] = mapped_column(String(16), nullable=False, default="routine")
    completion_form: Mapped[str] = mapped_column(String(200), nullable=True)
    completion_standard: Mapped[str] = mapped_column(Text, nullable=True)
    feedback_cadence: Mapped[str] = mapped_column(String(32), nullable=False, default="none")
    milestones: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    parent_id: Mapped[str] = mapped_column(ForeignKey("items.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(32), nullable=False)
    status_before_suspend: Mapped[str] = mapped_column(String(32), nullable=True)
    progress: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    quality: Mapped[int] = mapped_column(Integer, nullable=True)
    grade: Mapped[str] = mapped_column(String(16), nullable=True)
    completion_summary: Mapped[str] = mapped_column(Text, nullable=True)
    completed_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    overdue_notified_for: Mapped[dt.date] = mapped_column(Date, nullable=True)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    resumed_on: Mapped[dt.date] = mapped_column(Date, nullable=True)  # reports owed after it
    last_feedback_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    feedback_due_on: Mapped[dt.date] = mapped_column(Date, nullable=True)
    # The next scheduled feedback date not yet checked for a missed report.
    feedback_next_check: Mapped[dt.date] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    lead_unit = relationship(OrgUnit, foreign_keys=[lead_unit_id], lazy="joined")
    supervising_unit = relationship(OrgUnit, foreign_keys=[supervising_unit_id], lazy="joined")
    responsible_person = relationship(Person, foreign_keys=[responsible_person_id], lazy="joined")
    co_links = relationship(ItemCoDepartment, order_by=ItemCoDepartment.position, lazy="selectin",
                            cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("org_id", "number", name="uq_items_org_number"),
        Index("ix_items_status_due_by", "status", "due_by"),
        Index("ix_items_feedback_next_check", "feedback_next_check"),
        # The ledger (migration 0006): its order (deadline, org_id, number) with each filter,
        # ending with the id its first step reads. The text search's indexes on PostgreSQL
        # are expressions, made by the migration only (handlers/search.py).
        Index("ix_items_order", *LEDGER_ORDER),
        Index("ix_items_status_order", "status", *LEDGER_ORDER),
        Index("ix_items_lead_order", "lead_unit_id", *LEDGER_ORDER),
        Index("ix_items_org_order", "org_id", "deadline", "number", "id"),
        Index("ix_items_working_order", *LEDGER_ORDER, "due_by",
              postgresql_where=text(WORKING_SQL), sqlite_where=text(WORKING_SQL)),
        Index("ix_items_parent", "parent_id", postgresql_where=text("parent_id IS NOT NULL"),
              sqlite_where=text("parent_id IS NOT NULL")),
        Index("ix_items_number", "number"),
        # As Alembic reads them back (so the migrations' check compares them equal).
        Index("ix_items_search_bigrams", text("to_tsvector('simple'::regconfig, "
                                              "duban_bigrams{})".format(SEARCH_TEXT_PG)),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
        Index("ix_items_search_trgm", text(SEARCH_TEXT_PG + " gin_trgm_ops"),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
    )


# What the text search's indexes need on PostgreSQL, for a schema made by create_all (the
# migrations make the same in 0006): the bigram function and pg_trgm.
BIGRAMS_SQL = (
    "CREATE OR REPLACE FUNCTION duban_bigrams(t text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
    "$$ SELECT string_agg(substr(t, i, 2), ' ') "
    "FROM generate_series(1, greatest(length(t) - 1, 1)) AS i $$")
event.listen(Item.__table__, "before_create", DDL(BIGRAMS_SQL).execute_if(dialect="postgresql"))
event.listen(Item.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


class ItemHistory(Base):
    """An immutable record of one change (有痕可留、有档可查)."""

    __tablename__ = "item_history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), nullable=False, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(120), nullable=False)
    action: Mapped[str] = mapped_column(String(48), nullable=False)
    from_status: Mapped[str] = mapped_column(String(32), nullable=True)
    to_status: Mapped[str] = mapped_column(String(32), nullable=True)
    changes: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    reason: Mapped[str] = mapped_column(Text, nullable=True)


class Feedback(Base):
    """A progress report (进展反馈)."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), nullable=False, index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(120), nullable=False)
    progress: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=True)
    measures: Mapped[str] = mapped_column(Text, nullable=True)
    new_plan: Mapped[str] = mapped_column(Text, nullable=True)
    at_risk: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    accurate: Mapped[bool] = mapped_column(Boolean, nullable=True)
    request_id: Mapped[str] = mapped_column(String(36), nullable=True, unique=True)
    assessed_by: Mapped[str] = mapped_column(String(120), nullable=True)
    assessed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)


class ExtensionRequest(Base):
    """An extension request (延期申请), decided by the supervising department."""

    __tablename__ = "extension_requests"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("items.id"), nullable=False, index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    requested_by: Mapped[str] = mapped_column(String(120), nullable=False)
    current_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    new_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    measures: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(120), nullable=True)
    comment: Mapped[str] = mapped_column(Text, nullable=True)
    request_id: Mapped[str] = mapped_column(String(36), nullable=True, unique=True)


class CalendarDay(Base):
    """A day of an office calendar: a holiday or an adjusted working day (调休上班).

    `org_id` is a group's code, or "*" for every group of the deployment.
    """

    __tablename__ = "calendar_days"
    org_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=True)


class DirectoryVersion(Base):
    """The version of the directory and the office calendars: one row, whose number changes
    (to a new random one) in the same transaction as every write to `org_units`,
    `calendar_days` or a person's name or mobile, by the triggers below (migration 0008).

    A registration reads it with its inbox claim and keys the process's cache of units and
    calendars on it (handlers/directory_cache.py), so a change made by any instance, tool or
    SQL session is seen by the next registration everywhere. Random, not counted: a number
    a rolled-back transaction saw, or a restored database had, never comes back."""

    __tablename__ = "directory_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


# The triggers that change the version (as migration 0008 makes them; create_all makes the
# same): on PostgreSQL once per statement, on SQLite (row triggers only) once per row.
VERSIONED = {"org_units": ("INSERT", "UPDATE", "DELETE"),
             "calendar_days": ("INSERT", "UPDATE", "DELETE"),
             "people": ("UPDATE OF name, mobile",)}  # what a unit's contact, head, leader show
NEW_VERSION = {"postgresql": "floor(random() * 9007199254740991)::bigint", "sqlite": "random()"}
DIRECTORY_VERSION_DDL = {
    "postgresql": [
        "INSERT INTO directory_version (id, version) VALUES (1, {}) "
        "ON CONFLICT DO NOTHING".format(NEW_VERSION["postgresql"]),
        "CREATE OR REPLACE FUNCTION duban_directory_changed() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN UPDATE directory_version SET version = {}; "
        "RETURN NULL; END $$".format(NEW_VERSION["postgresql"]),
    ] + ["CREATE OR REPLACE TRIGGER {0}_version AFTER {1} ON {0} FOR EACH STATEMENT "
         "EXECUTE FUNCTION duban_directory_changed()".format(
             table, " OR ".join(events + (("TRUNCATE",) if "DELETE" in events else ())))
         for table, events in VERSIONED.items()],
    "sqlite": [
        "INSERT OR IGNORE INTO directory_version (id, version) VALUES (1, random())",
    ] + ["CREATE TRIGGER IF NOT EXISTS {0}_version_{1} AFTER {2} ON {0} BEGIN "
         "UPDATE directory_version SET version = random(); END".format(
             table, event_.split()[0].lower(), event_)
         for table, events in VERSIONED.items() for event_ in events],
}
for _dialect, _statements in DIRECTORY_VERSION_DDL.items():
    for _statement in _statements:
        event.listen(Base.metadata, "after_create", DDL(_statement).execute_if(dialect=_dialect))


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class InboxEntry(InboxMixin, Base):
    __tablename__ = "inbox"


class DeadLetter(DeadLetterMixin, Base):
    __tablename__ = "dead_letters"

"""The directory and the office calendars as a registration reads them: plain, immutable
values kept by the process, for the database's current directory version.

`directory_version` (models.DirectoryVersion) gets a new number in the same transaction as
every write to org units, calendar days or the name or mobile of a person, by trigger, from
any instance, tool or SQL session. A registration learns the number with its inbox claim
(`TrackingService.claim_reads`: no round trip of its own), else by one read by primary key
once per transaction, and uses what this process read at that number; it reads the
directory (every unit, one statement) or a group's calendar (one statement) again only when
the number has changed. Each of those statements reads the number too, so what is kept is
filed under the number it was read at, never under an older one (a transaction that has
changed the directory sees its own number, which no other transaction will ever see).

Registration and its dry runs read here; a use case that writes the directory or a
calendar reads its own transaction's rows (common.unit_by_code, calendar_for), and once it
has written (common.directory_written) so does the rest of its transaction.
"""
import dataclasses
import types
import weakref

from sqlalchemy import bindparam, select, true

from shared.calendar import OfficeCalendar
from shared.uow import READ_WITH_CLAIM, transaction_cache

from ..models import CalendarDay, DirectoryVersion, OrgUnit, Person
from . import common

_VERSION = DirectoryVersion.__table__
# What a request's claim reads beside it (shared.uow: `INSERT … RETURNING (SELECT …)`).
CLAIM_READS = {"directory_version": select(_VERSION.c.version).where(_VERSION.c.id == 1)
               .scalar_subquery()}
VERSION = select(_VERSION.c.version).where(_VERSION.c.id == 1)


@dataclasses.dataclass(frozen=True, slots=True)
class PersonRef:
    """A person as a unit's contact, head or leader is shown."""
    id: int
    name: str
    mobile: str


@dataclasses.dataclass(frozen=True, slots=True)
class Unit:
    """An org unit with its parents: what item_view and the registration rules read of one."""
    id: int
    code: str
    name: str
    kind: str
    parent: "Unit"
    aliases: tuple
    number_format: str
    contact: PersonRef
    head: PersonRef
    leader: PersonRef


def _units_statement():
    units = OrgUnit.__table__
    people = {role: Person.__table__.alias(role) for role in ("contact", "head", "leader")}
    joined = _VERSION.outerjoin(units, true())
    columns = [_VERSION.c.version, units.c.id, units.c.code, units.c.name, units.c.kind,
               units.c.parent_id, units.c.aliases, units.c.number_format]
    for role, person in people.items():
        joined = joined.outerjoin(person, person.c.id == units.c[role + "_person_id"])
        columns += [person.c.id.label(role + "_id"), person.c.name.label(role + "_name"),
                    person.c.mobile.label(role + "_mobile")]
    return select(*columns).select_from(joined).where(_VERSION.c.id == 1).order_by(units.c.id)


def _calendar_statement():
    days = CalendarDay.__table__
    return (select(_VERSION.c.version, days.c.org_id, days.c.day, days.c.kind, days.c.name)
            .select_from(_VERSION.outerjoin(days, days.c.org_id.in_(
                [bindparam("org_id"), common.EVERY_GROUP])))
            .where(_VERSION.c.id == 1))


UNITS = _units_statement()        # every unit, and the version it was read at
CALENDAR = _calendar_statement()  # a group's days and the deployment's, and the version

_directories = weakref.WeakKeyDictionary()  # engine -> Directory (the latest read)
_calendars = weakref.WeakKeyDictionary()    # engine -> Calendars (the latest read)


class Directory:
    """Every org unit at one version: by code, and by the names and aliases people type."""

    def __init__(self, version, rows):
        units = _build_units(rows)
        by_name = {}
        for unit in units:
            for name in dict.fromkeys((unit.name,) + unit.aliases):
                by_name.setdefault(name, []).append(unit)
        self.version = version
        self.by_code = types.MappingProxyType({unit.code: unit for unit in units})
        self.by_name = types.MappingProxyType({k: tuple(v) for k, v in by_name.items()})


class Calendars:
    """Groups' office calendars at one version, each read when first asked for."""

    def __init__(self, version):
        self.version = version
        self.by_group = {}


def _build_units(rows):
    rows = {row.id: row for row in rows if row.id is not None}
    built = {}

    def build(unit_id, depth=0):
        if unit_id not in built:
            row = rows[unit_id]
            # a parent chain longer than any directory has is a cycle written by hand
            parent = (build(row.parent_id, depth + 1)
                      if row.parent_id in rows and depth < 64 else None)
            built[unit_id] = Unit(
                id=row.id, code=row.code, name=row.name, kind=row.kind, parent=parent,
                aliases=tuple(row.aliases or ()), number_format=row.number_format,
                **{role: _person(row, role) for role in ("contact", "head", "leader")})
        return built[unit_id]

    return [build(unit_id) for unit_id in rows]


def _person(row, role):
    person_id = getattr(row, role + "_id")
    return None if person_id is None else PersonRef(person_id, getattr(row, role + "_name"),
                                                    getattr(row, role + "_mobile"))


def _known(session):
    return transaction_cache(session, "directory_cache")


def _version(session, connection):
    """The directory version this transaction reads at; None: read the transaction's own
    rows instead (it changed the directory, or the database has no version row)."""
    known = _known(session)
    if known.get("written"):
        return None
    if "version" not in known:
        claimed = transaction_cache(session, READ_WITH_CLAIM)
        known["version"] = (claimed["directory_version"] if "directory_version" in claimed
                            else connection.execute(VERSION).scalar())
    return known["version"]


def _directory(session):
    connection = session.connection()
    version = _version(session, connection)
    if version is None:
        return None
    held = _directories.get(connection.engine)
    if held is not None and held.version == version:
        return held
    rows = connection.execute(UNITS).all()
    if not rows:  # the version row is gone: read as if there were no cache
        return None
    held = _directories[connection.engine] = Directory(rows[0].version, rows)
    _known(session)["version"] = held.version  # the rest of the transaction reads at it
    return held


def unit(session, code, field, group=None):
    """common.unit_by_code for a registration: the unit as a plain Unit, from the cache."""
    directory = _directory(session)
    if directory is None:
        return common.unit_by_code(session, code, field, group)
    found = directory.by_code.get(code)
    if found is not None:
        return found
    return common.one_named(list(directory.by_name.get(code, ())), code, field, group)


def calendar(session, org_id):
    """common.calendar_for for a registration: the group's office calendar, from the cache."""
    connection = session.connection()
    version = _version(session, connection)
    if version is None:
        return common.calendar_for(session, org_id)
    held = _calendars.get(connection.engine)
    if held is not None and held.version == version and org_id in held.by_group:
        return held.by_group[org_id]
    rows = connection.execute(CALENDAR, {"org_id": org_id}).all()
    if not rows:
        return common.calendar_for(session, org_id)
    version = rows[0].version
    days = {}
    for row in sorted((r for r in rows if r.day is not None),
                      key=lambda r: r.org_id != common.EVERY_GROUP):  # the group's rows last
        days[row.day] = (row.kind, row.name)
    if held is None or held.version != version:
        held = _calendars[connection.engine] = Calendars(version)
    found = held.by_group[org_id] = OfficeCalendar(days)
    _known(session)["version"] = version
    return found

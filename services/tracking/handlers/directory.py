"""The organisation directory: group → subsidiaries → departments, people, contacts.

Every change is audited in `directory_changes` and published as `org_unit.*` or
`person.*`, so other services keep their own copy.
"""
import re

from sqlalchemy import select

from shared import access, errors
from shared.clock import utc_iso
from shared.masking import mask_mobile

from ..domain import numbering
from ..models import ContactSubstitute, DirectoryChange, OrgUnit, Person, unit_people
from . import common, identity
from .errors import domain_errors
from .views import org_path, org_unit_view, person_view, root_of


def _administered(uow, unit):
    """An administrator changes the directory of their own organisation only."""
    access.require(uow.principal, "admin")
    if not uow.principal.sees_path(org_path(unit)):
        raise errors.NotFound("No org unit '{}'".format(unit.code))
    return unit


def _audit(uow, entity, key, action, changes):
    common.directory_written(uow.session)
    uow.session.add(DirectoryChange(actor=uow.actor, entity=entity, entity_key=str(key),
                                    action=action, changes=changes, at=uow.clock.now()))


def _publish_unit(uow, unit, type, audit_action, changes):
    uow.session.flush()
    uow.session.expire(unit, ["contact", "head", "leader", "substitutes"])
    view = org_unit_view(unit)
    _audit(uow, "org_unit", unit.code, audit_action, changes(view))
    uow.emit(type, view, subject_id=unit.code, org_id=root_of(unit).code)
    return view


def _check_parent(kind, parent):
    if kind == "group" and parent is not None:
        raise errors.ValidationFailed("A group has no parent", {"parent": ["must be empty"]})
    if kind != "group" and parent is None:
        raise errors.ValidationFailed("A {} needs a parent: the code of its group or "
                                      "subsidiary".format(kind), {"parent": ["required"]})


def _check_number_format(unit_kind, fmt):
    if fmt is None:
        return None
    if unit_kind != "group":
        raise errors.ValidationFailed("Only a group numbers its items",
                                      {"number_format": ["set it on the group"]})
    return numbering.check_format(fmt)


def _member(session, person_id, unit, field):
    """A person of `unit` (a department's contact, head and substitutes work in it)."""
    found = common.person(session, person_id, field)
    if found.org_unit_id != unit.id:
        raise errors.ValidationFailed("{} does not belong to {}".format(found.name, unit.name),
                                      {field: ["person {} is not in {}".format(found.id,
                                                                               unit.code)]})
    return found


def _same_group(session, person_id, unit, field):
    """A person of the unit's group (a supervising leader sits higher up the tree)."""
    found = common.person(session, person_id, field)
    if root_of(found.org_unit).id != root_of(unit).id:
        raise errors.ValidationFailed("{} is not in the same group".format(found.name),
                                      {field: ["person {} is in another group".format(found.id)]})
    return found


@domain_errors
def create_org_unit(uow, data):
    with uow:
        session = uow.session
        if session.scalar(select(OrgUnit.id).where(OrgUnit.code == data["code"])) is not None:
            raise errors.Conflict("Org unit code '{}' exists".format(data["code"]),
                                  {"code": ["already used"]})
        parent = common.unit_by_code(session, data["parent"], "parent") if data["parent"] else None
        _check_parent(data["kind"], parent)
        if parent is None:
            if not uow.principal.everywhere:
                raise errors.Forbidden("Only the platform administrator creates a group")
        else:
            _administered(uow, parent)
        unit = OrgUnit(code=data["code"], name=data["name"], kind=data["kind"], parent=parent,
                       aliases=data["aliases"],
                       number_format=_check_number_format(data["kind"],
                                                          data.get("number_format")))
        session.add(unit)
        return _publish_unit(uow, unit, "org_unit.created", "created", lambda view: view)


@domain_errors
def update_org_unit(uow, code, data):
    """Rename, maintain aliases, name the head (部门负责人) and the supervising leader
    (分管领导), or set a group's number format."""
    with uow:
        session = uow.session
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if unit is None:
            raise errors.NotFound("No org unit '{}'".format(code))
        _administered(uow, unit)
        before = org_unit_view(unit)
        if "name" in data:
            unit.name = data["name"]
        if "aliases" in data:
            unit.aliases = list(dict.fromkeys(data["aliases"]))
        if "number_format" in data:
            unit.number_format = _check_number_format(unit.kind, data["number_format"])
        if "head" in data:
            unit.head_person_id = (_member(session, data["head"], unit, "head").id
                                   if data["head"] is not None else None)
        if "leader" in data:
            unit.leader_person_id = (_same_group(session, data["leader"], unit, "leader").id
                                     if data["leader"] is not None else None)
        keys = [k for k in ("name", "aliases", "number_format", "head", "leader") if k in data]
        return _publish_unit(uow, unit, "org_unit.updated", "updated", lambda view: {
            "before": {k: before[k] for k in keys}, "after": {k: view[k] for k in keys}})


def list_org_units(uow):
    """The directory of the caller's group (every group for the platform administrator)."""
    units = uow.session.scalars(select(OrgUnit).options(*unit_people())
                                .order_by(OrgUnit.id)).all()
    return [org_unit_view(u) for u in units if uow.principal.sees_group(root_of(u).code)]


def get_org_unit(uow, code):
    """One unit of the caller's directory by its code (404 if unknown or another group's)."""
    unit = uow.session.scalar(select(OrgUnit).where(OrgUnit.code == str(code)))
    if unit is None or not uow.principal.sees_group(root_of(unit).code):
        raise errors.NotFound("No org unit '{}'".format(code))
    return org_unit_view(unit)


def normalise_mobile(mobile):
    """11 digits, without a +86 / 86 country prefix."""
    digits = re.sub(r"\D", "", mobile)
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def _check_sign_in(session, data, person=None):
    """A username is unique and comes with a password (and the other way round)."""
    username = data.get("username")
    if username:
        holder = session.scalar(select(Person).where(Person.username == username))
        if holder is not None and holder is not person:
            raise errors.Conflict("Username '{}' is taken".format(username),
                                  {"username": ["already used"]})
    has_password = data.get("password") or (person is not None and person.password_hash)
    if username and not has_password:
        raise errors.ValidationFailed("A person who signs in needs a password",
                                      {"password": ["required with a username"]})
    if data.get("password") and not (username or (person is not None and person.username)):
        raise errors.ValidationFailed("A password needs a username",
                                      {"username": ["required with a password"]})


def create_person(uow, data, request_id=None):
    with uow:
        session = uow.session
        unit = _administered(uow, common.unit_by_code(session, data["org_unit"], "org_unit"))
        _check_sign_in(session, data)
        mobile = normalise_mobile(data["mobile"])
        holder = session.scalar(select(Person).where(Person.mobile == mobile))
        if holder is not None:
            raise errors.Conflict(
                "Mobile {} is already on file for {} (person {}, {})".format(
                    mask_mobile(mobile), holder.name, holder.id, holder.org_unit.code),
                {"mobile": ["already used by person {} ({})".format(holder.id, holder.name)]})
        new = Person(name=data["name"], mobile=mobile, org_unit=unit,
                     roles=sorted(set(data["roles"])), request_id=request_id,
                     username=data.get("username"),
                     password_hash=identity.hash_password(data["password"])
                     if data.get("password") else None)
        session.add(new)
        session.flush()
        view = person_view(new)
        _audit(uow, "person", new.id, "created", view)
        uow.emit("person.created", view, subject_id=new.id, org_id=root_of(unit).code)
        return view


def list_people(uow, org_unit=None):
    q = select(Person).order_by(Person.id)
    if org_unit:
        q = q.join(OrgUnit, Person.org_unit_id == OrgUnit.id).where(OrgUnit.code == org_unit)
    return [person_view(p) for p in uow.session.scalars(q)
            if uow.principal.sees_group(root_of(p.org_unit).code)]


def update_person(uow, person_id, data):
    """Rename, re-role, set or reset the sign-in, or (de)activate a person; deactivating
    (or a new password set by an administrator) ends their sessions and tokens."""
    with uow:
        session = uow.session
        person = session.get(Person, person_id)
        if person is None or not uow.principal.sees_group(root_of(person.org_unit).code):
            raise errors.NotFound("No person {}".format(person_id))
        _administered(uow, person.org_unit)
        _check_sign_in(session, data, person)
        before = person_view(person)
        for key in ("name", "username", "active"):
            if key in data:
                setattr(person, key, data[key])
        if "roles" in data:
            person.roles = sorted(set(data["roles"]))
        if data.get("password"):
            person.password_hash = identity.hash_password(data["password"])
        if data.get("active") is False or data.get("password") or data.get("username") is None \
                and "username" in data:
            identity.end_sessions(session, person, uow.clock.now())
        session.flush()
        view = person_view(person)
        changed = sorted(k for k in data if k != "password")
        _audit(uow, "person", person.id, "updated", {
            "before": {k: before.get(k) for k in changed}, "after": {k: view.get(k) for k in changed},
            "password_reset": bool(data.get("password"))})
        uow.emit("person.updated", view, subject_id=person.id,
                 org_id=root_of(person.org_unit).code)
        return view


def set_contact(uow, code, data):
    """Name a department's contact person (联系人) and substitutes (B角); audited."""
    with uow:
        session = uow.session
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if unit is None:
            raise errors.NotFound("No org unit '{}'".format(code))
        _administered(uow, unit)
        contact = _member(session, data["person"], unit, "person")
        subs = [_member(session, pid, unit, "substitutes")
                for pid in dict.fromkeys(data["substitutes"])]
        before = org_unit_view(unit)
        unit.contact_person_id = contact.id
        for row in session.scalars(select(ContactSubstitute)
                                   .where(ContactSubstitute.org_unit_id == unit.id)):
            session.delete(row)
        session.flush()
        for p in subs:
            session.add(ContactSubstitute(org_unit_id=unit.id, person_id=p.id))
        return _publish_unit(uow, unit, "org_unit.contact_changed", "contact_changed",
                             lambda view: {
                                 "before": {"contact": before["contact"],
                                            "substitutes": before["substitutes"]},
                                 "after": {"contact": view["contact"],
                                           "substitutes": view["substitutes"]}})


def _group_of_change(session, row):
    if row.entity == "org_unit":
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == row.entity_key))
    else:
        person = session.get(Person, int(row.entity_key)) if row.entity_key.isdigit() else None
        unit = person.org_unit if person else None
    return root_of(unit).code if unit is not None else None


def directory_changes(uow, limit=200):
    """The directory's audit trail: an administrator reads their group's changes."""
    access.require(uow.principal, "admin")
    query = select(DirectoryChange).order_by(DirectoryChange.id.desc())
    rows = uow.session.scalars(query.limit(limit if uow.principal.everywhere else limit * 10))
    if not uow.principal.everywhere:
        rows = [r for r in rows
                if uow.principal.sees_group(_group_of_change(uow.session, r))][:limit]
    return [{"id": r.id, "at": utc_iso(r.at), "actor": r.actor, "entity": r.entity,
             "key": r.entity_key, "action": r.action, "changes": r.changes} for r in rows]

"""Sign-in, tokens and who a token belongs to (tracking keeps the directory, so it keeps
the credentials too).

Secrets never cross the broker or reach a database: the gateway makes a token's secret
and sends its SHA-256 digest; a password crosses once, to be checked against its
argon2id hash. Failed sign-ins are counted per username and per address, and too many
in a window are refused (429) before the password is even checked.
"""
import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select

from shared import access, errors
from shared.clock import utc_iso

from ..models import ContactSubstitute, OrgUnit, Person, SignInFailure, Token
from .views import org_path, root_of

# OWASP's argon2id floor (19 MiB, 2 passes): about 20 ms here, slow enough for a guesser.
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY = HASHER.hash("a password nobody has")
FAILURE_WINDOW = dt.timedelta(minutes=15)
WRONG = "Wrong username or password"
INVALID = "The token is not valid (unknown, expired or revoked): sign in again"


def hash_password(password):
    return HASHER.hash(password)


def _verify(stored, password):
    try:
        return HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


# ---- sign-in
def _check_attempts(session, username, address, since, limits):
    per_user, per_address = limits
    users = session.scalar(select(func.count()).select_from(SignInFailure).where(
        SignInFailure.username == username, SignInFailure.at >= since))
    addresses = session.scalar(select(func.count()).select_from(SignInFailure).where(
        SignInFailure.address == address, SignInFailure.at >= since))
    if users >= per_user or addresses >= per_address:
        raise errors.TooManyRequests(
            "Too many failed sign-ins; wait {} minutes and try again".format(
                int(FAILURE_WINDOW.total_seconds() // 60)), {"username": ["locked for now"]})


def sign_in(uow, data, digest, address, ttl_hours, limits=(5, 20)):
    """A session token (by its digest) for a person whose password matches."""
    username, address = data["username"].strip(), (address or "unknown")[:64]
    now = uow.clock.now()
    with uow:
        session = uow.session
        earlier = session.scalar(select(Token).where(Token.digest == digest))
        if earlier is not None:  # the same request delivered again
            return session_view(earlier)
        _check_attempts(session, username, address, now - FAILURE_WINDOW, limits)
        person = session.scalar(select(Person).where(Person.username == username))
        ok = _verify(person.password_hash if person else None, data["password"])
        if ok and person.active:
            token = Token(kind="session", digest=digest, name="sign-in", person=person,
                          roles=[], org_id=root_of(person.org_unit).code, created_at=now,
                          created_by=person.name, expires_at=now + dt.timedelta(hours=ttl_hours))
            session.add(token)
            session.flush()
            return session_view(token)
        session.add(SignInFailure(at=now, username=username[:64], address=address))
        _forget_old(session, now)
    raise errors.Unauthorized(WRONG, {"password": ["wrong username or password"]})


def _forget_old(session, now):
    """Failures older than a day and sessions expired a week ago are of no more use."""
    session.execute(delete(SignInFailure).where(SignInFailure.at < now - dt.timedelta(days=1)))
    session.execute(delete(Token).where(Token.kind == "session",
                                        Token.expires_at < now - dt.timedelta(days=7)))


def session_view(token):
    return {"expires_at": utc_iso(token.expires_at), "person": _person_ref(token.person)}


def _person_ref(person):
    return None if person is None else {"id": person.id, "name": person.name,
                                        "username": person.username,
                                        "roles": list(person.roles)}


def sign_out(uow, digest):
    with uow:
        token = uow.session.scalar(select(Token).where(Token.digest == digest))
        if token is not None and token.kind == "session" and token.revoked_at is None:
            token.revoked_at = uow.clock.now()  # an API token is revoked by an admin only
    return {"signed_out": True}


# ---- who a token is
def organisation_of(unit):
    """The group or subsidiary a unit belongs to (a person sees its subtree)."""
    while unit.kind == "department" and unit.parent is not None:
        unit = unit.parent
    return unit


def departments_of(session, person):
    """A contact acts for their own department and those they are contact or B角 for."""
    codes = [person.org_unit.code] if person.org_unit.kind == "department" else []
    named = session.scalars(select(OrgUnit.code).where(OrgUnit.contact_person_id == person.id))
    subs = session.scalars(select(OrgUnit.code).join(
        ContactSubstitute, ContactSubstitute.org_unit_id == OrgUnit.id).where(
        ContactSubstitute.person_id == person.id))
    return list(dict.fromkeys(codes + list(named) + list(subs)))


def principal_of_person(session, person):
    return access.Principal(
        kind="person", id="person:{}".format(person.id), name=person.name,
        roles=tuple(person.roles), org_id=root_of(person.org_unit).code,
        organisation=organisation_of(person.org_unit).code,
        units=tuple(departments_of(session, person)))


def principal_of_token(token):
    roles = tuple(token.roles)
    return access.Principal(
        kind="token", id="token:{}".format(token.id), name="API: " + token.name, roles=roles,
        org_id=token.org_id, organisation=token.organisation,
        units=(token.organisation,) if "contact" in roles and token.organisation else ())


def resolve(uow, digest):
    """The principal a bearer token stands for, or 401."""
    session, now = uow.session, uow.clock.now()
    token = session.scalar(select(Token).where(Token.digest == digest))
    if token is None or token.revoked_at is not None or (
            token.expires_at is not None and _aware(token.expires_at) <= now):
        raise errors.Unauthorized(INVALID)
    if token.person is not None:
        if not token.person.active:
            raise errors.Unauthorized(INVALID)
        if token.kind == "session":
            return principal_of_person(session, token.person).encode()
    return principal_of_token(token).encode()


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


# ---- API tokens
def _scope_unit(uow, code):
    """The org unit an administrator may scope a token to (theirs or under it)."""
    principal = uow.principal
    if code is None:
        if not principal.everywhere:
            raise errors.ValidationFailed("Name the organisation the token may see",
                                          {"org": ["required"]})
        return None
    unit = uow.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None or not principal.sees_path(org_path(unit)):
        raise errors.ValidationFailed("Unknown org unit '{}'".format(code),
                                      {"org": ["unknown org unit"]})
    return unit


def create_token(uow, data, digest):
    access.require(uow.principal, "admin")
    with uow:
        unit = _scope_unit(uow, data.get("org"))
        expires = data.get("expires_on")
        token = Token(kind="api", digest=digest, name=data["name"], roles=sorted(set(data["roles"])),
                      org_id=root_of(unit).code if unit else None,
                      organisation=unit.code if unit else None, created_at=uow.clock.now(),
                      created_by=uow.actor,
                      expires_at=dt.datetime.combine(expires, dt.time(), dt.timezone.utc)
                      if expires else None)
        uow.session.add(token)
        uow.session.flush()
        return token_view(token)


def token_view(token):
    return {"id": token.id, "kind": token.kind, "name": token.name,
            "person": _person_ref(token.person), "roles": list(token.roles),
            "org_id": token.org_id, "org": token.organisation,
            "created_at": utc_iso(token.created_at), "created_by": token.created_by,
            "expires_at": utc_iso(token.expires_at), "revoked_at": utc_iso(token.revoked_at)}


def _visible_tokens(principal):
    query = select(Token).order_by(Token.id.desc())
    if not principal.everywhere:
        query = query.where(Token.org_id == principal.org_id)
    return query


def list_tokens(uow, include_revoked=False):
    access.require(uow.principal, "admin")
    query = _visible_tokens(uow.principal)
    if not include_revoked:
        query = query.where(Token.revoked_at.is_(None), or_(
            Token.expires_at.is_(None), Token.expires_at > uow.clock.now()))
    return [token_view(t) for t in uow.session.scalars(query.limit(500))]


def revoke_token(uow, token_id):
    """An administrator revokes any token of their group; a person their own sessions."""
    principal = uow.principal
    with uow:
        token = uow.session.get(Token, token_id)
        own = token is not None and principal.id == "person:{}".format(token.person_id)
        if token is None or not (own or (principal.has("admin")
                                         and principal.sees_group(token.org_id))):
            raise errors.NotFound("No token {}".format(token_id))
        if token.revoked_at is None:
            token.revoked_at = uow.clock.now()
        return token_view(token)


def end_sessions(session, person, now):
    """Every token of a person stops working (deactivation, a new password)."""
    for token in session.scalars(select(Token).where(Token.person_id == person.id,
                                                     Token.revoked_at.is_(None))):
        token.revoked_at = now


def change_password(uow, data):
    principal = uow.principal
    if principal.kind != "person":
        raise errors.Forbidden("Only a signed-in person has a password to change")
    with uow:
        person = uow.session.get(Person, int(principal.id.split(":")[1]))
        if person is None or not _verify(person.password_hash, data["old_password"]):
            raise errors.ValidationFailed("The current password is wrong",
                                          {"old_password": ["wrong password"]})
        person.password_hash = hash_password(data["new_password"])
        end_sessions(uow.session, person, uow.clock.now())
    return {"changed": True, "signed_out": True}

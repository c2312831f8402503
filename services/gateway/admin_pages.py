"""系统管理: the directory (units, aliases, people, contacts), API tokens and dead letters.

Every change goes through tracking's (or the consuming services') RPCs with the signed-in
person's principal: the services refuse what the role may not do, and the page shows
their message.
"""
import uuid
from urllib.parse import quote

from shared import access
from shared.errors import DubanError, ValidationFailed
from shared.rpc import call

from . import auth
from .local_time import local_minute
from .pages import _current, _explain, _html, _redirect

SERVICES = ("tracking", "intake", "notify", "appraisal")  # those with dead letters
ROLE_CODES = ("admin", "office", "leader", "contact", "viewer")


def _try(fn, *args):
    """(answer, None) or (None, the service's refusal)."""
    try:
        return fn(*args), None
    except DubanError as exc:
        return None, exc


def administrator():
    """The admin pages are for administrators (the services refuse others anyway; this
    only spares them forms they could not use)."""
    access.require(_current.me, "admin")


def _rpc(service, name, method):
    return lambda *args: call(getattr(service, name), method, *args)


# ---- the directory
def render_directory(service, request, error=None, status=200, form=None):
    administrator()
    units, refused = _try(_rpc(service, "tracking", "list_org_units"))
    people, refused_people = _try(_rpc(service, "tracking", "list_people"))
    refused = refused or refused_people
    if refused:
        return _html("error.html", status=refused.status, message=_explain(refused))
    return _html("admin_directory.html", status=status, units=units or [],
                 people=people or [], error=error, form=form or {}, roles=ROLE_CODES,
                 notice=request.args.get("notice"), section="directory")


def _done(path, notice):
    return _redirect("{}?notice={}".format(path, quote(notice)))


def _split(text):
    return [part.strip() for part in (text or "").replace("，", ",").split(",") if part.strip()]


def _person_id(value, field):
    value = (value or "").strip()
    if not value.isdigit():
        raise ValidationFailed("Choose a person", {field: ["not a person id"]})
    return int(value)


def directory_action(service, request):
    """One form post of the directory page, by its `action` field."""
    administrator()
    form = request.form.to_dict()
    action = form.get("action")
    tracking = lambda method, *args: call(service.tracking, method, *args)  # noqa: E731
    try:
        if action == "create_unit":
            tracking("create_org_unit", {
                "code": form.get("code", "").strip(), "name": form.get("name", "").strip(),
                "kind": form.get("kind") or "department", "parent": form.get("parent") or None,
                "aliases": _split(form.get("aliases"))})
            notice = form.get("code", "")
        elif action == "aliases":
            tracking("update_org_unit", form.get("code", ""),
                     {"aliases": _split(form.get("aliases"))})
            notice = form.get("code", "")
        elif action == "contact":
            tracking("set_contact", form.get("code", ""), {
                "person": _person_id(form.get("person"), "person"),
                "substitutes": [_person_id(p, "substitutes")
                                for p in request.form.getlist("substitutes") if p]})
            notice = form.get("code", "")
        elif action == "create_person":
            made = tracking("create_person", {
                "name": form.get("name", "").strip(), "mobile": form.get("mobile", "").strip(),
                "org_unit": form.get("org_unit", ""), "roles": request.form.getlist("roles"),
                "username": form.get("username") or None,
                "password": form.get("password") or None}, str(uuid.uuid4()))
            notice = made["name"]
        elif action == "deactivate":
            made = tracking("update_person", form.get("person", ""), {"active": False})
            notice = made["name"]
        else:
            raise ValidationFailed("Unknown form", {"action": ["unknown"]})
    except DubanError as exc:
        form.pop("password", None)  # a password is never sent back in a page
        return render_directory(service, request, error=_explain(exc), status=exc.status,
                                form=form)
    return _done("/admin", "✓ " + notice)


# ---- API tokens
def render_tokens(service, request, error=None, status=200, secret=None, made=None):
    administrator()
    tokens, refused = _try(_rpc(service, "tracking", "list_tokens"), False)
    if refused:
        return _html("error.html", status=refused.status, message=_explain(refused))
    units, _ = _try(_rpc(service, "tracking", "list_org_units"))
    return _html("admin_tokens.html", status=status,
                 tokens=[t for t in tokens if t["kind"] == "api"], units=units or [],
                 error=error, secret=secret, made=made, roles=ROLE_CODES,
                 notice=request.args.get("notice"), section="tokens", when=local_minute)


def token_action(service, request):
    administrator()
    form = request.form.to_dict()
    try:
        if form.get("action") == "revoke":
            call(service.tracking, "revoke_token", form.get("token", ""))
            return _done("/admin/tokens", "✓")
        secret = auth.new_secret()
        made = call(service.tracking, "create_token", {
            "name": form.get("name", "").strip(), "roles": request.form.getlist("roles"),
            "org": form.get("org") or None, "expires_on": form.get("expires_on") or None},
            auth.digest(secret))
    except DubanError as exc:
        return render_tokens(service, request, error=_explain(exc), status=exc.status)
    # the secret is shown in this answer only; it is not kept anywhere but its digest
    response = render_tokens(service, request, secret=secret, made=made, status=201)
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- dead letters (the platform administrator)
def chosen_service(request):
    name = request.args.get("service") or request.form.get("service") or "tracking"
    return name if name in SERVICES else "tracking"


def render_dead_letters(service, request, error=None, status=200):
    """One service's parked events (a tab per service): only the platform administrator
    may list them; anyone else reads the service's refusal."""
    administrator()
    name = chosen_service(request)
    letters, refused = _try(_rpc(service, name, "list_dead_letters"), False)
    return _html("admin_dead_letters.html",
                 status=refused.status if refused else status, letters=letters or [],
                 chosen=name, services=SERVICES, error=error,
                 refused=_explain(refused) if refused else None, section="dead_letters",
                 notice=request.args.get("notice"), when=local_minute)


def dead_letter_action(service, request, letter_id):
    administrator()
    name = chosen_service(request)
    form = request.form.to_dict()
    try:
        if form.get("action") == "replay":
            call(getattr(service, name), "replay_dead_letter", letter_id)
        else:
            call(getattr(service, name), "discard_dead_letter", letter_id,
                 {"reason": form.get("reason", "")})
    except DubanError as exc:
        return render_dead_letters(service, request, error=_explain(exc), status=exc.status)
    return _redirect("/admin/dead-letters?service={}&notice={}".format(
        name, quote("✓ {} #{}".format(name, letter_id))))

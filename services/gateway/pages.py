"""Server-rendered web pages (autoescaped Jinja2): the page decorator, rendering, the item
list and signing in (the item, "my items" and intake pages: item_routes.py)."""
import functools
import hmac
import logging
import os
from urllib.parse import quote, urlsplit

from eventlet import corolocal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Response

from shared.contracts import vocabulary as words
from shared.errors import DubanError, Forbidden, Unauthorized
from shared.rpc import call

from . import auth, i18n

log = logging.getLogger(__name__)
HERE = os.path.dirname(__file__)
env = Environment(loader=FileSystemLoader(os.path.join(HERE, "templates")),
                  autoescape=select_autoescape(["html"]))

STATUS_LABELS = {code: "{} {}".format(w.zh, w.en) for code, w in words.STATUSES.items()}
CATEGORY_LABELS = {code: w.zh for code, w in words.CATEGORIES.items()}


_current = corolocal.local()  # the signed-in person of this request's green thread


class NeedsSignIn(Exception):
    pass


def signed_in(service, request):
    """The page's caller, from the session cookie (else NeedsSignIn); on a form post, its
    CSRF token must match the session's."""
    secret = request.cookies.get(auth.cookie_name(request, auth.COOKIE))
    if not secret:
        raise NeedsSignIn()
    try:
        principal = service.authenticate(request, secret)
    except Unauthorized:
        raise NeedsSignIn()
    _current.me, _current.csrf = principal, auth.csrf_token(secret)
    if request.method == "POST" and not hmac.compare_digest(
            request.form.get("csrf", "").encode("utf-8"), _current.csrf.encode("utf-8")):
        raise Forbidden("The form expired or came from another site: reload the page and "
                        "try again")
    return principal


def page(fn):
    """A page for a signed-in person (else the sign-in page); it never answers with a
    traceback: a caller's mistake shows its message, a fault of ours a plain apology
    (the details go to the log)."""
    @functools.wraps(fn)
    def wrapper(service, request, *args, **kwargs):
        _current.me = _current.csrf = None
        _current.lang = i18n.lang_of(request)
        try:
            signed_in(service, request)
            return remember_language(request, fn(service, request, *args, **kwargs))
        except NeedsSignIn:
            target = request.full_path.rstrip("?") if request.method == "GET" else "/"
            response = _redirect("/signin?next=" + quote(target, safe=""))
            response.delete_cookie(auth.cookie_name(request, auth.COOKIE), path="/",
                                   secure=auth.secure_request(request))
            return response
        except DubanError as exc:
            return _html("error.html", status=exc.status, message=exc.message)
        except Exception:
            log.exception("page %s failed", fn.__name__)
            return _html("error.html", status=500,
                         message="Something went wrong on our side; it was logged.")
    return wrapper


def remember_language(request, response):
    """`?lang=en` (or zh) on any page is remembered for the next pages."""
    if request.args.get("lang") in i18n.LANGS:
        response.set_cookie(i18n.COOKIE, request.args["lang"], httponly=True, samesite="Lax",
                            path="/", max_age=365 * 24 * 3600)
    return response


ERROR_KEYS = ("error", "message", "refused", "report_error", "appraisals_error")


def _html(template, status=200, **context):
    lang = getattr(_current, "lang", None) or "zh"
    t, word = i18n.translator(lang)
    for key in ERROR_KEYS:   # validation messages in the page's language (i18n.SAID)
        value = context.get(key)
        if isinstance(value, DubanError):
            context[key] = i18n.Said(value, lang)
        elif isinstance(value, str):
            context[key] = i18n.say(value, lang)
    context.update(status_labels=STATUS_LABELS, category_labels=CATEGORY_LABELS,
                   me=getattr(_current, "me", None), csrf=getattr(_current, "csrf", None),
                   lang=lang, t=t, word=word)
    return Response(env.get_template(template).render(**context), status=status,
                    mimetype="text/html")




def _redirect(location):
    return Response("", status=303, headers={"Location": location})


def _explain(exc):
    """The error's message with its fields, in the page's language where i18n.SAID knows
    the words."""
    lang = getattr(_current, "lang", None) or "zh"

    def said(value):
        if isinstance(value, list):
            return "; ".join(str(i18n.say(v, lang)) for v in value)
        return i18n.say(value, lang)
    colon, sep = ("：", "；") if lang == "zh" else (": ", "; ")
    details = sep.join("{}{}{}".format(i18n.field_name(k, lang), colon, said(v))
                       for k, v in (exc.fields or {}).items())
    return i18n.say(exc.message, lang) + (" — " + details if details else "")


def static(name):
    with open(os.path.join(HERE, "templates", name), encoding="utf-8") as fh:
        return fh.read()


# ---- sign-in and sign-out
def _local(target):
    """Only a path of this site is a place to go after signing in (no open redirect)."""
    target = target or "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target[1:2] in ("/", "\\") \
            or any(c in target for c in "\r\n\t"):
        return "/"
    return target


def render_sign_in(request, error=None, status=200):
    """The sign-in page. Its forms carry a token derived from a pre-session cookie (set
    here when the browser has none), which the post must bring back: a page of another
    site cannot sign a browser in under the attacker's account (login CSRF)."""
    _current.me = None
    _current.lang = i18n.lang_of(request)
    pre_name = auth.cookie_name(request, auth.PRE_COOKIE)
    pre = request.cookies.get(pre_name) or auth.new_secret()
    _current.csrf = auth.csrf_token(pre)
    response = _html("signin.html", status=status, error=error,
                     next=_local(request.args.get("next") or request.form.get("next")),
                     username=request.form.get("username", ""))
    if request.cookies.get(pre_name) != pre:
        response.set_cookie(pre_name, pre, httponly=True, samesite="Lax",
                            path=auth.cookie_path(request, "/signin"), secure=auth.secure_request(request))
    response.headers["Cache-Control"] = "no-store"  # its form token is this browser's
    return response


def _sign_in_form_ok(request):
    """The post brings back the token of the sign-in page this browser was given."""
    pre = request.cookies.get(auth.cookie_name(request, auth.PRE_COOKIE))
    return bool(pre) and hmac.compare_digest(request.form.get("csrf", "").encode("utf-8"),
                                             auth.csrf_token(pre).encode("utf-8"))


def _with_token(service, request, token):
    """An administrator (or a system's operator) opens the pages with an API token, the
    bootstrap one included: the cookie then carries that token; signing out forgets it
    without revoking it."""
    try:
        service.authenticate(request, token.strip())
    except DubanError as exc:
        return render_sign_in(request, error=exc.message, status=exc.status)
    return _session_cookie(request, _redirect(_local(request.form.get("next"))), token.strip())


def _session_cookie(request, response, secret):
    # a browser session's cookie; the session itself ends server-side at `expires_at`
    response.set_cookie(auth.cookie_name(request, auth.COOKIE), secret, httponly=True,
                        secure=auth.secure_request(request), samesite="Lax", path="/")
    response.delete_cookie(auth.cookie_name(request, auth.PRE_COOKIE),
                           path=auth.cookie_path(request, "/signin"), secure=auth.secure_request(request))
    return response


def sign_in(service, request):
    form = request.form
    if not _sign_in_form_ok(request):
        return render_sign_in(request, status=403, error=(
            "The sign-in form expired or came from another site: sign in again on this page"))
    if form.get("token"):
        return _with_token(service, request, form["token"])
    try:
        secret = auth.new_secret()
        address = auth.client_address(request, bool(service.config.get("TRUST_PROXY")))
        call(service.tracking, "sign_in", {"username": form.get("username", ""),
                                                     "password": form.get("password", "")},
                       auth.digest(secret), address)
    except DubanError as exc:
        return render_sign_in(request, error=exc.message, status=exc.status)
    return _session_cookie(request, _redirect(_local(form.get("next"))), secret)


def sign_out(service, request):
    name = auth.cookie_name(request, auth.COOKIE)
    call(service.tracking, "sign_out", auth.digest(request.cookies.get(name, "")))
    response = _redirect("/signin")
    response.delete_cookie(name, path="/", secure=auth.secure_request(request))
    return response

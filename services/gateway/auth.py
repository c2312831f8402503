"""Who is calling the gateway: bearer tokens for the API, a session cookie for the pages.

A token's secret is made here and never leaves the gateway: tracking stores and looks
up its SHA-256 digest. The bootstrap administrator's token comes from the environment
(`DUBAN_ADMIN_TOKEN`) and is compared here in constant time; it is never stored.
The principal found is put into the worker's context data, so it travels with every
RPC call this request makes (shared.access).
"""
import hashlib
import hmac
import logging
import secrets

from nameko.extensions import DependencyProvider

from shared.access import Principal
from shared.errors import Unauthorized, ValidationFailed
from shared.providers import CALLER_KEY
from shared.rpc import DEADLINE, IDEMPOTENCY_KEY

from .http import deadline_for, idempotency_key

log = logging.getLogger(__name__)
COOKIE = "duban_session"
# before signing in: a random value whose derived token the sign-in form must carry
# (login CSRF: another site cannot sign a browser in as someone else)
PRE_COOKIE = "duban_signin"
# Over HTTPS both cookies are named with the __Host- prefix (RFC 6265bis): the browser
# keeps such a cookie only if this very host set it, Secure, for Path=/ and without a
# Domain, so a sibling site under the same parent domain (oa.example.com beside
# duban.example.com) cannot plant a session or a pre-session value; over HTTPS the plain
# names are not read at all.
HOST_PREFIX = "__Host-"


def secure_request(request):
    return request.is_secure or request.headers.get("X-Forwarded-Proto") == "https"


def cookie_name(request, name):
    """`name` as this request's scheme names it (see HOST_PREFIX)."""
    return HOST_PREFIX + name if secure_request(request) else name


def cookie_path(request, path):
    """A __Host- cookie's path must be "/"."""
    return "/" if secure_request(request) else path
TOKEN_PREFIX = "dbn_"
MIN_ADMIN_TOKEN = 24
ADMIN = Principal(kind="admin", id="admin", name="平台管理员 (platform administrator)",
                  roles=("admin",), org_id=None)


def new_secret():
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def csrf_token(secret):
    """The form token of a session: derived from its secret, so nothing is stored and a
    page of another site cannot know it."""
    return hashlib.sha256(("csrf|" + secret).encode("utf-8")).hexdigest()[:32]


def bearer(request):
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer " and header[7:].strip():
        return header[7:].strip()
    return None


def client_address(request, trust_proxy=False):
    """The address sign-in failures are counted by (X-Forwarded-For only behind a proxy
    the operator declared)."""
    if trust_proxy:
        forwarded = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()
        if forwarded:
            return forwarded[:64]
    return (request.remote_addr or "unknown")[:64]


def admin_token(config):
    token = str(config.get("ADMIN_TOKEN") or "")
    if token and len(token) < MIN_ADMIN_TOKEN:
        log.warning("DUBAN_ADMIN_TOKEN is shorter than %d characters: ignored", MIN_ADMIN_TOKEN)
        return ""
    return token


class Auth:
    """The request's caller: `authenticate` finds it (or raises 401); `str()` is its id,
    the scope of the client's Idempotency-Keys."""

    def __init__(self, worker_ctx, config):
        self.worker_ctx = worker_ctx
        self.config = config
        self.principal = None
        self.secret = None

    def __str__(self):
        return self.principal.id if self.principal else "anonymous"

    def authenticate(self, request, resolve, secret=None):
        secret = secret or bearer(request)
        if not secret:
            raise Unauthorized("Sign in first: send `Authorization: Bearer <token>` "
                               "(POST /api/v1/auth/token gives one)")
        if len(secret) > 200:
            raise Unauthorized("The token is not valid (unknown, expired or revoked)")
        admin = admin_token(self.config)
        if admin and hmac.compare_digest(secret.encode("utf-8"), admin.encode("utf-8")):
            principal = ADMIN
        else:
            principal = Principal.decode(resolve(digest(secret)))
        self.principal, self.secret = principal, secret
        data = self.worker_ctx.data
        data[CALLER_KEY] = principal.encode()
        try:
            key = idempotency_key(request, principal.id)
        except ValidationFailed:
            key = None  # reported by the endpoint, which reads the header again
        if key:
            data[IDEMPOTENCY_KEY] = key
        return principal


class CallerIdentity(DependencyProvider):
    """An `Auth` per request; puts the request's deadline into the context data too."""

    def get_dependency(self, worker_ctx):
        timeout = float(self.container.config.get("RPC_TIMEOUT_SECONDS", 10))
        worker_ctx.data[DEADLINE] = deadline_for(timeout)
        return Auth(worker_ctx, self.container.config)

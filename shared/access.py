"""Who is calling, and what they may see and do: the one access policy of every service.

The gateway authenticates the request (a bearer token or a session cookie), asks
tracking who the token belongs to, and puts that `Principal` into the nameko context
data (`duban.caller`), which travels with every RPC call, also from one service on to
the next. Each service checks it at its own entrypoints: the gateway and the pages are
not the only gate.

Roles (the identifiers of the API): `admin`, `office` (supervising department staff),
`leader`, `contact` (a department's contact person), `viewer`.

Scope follows the organisation tree:
- the platform administrator (the bootstrap `DUBAN_ADMIN_TOKEN`, or an API token it
  makes without an organisation) sees every group;
- everyone else belongs to one group (`org_id`) and never sees another;
- office staff, leaders, viewers and a group's administrators see their organisation:
  the group, or the subsidiary they work in, with everything under it (`organisation`);
- a department contact sees the items their departments lead or co-operate on
  (`units`: their own department, and the ones they are contact or substitute for).

A call without a principal comes from inside the deployment (a timer, an event
handler, another service acting on its own): it runs as `SYSTEM`. The broker is the
trust boundary: only Duban's services hold its credentials (docs/security.md).
"""
import json
from dataclasses import asdict, dataclass, field

from shared import errors

ROLES = ("admin", "office", "leader", "contact", "viewer")
SUPERVISING = ("admin", "office")          # issue, decide, complete, return, evaluate
ASSIGNING = ("admin", "office", "leader")   # register items (领导交办)
DEPARTMENT = ("contact",)                   # feedback, extension, completion requests
EVERYONE = ROLES
READERS = ("admin", "office", "leader", "viewer")  # read their whole organisation


@dataclass(frozen=True)
class Principal:
    kind: str                 # person | token | admin | system
    id: str                   # "person:12", "token:5", "admin", "system"
    name: str                 # as the history shows it
    roles: tuple = ()
    org_id: str = None        # the group; None: every group (platform admin, system)
    organisation: str = None  # the group or subsidiary whose subtree is visible
    units: tuple = field(default_factory=tuple)  # a contact's departments

    # ---- what the principal is
    @property
    def everywhere(self):
        """The platform administrator and the system see every group."""
        return self.org_id is None and self.kind in ("admin", "system", "token")

    def has(self, *roles):
        return self.kind == "system" or any(role in self.roles for role in roles)

    @property
    def sees_organisation(self):
        """Office, leaders, viewers and admins see their organisation's subtree."""
        return self.everywhere or self.has(*READERS)

    # ---- what the principal may see
    def sees_group(self, org_id):
        return self.everywhere or org_id == self.org_id

    def sees_path(self, org_path):
        """An org unit or item at `org_path` (codes from the group down)."""
        if self.everywhere:
            return True
        path = list(org_path or [])
        if not path or path[0] != self.org_id:
            return False
        if self.sees_organisation:
            return self.organisation is None or self.organisation in path
        return False

    def sees_item(self, item):
        """`item` as tracking's views show it (org_path, lead and co-departments)."""
        if self.sees_path(item.get("org_path")):
            return True
        if not self.has("contact") or not self.sees_group(item.get("org_id")):
            return False
        return bool(set(self.units) & item_units(item))

    def on_item_as_department(self, item):
        """The caller acts for one of the item's departments (not as the office)."""
        return self.has("contact") and bool(set(self.units) & item_units(item))

    # ---- travelling in the nameko context
    def encode(self):
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def decode(cls, value):
        if isinstance(value, Principal):
            return value
        if not value or not isinstance(value, (str, bytes)):
            return SYSTEM
        try:
            data = json.loads(value)
            data["roles"] = tuple(data.get("roles") or ())
            data["units"] = tuple(data.get("units") or ())
            return cls(**data)
        except (TypeError, ValueError):
            # an older caller string ("token:…"): a name, no rights beyond the system's
            # trust in the broker
            return Principal(kind="system", id="system", name=str(value)[:120])

    def __str__(self):
        return self.name


SYSTEM = Principal(kind="system", id="system", name="system", roles=ROLES)


def item_units(item):
    lead = (item.get("lead_department") or {}).get("code")
    codes = {c.get("code") for c in item.get("co_departments") or []}
    return (codes | {lead}) - {None}


def require(principal, *roles):
    """403 unless the principal holds one of `roles`."""
    if not principal.has(*roles):
        raise errors.Forbidden("Your role may not do this (needs {})".format(" or ".join(roles)))


def require_platform(principal):
    """What spans every group (dead letters, the directory's audit trail)."""
    if not (principal.everywhere and principal.has("admin")):
        raise errors.Forbidden("Only the platform administrator may do this")


def require_group(principal, org_id):
    """404 for another group's record: its existence must not leak."""
    if not principal.sees_group(org_id):
        raise errors.NotFound("Not found")


def require_item(principal, item, *roles, department_roles=()):
    """The principal sees `item` (else 404) and may act on it (else 403).

    `roles` may act on any item they see; `department_roles` only on an item one of
    their departments leads or co-operates on."""
    if not principal.sees_item(item):
        raise errors.NotFound("No item '{}'".format(item.get("id")))
    if principal.has(*roles):
        if principal.sees_path(item.get("org_path")):
            return
    if department_roles and principal.has(*department_roles) \
            and principal.on_item_as_department(item):
        return
    raise errors.Forbidden("Your role may not do this on this item")

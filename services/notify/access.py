"""Who may see and change reminders (shared.access): the supervising side configures and
chases; leaders and viewers read; webhooks carry every group's events, so they are the
platform administrator's. Another group's item or settings are unknown (404)."""
from shared import access, errors

from .models import OpenItem

READERS = access.READERS


def org(uow, org_id, *roles):
    access.require(uow.principal, *roles)
    if not uow.principal.sees_group(org_id):
        raise errors.NotFound("No organisation '{}'".format(org_id))
    return org_id


def item(uow, item_id, *roles):
    """The caller sees the item as tracking would show it (its organisation's subtree), and
    holds one of `roles`."""
    access.require(uow.principal, *roles)
    row = uow.session.get(OpenItem, str(item_id))
    if row is not None and not uow.principal.sees_item(view_of(row)):
        raise errors.NotFound("No item {} is known to notify".format(item_id))
    return item_id


def view_of(row):
    """What shared.access needs of a projected item; a row projected before org paths were
    kept is judged by its group alone."""
    lead, *co = list(row.departments or []) or [row.department]
    return {"id": row.id, "org_id": row.org_id,
            "org_path": row.org_path or ([row.org_id] if row.org_id else []),
            "lead_department": {"code": lead}, "co_departments": [{"code": c} for c in co]}


def query(uow, query):
    """A delivery-log query narrowed to the caller's group."""
    access.require(uow.principal, *READERS)
    if not uow.principal.everywhere:
        query = dict(query, org_id=uow.principal.org_id)
    return query

"""The access policy (shared.access) as queries over tracking's tables: which items a
caller's list shows, and where a caller may register an item."""
from sqlalchemy import false, or_, select, union

from shared import access, errors

from ..models import Item, ItemCoDepartment, OrgUnit
from .views import org_path


def subtree_ids(session, code):
    """Ids of the unit `code` and every unit under it."""
    children, roots = {}, []
    for unit_id, parent_id, unit_code in session.execute(
            select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.code)):
        children.setdefault(parent_id, []).append(unit_id)
        if unit_code == code:
            roots.append(unit_id)
    found, todo = [], roots
    while todo:
        unit_id = todo.pop()
        found.append(unit_id)
        todo.extend(children.get(unit_id, []))
    return found


def visible_items(session, principal, query):
    """`query` (over Item) narrowed to what `principal` may see."""
    if principal.everywhere:
        return query
    seen = []
    if principal.sees_organisation:
        if principal.organisation in (None, principal.org_id):
            seen.append(Item.org_id == principal.org_id)
        else:
            seen.append(Item.lead_unit_id.in_(subtree_ids(session, principal.organisation)))
    if principal.has("contact") and principal.units:
        unit_ids = select(OrgUnit.id).where(OrgUnit.code.in_(principal.units))
        seen.append(Item.id.in_(items_of_units(unit_ids)))
    if not seen:
        return query.where(false())
    return query.where(Item.org_id == principal.org_id, or_(*seen))


def items_of_units(unit_ids):
    """Ids of the items these units lead or co-operate on: one UNION, so that each side
    is read from its index (an OR of the two is a scan of every item at scale)."""
    return union(select(Item.id).where(Item.lead_unit_id.in_(unit_ids)),
                 select(ItemCoDepartment.item_id).where(
                     ItemCoDepartment.org_unit_id.in_(unit_ids)))


def may_assign(principal, lead):
    """Office, leaders and admins register items for departments of their organisation."""
    access.require(principal, *access.ASSIGNING)
    if not principal.sees_path(org_path(lead)):
        raise errors.ValidationFailed(
            "Unknown org unit '{}'".format(lead.code),
            {"lead_department": ["not a unit of your organisation"]})

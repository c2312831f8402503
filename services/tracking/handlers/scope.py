"""The access policy (shared.access) as queries over tracking's tables: which items a
caller's list shows, and where a caller may register an item."""
from sqlalchemy import ARRAY, String, any_, false, func, or_, select, union

from shared import access, errors
from shared.db import is_postgres

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


def own_units(session, principal):
    """The ids of the units whose items (led or co-operated on, in its group) are all that
    `principal` sees: a department contact's departments; None for any other scope."""
    if principal.sees_organisation or not (principal.has("contact") and principal.units):
        return None
    return list(session.scalars(select(OrgUnit.id).where(OrgUnit.code.in_(principal.units))
                                .order_by(OrgUnit.id)))


def by_units(session, query, unit_ids):
    """`query` (over Item) narrowed to the items these units lead or co-operate on, as
    branches whose union it is.

    On PostgreSQL one branch per lead unit, which ix_items_lead_order reads in the list's
    order, and one of the items they co-operate on (item_co_departments has no order: all
    of them are read, then sorted), as `id = ANY(ARRAY(subquery))`, which the planner
    reads as a few ids to look up by primary key; as `IN (subquery)` it may start from a
    text search's index instead, whose match count it cannot estimate (a rare word:
    11,000 rows read for 9 found, 105 ms at 1M items).

    On SQLite one query, `id IN (lead UNION co)`: at 100,000 items it reads a department's
    items from its page cache in well under a millisecond, and branches cost it more in
    Python than they saved, and a text search's FTS lookup once per branch."""
    if not is_postgres(session.get_bind()):
        return [query.where(Item.id.in_(items_of_units(unit_ids)))]
    co = select(ItemCoDepartment.item_id).where(ItemCoDepartment.org_unit_id.in_(unit_ids))
    return [query.where(Item.lead_unit_id == unit_id) for unit_id in unit_ids] + [
        query.where(Item.id == any_(func.array(co.scalar_subquery(), type_=ARRAY(String))))]


def may_assign(principal, lead):
    """Office, leaders and admins register items for departments of their organisation."""
    access.require(principal, *access.ASSIGNING)
    if not principal.sees_path(org_path(lead)):
        raise errors.ValidationFailed(
            "Unknown org unit '{}'".format(lead.code),
            {"lead_department": ["not a unit of your organisation"]})

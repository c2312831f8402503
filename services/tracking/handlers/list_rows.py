"""A page of items for `views.item_view`, read as plain rows instead of ORM objects.

The ledger shows 20 items a page; building them as ORM objects (identity map, states,
eager-loaded relationships) was most of a page's CPU in tracking (docs/performance.md).
Here each thing is read once with Core: the items, their co-departments, every unit they
name with its ancestors (one recursive query), and the people shown. `item_view` stays
the one definition of an item's view: it reads attributes, and the namespaces below
carry the same names as the mapped classes.
"""
from types import SimpleNamespace

from sqlalchemy import bindparam, select

from ..models import Item, ItemCoDepartment, OrgUnit, Person

ITEMS = Item.__table__
UNITS = OrgUnit.__table__
PEOPLE = Person.__table__
CO = ItemCoDepartment.__table__


def _statements():
    """The four statements, built once (building them was a third of their cost)."""
    ids = bindparam("ids", expanding=True)
    up = select(UNITS.c.id, UNITS.c.parent_id).where(UNITS.c.id.in_(ids)) \
        .cte("up", recursive=True)
    up = up.union(select(UNITS.c.id, UNITS.c.parent_id).join(up, UNITS.c.id == up.c.parent_id))
    return {
        "items": select(ITEMS).where(ITEMS.c.id.in_(ids)),
        "co": select(CO.c.item_id, CO.c.org_unit_id).where(CO.c.item_id.in_(ids))
        .order_by(CO.c.item_id, CO.c.position),
        "units": select(UNITS.c.id, UNITS.c.code, UNITS.c.name, UNITS.c.parent_id,
                        UNITS.c.contact_person_id, UNITS.c.head_person_id,
                        UNITS.c.leader_person_id).where(UNITS.c.id.in_(select(up.c.id))),
        "people": select(PEOPLE.c.id, PEOPLE.c.name, PEOPLE.c.mobile)
        .where(PEOPLE.c.id.in_(ids)),
    }


STATEMENTS = _statements()


def load_page(session, ids):
    """The items of `ids`, in that order (ids that name no item are left out)."""
    if not ids:
        return []
    rows = {r.id: r for r in session.connection().execute(STATEMENTS["items"], {"ids": list(ids)})}
    co = session.connection().execute(STATEMENTS["co"], {"ids": list(ids)}).all()
    named = {r.lead_unit_id for r in rows.values()} | {r.org_unit_id for r in co} | {
        r.supervising_unit_id for r in rows.values() if r.supervising_unit_id is not None}
    units = _units(session, named)
    leads = [units[r.lead_unit_id] for r in rows.values()]
    people = _people(session, {getattr(u, key) for u in leads
                               for key in ("contact_person_id", "head_person_id",
                                           "leader_person_id")}
                     | {r.responsible_person_id for r in rows.values()})
    for unit in leads:
        unit.contact = people.get(unit.contact_person_id)
        unit.head = people.get(unit.head_person_id)
        unit.leader = people.get(unit.leader_person_id)
    links = {}
    for link in co:
        links.setdefault(link.item_id, []).append(
            SimpleNamespace(org_unit=units[link.org_unit_id]))
    return [_item(rows[i], units, people, links.get(i, [])) for i in ids if i in rows]


def _item(row, units, people, co_links):
    item = SimpleNamespace(**row._mapping)
    item.lead_unit = units[row.lead_unit_id]
    item.supervising_unit = units.get(row.supervising_unit_id)
    item.responsible_person = people.get(row.responsible_person_id)
    item.co_links = co_links
    return item


def _units(session, unit_ids):
    """{id: unit} of `unit_ids` and all their ancestors, each with `.parent` set."""
    found = {r.id: SimpleNamespace(**r._mapping, contact=None, head=None, leader=None)
             for r in session.connection().execute(STATEMENTS["units"], {"ids": list(unit_ids)})}
    for unit in found.values():
        unit.parent = found.get(unit.parent_id)
    return found


def _people(session, person_ids):
    person_ids = {i for i in person_ids if i is not None}
    if not person_ids:
        return {}
    return {r.id: SimpleNamespace(**r._mapping)
            for r in session.connection().execute(STATEMENTS["people"], {"ids": list(person_ids)})}


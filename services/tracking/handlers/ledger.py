"""督办台账: the list of items (filters, order, pages, totals) as one query per step.

Three steps, each served by an index at scale (migration 0006, docs/performance.md):
1. the ids of one page, read in the list's order (deadline, org_id, number) from an
   index: by page number (OFFSET) or after a keyset cursor (`cursor`, `next_cursor`); on
   PostgreSQL a department's items (the `department` filter, a contact's own list) as
   branches, the items each unit leads read in order and the ones it co-operates on
   apart, each limited to the page's end and then merged;
2. those items with what their view shows (the units, people and co-departments), read
   as plain rows (list_rows.py);
3. the total: exact up to TOTAL_CAP matches, and beyond that `TOTAL_CAP` with
   `total_exact` false, unless the caller asks `count=exact` (the whole filtered set is
   then counted, which at a million items takes a noticeable fraction of a second).
"""
import base64
import binascii
import datetime as dt
import json

from sqlalchemy import column, func, or_, select, text, tuple_, union

from shared import errors
from shared.db import is_postgres

from ..domain import lifecycle
from ..models import Item
from . import common, list_rows, scope, search
from .views import item_view

TOTAL_CAP = 1000
ORDER = (Item.deadline, Item.org_id, Item.number)


def list_items(uow, query):
    session = uow.session
    today = uow.clock.today()
    if query.get("q") and is_postgres(session.get_bind()):
        # A text search reads a few rows from an index or in order: the parallel plans the
        # planner offers for it cost more to start than they save (10-30 ms a statement
        # measured at 1M items, more under load).
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
    size = query["page_size"]
    ids, more, (total, exact) = _page_ids(session, _branches(session, uow.principal, query, today),
                                          query, size)
    rows = list_rows.load_page(session, ids)
    return {"items": [item_view(i, today) for i in rows], "total": total, "page": query["page"],
            "page_size": size, "total_exact": exact,
            "next_cursor": encode_cursor(rows[-1]) if more and rows else None}


def _branches(session, principal, query, today):
    """The filtered list within the caller's scope, as queries of item ids whose union it
    is. The items of a department (the `department` filter, or a contact's own scope) are
    read per branch on PostgreSQL (scope.by_units), each in the list's order, so that a
    page reads about a page of rows from each rather than all the department's items (807
    for the busiest at 1M, mostly not in shared buffers) to sort them."""
    own = scope.own_units(session, principal)
    if own is None:
        visible = scope.visible_items(session, principal, select(Item.id))
    else:  # a contact: its group here, its departments' items as branches
        visible = select(Item.id).where(Item.org_id == principal.org_id)
    filtered = _filtered(session, visible, query, today)
    if query.get("department"):
        if own is not None:
            filtered = filtered.where(Item.id.in_(scope.items_of_units(own)))
        unit = common.unit_by_code(session, query["department"], "department", query.get("org"))
        branches = scope.by_units(session, filtered, [unit.id])
    else:
        branches = [filtered] if own is None else scope.by_units(session, filtered, own)
    return _searched(session, branches, query.get("q"))


def _searched(session, branches, q):
    """The branches narrowed to the items whose text holds `q`. A department's branches
    (a few hundred items) are filtered by the text alone: given a text index's condition
    as well, PostgreSQL read a frequent word's whole posting list (信息化: 64,597 entries,
    15 ms at 1M items) instead of the department's items in order (2.7 ms)."""
    if not q:
        return branches
    conditions = search.conditions(session, q, indexed=len(branches) == 1)
    return [b.where(*conditions) for b in branches]


def _page_ids(session, branches, query, size):
    """The ids of the page, whether more follow, and (total, exact)."""
    cursor, exact = query.get("cursor"), query.get("count") == "exact"
    offset = 0 if cursor else (query["page"] - 1) * size
    after = decode_cursor(cursor) if cursor else None
    ids = list(session.scalars(_page(branches, after, offset, size + 1)))
    more = len(ids) > size
    if not cursor and not more and (ids or offset == 0):
        return ids, more, (offset + len(ids), True)  # the last page: nothing to count
    if not cursor and not exact and offset + len(ids) > TOTAL_CAP:
        return ids[:size], more, (TOTAL_CAP, False)  # beyond the cap: nothing to count
    return ids[:size], more, _total(session, branches, exact)


def _page(branches, after, offset, limit):
    """The ids of `limit` items from `offset` in the list's order, or after the key `after`.
    Branches are each read in order up to offset + limit rows and then merged: every row
    of the page is among the first offset + limit of its own branch."""
    ordered = [_in_order(b, after) for b in branches]
    if len(ordered) == 1:
        return (ordered[0].offset(offset) if offset else ordered[0]).limit(limit)
    merged = _union([b.add_columns(*ORDER) for b in ordered], offset + limit, MERGED)
    page = select(MERGED[0]).select_from(merged).order_by(*MERGED[1:])
    return (page.offset(offset) if offset else page).limit(limit)


def _in_order(q, after):
    q = q.order_by(*ORDER)
    return q if after is None else q.where(tuple_(*ORDER) > tuple_(*after))


# The merged branches' columns, by name: building the column collections of the branches'
# subqueries instead cost about a millisecond a page in Python.
MERGED = tuple(column(name) for name in ("id", "deadline", "org_id", "number"))


def _union(branches, limit, columns):
    """UNION (without duplicates: an item may be in more than one branch) of the branches,
    each limited to `limit` rows (None: all), as a subquery of `columns`. Each is a
    subquery of its own, the portable way to give a member of a compound SELECT its own
    ORDER BY and LIMIT (SQLite allows them nowhere else)."""
    parts = [(b if limit is None else b.limit(limit)).subquery() for b in branches]
    return union(*(select(*columns).select_from(p) for p in parts)).subquery()


def _filtered(session, q, query, today):
    if query.get("org"):
        q = q.where(Item.org_id == common.unit_by_code(session, query["org"], "org").code)
    if query.get("number"):
        q = q.where(Item.number == query["number"])
    if query.get("status"):
        q = q.where(Item.status == query["status"])
    if query.get("category"):
        q = q.where(Item.category == query["category"])
    working = [s.value for s in lifecycle.WORKING]
    if query.get("overdue") is True:
        q = q.where(Item.status.in_(working), Item.due_by < today)
    elif query.get("overdue") is False:
        q = q.where(or_(~Item.status.in_(working), Item.due_by >= today))
    if query.get("deadline_from"):
        q = q.where(Item.deadline >= query["deadline_from"])
    if query.get("deadline_to"):
        q = q.where(Item.deadline <= query["deadline_to"])
    return q


def _total(session, branches, exact):
    """The filtered list counted: exactly, or up to the cap."""
    limit = None if exact else TOTAL_CAP + 1
    if len(branches) == 1:
        rows = (branches[0] if exact else branches[0].limit(limit)).subquery()
    else:
        rows = _union(branches, limit, MERGED[:1])
    found = session.scalar(select(func.count()).select_from(rows))
    return (found, True) if exact or found <= TOTAL_CAP else (TOTAL_CAP, False)


def encode_cursor(item):
    key = [item.deadline.isoformat(), item.org_id, item.number]
    raw = json.dumps(key, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor):
    """(deadline, org_id, number) of the last item of the page before."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        deadline, org_id, number = json.loads(raw.decode("utf-8"))
        return dt.date.fromisoformat(deadline), str(org_id), str(number)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise errors.ValidationFailed("Invalid cursor: pass the next_cursor of a page as it is",
                                      {"cursor": ["not a cursor of this list"]})

"""督办台账: the list of items (filters, order, pages, totals) as one query per step.

Three steps, each served by an index at scale (migration 0006, docs/performance.md):
1. the ids of one page, read in the list's order (deadline, org_id, number) from an
   index: by page number (OFFSET) or after a keyset cursor (`cursor`, `next_cursor`);
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

from sqlalchemy import func, or_, select, text, tuple_

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
    filtered = _filtered(session, scope.visible_items(session, uow.principal, select(Item.id)),
                         query, today)
    size = query["page_size"]
    ids, more, (total, exact) = _page_ids(session, filtered, query, size)
    rows = list_rows.load_page(session, ids)
    return {"items": [item_view(i, today) for i in rows], "total": total, "page": query["page"],
            "page_size": size, "total_exact": exact,
            "next_cursor": encode_cursor(rows[-1]) if more and rows else None}


def _page_ids(session, filtered, query, size):
    """The ids of the page, whether more follow, and (total, exact)."""
    ordered = filtered.order_by(*ORDER)
    cursor, exact = query.get("cursor"), query.get("count") == "exact"
    offset = (query["page"] - 1) * size
    if cursor:
        ordered = ordered.where(tuple_(*ORDER) > tuple_(*decode_cursor(cursor)))
    else:
        ordered = ordered.offset(offset)
    ids = list(session.scalars(ordered.limit(size + 1)))
    more = len(ids) > size
    if not cursor and not more and (ids or offset == 0):
        return ids, more, (offset + len(ids), True)  # the last page: nothing to count
    if not cursor and not exact and offset + len(ids) > TOTAL_CAP:
        return ids[:size], more, (TOTAL_CAP, False)  # beyond the cap: nothing to count
    return ids[:size], more, _total(session, filtered, exact)


def _filtered(session, q, query, today):
    if query.get("org"):
        q = q.where(Item.org_id == common.unit_by_code(session, query["org"], "org").code)
    if query.get("number"):
        q = q.where(Item.number == query["number"])
    if query.get("status"):
        q = q.where(Item.status == query["status"])
    if query.get("category"):
        q = q.where(Item.category == query["category"])
    if query.get("department"):
        unit = common.unit_by_code(session, query["department"], "department", query.get("org"))
        q = q.where(Item.id.in_(scope.items_of_units([unit.id])))
    working = [s.value for s in lifecycle.WORKING]
    if query.get("overdue") is True:
        q = q.where(Item.status.in_(working), Item.due_by < today)
    elif query.get("overdue") is False:
        q = q.where(or_(~Item.status.in_(working), Item.due_by >= today))
    if query.get("deadline_from"):
        q = q.where(Item.deadline >= query["deadline_from"])
    if query.get("deadline_to"):
        q = q.where(Item.deadline <= query["deadline_to"])
    if query.get("q"):
        q = q.where(*search.conditions(session, query["q"]))
    return q


def _total(session, filtered, exact):
    if exact:
        return session.scalar(select(func.count()).select_from(filtered.subquery())), True
    counted = session.scalar(select(func.count()).select_from(
        filtered.limit(TOTAL_CAP + 1).subquery()))
    return (counted, True) if counted <= TOTAL_CAP else (TOTAL_CAP, False)


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

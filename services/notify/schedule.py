"""Keep an item's rung rows equal to its plan: add what is new, revive what was cancelled,
cancel or supersede what no longer makes sense. Sent rows are never touched."""
from sqlalchemy import select

from shared.db import is_postgres

from .context import transaction_lookups
from .domain.delivery import normal_mobile, valid_mobile
from .domain.plan import ACTIVE_STATUSES, MANUAL, ItemFacts, plan, recipient
from .models import CANCELLED, PENDING, SUPERSEDED, OpenItem, Rung


def lock_item(session, item_id, skip_locked=False):
    """The item row, locked for this transaction on PostgreSQL (one planner per item)."""
    q = select(OpenItem).where(OpenItem.id == item_id)
    if is_postgres(session.get_bind()):
        q = q.with_for_update(skip_locked=skip_locked)
    return session.scalars(q).first()


def lock_items(session, item_ids):
    """Several items' rows, locked for this transaction on PostgreSQL, in one statement
    (in id order, as every batch locks them: no two wait on each other crosswise)."""
    q = select(OpenItem).where(OpenItem.id.in_(sorted(item_ids))).order_by(OpenItem.id)
    if is_postgres(session.get_bind()):
        q = q.with_for_update()
    return session.scalars(q).all()


def facts_of(item):
    return ItemFacts(id=item.id, deadline=item.deadline, category=item.category,
                     status=item.status, feedback_due_on=item.feedback_due_on,
                     people=tuple((item.people or {}).items()))


def desired_rungs(lookups, ctx, item, now):
    """{(rung, recipient, channel): (planned rung, role used, person)} for the item now."""
    ladder = lookups.ladder(item.org_id, item.category)
    calendar = lookups.calendar(item.org_id) if ladder.workdays_only else None
    facts = facts_of(item)
    channel = ladder.channel or ctx.default_channel
    desired = {}
    for planned in plan(facts, ladder, now, ctx.tz, calendar):
        role, who = recipient(facts, planned.role)
        if who is None or not valid_mobile(who.get("mobile")):
            continue  # nobody reachable: shown as missing in the item's reminder list
        desired[(planned.key, normal_mobile(who["mobile"]), channel)] = (planned, role, who)
    return desired


def reconcile(uow, ctx, item, now, lookups=None, planned=None, flush=True):
    """Bring the item's planned rows in line with its plan; returns (added, dropped).

    `planned`: the item's planned (not manual) rung rows when the caller knows them
    (none for an item just projected), else they are read. `flush=False` leaves the
    rows to the transaction's next flush."""
    session = uow.session
    desired = desired_rungs(lookups or transaction_lookups(session), ctx, item, now)
    if planned is None:
        planned = session.scalars(select(Rung).where(Rung.item_id == item.id,
                                                     Rung.kind != MANUAL))
    rows = {(r.rung, r.recipient, r.channel): r for r in planned}
    dropped = 0
    active = item.status in ACTIVE_STATUSES
    for key, row in rows.items():
        if row.status == PENDING and key not in desired:
            # a later rung took over (superseded) or the item stopped being worked on, its
            # deadline moved, its people changed (cancelled: revived if it applies again)
            old_deadline = row.series == "deadline" and \
                not row.rung.startswith(str(item.deadline) + "/")
            row.status = SUPERSEDED if active and row.due_at <= now and not old_deadline \
                else CANCELLED
            dropped += 1
    added = 0
    for key, (planned, role, who) in desired.items():
        row = rows.get(key)
        if row is None:
            session.add(Rung(item_id=item.id, rung=planned.key, recipient=key[1], channel=key[2],
                             series=planned.series, kind=planned.kind, role=role,
                             recipient_name=who.get("name"), org_id=item.org_id,
                             department=item.department, due_at=planned.due_at,
                             next_at=planned.due_at, status=PENDING))
            added += 1
        elif row.status == CANCELLED:  # resumed, or a deadline changed back
            row.status, row.due_at, row.next_at = PENDING, planned.due_at, planned.due_at
            added += 1
        elif row.status == PENDING and row.attempts == 0 and row.due_at != planned.due_at:
            row.due_at = row.next_at = planned.due_at  # a ladder or calendar change
    item.needs_plan = False
    if flush:
        session.flush()
    return added, dropped


def replan_flagged(uow, ctx, now, limit=500):
    """Replan items flagged by a ladder, calendar or directory change, a batch at a time."""
    session = uow.session
    with uow:
        q = select(OpenItem).where(OpenItem.needs_plan.is_(True)).limit(limit)
        if is_postgres(session.get_bind()):
            q = q.with_for_update(skip_locked=True)
        items = list(session.scalars(q))
        lookups = transaction_lookups(session)
        for item in items:
            reconcile(uow, ctx, item, now, lookups)
    return len(items)

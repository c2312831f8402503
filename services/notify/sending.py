"""Sending reminders exactly once: claim, send, record; recover what a crash left in flight.

1. Claim (one short transaction): due pending rows are locked (FOR UPDATE SKIP LOCKED on
   PostgreSQL, so several instances share the work), re-checked against the item's plan,
   held back by quiet hours or the daily cap, then marked `sending` with a lease and the
   text fixed. The claim is committed before anything leaves.
2. Send, outside any transaction, with the rung's own out_id (the provider's idempotency
   or caller-id field).
3. Record the outcome: sent, retry later (backoff), failed, or `checking` when the send
   was ambiguous. Every attempt goes to the delivery log; sent and failed are announced
   on notify.events through the outbox.
4. Recover: a row still `sending` after its lease (the instance died mid-send) or
   `checking` is resolved by asking the provider for the out_id: delivered -> sent;
   not found -> pending again; the provider cannot tell -> `uncertain`, never resent.
"""
import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from shared import failpoints
from shared.db import is_postgres
from shared.masking import mask_mobile

from .announce import announce
from .channels.base import DELIVERED, NOT_FOUND, Message
from .context import Lookups
from .domain import texts
from .domain.delivery import PERMANENT, Result, next_step, over_cap
from .domain.plan import MANUAL, release_time
from .models import (CHECKING, FAILED, PENDING, SENDING, SENT, UNCERTAIN, DailyCount, Delivery,
                     OpenItem, Rung)
from .schedule import desired_rungs, reconcile

log = logging.getLogger(__name__)


def _locking(session, q):
    return q.with_for_update(skip_locked=True) if is_postgres(session.get_bind()) else q


def message_for(lookups, row, item, today):
    """The text and template values of a rung, from the organisation's templates."""
    contact = (item.people or {}).get("contact") or {}
    contact_text = " ".join(x for x in (contact.get("name"), contact.get("mobile")) if x)
    due = item.feedback_due_on if row.kind in ("feedback", "feedback_late") else None
    params = texts.values(item.number, item.title, item.deadline, today, due=due,
                          contact=contact_text or None, note=row.note)
    if row.kind == "overdue" and item.deadline:
        params["days"] = str(max(1, (today - item.deadline).days))
    text = texts.render(row.kind, params, lookups.templates(item.org_id))
    return {"text": text, "params": params}


def count_today(session, mobile, day):
    """Today's counter of a number; on PostgreSQL created without a race between instances
    and locked until the claim commits."""
    if is_postgres(session.get_bind()):
        session.execute(pg_insert(DailyCount).values(mobile=mobile, day=day, count=0)
                        .on_conflict_do_nothing())
        return session.get(DailyCount, (mobile, day), with_for_update=True)
    # SQLite has one writer at a time and the batch's counters were read already
    # (prefetch_counts): a number without one has none yet
    row = DailyCount(mobile=mobile, day=day, count=0)
    session.add(row)
    return row


def hold_back(lookups, ctx, row, item, now):
    """When the row may not leave yet (quiet hours, non-working day, daily cap), the time it
    may; None when it can go now. Manual chases ignore quiet hours: someone pressed 催办."""
    session = lookups.session
    ladder = lookups.ladder(item.org_id, item.category)
    if row.kind != MANUAL:
        calendar = lookups.calendar(item.org_id) if ladder.workdays_only else None
        release = release_time(now, ladder, ctx.tz, calendar)
        if release > now:
            return release
    today = now.astimezone(ctx.tz).date()
    counter = lookups._get(("count", row.recipient, today),
                           lambda: count_today(session, row.recipient, today))
    if over_cap(counter.count, ctx.daily_cap):
        tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), ladder.send_at, tzinfo=ctx.tz)
        return release_time(tomorrow.astimezone(dt.timezone.utc), ladder, ctx.tz)
    counter.count += 1
    return None


def due_query(now, limit):
    """The due scan: pending rows whose time has come, oldest first (partial index
    ix_rungs_due, so it reads only what is due, however long the history)."""
    return (select(Rung).where(Rung.status == PENDING, Rung.next_at <= now)
            .order_by(Rung.next_at).limit(limit))


def lock_items(session, ids):
    """{id: item} for a batch, locked on PostgreSQL; an item another instance is replanning
    right now is left out (its rows wait for the next round)."""
    q = select(OpenItem).where(OpenItem.id.in_(sorted(ids)))
    return {item.id: item for item in session.scalars(_locking(session, q))}


def prefetch_counts(lookups, mobiles, day):
    """Today's counters of a batch's numbers in one query (the daily cap)."""
    session = lookups.session
    q = select(DailyCount).where(DailyCount.day == day, DailyCount.mobile.in_(sorted(mobiles)))
    if is_postgres(session.get_bind()):
        q = q.with_for_update()
    for row in session.scalars(q):
        lookups.memo[("count", row.mobile, day)] = row


def still_planned(lookups, ctx, row, item, now):
    """True when the row is still in the item's plan and nothing else needs planning now
    (the cheap check; the full reconcile runs otherwise, and always for overdue chases,
    whose next chase is planned once this one is due)."""
    if row.kind == "overdue":
        return False
    return (row.rung, row.recipient, row.channel) in desired_rungs(lookups, ctx, item, now)


def claim(uow, ctx, now, rung_id=None):
    """Claim due rows (or the one row `rung_id`); returns ([(row id, Message, channel)],
    how many rows were looked at)."""
    session = uow.session
    claimed = []
    seen = 0
    with uow, session.no_autoflush:  # reconcile flushes what it adds; the rest at commit
        lookups = Lookups(session)
        if rung_id is not None:
            q = select(Rung).where(Rung.status == PENDING, Rung.id == rung_id)
        else:
            q = due_query(now, ctx.batch)
        rows = list(session.scalars(_locking(session, q)))
        items = lock_items(session, {r.item_id for r in rows})
        prefetch_counts(lookups, {r.recipient for r in rows}, now.astimezone(ctx.tz).date())
        for row in rows:
            seen += 1
            item = items.get(row.item_id)
            if item is None:
                continue  # another instance is replanning this item: next round
            if row.kind != MANUAL and not still_planned(lookups, ctx, row, item, now):
                reconcile(uow, ctx, item, now, lookups)
                if row.status != PENDING:
                    continue  # superseded or cancelled by the plan
            later = hold_back(lookups, ctx, row, item, now)
            if later is not None:
                row.next_at = later
                continue
            row.status, row.attempts = SENDING, row.attempts + 1
            row.out_id = row.out_id or "dn{}".format(row.id)
            row.next_at = now + dt.timedelta(seconds=ctx.lease_seconds)
            if row.message is None:
                row.message = message_for(lookups, row, item, now.astimezone(ctx.tz).date())
            claimed.append((row.id, Message(to=row.recipient, text=row.message["text"],
                                            kind=row.kind, out_id=row.out_id,
                                            params=row.message["params"],
                                            sent_on=now.astimezone(ctx.tz).date().isoformat()),
                            row.channel))
    return claimed, seen


def send(ctx, message, channel_name):
    channel = ctx.channel(channel_name)
    if channel is None:
        return Result(PERMANENT, error="unknown channel '{}'".format(channel_name))
    failpoints.hit("notify.before_send")
    try:
        result = channel.send(message)
    except Exception as exc:  # a plugin's bug must not lose the row
        log.exception("channel %s failed", channel_name)
        result = Result("ambiguous", error="channel error: {}".format(type(exc).__name__))
    failpoints.hit("notify.after_send")
    return result


def event_data(row, item, status, error=None):
    return {"item_id": row.item_id, "number": item.number if item else None,
            "org_id": row.org_id, "department": row.department, "rung": row.rung,
            "kind": row.kind, "role": row.role, "channel": row.channel,
            "recipient": mask_mobile(row.recipient), "attempts": row.attempts,
            "provider_id": row.provider_id, "status": status, "error": error,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None}


def log_attempt(session, row, status, now, provider_id=None, error=None, sink=None):
    """One line of the delivery log (numbers masked); into `sink` for a batch insert."""
    values = dict(rung_id=row.id, item_id=row.item_id, org_id=row.org_id,
                  department=row.department, rung=row.rung, kind=row.kind, channel=row.channel,
                  recipient=mask_mobile(row.recipient), attempt=row.attempts, status=status,
                  provider_id=provider_id, error=mask_mobile(error)[:1000] if error else None,
                  at=now)
    if sink is None:
        session.add(Delivery(**values))
    else:
        sink.append(values)


def mark_sent(uow, row, item, now, provider_id=None):
    row.status, row.sent_at, row.last_error = SENT, now, None
    row.provider_id = provider_id or row.provider_id
    if row.kind == MANUAL:
        data = event_data(row, item, SENT)
        data.update(count=int(row.rung.split("/")[-1]), note=row.note)
        announce(uow, "chase.sent", data, subject_id=row.item_id, org_id=row.org_id)
    else:
        announce(uow, "reminder.sent", event_data(row, item, SENT), subject_id=row.item_id,
                 org_id=row.org_id)


def mark_failed(uow, row, item, status, error):
    row.status, row.last_error = status, error
    announce(uow, "reminder.failed", event_data(row, item, status, error),
             subject_id=row.item_id, org_id=row.org_id)


def record_one(uow, ctx, row, item, result, now, log=None):
    """Write down what a send did (inside the caller's transaction); the row's new status.

    The next overdue chase needs no replanning here: the claim planned it already."""
    if row.status != SENDING:
        return row.status  # recovered by someone else meanwhile
    step, delay = next_step(result, row.attempts, ctx.policy)
    log_attempt(uow.session, row, {"check": "ambiguous", "retry": "retry"}.get(step, step), now,
                result.provider_id, result.error, sink=log)
    if step == "sent":
        mark_sent(uow, row, item, now, result.provider_id)
    elif step == "failed":
        mark_failed(uow, row, item, FAILED, result.error)
    elif step == "retry":
        row.status, row.last_error = PENDING, result.error
        row.next_at = now + dt.timedelta(seconds=delay)
    else:  # ambiguous: ask the provider later, never resend blindly
        row.status, row.last_error = CHECKING, result.error
        row.next_at = now + dt.timedelta(seconds=delay)
    return row.status


def record(uow, ctx, outcomes, now):
    """Record a batch of (row id, result) in one transaction; returns {status: count}."""
    counts = {}
    session = uow.session
    with uow, session.no_autoflush:  # one flush for the batch, at the commit
        q = select(Rung).where(Rung.id.in_([row_id for row_id, _ in outcomes]))
        if is_postgres(session.get_bind()):
            q = q.with_for_update()
        rows = {row.id: row for row in session.scalars(q)}
        items = {item.id: item for item in session.scalars(select(OpenItem).where(
            OpenItem.id.in_(sorted({r.item_id for r in rows.values()}))))}
        log = []
        for row_id, result in outcomes:
            row = rows.get(row_id)
            status = record_one(uow, ctx, row, items.get(row.item_id), result, now, log) \
                if row is not None else None
            counts[status] = counts.get(status, 0) + 1
        if log:
            session.execute(insert(Delivery), log)
    return counts


def send_all(ctx, claimed):
    """Send a claimed batch, several at a time (green threads under nameko)."""
    if len(claimed) <= 1 or ctx.concurrency <= 1:
        return [(row_id, send(ctx, message, channel)) for row_id, message, channel in claimed]
    with ThreadPoolExecutor(max_workers=min(ctx.concurrency, len(claimed))) as pool:
        results = pool.map(lambda c: send(ctx, c[1], c[2]), claimed)
        return [(c[0], r) for c, r in zip(claimed, results)]


def run_due(uow, ctx, now, rung_id=None, max_batches=50):
    """Claim, send and record batch after batch until nothing due is left (a slot shared
    by many items must not spill into the next scan); returns {status: count}."""
    outcome = {}
    for _ in range(max_batches):
        claimed, seen = claim(uow, ctx, now, rung_id)
        if claimed:
            for status, count in record(uow, ctx, send_all(ctx, claimed), now).items():
                outcome[status] = outcome.get(status, 0) + count
        if rung_id is not None or seen < ctx.batch:
            break
    return outcome


def recover(uow, ctx, now):
    """Resolve rows left in flight past their lease, and ambiguous sends."""
    session = uow.session
    with uow:
        q = (select(Rung).where(Rung.status.in_((SENDING, CHECKING)), Rung.next_at <= now)
             .order_by(Rung.next_at).limit(ctx.batch))
        rows = list(session.scalars(_locking(session, q)))
        todo = []
        for row in rows:
            row.next_at = now + dt.timedelta(seconds=ctx.lease_seconds)
            todo.append((row.id, row.status, row.channel,
                         Message(to=row.recipient, text=(row.message or {}).get("text", ""),
                                 kind=row.kind, out_id=row.out_id,
                                 params=(row.message or {}).get("params", {}),
                                 sent_on=now.astimezone(ctx.tz).date().isoformat())))
    resolved = {}
    for row_id, status, channel_name, message in todo:
        channel = ctx.channel(channel_name)
        answer = channel.lookup(message) if channel is not None else None
        with uow:
            row = session.get(Rung, row_id, with_for_update=is_postgres(session.get_bind()))
            if row.status != status:
                continue
            item = session.get(OpenItem, row.item_id)
            if answer == DELIVERED:
                log_attempt(session, row, "confirmed", now)
                mark_sent(uow, row, item, now)
            elif answer == NOT_FOUND:
                log_attempt(session, row, "not_found", now)
                row.status, row.next_at = PENDING, now  # it never left: send it
            else:
                log_attempt(session, row, UNCERTAIN, now, error="provider cannot tell; not resent")
                mark_failed(uow, row, item, UNCERTAIN, "ambiguous send; not resent")
            key = answer or UNCERTAIN
            resolved[key] = resolved.get(key, 0) + 1
    return resolved

"""The projection's use cases: apply an event, rebuild an empty projection from tracking's
event log, tell how much it holds."""
from sqlalchemy import func, select

from .. import projection
from ..models import Chase, InboxEntry, ItemOutcome, OrgUnit, ProjectionCursor


def apply_event(uow, envelope):
    """Project one tracking or notify event (the inbox claim is the caller's, in the same
    transaction: shared.consumer.reliable_handler)."""
    with uow:
        projection.apply(uow.session, envelope)


def projection_is_empty(session):
    return (session.scalar(select(ItemOutcome.id).limit(1)) is None
            and session.scalar(select(OrgUnit.code).limit(1)) is None)


def rebuild_step(uow, fetch, consumer_of, page=500):
    """One page of the rebuild from tracking's event log; True when the log is read to its end.

    Started only on an empty projection; each event is claimed in the inbox under the
    consumer name its live handler uses (`consumer_of(type)`), so an event read here and
    delivered live is applied once.
    """
    with uow:
        cursor = uow.session.get(ProjectionCursor, "tracking")
        if cursor is None:
            if not projection_is_empty(uow.session):
                uow.session.add(ProjectionCursor(source="tracking", after=0, done=True))
                return True
            cursor = ProjectionCursor(source="tracking", after=0, done=False)
            uow.session.add(cursor)
        if cursor.done:
            return True
        answer = fetch({"after": cursor.after, "limit": page})
        for envelope in answer["events"]:
            if envelope["type"] in projection.HANDLED_TYPES and \
                    uow.claim(envelope["id"], consumer_of(envelope["type"])) is None:
                projection.apply(uow.session, envelope)
        cursor.after = answer["next_after"]
        cursor.done = len(answer["events"]) < page
        return cursor.done


def projection_status(uow, consumer_prefix):
    """How much the projection holds: items, chases, tracking events applied, the rebuild
    cursor."""
    session = uow.session
    cursor = session.get(ProjectionCursor, "tracking")
    return {"items": session.scalar(select(func.count()).select_from(ItemOutcome)),
            "chases": session.scalar(select(func.count()).select_from(Chase)),
            "events": session.scalar(select(func.count()).select_from(InboxEntry)
                                     .where(InboxEntry.consumer.startswith(consumer_prefix))),
            "rebuild": None if cursor is None else {"after": cursor.after, "done": cursor.done}}

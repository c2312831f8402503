"""The projection's use cases: apply an event, rebuild an empty projection from tracking's
event log (and its chases from notify's), tell how much it holds."""
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


def has_no_chases(session):
    return session.scalar(select(Chase.event_id).limit(1)) is None


# per producer: the event types read from its log, and when a rebuild from it starts
SOURCES = {"tracking": (projection.HANDLED_TYPES, projection_is_empty),
           "notify": (projection.NOTIFY_TYPES, has_no_chases)}
# a rebuild from tracking's log brings one from notify's after it (an empty database)
FOLLOWERS = {"tracking": ("notify",)}


def rebuild_step(uow, fetch, consumer_of, page=500, source="tracking"):
    """One page of the rebuild from a producer's event log (tracking's, or notify's for
    the chases); True when the log is read to its end.

    Started only when the projection holds nothing from that producer (no items nor
    directory for tracking, no chase for notify; a rebuild from tracking's log decides
    notify's too, before live chases come in); each event is claimed in the inbox
    under the consumer name its live handler uses (`consumer_of(type)`), so an event
    read here and delivered live is applied once.
    """
    types, untouched = SOURCES[source]
    with uow:
        cursor = uow.session.get(ProjectionCursor, source)
        if cursor is None:
            if not untouched(uow.session):
                uow.session.add(ProjectionCursor(source=source, after=0, done=True))
                return True
            cursor = ProjectionCursor(source=source, after=0, done=False)
            uow.session.add(cursor)
            for follower in FOLLOWERS.get(source, ()):
                # decided now: live chases may arrive before tracking's log is read
                if uow.session.get(ProjectionCursor, follower) is None:
                    uow.session.add(ProjectionCursor(source=follower, after=0, done=False))
        if cursor.done:
            return True
        answer = fetch({"after": cursor.after, "limit": page})
        for envelope in answer["events"]:
            if envelope["type"] in types and \
                    uow.claim(envelope["id"], consumer_of(envelope["type"])) is None:
                projection.apply(uow.session, {k: v for k, v in envelope.items()
                                               if k != "seq"})
        cursor.after = answer["next_after"]
        cursor.done = len(answer["events"]) < page
        return cursor.done


def projection_status(uow, consumer_prefix):
    """How much the projection holds: items, chases, tracking events applied, the rebuild
    cursors (tracking's log, notify's for the chases)."""
    session = uow.session
    cursor = session.get(ProjectionCursor, "tracking")
    chases = session.get(ProjectionCursor, "notify")
    return {"items": session.scalar(select(func.count()).select_from(ItemOutcome)),
            "chases": session.scalar(select(func.count()).select_from(Chase)),
            "events": session.scalar(select(func.count()).select_from(InboxEntry)
                                     .where(InboxEntry.consumer.startswith(consumer_prefix))),
            "rebuild": None if cursor is None else {"after": cursor.after, "done": cursor.done},
            "chase_rebuild": None if chases is None else {"after": chases.after,
                                                          "done": chases.done}}

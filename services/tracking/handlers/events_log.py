"""The event log: every event tracking published, in order, for catching up."""
from shared.outbox import read_log

from ..models import OutboxEvent


from shared import access


def _visible(principal, event):
    path = (event.get("data") or {}).get("org_path")
    return principal.sees_path(path) if path else principal.sees_group(event.get("org_id"))


def list_events(uow, query):
    """The feed for subscribing systems: the events of the caller's organisation (a page
    may hold fewer than `limit`; `next_after` always moves on)."""
    access.require(uow.principal, *access.READERS)
    rows = read_log(uow.session, OutboxEvent, after=query["after"], limit=query["limit"],
                    types=[query["type"]] if query.get("type") else None,
                    subject_id=query.get("subject_id"))
    events = [dict(r.payload, seq=r.seq) for r in rows if _visible(uow.principal, r.payload)]
    return {"events": events, "next_after": rows[-1].seq if rows else query["after"]}

"""notify's event log: every event it published (its outbox keeps them), in order, for a
subscriber that catches up (appraisal rebuilds its chase counts from `chase.sent`)."""
from shared import access
from shared.outbox import read_log

from . import access as guard
from .models import OutboxEvent


def _visible(principal, event):
    path = (event.get("data") or {}).get("org_path")
    return principal.sees_path(path) if path else principal.sees_group(event.get("org_id"))


def list_events(uow, query):
    """The events of the caller's organisation after `after` (a page may hold fewer than
    `limit`; `next_after` always moves on), optionally of one `type`."""
    access.require(uow.principal, *guard.READERS)
    rows = read_log(uow.session, OutboxEvent, after=query["after"], limit=query["limit"],
                    types=[query["type"]] if query.get("type") else None,
                    subject_id=query.get("subject_id"))
    events = [dict(r.payload, seq=r.seq) for r in rows if _visible(uow.principal, r.payload)]
    return {"events": events, "next_after": rows[-1].seq if rows else query["after"]}

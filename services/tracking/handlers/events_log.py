"""The event log: every event tracking published, in order, for catching up."""
from shared.outbox import read_log

from ..models import OutboxEvent


def list_events(uow, query):
    rows = read_log(uow.session, OutboxEvent, after=query["after"], limit=query["limit"],
                    types=[query["type"]] if query.get("type") else None,
                    subject_id=query.get("subject_id"))
    events = [dict(r.payload, seq=r.seq) for r in rows]
    return {"events": events, "next_after": rows[-1].seq if rows else query["after"]}

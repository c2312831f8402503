"""Rebuild the projection from tracking's event log when notify starts on an empty database.

The log is read a page at a time (`list_events` after a cursor); each event goes through the
same projection as a live one and is claimed in the inbox under the same consumer, so an
event seen both live and in the log counts once. Until the log is read to its end, no
reminder is sent: an item's later events (completed, cancelled) must be known first.
"""
from .models import State

CURSOR = "rebuild_cursor"
DONE = "done"


def rebuild_pending(session):
    row = session.get(State, CURSOR)
    return row is None or row.value != DONE


def rebuild_step(uow, fetch, apply, pages=5, page_size=500):
    """Read up to `pages` pages; returns how many events were applied (None once done)."""
    session = uow.session
    applied = 0
    for _ in range(pages):
        with uow:
            row = session.get(State, CURSOR)
            if row is None:
                row = State(key=CURSOR, value="0")
                session.add(row)
            if row.value == DONE:
                return None if applied == 0 else applied
            after = int(row.value)
        page = fetch({"after": after, "limit": page_size})
        events = page.get("events") or []
        with uow:
            for envelope in events:
                applied += 1 if apply(envelope) else 0
            row = session.get(State, CURSOR)
            row.value = str(page.get("next_after", after)) if events else DONE
        if not events:
            break
    return applied

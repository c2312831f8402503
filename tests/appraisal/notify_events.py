"""Envelopes shaped like notify.events `chase.sent` (docs/events.md, "Notify events"), for
feeding the appraisal service without running notify."""
import itertools
import uuid

from tests.appraisal.tracking_events import at

_provider_ids = itertools.count(1)
# every field docs/events.md gives a notify event's data, and chase.sent's own two
NOTIFY_FIELDS = {"item_id", "number", "org_id", "department", "rung", "kind", "role", "channel",
                 "recipient", "attempts", "provider_id", "status", "error", "sent_at"}
CHASE_FIELDS = NOTIFY_FIELDS | {"count", "note"}
ENVELOPE_FIELDS = {"id", "type", "version", "occurred_at", "producer", "org_id", "subject_id",
                   "data"}


def chase_sent(item, day, count, department=None):
    """The envelope notify publishes once the `count`-th manual chase of `item` (a
    tracking_events.Item) went out, at 10:00 Shanghai time on `day`."""
    sent = at(day).isoformat()
    data = {"item_id": item.id, "number": item.state["number"], "org_id": item.org_id,
            "department": department or item.state["lead_department"]["code"],
            "rung": "manual/{}".format(count), "kind": "manual", "role": "contact",
            "channel": "console", "recipient": "139****1111", "attempts": 1,
            "provider_id": "p{}".format(next(_provider_ids)), "status": "sent", "error": None,
            "sent_at": sent, "count": count, "note": "请尽快反馈"}
    return {"id": str(uuid.uuid4()), "type": "chase.sent", "version": 1,
            "occurred_at": sent.replace("+00:00", "Z"), "producer": "notify",
            "org_id": item.org_id, "subject_id": item.id, "data": data}

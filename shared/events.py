"""The event envelope of the public contract (docs/events.md)."""
import uuid

from shared.clock import utc_iso

ENVELOPE_KEYS = ("id", "type", "version", "occurred_at", "producer", "org_id", "subject_id", "data")


def exchange_for(producer):
    """Nameko's convention: one durable topic exchange per producing service."""
    return "{}.events".format(producer)


def make_envelope(type, producer, data, occurred_at, subject_id=None, org_id=None, version=1,
                  event_id=None):
    return {
        "id": event_id or str(uuid.uuid4()),
        "type": type,
        "version": version,
        "occurred_at": utc_iso(occurred_at),
        "producer": producer,
        "org_id": org_id,
        "subject_id": None if subject_id is None else str(subject_id),
        "data": data,
    }


"""The broker topology our services rely on, declared before any of them starts.

Rule 3: a queue that exists only once its consumer has started loses every event
published before that. The setup step (`python -m shared.broker_setup`) declares
each producer's exchange and each subscription's durable queue, named and bound the
way nameko's `@event_handler` names and binds them, so the service later consumes
from the queue that was already filling.
"""
PRODUCERS = ("intake", "tracking", "notify", "appraisal")

# (source service, event type, consuming service, handler method)
SUBSCRIPTIONS = (
    ("intake", "draft.confirmed", "tracking", "on_draft_confirmed"),
    ("tracking", "item.registration_rejected", "intake", "on_registration_rejected"),
) + tuple(
    # notify projects every tracking event that changes what its reminders see
    ("tracking", t, "notify", "on_" + t.replace(".", "_"))
    for t in ("item.registered", "item.issued", "item.accepted", "item.feedback_submitted",
              "item.extension_decided", "item.deadline_changed", "item.completion_requested",
              "item.completed", "item.returned", "item.cancelled", "item.suspended",
              "item.resumed", "item.updated", "item.feedback_overdue", "org_unit.updated",
              "org_unit.contact_changed", "calendar.updated")
)


def queue_name(source, event_type, service, method):
    """Nameko's SERVICE_POOL queue name for an event handler."""
    return "evt-{}-{}--{}.{}".format(source, event_type, service, method)

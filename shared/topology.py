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
    ("tracking", "item.registered", "appraisal", "on_item_registered"),
    ("tracking", "item.issued", "appraisal", "on_item_issued"),
    ("tracking", "item.accepted", "appraisal", "on_item_accepted"),
    ("tracking", "item.feedback_submitted", "appraisal", "on_item_feedback_submitted"),
    ("tracking", "item.feedback_assessed", "appraisal", "on_item_feedback_assessed"),
    ("tracking", "item.extension_requested", "appraisal", "on_item_extension_requested"),
    ("tracking", "item.extension_decided", "appraisal", "on_item_extension_decided"),
    ("tracking", "item.deadline_changed", "appraisal", "on_item_deadline_changed"),
    ("tracking", "item.completion_requested", "appraisal", "on_item_completion_requested"),
    ("tracking", "item.completed", "appraisal", "on_item_completed"),
    ("tracking", "item.returned", "appraisal", "on_item_returned"),
    ("tracking", "item.evaluated", "appraisal", "on_item_evaluated"),
    ("tracking", "item.cancelled", "appraisal", "on_item_cancelled"),
    ("tracking", "item.suspended", "appraisal", "on_item_suspended"),
    ("tracking", "item.resumed", "appraisal", "on_item_resumed"),
    ("tracking", "item.overdue", "appraisal", "on_item_overdue"),
    ("tracking", "item.updated", "appraisal", "on_item_updated"),
    ("tracking", "item.feedback_overdue", "appraisal", "on_item_feedback_overdue"),
    ("tracking", "org_unit.created", "appraisal", "on_org_unit_created"),
    ("tracking", "org_unit.updated", "appraisal", "on_org_unit_updated"),
    ("tracking", "org_unit.contact_changed", "appraisal", "on_org_unit_contact_changed"),
    ("tracking", "calendar.updated", "appraisal", "on_calendar_updated"),
    ("notify", "chase.sent", "appraisal", "on_chase_sent"),
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

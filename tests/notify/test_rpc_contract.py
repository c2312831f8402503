"""Every notify RPC that writes happens once (handbook rule 7), as main's
tests/integration/test_exactly_once.py checks for tracking and intake."""
from services.notify.service import NotifyService

READS = {"ping", "get_ladder", "list_templates", "item_reminders", "list_notifications",
         "list_channels", "list_webhooks", "webhook_deliveries", "list_dead_letters",
         "list_events"}
# Writes whose recording is an exactly_once step and whose sending after the commit is
# idempotent by state (only a still-queued row is sent): a redelivered request finds the
# recorded answer and nothing left to send.
RECORD_THEN_SEND = {"chase": "record_chase", "redeliver_webhook": "queue_redelivery"}
BY_STATE = {"replay_dead_letter"}
# Writes that check first (the group may take an RPC to tracking, not to be made inside a
# transaction) and then store in an exactly_once step.
CHECK_THEN_STORE = {"set_ladder": "store_ladder", "set_template": "store_template"}
STEPS = dict(RECORD_THEN_SEND, **CHECK_THEN_STORE)


def rpc_methods(cls):
    return {name for name in dir(cls)
            if any(type(e).__name__ == "Rpc"
                   for e in getattr(getattr(cls, name), "nameko_entrypoints", ()))}


def test_every_writing_rpc_is_exactly_once():
    writes = rpc_methods(NotifyService) - READS - BY_STATE
    assert {"set_ladder", "set_template", "create_webhook", "delete_webhook"} <= writes
    writes -= set(STEPS)
    missing = sorted(m for m in writes if not getattr(getattr(NotifyService, m), "exactly_once",
                                                      False))
    assert missing == []
    for step in STEPS.values():
        assert getattr(NotifyService, step).exactly_once

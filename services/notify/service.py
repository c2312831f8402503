"""NotifyService: reminders sent once, channels as plugins, the delivery log, over RPC and
events. Each entrypoint validates, calls a use case and shapes the reply."""
import logging
import re

from shared import access
from shared.consumer import DeadLetterAdmin, DeadLetters, inbox_key, reliable_handler
from shared.contracts import notify as contract
from shared.errors import ServiceUnavailable, ValidationFailed
from shared.outbox import Outbox
from shared.providers import config_timer
from shared.rpc import TimedRpcProxy, call, exactly_once, rpc
from shared.schemas import load
from shared.service import ServiceBase

from . import access as guard
from . import api, events_log, projection, sending, tracked, webhooks
from .dependencies import NotifyContext
from .models import DeadLetter, InboxEntry, OutboxEvent
from .rebuild import rebuild_pending, rebuild_step
from .schedule import replan_flagged

log = logging.getLogger(__name__)

ITEM_EVENTS = ("item.registered", "item.issued", "item.accepted", "item.feedback_submitted",
               "item.extension_decided", "item.deadline_changed", "item.completion_requested",
               "item.completed", "item.returned", "item.cancelled", "item.suspended",
               "item.resumed", "item.updated", "item.feedback_overdue")
DIRECTORY_EVENTS = ("org_unit.updated", "org_unit.contact_changed")
CALENDAR_EVENTS = ("calendar.updated",)
SUBSCRIBED = ITEM_EVENTS + DIRECTORY_EVENTS + CALENDAR_EVENTS
PROJECTION_CONSUMER = "notify.projection"
ORG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def handler_name(event_type):
    return "on_" + event_type.replace(".", "_")


def _projector(event_type):
    def handler(self, payload):
        return self.project(payload)
    handler.__name__ = handler_name(event_type)
    handler.__doc__ = "Project tracking's {} into the open items.".format(event_type)
    return reliable_handler("tracking", event_type, batch=BATCHED.get(event_type),
                            batch_autoflush=False, consumer=PROJECTION_CONSUMER,
                            batch_prepare=lambda uow, payloads: projection.read_batch(
                                uow.session, payloads))(handler)


# A bulk registration (a goal sheet, long minutes) sends thousands of item.registered
# at once: applied up to 100 per transaction (shared/batching.py), each still claimed once.
BATCHED = {"item.registered": 100}


class NotifyService(ServiceBase, DeadLetterAdmin):
    name = "notify"
    inbox_model = InboxEntry
    outbox = Outbox(OutboxEvent)
    dead_letters = DeadLetters(DeadLetter)
    ctx = NotifyContext()
    tracking = TimedRpcProxy("tracking")

    for _type in SUBSCRIBED:
        locals()[handler_name(_type)] = _projector(_type)
    del _type

    # ---- events in
    def project(self, envelope):
        """Apply an event, claimed by the caller under PROJECTION_CONSUMER in this unit of
        work: reliable_handler for a live event, apply_logged for one read from the log."""
        uow = self.uow()
        with uow:
            kind = envelope["type"]
            webhooks.enqueue(self.db, envelope, self.clock.now())
            if kind.startswith("item."):
                return projection.on_item_event(uow, self.ctx, envelope)
            if kind.startswith("org_unit."):
                return projection.on_unit_event(uow, self.ctx, envelope)
            if kind == "calendar.updated":
                return projection.on_calendar_event(uow, self.ctx, envelope)
        return None

    # ---- time
    @config_timer("NOTIFY_SCAN_SECONDS", 15)
    def tick(self):
        """Rebuild if needed, replan flagged items, recover in-flight sends, send what is due."""
        uow, now = self.uow(), self.clock.now()
        if str(self.config.get("NOTIFY_REBUILD", "on")).lower() not in ("off", "false", "0") \
                and rebuild_pending(self.db):
            self.db.rollback()
            try:
                rebuilt = rebuild_step(uow, self.fetch_events, self.apply_logged)
            except ServiceUnavailable as exc:
                # nothing is sent before the log is read: an item may be closed already
                log.warning("rebuild waits for tracking's event log: %s", exc)
                return {"rebuild": "waiting"}
            if rebuilt is not None:
                return {"rebuilt": rebuilt}
        replan_flagged(uow, self.ctx, now)
        recovered = sending.recover(uow, self.ctx, now)
        sent = sending.run_due(uow, self.ctx, now)
        hooks = webhooks.deliver_due(uow, self.ctx, now, self.forbid_private(),
                                     self.webhook_timeout())
        return {"recovered": recovered, "sent": sent, "webhooks": hooks}

    def forbid_private(self):
        return str(self.config.get("NOTIFY_WEBHOOK_FORBID_PRIVATE", "on")).lower() \
            not in ("off", "false", "0")

    def webhook_timeout(self):
        return float(self.config.get("NOTIFY_WEBHOOK_TIMEOUT_SECONDS", 5))

    def fetch_events(self, query):
        return self.ask_tracking("list_events", query)

    def ask_tracking(self, method, *args):
        """An RPC to tracking, with the caller's context, given up after RPC_TIMEOUT_SECONDS."""
        return call(self.tracking, method, *args,
                    timeout=float(self.config.get("RPC_TIMEOUT_SECONDS", 10)))

    def apply_logged(self, envelope):
        if envelope.get("type") not in SUBSCRIBED:
            return False
        envelope = {k: v for k, v in envelope.items() if k != "seq"}
        uow = self.uow()
        with uow:
            # the key a live delivery claims (shared.consumer.inbox_key)
            if uow.claim(inbox_key(envelope), PROJECTION_CONSUMER) is not None:
                return False  # applied live already
            self.project(envelope)
        return True

    # ---- ladders and templates
    def organisation(self, org_id, *roles):
        """The group whose ladders and templates the caller reads or sets: a group's staff
        their own; the platform administrator any group tracking knows."""
        check_org(org_id)
        guard.org(self.uow(), org_id, *roles)
        if self.uow().principal.everywhere:
            tracked.require_group(org_id, lambda code: self.ask_tracking("get_org_unit", code))
        return org_id

    @rpc
    def get_ladder(self, org_id, category):
        self.organisation(org_id, *guard.READERS)
        check_category(category)
        return api.get_ladder(self.uow(), org_id, category)

    @rpc
    def set_ladder(self, org_id, category, payload):
        """Checked first (the group may take an RPC to tracking), then stored once."""
        self.organisation(org_id, *access.SUPERVISING)
        check_category(category)
        return self.store_ladder(org_id, category,
                                 load(contract.LadderIn, payload, "Invalid ladder"))

    @exactly_once
    def store_ladder(self, org_id, category, ladder):
        return api.set_ladder(self.uow(), self.ctx, org_id, category, ladder)

    @rpc
    def list_templates(self, org_id):
        self.organisation(org_id, *guard.READERS)
        return api.list_templates(self.uow(), org_id)

    @rpc
    def set_template(self, org_id, kind, payload):
        self.organisation(org_id, *access.SUPERVISING)
        if kind not in contract.TEMPLATE_KINDS:
            raise ValidationFailed("Unknown template kind '{}'".format(kind),
                                   {"kind": ["one of: " + ", ".join(contract.TEMPLATE_KINDS)]})
        return self.store_template(org_id, kind,
                                   load(contract.TemplateIn, payload, "Invalid template"))

    @exactly_once
    def store_template(self, org_id, kind, template):
        return api.set_template(self.uow(), org_id, kind, template)

    # ---- manual chase
    @rpc
    def chase(self, item_id, payload=None):
        """催办: recorded once per request, then sent at once; the answer says how it went."""
        guard.item(self.uow(), item_id, *access.SUPERVISING)
        recorded = self.known_item(item_id, lambda: self.record_chase(item_id, payload or {}))
        outcome = sending.run_due(self.uow(), self.ctx, self.clock.now(),
                                  rung_id=recorded["rung_id"])
        status = next(iter(outcome), None)
        return dict(recorded, status=status or "queued")

    @exactly_once
    def record_chase(self, item_id, payload):
        return api.request_chase(self.uow(), self.ctx, str(item_id),
                                 load(contract.ChaseIn, payload, "Invalid chase"))

    # ---- read side
    @rpc
    def item_reminders(self, item_id):
        guard.item(self.uow(), item_id, *guard.READERS)
        return self.known_item(item_id, lambda: api.item_reminders(self.uow(), str(item_id)))

    def known_item(self, item_id, action):
        return tracked.with_known_item(self.uow(), self.ctx, item_id, action,
                                       lambda i: self.ask_tracking("get_item", i))

    @rpc
    def list_notifications(self, query=None):
        return api.notifications(self.uow(), guard.query(self.uow(), load(
            contract.NotificationQuery(), query or {}, "Invalid query")))

    # ---- webhooks
    @rpc
    @exactly_once
    def create_webhook(self, payload):
        access.require_platform(self.uow().principal)
        return webhooks.register(self.uow(), load(contract.WebhookIn, payload, "Invalid webhook"),
                                 self.forbid_private())

    @rpc
    def list_webhooks(self):
        access.require_platform(self.uow().principal)
        return webhooks.list_webhooks(self.uow())

    @rpc
    @exactly_once
    def delete_webhook(self, webhook_id):
        access.require_platform(self.uow().principal)
        return webhooks.remove(self.uow(), check_id(webhook_id, "webhook_id"))

    @rpc
    def webhook_deliveries(self, webhook_id):
        access.require_platform(self.uow().principal)
        return webhooks.deliveries(self.uow(), check_id(webhook_id, "webhook_id"))

    @rpc
    def redeliver_webhook(self, webhook_id, delivery_id):
        """Send a delivery again now (a receiver lost it, or was fixed): queued once per
        request, then sent if still queued."""
        access.require_platform(self.uow().principal)
        queued = self.queue_redelivery(webhook_id, delivery_id)
        webhooks.deliver_due(self.uow(), self.ctx, self.clock.now(), self.forbid_private(),
                             self.webhook_timeout(), delivery_id=queued["id"])
        self.db.rollback()
        return webhooks.delivery_view(self.db.get(webhooks.WebhookDelivery, queued["id"]))

    @exactly_once
    def queue_redelivery(self, webhook_id, delivery_id):
        return webhooks.redeliver(self.uow(), check_id(webhook_id, "webhook_id"),
                                  check_id(delivery_id, "delivery_id"))

    @rpc
    def list_events(self, query=None):
        """The event log (the outbox keeps every event published): appraisal reads
        `chase.sent` from it to rebuild its chase counts."""
        return events_log.list_events(self.uow(), load(contract.EventsQuery(), query or {},
                                                       "Invalid query"))

    @rpc
    def list_channels(self):
        access.require(self.uow().principal, *guard.READERS)
        return {"channels": sorted(self.ctx.channels), "default": self.ctx.default_channel}


def check_org(org_id):
    if not isinstance(org_id, str) or not ORG.match(org_id):
        raise ValidationFailed("Invalid organisation code", {"org_id": ["letters, digits, '_', "
                                                                        "'.', '-'; up to 64"]})


def check_id(value, field):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationFailed("Invalid {}".format(field), {field: ["a positive integer"]})
    return value


def check_category(category):
    if category not in contract.LADDER_CATEGORIES:
        raise ValidationFailed("Unknown category '{}'".format(category),
                               {"category": ["one of: " + ", ".join(contract.LADDER_CATEGORIES)]})

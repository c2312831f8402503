"""TrackingService: supervised items and the organisation directory over RPC and events."""
import uuid

from nameko.dependency_providers import Config
from nameko.rpc import rpc
from sqlalchemy import text

from shared import broker_safety, masking
from shared.consumer import DeadLetterAdmin, DeadLetters, reliable_handler
from shared.contracts import tracking as contract
from shared.db import Database
from shared.errors import EXPECTED, ValidationFailed
from shared.inbox import claim
from shared.outbox import Outbox
from shared.providers import Caller, ClockProvider, config_timer
from shared.schemas import load

from . import handlers
from .models import DeadLetter, InboxEntry, OutboxEvent

masking.install()
broker_safety.install()


class TrackingService(DeadLetterAdmin):
    name = "tracking"

    db = Database()
    outbox = Outbox(OutboxEvent)
    dead_letters = DeadLetters(DeadLetter)
    clock = ClockProvider()
    caller = Caller()
    config = Config()

    def uow(self):
        return handlers.UnitOfWork(self.db, self.outbox, self.clock, self.caller,
                                   self.config.get("NUMBER_PREFIX", "DB"))

    @rpc
    def ping(self):
        """Health: answers only if the service can reach its database too."""
        self.db.execute(text("SELECT 1"))
        return {"service": self.name, "ok": True}

    # ---- directory
    @rpc(expected_exceptions=EXPECTED)
    def create_org_unit(self, payload):
        return handlers.create_org_unit(self.uow(), load(contract.OrgUnitIn(), payload))

    @rpc(expected_exceptions=EXPECTED)
    def list_org_units(self):
        return handlers.list_org_units(self.uow())

    @rpc(expected_exceptions=EXPECTED)
    def update_org_unit(self, code, payload):
        return handlers.update_org_unit(self.uow(), code, load(contract.OrgUnitPatch(), payload))

    @rpc(expected_exceptions=EXPECTED)
    def create_person(self, payload, request_id=None):
        return handlers.create_person(self.uow(), load(contract.PersonIn(), payload),
                                      request_id=request_uuid(request_id))

    @rpc(expected_exceptions=EXPECTED)
    def list_people(self, org_unit=None):
        return handlers.list_people(self.uow(), org_unit)

    @rpc(expected_exceptions=EXPECTED)
    def set_contact(self, code, payload):
        return handlers.set_contact(self.uow(), code, load(contract.ContactIn(), payload))

    @rpc(expected_exceptions=EXPECTED)
    def directory_changes(self):
        return handlers.directory_changes(self.uow())

    # ---- items
    @rpc(expected_exceptions=EXPECTED)
    def register_item(self, payload, item_id=None):
        """With `item_id` (a UUID the caller chose) a repeated call registers nothing new:
        a request redelivered after a crash, or a client's retry, finds the first item."""
        return handlers.register_item(self.uow(), load(contract.ItemIn(), payload),
                                      item_id=request_uuid(item_id, "item_id"))

    @rpc(expected_exceptions=EXPECTED)
    def validate_item(self, payload):
        """Dry run of register_item: the same checks, nothing written."""
        return handlers.validate_item(self.uow(), load(contract.ItemIn(), payload))

    @rpc(expected_exceptions=EXPECTED)
    def get_item(self, item_id):
        return handlers.get_item(self.uow(), item_id)

    @rpc(expected_exceptions=EXPECTED)
    def list_items(self, query=None):
        return handlers.list_items(self.uow(), load(contract.ItemQuery(), query or {}))

    @rpc(expected_exceptions=EXPECTED)
    def item_history(self, item_id):
        return handlers.item_history(self.uow(), item_id)

    @rpc(expected_exceptions=EXPECTED)
    def act(self, item_id, action, payload=None):
        """issue | accept | request_completion | complete | return | evaluate | cancel |
        suspend | resume."""
        schema = ACTION_SCHEMAS.get(action)
        if schema is None:
            raise ValidationFailed("Unknown action '{}'".format(action), {"action": [action]})
        data = load(schema(), payload or {})
        return handlers.transition(self.uow(), item_id, action, data)

    @rpc(expected_exceptions=EXPECTED)
    def submit_feedback(self, item_id, payload, request_id=None):
        return handlers.submit_feedback(self.uow(), item_id, load(contract.FeedbackIn(), payload),
                                        request_id=request_uuid(request_id))

    @rpc(expected_exceptions=EXPECTED)
    def assess_feedback(self, item_id, feedback_id, payload):
        return handlers.assess_feedback(self.uow(), item_id, feedback_id,
                                        load(contract.AccuracyIn(), payload))

    @rpc(expected_exceptions=EXPECTED)
    def request_extension(self, item_id, payload, request_id=None):
        return handlers.request_extension(self.uow(), item_id,
                                          load(contract.ExtensionIn(), payload),
                                          request_id=request_uuid(request_id))

    @rpc(expected_exceptions=EXPECTED)
    def decide_extension(self, item_id, request_id, payload):
        return handlers.decide_extension(self.uow(), item_id, request_id,
                                         load(contract.DecisionIn(), payload))

    @rpc(expected_exceptions=EXPECTED)
    def list_events(self, query=None):
        return handlers.list_events(self.uow(), load(contract.EventsQuery(), query or {}))

    # ---- time and other services
    @config_timer("OVERDUE_CHECK_SECONDS", 60)
    def check_overdue(self):
        return handlers.mark_overdue(self.uow())

    @reliable_handler("intake", "draft.confirmed")
    def on_draft_confirmed(self, payload):
        """A draft confirmed in intake becomes an item, once, whatever the deliveries."""
        if not claim(self.db, InboxEntry, payload["id"], "tracking.on_draft_confirmed"):
            return None
        data = payload["data"]
        uow = self.uow()
        uow.actor = data.get("actor") or "intake"  # who confirmed the draft
        return handlers.register_item(uow, load(contract.ItemIn(), data["item"]),
                                      item_id=data["item_id"])


def request_uuid(value, field="request_id"):
    """Creating calls take a caller-chosen UUID, so a redelivered request creates nothing new."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationFailed("{} must be a UUID".format(field), {field: ["not a UUID"]})


ACTION_SCHEMAS = {
    "issue": contract.OptionalCommentIn,
    "accept": contract.OptionalCommentIn,
    "request_completion": contract.CompletionIn,
    "complete": contract.OptionalCommentIn,
    "return": contract.ReasonIn,
    "evaluate": contract.EvaluationIn,
    "cancel": contract.ReasonIn,
    "suspend": contract.ReasonIn,
    "resume": contract.OptionalCommentIn,
}

"""TrackingService: supervised items and the organisation directory over RPC and events.

Each entrypoint validates its input against the contract and calls one use case; every
RPC that writes is `exactly_once` (a redelivered request changes nothing and gets the
first answer).
"""
import uuid

from shared.consumer import DeadLetterAdmin, DeadLetters, reliable_handler
from shared.contracts import tracking as contract
from shared.errors import ValidationFailed
from shared.outbox import Outbox
from shared.providers import config_timer
from shared.rpc import exactly_once, rpc
from shared.schemas import MAX_ID, load
from shared.service import ServiceBase

from .handlers import (actions, calendar, confirmed_drafts, dashboard, directory,
                       directory_cache, events_log, identity, items, ledger, scans)
from .models import DeadLetter, InboxEntry, OutboxEvent

MAX_BATCH = 5000  # the largest goal sheet intake takes


class TrackingService(ServiceBase, DeadLetterAdmin):
    name = "tracking"
    inbox_model = InboxEntry
    claim_reads = directory_cache.CLAIM_READS  # the directory's version, with each claim

    outbox = Outbox(OutboxEvent)
    dead_letters = DeadLetters(DeadLetter)

    @property
    def number_prefix(self):
        return self.config.get("NUMBER_PREFIX", "DB")

    # ---- directory
    @rpc
    @exactly_once
    def create_org_unit(self, payload):
        return directory.create_org_unit(self.uow(), load(contract.OrgUnitIn, payload))

    @rpc
    def list_org_units(self):
        return directory.list_org_units(self.uow())

    @rpc
    def get_org_unit(self, code):
        return directory.get_org_unit(self.uow(), code)

    @rpc
    @exactly_once
    def update_org_unit(self, code, payload):
        data = load(contract.OrgUnitPatch, payload)
        if not data:
            raise ValidationFailed("Nothing to change: give name, aliases, head, leader or "
                                   "number_format", {"_schema": ["empty patch"]})
        return directory.update_org_unit(self.uow(), code, data)

    @rpc
    @exactly_once
    def create_person(self, payload, request_id=None):
        return directory.create_person(self.uow(), load(contract.PersonIn, payload),
                                       request_id=request_uuid(request_id))

    @rpc
    def list_people(self, org_unit=None):
        return directory.list_people(self.uow(), org_unit)

    @rpc
    @exactly_once
    def update_person(self, person_id, payload):
        data = load(contract.PersonPatch, payload)
        if not data:
            raise ValidationFailed("Nothing to change: give name, roles, active, username or "
                                   "password", {"_schema": ["empty patch"]})
        return directory.update_person(self.uow(), load_id(person_id, "person"), data)

    # ---- sign-in and tokens (the secrets stay in the gateway: only digests come here)
    @rpc
    def sign_in(self, payload, digest, address=None):
        """A session for a person whose password matches. Idempotent by the token's digest
        (a redelivered request finds its session), not `exactly_once`: the request carries
        a password, which must not be kept, even as a digest."""
        return identity.sign_in(self.uow(), load(contract.SignIn, payload), check_digest(digest),
                                address, float(self.config.get("SESSION_HOURS", 12)),
                                (int(self.config.get("SIGN_IN_FAILURES_PER_USER", 5)),
                                 int(self.config.get("SIGN_IN_FAILURES_PER_ADDRESS", 20))))

    @rpc
    def sign_out(self, digest):
        """Idempotent by state: the session is revoked once."""
        return identity.sign_out(self.uow(), check_digest(digest))

    @rpc
    def resolve_token(self, digest):
        """Who a bearer token stands for (the gateway asks on every request)."""
        return identity.resolve(self.uow(), check_digest(digest))

    @rpc
    @exactly_once
    def create_token(self, payload, digest):
        return identity.create_token(self.uow(), load(contract.TokenIn, payload),
                                     check_digest(digest))

    @rpc
    def list_tokens(self, include_revoked=False):
        return identity.list_tokens(self.uow(), include_revoked is True)

    @rpc
    @exactly_once
    def revoke_token(self, token_id):
        return identity.revoke_token(self.uow(), load_id(token_id, "token"))

    @rpc
    @exactly_once
    def change_password(self, payload):
        return identity.change_password(self.uow(), load(contract.PasswordChange, payload))

    @rpc
    @exactly_once
    def set_contact(self, code, payload):
        return directory.set_contact(self.uow(), code, load(contract.ContactIn, payload))

    @rpc
    def directory_changes(self):
        return directory.directory_changes(self.uow())

    # ---- office calendar
    @rpc
    def get_calendar(self, query):
        data = load(contract.CalendarQuery, query)
        return calendar.get_calendar(self.uow(), data["year"], data.get("org"))

    @rpc
    def calendar_days(self, years, org=None):
        """The declared days of some years (for intake's working-day deadlines)."""
        years = [load(contract.CalendarQuery, {"year": y})["year"] for y in (years or [])[:5]]
        return calendar.calendar_days(self.uow(), years, org)

    @rpc
    @exactly_once
    def set_calendar(self, year, payload):
        data = load(contract.CalendarIn, payload)
        year = load(contract.CalendarQuery, {"year": year})["year"]
        return calendar.set_calendar(self.uow(), year, data)

    # ---- items
    @rpc
    @exactly_once
    def register_item(self, payload, item_id=None):
        """With `item_id` (a UUID the caller chose) a repeated call registers nothing new:
        a client's retry with the same Idempotency-Key finds the first item."""
        return items.register_item(self.uow(), load(contract.ItemIn, payload),
                                   item_id=request_uuid(item_id, "item_id"),
                                   prefix=self.number_prefix)

    @rpc
    def validate_item(self, payload):
        """Dry run of register_item: the same checks, nothing written."""
        return items.validate_item(self.uow(), load(contract.ItemIn, payload))

    @rpc
    def validate_items(self, payloads):
        """Dry run of many registrations (a bulk confirm): {index: [problem, ...]} for the
        ones tracking would refuse; an empty answer means every one would be accepted."""
        if not isinstance(payloads, list) or len(payloads) > MAX_BATCH:
            raise ValidationFailed("payloads must be a list of at most {} items".format(
                MAX_BATCH), {"payloads": ["not a list of at most {}".format(MAX_BATCH)]})
        requests = []
        for payload in payloads:
            try:
                requests.append(load(contract.ItemIn, payload))
            except ValidationFailed as exc:
                requests.append(exc)
        return {str(k): v for k, v in items.validate_items(self.uow(), requests).items()}

    @rpc
    @exactly_once
    def update_item(self, item_id, payload):
        data = load(contract.ItemPatch, payload)
        if not data or set(data) == {"reason"}:
            raise ValidationFailed("Nothing to change: name at least one field",
                                   {"_schema": ["empty patch; correctable: {}".format(
                                       ", ".join(items.CORRECTABLE))]})
        return items.correct_item(self.uow(), item_id, data)

    @rpc
    def get_item(self, item_id):
        return items.get_item(self.uow(), item_id)

    @rpc
    def get_items(self, item_ids):
        """get_item of up to 100 items at once: the visible ones, in the order asked."""
        if not isinstance(item_ids, list) or len(item_ids) > items.MAX_DETAILS or \
                not all(isinstance(i, str) and len(i) <= 64 for i in item_ids):
            raise ValidationFailed("item_ids must be a list of at most {} ids".format(
                items.MAX_DETAILS), {"item_ids": ["a list of at most {} ids".format(
                    items.MAX_DETAILS)]})
        return items.get_items(self.uow(), item_ids)

    @rpc
    def list_items(self, query=None):
        return ledger.list_items(self.uow(), load(contract.ItemQuery, query or {}))

    @rpc
    def dashboard(self, query=None):
        """督办看板 over the caller's scope (read only)."""
        return dashboard.dashboard_view(self.uow(), load(contract.DashboardQuery, query or {}))

    @rpc
    def item_history(self, item_id):
        return items.item_history(self.uow(), item_id)

    @rpc
    @exactly_once
    def act(self, item_id, action, payload=None):
        """issue | accept | request_completion | complete | return | evaluate | cancel |
        suspend | resume."""
        schema = contract.ACTION_BODIES.get(action)
        if schema is None:
            raise ValidationFailed("Unknown action '{}'".format(action),
                                   {"action": ["one of: " + ", ".join(contract.ACTION_BODIES)]})
        return actions.transition(self.uow(), item_id, action, load(schema(), payload or {}))

    @rpc
    @exactly_once
    def submit_feedback(self, item_id, payload, request_id=None):
        return actions.submit_feedback(self.uow(), item_id, load(contract.FeedbackIn, payload),
                                       request_id=request_uuid(request_id))

    @rpc
    @exactly_once
    def assess_feedback(self, item_id, feedback_id, payload):
        return actions.assess_feedback(self.uow(), item_id, feedback_id,
                                       load(contract.AccuracyIn, payload))

    @rpc
    @exactly_once
    def request_extension(self, item_id, payload, request_id=None):
        return actions.request_extension(self.uow(), item_id,
                                         load(contract.ExtensionIn, payload),
                                         request_id=request_uuid(request_id))

    @rpc
    @exactly_once
    def decide_extension(self, item_id, request_id, payload):
        return actions.decide_extension(self.uow(), item_id, request_id,
                                        load(contract.DecisionIn, payload))

    @rpc
    def list_events(self, query=None):
        return events_log.list_events(self.uow(), load(contract.EventsQuery, query or {}))

    # ---- time and other services
    @config_timer("OVERDUE_CHECK_SECONDS", 60)
    def check_overdue(self):
        return scans.mark_overdue(self.uow())

    @config_timer("FEEDBACK_CHECK_SECONDS", 60)
    def check_feedback_due(self):
        return scans.mark_feedback_overdue(self.uow())

    @reliable_handler("intake", "draft.confirmed", batch=100, batch_autoflush=False,
                      batch_prepare=confirmed_drafts.read_known_items)
    def on_draft_confirmed(self, payload):
        """A draft confirmed in intake becomes an item once, or is refused out loud."""
        data = payload["data"]
        uow = self.uow()
        uow.actor = data.get("actor") or "intake"  # who confirmed the draft
        return confirmed_drafts.register_or_reject(uow, data, prefix=self.number_prefix)


def check_digest(value):
    if not isinstance(value, str) or len(value) != 64:
        raise ValidationFailed("A token digest is 64 hex digits", {"digest": ["invalid"]})
    return value


def load_id(value, field):
    """A row id the database can hold (a larger number names no row: 422, not a crash)."""
    text = str(value)
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()) or len(text) > 19 \
            or not 1 <= int(text) <= MAX_ID:
        raise ValidationFailed("Unknown {} '{}'".format(field, value), {field: ["not an id"]})
    return int(value)


def request_uuid(value, field="request_id"):
    """Creating calls take a caller-chosen UUID, so a redelivered request creates nothing new."""
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValidationFailed("{} must be a UUID".format(field), {field: ["not a UUID"]})


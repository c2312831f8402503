"""IntakeService: documents in, drafts reviewed, confirmed drafts published for tracking.

Every RPC that writes is `exactly_once`; tracking's refusal of a confirmed draft comes
back as an event and marks the draft.
"""
from shared import access
from shared.calendar import OfficeCalendar
from shared.consumer import DeadLetterAdmin, DeadLetters, reliable_handler
from shared.contracts import intake as contract
from shared.errors import ValidationFailed
from shared.outbox import Outbox
from shared.plugins import Discovered
from shared.rpc import TimedRpcProxy, call, exactly_once, rpc
from shared.schemas import load
from shared.service import ServiceBase

from . import handlers
from .models import DeadLetter, InboxEntry, OutboxEvent
from .parsers import discover_parsers


class IntakeService(ServiceBase, DeadLetterAdmin):
    name = "intake"
    inbox_model = InboxEntry

    outbox = Outbox(OutboxEvent)
    dead_letters = DeadLetters(DeadLetter)
    parsers = Discovered(discover_parsers)
    tracking = TimedRpcProxy("tracking")

    @property
    def rpc_timeout(self):
        return float(self.config.get("RPC_TIMEOUT_SECONDS", 10))

    def directory(self):
        """The org directory (codes, names, aliases) to match units against."""
        units = call(self.tracking, "list_org_units", timeout=self.rpc_timeout)
        return [{"code": u["code"], "name": u["name"], "aliases": u["aliases"]} for u in units]

    def calendar(self, meeting_date):
        """The office calendar around a meeting (its year and the next), from tracking."""
        if meeting_date is None:
            return None
        years = [meeting_date.year, meeting_date.year + 1]
        # the calendar of the caller's group (its own table over the deployment's)
        table = call(self.tracking, "calendar_days", years, self.uow().principal.org_id,
                     timeout=self.rpc_timeout)
        return OfficeCalendar.from_rows(table["days"], table["years"])

    @rpc
    def parser_kinds(self):
        return sorted("{}/{}".format(k, f) for k, f in self.parsers)

    def allow(self, *roles):
        """The caller's role must be one of `roles` (shared.access): checked here, not only
        in the gateway. Sources are scoped to the caller's group in the handlers."""
        access.require(self.uow().principal, *roles)

    @rpc
    @exactly_once
    def submit_minutes(self, payload):
        self.allow(*access.SUPERVISING)
        data = load(contract.MinutesIn, payload)
        return handlers.submit(self.uow(), self.parsers, self.directory(), "minutes", "text",
                               data["text"], data, self.calendar(data["meeting_date"]))

    @rpc
    @exactly_once
    def submit_assignments(self, payload):
        self.allow(*access.ASSIGNING)
        data = load(contract.AssignmentsIn, payload)
        return handlers.submit(self.uow(), self.parsers, self.directory(), "assignments", "json",
                               data["assignments"], data)

    @rpc
    @exactly_once
    def submit_source(self, payload):
        """Any (kind, format) a parser is registered for, built-in or plugin."""
        self.allow(*access.SUPERVISING)
        data = load(contract.DocumentIn, payload)
        if data["kind"] == "minutes" and not data["meeting_date"]:
            raise ValidationFailed("Minutes need their meeting date: deadlines are read from it",
                                   {"meeting_date": ["Missing data for required field."]})
        content = handlers.decode(data["content"], data["encoding"])
        return handlers.submit(self.uow(), self.parsers, self.directory(), data["kind"],
                               data["format"].lower().lstrip("."), content, data,
                               self.calendar(data.get("meeting_date")))

    @rpc
    def get_source(self, source_id):
        self.allow(*access.ASSIGNING)
        return handlers.get_source(self.uow(), source_id)

    @rpc
    def list_sources(self):
        self.allow(*access.ASSIGNING)
        return handlers.list_sources(self.uow())

    @rpc
    @exactly_once
    def update_draft(self, draft_id, patch, source_id=None):
        self.allow(*access.SUPERVISING)
        data = load(contract.DraftPatch, patch)
        if not data:
            raise ValidationFailed("Nothing to change", {"_schema": ["empty patch"]})
        return handlers.update_draft(self.uow(), self.directory(), draft_id, data, source_id)

    @rpc
    @exactly_once
    def drop_draft(self, draft_id, source_id=None):
        self.allow(*access.SUPERVISING)
        return handlers.drop_draft(self.uow(), draft_id, source_id)

    @rpc
    @exactly_once
    def confirm(self, source_id, payload=None):
        self.allow(*access.SUPERVISING)
        data = load(contract.ConfirmIn, payload or {})
        return handlers.confirm(self.uow(), self.directory(), source_id, data,
                                check=lambda batch: call(self.tracking, "validate_items",
                                                         batch, timeout=self.rpc_timeout))

    @reliable_handler("tracking", "item.registration_rejected")
    def on_registration_rejected(self, payload):
        """Tracking refused a confirmed draft: mark it, with the reason, for the office."""
        return handlers.reject_draft(self.uow(), payload["data"])

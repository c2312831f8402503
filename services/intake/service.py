"""IntakeService: documents in, drafts reviewed, confirmed drafts published for tracking."""
from nameko.dependency_providers import Config
from nameko.extensions import DependencyProvider
from nameko.rpc import rpc
from sqlalchemy import text

from shared import broker_safety, masking
from shared.contracts import intake as contract
from shared.db import Database
from shared.errors import EXPECTED, ValidationFailed
from shared.outbox import Outbox
from shared.providers import Caller, ClockProvider
from shared.rpc import TimedRpcProxy, call
from shared.schemas import load

from . import handlers
from .models import OutboxEvent
from .parsers import discover_parsers

masking.install()
broker_safety.install()


class Parsers(DependencyProvider):
    """Parser plugins found through entry points once, at start-up."""

    def setup(self):
        self.parsers = discover_parsers()

    def get_dependency(self, worker_ctx):
        return self.parsers


class IntakeService:
    name = "intake"

    db = Database()
    outbox = Outbox(OutboxEvent)
    clock = ClockProvider()
    caller = Caller()
    config = Config()
    parsers = Parsers()
    tracking = TimedRpcProxy("tracking")

    def uow(self):
        return handlers.UnitOfWork(self.db, self.outbox, self.clock, self.caller)

    def directory(self):
        """The org directory (codes, names, aliases) to match units against."""
        units = call(self.tracking, "list_org_units",
                     timeout=float(self.config.get("RPC_TIMEOUT_SECONDS", 10)))
        return [{"code": u["code"], "name": u["name"], "aliases": u["aliases"]} for u in units]

    @rpc
    def ping(self):
        """Health: answers only if the service can reach its database too."""
        self.db.execute(text("SELECT 1"))
        return {"service": self.name, "ok": True}

    @rpc(expected_exceptions=EXPECTED)
    def parser_kinds(self):
        return sorted("{}/{}".format(k, f) for k, f in self.parsers)

    @rpc(expected_exceptions=EXPECTED)
    def submit_minutes(self, payload):
        data = load(contract.MinutesIn(), payload)
        return handlers.submit(self.uow(), self.parsers, self.directory(), "minutes", "text",
                               data["text"], data)

    @rpc(expected_exceptions=EXPECTED)
    def submit_assignments(self, payload):
        data = load(contract.AssignmentsIn(), payload)
        return handlers.submit(self.uow(), self.parsers, self.directory(), "assignments", "json",
                               data["assignments"], data)

    @rpc(expected_exceptions=EXPECTED)
    def submit_source(self, payload):
        """Any (kind, format) a parser is registered for, built-in or plugin."""
        data = load(contract.DocumentIn(), payload)
        if data["kind"] == "minutes" and not data["meeting_date"]:
            raise ValidationFailed("Minutes need their meeting date: deadlines are read from it",
                                   {"meeting_date": ["Missing data for required field."]})
        content = handlers.decode(data["content"], data["encoding"])
        return handlers.submit(self.uow(), self.parsers, self.directory(), data["kind"],
                               data["format"].lower().lstrip("."), content, data)

    @rpc(expected_exceptions=EXPECTED)
    def get_source(self, source_id):
        return handlers.get_source(self.uow(), source_id)

    @rpc(expected_exceptions=EXPECTED)
    def list_sources(self):
        return handlers.list_sources(self.uow())

    @rpc(expected_exceptions=EXPECTED)
    def update_draft(self, draft_id, patch, source_id=None):
        data = load(contract.DraftPatch(), patch)
        if not data:
            raise ValidationFailed("Nothing to change", {"_schema": ["empty patch"]})
        return handlers.update_draft(self.uow(), self.directory(), draft_id, data, source_id)

    @rpc(expected_exceptions=EXPECTED)
    def drop_draft(self, draft_id, source_id=None):
        return handlers.drop_draft(self.uow(), draft_id, source_id)

    @rpc(expected_exceptions=EXPECTED)
    def confirm(self, source_id, payload=None):
        data = load(contract.ConfirmIn(), payload or {})
        timeout = float(self.config.get("RPC_TIMEOUT_SECONDS", 10))
        return handlers.confirm(self.uow(), self.directory(), source_id, data,
                                check=lambda item: call(self.tracking, "validate_item", item,
                                                        timeout=timeout))

"""The base every Duban service stands on: what each would otherwise repeat.

A service subclasses `ServiceBase`, names itself, and declares its own outbox and
inbox models (and dead letters, if it consumes events):

    class NotifyService(ServiceBase, DeadLetterAdmin):
        name = "notify"
        inbox_model = InboxEntry
        outbox = Outbox(OutboxEvent)
        dead_letters = DeadLetters(DeadLetter)

It gets a database session per worker (`db`), the one clock (`clock`), who is calling
(`caller`), the request's identity (`request`, for `exactly_once`), its config, a unit
of work per worker (`uow()`), a health `ping` that touches its database, mobile numbers
masked in its logs, and survives a lost broker connection (shared/broker_safety.py).
"""
from nameko.dependency_providers import Config
from sqlalchemy import text

from shared import broker_safety, masking
from shared.access import Principal
from shared.db import Database
from shared.providers import Caller, ClockProvider
from shared.rpc import Request, RequestInfo, rpc
from shared.uow import UnitOfWork

masking.install()
broker_safety.install()


class ServiceBase:
    name = None
    inbox_model = None
    outbox = None  # a service that publishes declares its Outbox(model)
    claim_reads = None  # {name: scalar subquery} read with every request's claim (UnitOfWork)

    db = Database()
    clock = ClockProvider()
    caller = Caller()
    request = Request()
    config = Config()

    def uow(self):
        """This worker's unit of work (nameko makes a service instance per worker)."""
        uow = self.__dict__.get("_uow")
        if uow is None:
            deadline = self.request.deadline if isinstance(self.request, RequestInfo) else None
            principal = Principal.decode(self.caller)  # tests may give a name or a mock
            uow = self._uow = UnitOfWork(self.db, self.outbox, self.clock, actor=principal.name,
                                         producer=self.name, inbox=self.inbox_model,
                                         deadline=deadline, principal=principal,
                                         claim_reads=self.claim_reads)
        return uow

    @rpc
    def ping(self):
        """Health: answers only if the service can reach its database too."""
        self.db.execute(text("SELECT 1"))
        return {"service": self.name, "ok": True}

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
of work per worker (`uow()`), a health `ping` that touches its database, and mobile
numbers masked in its logs.
"""
from nameko.dependency_providers import Config
from sqlalchemy import text

from shared import masking
from shared.db import Database
from shared.providers import Caller, ClockProvider
from shared.rpc import Request, RequestInfo, rpc
from shared.uow import UnitOfWork

masking.install()


class ServiceBase:
    name = None
    inbox_model = None

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
            uow = self._uow = UnitOfWork(self.db, self.outbox, self.clock, actor=self.caller,
                                         producer=self.name, inbox=self.inbox_model,
                                         deadline=deadline)
        return uow

    @rpc
    def ping(self):
        """Health: answers only if the service can reach its database too."""
        self.db.execute(text("SELECT 1"))
        return {"service": self.name, "ok": True}

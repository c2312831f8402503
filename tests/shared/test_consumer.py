"""reliable_handler: a concurrency conflict is retried, bad data is parked at once."""
import datetime as dt

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session

from shared.clock import FixedClock
from shared.consumer import reliable_handler
from shared.errors import Conflict, ValidationFailed
from shared.inbox import InboxMixin
from shared.uow import UnitOfWork


class Base(DeclarativeBase):
    pass


class Inbox(InboxMixin, Base):
    __tablename__ = "inbox"


class Letters:
    retries, backoff, park_retry = 3, 0.0, 0.0

    def __init__(self):
        self.parked = []

    def park(self, handler, source, event_type, payload, error, attempts):
        self.parked.append((error, attempts))


class Handler:
    def __init__(self, failures):
        self.failures = list(failures)
        self.calls = 0
        engine = create_engine("sqlite://")
        Base.metadata.create_all(engine)
        self.db = Session(engine)
        self.dead_letters = Letters()

    def uow(self):
        return UnitOfWork(self.db, None, FixedClock(dt.datetime(2026, 1, 1)), inbox=Inbox)

    @reliable_handler("src", "thing.done")
    def on_thing(self, payload):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)


def event(n=1):
    return {"id": "e{}".format(n), "type": "thing.done", "version": 1, "data": {}}


def test_a_conflict_is_retried_not_parked():
    handler = Handler([Conflict("changed meanwhile")])
    Handler.on_thing(handler, event())
    assert handler.calls == 2 and handler.dead_letters.parked == []


@pytest.mark.parametrize("error", [ValidationFailed("bad data")])
def test_bad_data_is_parked_at_once(error):
    handler = Handler([error])
    Handler.on_thing(handler, event())
    assert handler.calls == 1 and handler.dead_letters.parked[0][1] == 1


def test_a_conflict_that_persists_is_parked_after_the_retries():
    handler = Handler([Conflict("again")] * 10)
    Handler.on_thing(handler, event())
    assert handler.calls == 4 and handler.dead_letters.parked[0][1] == 4

"""A batch of draft.confirmed events (shared/batching.py) with a real SQLite session: one
transaction when all goes well; when one message fails, the rest still apply and only that
one is parked."""
import datetime as dt
import uuid

from nameko.testing.services import worker_factory
from sqlalchemy import create_engine, event, func, select
from sqlalchemy.orm import Session

from services.tracking.models import (Base, InboxEntry, Item, ItemCoDepartment, ItemHistory,
                                      OutboxEvent)
from services.tracking.service import TrackingService
from shared.clock import FixedClock
from shared.db import make_engine
from shared.outbox import add_event
from tests.tracking.test_service import RecordingOutbox


class Parking:
    """The dead-letter store's interface, keeping what is parked."""
    retries, backoff, park_retry = 0, 0, 0

    def __init__(self):
        self.parked = []

    def park(self, handler, source, event_type, payload, error, attempts):
        self.parked.append((payload.get("id"), error))


def confirmed(lead="FIN", **drop):
    draft = str(uuid.uuid4())
    data = {"item_id": str(uuid.uuid4()), "draft_id": draft, "item": {
        "title": "批量事项", "lead_department": lead, "deadline": "2026-12-31",
        "source": {"kind": "minutes", "ref": "纪要", "draft_id": draft}}}
    for key in drop:
        data.pop(key)
    return {"id": str(uuid.uuid4()), "type": "draft.confirmed", "version": 1,
            "occurred_at": "2026-11-27T02:00:00Z", "producer": "intake", "data": data}


def make(tmp_path):
    engine = create_engine("sqlite:///{}".format(tmp_path / "t.db"))
    Base.metadata.create_all(engine)
    session = Session(engine)
    parking, outbox = Parking(), RecordingOutbox()
    service = worker_factory(TrackingService, db=session, outbox=outbox, dead_letters=parking,
                             clock=FixedClock(dt.datetime(2026, 11, 27, 2, tzinfo=dt.timezone.utc)),
                             caller="intake", config={"NUMBER_PREFIX": "DB"})
    service.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
    service.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department",
                             "parent": "HQ"})
    return service, session, parking, outbox


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_a_batch_is_one_transaction_and_a_redelivered_event_changes_nothing(tmp_path):
    service, session, parking, outbox = make(tmp_path)
    batch = [confirmed() for _ in range(5)]
    commits = []
    session.commit = (lambda real: lambda: (commits.append(1), real())[1])(session.commit)
    service.on_draft_confirmed(batch + [batch[2]])
    assert len(commits) == 1
    assert count(session, Item) == 5 and count(session, InboxEntry) == 5
    assert parking.parked == []
    assert [e["type"] for e in outbox.events].count("item.registered") == 5


def test_one_failing_message_is_parked_and_the_rest_still_apply(tmp_path):
    service, session, parking, outbox = make(tmp_path)
    broken = confirmed(item_id=None)  # no item_id: the handler fails (KeyError), not the data check
    batch = [confirmed(), broken, confirmed(), confirmed(lead="NOPE")]
    service.on_draft_confirmed(batch)
    assert count(session, Item) == 2
    assert [event_id for event_id, _ in parking.parked] == [broken["id"]]
    assert "item_id" in parking.parked[0][1]
    refused = [e for e in outbox.events if e["type"] == "item.registration_rejected"]
    assert [e["subject_id"] for e in refused] == [batch[3]["data"]["item_id"]]


class TableOutbox:
    """The real outbox writer's effect: a row in tracking's outbox table."""

    def add(self, session, envelope):
        add_event(session, OutboxEvent, envelope)


def on_database(url):
    """Tracking on `url` with its real outbox table and HQ, FIN and HR in the directory:
    (service, session, engine, parking)."""
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    session = Session(engine)
    parking = Parking()
    service = worker_factory(TrackingService, db=session, outbox=TableOutbox(),
                             dead_letters=parking, caller="intake",
                             clock=FixedClock(dt.datetime(2026, 11, 27, 2,
                                                          tzinfo=dt.timezone.utc)),
                             config={"NUMBER_PREFIX": "DB"})
    service.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
    for code, name in (("FIN", "财务部"), ("HR", "人事部")):
        service.create_org_unit({"code": code, "name": name, "kind": "department",
                                 "parent": "HQ"})
    return service, session, engine, parking


def test_a_batch_is_written_in_one_flush_at_its_commit_on_both_databases(db_url):
    """The batch of draft.confirmed is applied without autoflush: every registration's
    item, co-department, history and outbox rows reach the database at its commit, one
    multi-row INSERT per table (items before the rows that reference them: foreign keys
    are enforced on both databases), numbers stay gap-free and each event's snapshot is
    the row as stored."""
    service, session, engine, parking = on_database(db_url)
    batch = [confirmed() for _ in range(30)]
    for message in batch:
        message["data"]["item"]["co_departments"] = ["HR"]
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(sql.split("(")[0].strip()))
    service.on_draft_confirmed(batch)
    assert parking.parked == []
    written = [s for s in statements if s.startswith("INSERT INTO") and "number_seq" not in s]
    assert sorted(written) == ["INSERT INTO inbox", "INSERT INTO item_co_departments",
                               "INSERT INTO item_history", "INSERT INTO items",
                               "INSERT INTO outbox"]
    first_child = min(written.index("INSERT INTO item_history"),
                      written.index("INSERT INTO item_co_departments"))
    assert written.index("INSERT INTO items") < first_child
    session.expire_all()
    items = session.scalars(select(Item).order_by(Item.number)).all()
    assert [int(i.number.rsplit("-", 1)[1]) for i in items] == list(range(1, 31))
    assert {i.id for i in items} == {m["data"]["item_id"] for m in batch}
    assert count(session, ItemHistory) == 30 and count(session, ItemCoDepartment) == 30
    events = {row.subject_id: row.payload for row in session.scalars(
        select(OutboxEvent).where(OutboxEvent.type == "item.registered"))}
    assert len(events) == 30
    for item in items:
        snapshot = events[item.id]["data"]
        assert (snapshot["number"], snapshot["version"]) == (item.number, item.version) == (
            item.number, 1)
        assert [c["code"] for c in snapshot["co_departments"]] == ["HR"]
    session.close()
    engine.dispose()


def test_a_registration_takes_the_outbox_lock_before_its_group_counter(db_url):
    """Two instances registering for two groups never wait on each other in opposite
    orders: on PostgreSQL the outbox's ordering lock comes before the number counter's
    row lock, taken once per transaction in the first counter statement, whose row is
    selected from it (SQLite has one writer, and no such lock)."""
    service, session, engine, _ = on_database(db_url)
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(sql))
    service.on_draft_confirmed([confirmed(), confirmed()])
    counter = [i for i, sql in enumerate(statements) if "number_sequences" in sql]
    lock = [i for i, sql in enumerate(statements) if "pg_advisory_xact_lock" in sql]
    assert len(counter) == 2
    if db_url.startswith("postgresql"):
        # one statement takes both: the row it inserts is selected from the lock
        assert lock == [counter[0]]
        assert statements[counter[0]].index("pg_advisory_xact_lock") > statements[
            counter[0]].index("FROM")
    else:
        assert lock == []
    session.close()
    engine.dispose()


def test_a_batch_asks_once_which_of_its_items_exist(db_url):
    """An item confirmed again under a new event id registers nothing new; the batch
    learns which of its items exist in one statement, not one per message; the same item
    twice in one batch still ends registered once (the batch fails at its flush and is
    applied one message at a time)."""
    service, session, engine, parking = on_database(db_url)
    first = [confirmed() for _ in range(3)]
    service.on_draft_confirmed(first)
    again = dict(confirmed(), data=first[0]["data"])  # a new event id, the same item
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(sql))
    service.on_draft_confirmed([confirmed(), again, confirmed()])
    asked = [s for s in statements if s.lstrip().startswith("SELECT items.id")]
    assert len(asked) == 1 and " IN " in asked[0].upper()
    assert count(session, Item) == 5 and parking.parked == []
    twice = confirmed()
    service.on_draft_confirmed([twice, dict(confirmed(), data=twice["data"]), confirmed()])
    assert count(session, Item) == 7 and parking.parked == []
    assert [e for e in session.scalars(select(OutboxEvent.subject_id).where(
        OutboxEvent.type == "item.registered"))].count(twice["data"]["item_id"]) == 1
    session.close()
    engine.dispose()

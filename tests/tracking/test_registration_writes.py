"""One registration over `exactly_once` on a real database (both): the statements it
issues, and that what it answers and publishes is the item as stored."""
import datetime as dt

from nameko.testing.services import worker_factory
from sqlalchemy import event, select

from services.tracking.handlers.views import item_view
from services.tracking.models import Base, InboxEntry, Item, ItemHistory, OutboxEvent
from services.tracking.service import TrackingService
from shared.clock import FixedClock
from shared.db import make_engine, session_factory
from shared.rpc import RequestInfo
from tests.tracking.test_batch_consumer import TableOutbox

CLOCK = FixedClock(dt.datetime(2026, 11, 27, 2, tzinfo=dt.timezone.utc))
BODY = {"title": "编制预算", "content": "按会议要求编制", "lead_department": "FIN",
        "co_departments": ["HR"], "deadline": "2026-12-31",
        "source": {"kind": "minutes", "ref": "纪要12号", "clause": "一、"}}


def tracking(url):
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    Session = session_factory(engine)

    def worker(message_id=None):
        return worker_factory(TrackingService, db=Session(), outbox=TableOutbox(), clock=CLOCK,
                              caller="office", config={"NUMBER_PREFIX": "DB"},
                              request=RequestInfo(message_id=message_id))

    directory = worker()
    directory.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
    for code, name in (("FIN", "财务部"), ("HR", "人事部")):
        directory.create_org_unit({"code": code, "name": name, "kind": "department",
                                   "parent": "HQ"})
    return engine, Session, worker


def test_the_statements_of_one_registration(db_url):
    """The claim (reading the directory's version in the same statement), the number (on
    PostgreSQL with the outbox's ordering lock in the same statement; last of the reads, as
    its row stays locked until commit), then the item, its co-department, history and outbox
    rows and the recorded answer: on PostgreSQL one statement, on SQLite (no round trips)
    one each. The lead and co-department and the calendar come from the process's cache,
    read at the directory's version (tests/tracking/test_directory_cache.py)."""
    engine, Session, worker = tracking(db_url)
    worker("m0").register_item(BODY)  # the first of a year creates the counter row
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(sql))
    worker("m1").register_item(BODY)
    heads = [" ".join(sql.split()[:3]) for sql in statements]
    reads = ["INSERT INTO inbox", "INSERT INTO number_sequences"]
    assert "directory_version" in statements[0]
    if db_url.startswith("postgresql"):
        assert heads == reads + ["WITH write_0 AS"]
    else:
        assert heads[:2] == reads
        assert sorted(heads[2:]) == ["INSERT INTO item_co_departments",
                                     "INSERT INTO item_history", "INSERT INTO items",
                                     "INSERT INTO outbox", "UPDATE inbox SET"]
    engine.dispose()


def test_the_answer_and_the_event_are_the_item_as_stored(db_url):
    engine, Session, worker = tracking(db_url)
    answer = worker("m1").register_item(BODY)
    with Session() as session:
        stored = session.get(Item, answer["id"])
        assert answer == item_view(stored, CLOCK.today())
        envelope = session.scalars(select(OutboxEvent.payload).where(
            OutboxEvent.subject_id == answer["id"])).one()
        assert envelope["type"] == "item.registered"
        assert {k: v for k, v in envelope["data"].items() if k not in ("change", "actor")} == answer
        history = session.scalars(select(ItemHistory).where(
            ItemHistory.item_id == answer["id"])).one()
        assert (history.action, history.to_status, history.actor) == ("register", "registered",
                                                                      "office")
        assert history.changes == {"number": "DB-2026-0001", "deadline": "2026-12-31"}
        claim = session.get(InboxEntry, ("m1", "rpc:register_item"))
        assert claim.result == answer
    assert worker("m1").register_item(BODY) == answer  # redelivered: the first answer
    with Session() as session:
        assert len(session.scalars(select(Item.id)).all()) == 1
    engine.dispose()

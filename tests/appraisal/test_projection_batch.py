"""A batch of item.registered (shared/batching.py, without autoflush): the appraisal's
projection writes the batch in one flush at its commit and ends with the rows the same
events give one at a time, chases that came before their item following it; on both
databases."""
import datetime as dt

from nameko.testing.services import worker_factory
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from services.appraisal.models import Base, Chase, FeedbackDue, ItemOutcome
from services.appraisal.plugins import discover_rules
from services.appraisal.service import AppraisalService
from shared.clock import FixedClock
from shared.db import make_engine
from tests.appraisal.notify_events import chase_sent
from tests.appraisal.tracking_events import Item, org_unit

DAY = dt.date(2026, 3, 2)


class Parking:
    retries, backoff, park_retry = 0, 0, 0

    def __init__(self):
        self.parked = []

    def park(self, *args):
        self.parked.append(args)


def service_on(url):
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    session = Session(engine)
    parking = Parking()
    service = worker_factory(AppraisalService, db=session, caller="token:office",
                             clock=FixedClock(dt.datetime(2026, 3, 2, 2, tzinfo=dt.timezone.utc)),
                             rules=discover_rules(entry_points=[]), dead_letters=parking,
                             config={"APPRAISAL_REBUILD": "off"})
    for unit in (org_unit("HQ", "集团", "group"), org_unit("FIN", "财务部", "department", "HQ"),
                 org_unit("HR", "人事部", "department", "HQ")):
        service.on_org_unit_created(unit)
    return service, session, engine, parking


def script():
    """24 registrations: every third with a feedback due date, every fourth chased (by
    notify, as of another department) before its item.registered arrived."""
    items = [Item(("FIN", "HR")[i % 2], ("财务部", "人事部")[i % 2],
                  dt.date(2026, 5, 1 + i), ["HQ", ("FIN", "HR")[i % 2]]) for i in range(24)]
    chases = [chase_sent(item, DAY, 1, department="HR" if i % 2 == 0 else "FIN")
              for i, item in enumerate(items) if i % 4 == 0]
    for i, item in enumerate(items):
        if i % 3 == 0:
            item.state["feedback_due_on"] = dt.date(2026, 4, 1 + i).isoformat()
    return chases, [item.registered(DAY) for item in items]


def rows(session, model):
    columns = [c.key for c in inspect(model).column_attrs]
    return sorted(tuple(str(getattr(r, c)) for c in columns)
                  for r in session.scalars(select(model)))


def test_a_batch_of_registrations_is_one_flush_with_the_rows_of_one_at_a_time(db_url, tmp_path):
    chases, registrations = script()
    batched, session, engine, parking = service_on(db_url)
    for chase in chases:
        batched.on_chase_sent(chase)
    flushes, statements = [], []
    event.listen(session, "after_flush", lambda s, ctx: flushes.append(len(s.new)))
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(" ".join(sql.split())))
    batched.on_item_registered(registrations)
    assert len(flushes) == 1 and parking.parked == []
    # the batch read its outcomes and chases once (read_batch), and moved only the chased
    assert len([s for s in statements if s.startswith("SELECT items.")]) == 1
    assert len([s for s in statements if s.startswith("UPDATE chases")]) == 6
    outcomes = rows(session, ItemOutcome)
    assert len(outcomes) == 24 and len(rows(session, FeedbackDue)) == 8
    moved = session.scalars(select(Chase)).all()
    assert len(moved) == 6 and {c.department for c in moved} == {"FIN"}  # follows the lead

    one_by_one, other, other_engine, _ = service_on("sqlite:///{}".format(tmp_path / "one.db"))
    for chase in chases:
        one_by_one.on_chase_sent(chase)
    for message in registrations:
        one_by_one.on_item_registered([message])
    for model in (ItemOutcome, FeedbackDue, Chase):
        assert rows(other, model) == rows(session, model)

    batched.on_item_registered(registrations)  # redelivered: nothing changes
    assert rows(session, ItemOutcome) == outcomes
    for s, e in ((session, engine), (other, other_engine)):
        s.close()
        e.dispose()


def test_an_item_known_from_a_newer_event_keeps_it_when_its_registration_comes_in_a_batch(
        db_url):
    """read_batch holds the rows it read: an item already projected from a newer event is
    found without another statement and its newer snapshot stays."""
    service, session, engine, parking = service_on(db_url)
    items = [Item("FIN", "财务部", dt.date(2026, 5, 1 + i), ["HQ", "FIN"]) for i in range(4)]
    registrations = [item.registered(DAY) for item in items]
    service.on_item_issued(items[0].issued(DAY))  # version 2 arrives first
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(" ".join(sql.split())))
    service.on_item_registered(registrations)
    reads = [s for s in list(statements) if s.startswith("SELECT items.")]
    assert len(reads) == 1 and parking.parked == []
    kept = session.get(ItemOutcome, items[0].id)
    assert (kept.version, kept.status) == (2, "issued")
    assert len(rows(session, ItemOutcome)) == 4
    session.close()
    engine.dispose()

"""A batch of item.registered (shared/batching.py, without autoflush): notify writes every
item and its planned rungs in one flush at the commit, and ends with the same rows as
when the same events are applied one at a time; on both databases."""
import uuid

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from services.notify.models import Base, OpenItem, Rung
from shared.db import make_engine
from tests.notify.helpers import envelope, fixed, make_worker, snapshot


def worker_on(url):
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    session = Session(engine)
    return make_worker(session, fixed(2026, 11, 2, 1)), session, engine


def registered(n):
    """n items: some active (their rungs are planned), some only registered (none yet)."""
    return [envelope("item.registered", snapshot(
        item_id=str(uuid.uuid4()), status="in_progress" if i % 3 else "registered",
        deadline="2026-12-{:02d}".format(1 + i % 28), category=("routine", "urgent")[i % 2],
        dept=("FIN", "HR")[i % 2], mobile_offset=i)) for i in range(n)]


def rows(session):
    items = sorted((i.id, i.status, str(i.deadline), i.department, i.version)
                   for i in session.scalars(select(OpenItem)))
    rungs = sorted((r.item_id, r.rung, r.recipient, r.channel, r.role, r.status, str(r.due_at))
                   for r in session.scalars(select(Rung)))
    return items, rungs


def test_a_batch_of_registrations_is_one_flush_with_the_rows_of_one_at_a_time(db_url, tmp_path):
    events = registered(24)
    batched, session, engine = worker_on(db_url)
    flushes = []
    event.listen(session, "after_flush", lambda s, ctx: flushes.append(len(s.new)))
    batched.service.on_item_registered(events)
    items, rungs = rows(session)
    assert len(items) == 24 and len(rungs) > 24  # the active items have several rungs each
    assert len(flushes) == 1 and flushes[0] >= 24 + len(rungs)

    single_url = "sqlite:///{}".format(tmp_path / "single.db")
    one_by_one, other, other_engine = worker_on(single_url)
    for message in events:
        one_by_one.service.on_item_registered([message])
    assert rows(other) == (items, rungs)

    batched.service.on_item_registered(events)  # redelivered: nothing changes
    assert rows(session) == (items, rungs)
    for s, e in ((session, engine), (other, other_engine)):
        s.close()
        e.dispose()


def test_a_batch_locks_its_known_items_at_once_and_an_older_snapshot_changes_nothing(db_url):
    """read_batch: the batch's items are read (and locked, on PostgreSQL) in one
    statement; an item already projected from a newer event keeps its newer snapshot."""
    events = registered(6)
    worker, session, engine = worker_on(db_url)
    newer = dict(events[0]["data"], status="in_progress", version=3, title="已更新")
    worker.service.on_item_issued(envelope("item.issued", newer))
    statements = []
    event.listen(engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *rest: statements.append(" ".join(sql.split())))
    worker.service.on_item_registered(events)
    reads = [s for s in list(statements) if s.startswith("SELECT items.")]
    assert len(reads) == 1 and " IN " in reads[0].upper()
    if db_url.startswith("postgresql"):
        assert reads[0].upper().endswith("FOR UPDATE")
    kept = session.get(OpenItem, events[0]["data"]["id"])
    assert (kept.version, kept.title, kept.status) == (3, "已更新", "in_progress")
    assert len(rows(session)[0]) == 6
    session.close()
    engine.dispose()

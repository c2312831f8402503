"""The directory and calendar cache of a registration (handlers/directory_cache.py) on a real
database (both): a change made through another engine, as a second tracking instance, a
tool or an SQL session would make it, is seen by the very next registration; a change rolled
back never is; one group's units and calendar are never another's."""
import dataclasses
import datetime as dt

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select, text

from services.tracking.handlers import directory_cache
from services.tracking.models import Base, DirectoryVersion, InboxEntry, OutboxEvent
from services.tracking.service import TrackingService
from shared import errors
from shared.access import Principal
from shared.clock import FixedClock
from shared.db import make_engine, session_factory
from shared.migrate import upgrade
from shared.rpc import RequestInfo
from shared.uow import UnitOfWork
from tests.tracking.test_batch_consumer import TableOutbox

CLOCK = FixedClock(dt.datetime(2026, 11, 27, 2, tzinfo=dt.timezone.utc))
DEADLINE = dt.date(2026, 12, 16)  # a Wednesday, a working day in the package's calendar
BODY = {"title": "编制预算", "lead_department": "FIN", "co_departments": ["人事部"],
        "deadline": DEADLINE.isoformat()}
OFFICE_HQ2 = Principal("person", "person:9", "王督办", ("office",), "HQ2", "HQ2")


class Instance:
    """One tracking process on the database: its own engine (so its own cache), a worker
    per call as nameko makes one, each with its own request id (claimed by exactly_once)."""

    def __init__(self, url):
        self.engine = make_engine(url)
        self.Session = session_factory(self.engine)
        self.calls = 0

    def worker(self, caller="office"):
        self.calls += 1
        return worker_factory(TrackingService, db=self.Session(), outbox=TableOutbox(),
                              clock=CLOCK, caller=caller, config={"NUMBER_PREFIX": "DB"},
                              request=RequestInfo(message_id="{}-{}".format(id(self), self.calls)))

    def register(self, body=BODY, caller="office"):
        return self.worker(caller).register_item(body)

    def execute(self, sql, **params):
        """A change by hand (no API moves a unit), as a tool or an SQL session makes it."""
        with self.engine.begin() as connection:
            connection.execute(text(sql), params)

    def version(self):
        with self.engine.connect() as connection:
            return connection.scalar(select(DirectoryVersion.version))


@pytest.fixture(params=["migrations", "models"])
def two_instances(request, db_url):
    """Two instances on one database whose schema the migrations or create_all made (each
    makes the version's triggers), with HQ (FIN, HR) and HQ2 (FIN2, HR2: the same names)."""
    if request.param == "migrations":
        upgrade("tracking", db_url)
    else:
        engine = make_engine(db_url)
        Base.metadata.create_all(engine)
        engine.dispose()
    a, b = Instance(db_url), Instance(db_url)
    for group, suffix in (("HQ", ""), ("HQ2", "2")):
        a.worker().create_org_unit({"code": group, "name": "集团" + suffix, "kind": "group"})
        for code, name in (("FIN", "财务部"), ("HR", "人事部")):
            a.worker().create_org_unit({"code": code + suffix, "name": name,
                                        "kind": "department", "parent": group})
    yield a, b
    a.engine.dispose()
    b.engine.dispose()


def test_a_rename_by_another_instance_is_seen_by_the_next_registration(two_instances):
    a, b = two_instances
    assert a.register()["lead_department"]["name"] == "财务部"  # now in a's cache
    assert a.register()["lead_department"]["name"] == "财务部"
    b.worker().update_org_unit("FIN", {"name": "财务与资产部", "aliases": ["财务处"]})
    answer = a.register()
    assert answer["lead_department"]["name"] == "财务与资产部"
    with a.Session() as session:  # the event carries the same snapshot
        event = session.scalars(select(OutboxEvent.payload).where(
            OutboxEvent.subject_id == answer["id"])).one()
    assert event["data"]["lead_department"]["name"] == "财务与资产部"
    assert a.register(dict(BODY, lead_department="财务处"))["lead_department"]["code"] == "FIN"


def test_a_move_or_new_head_by_hand_is_seen_by_the_next_registration(two_instances):
    a, b = two_instances
    assert a.register()["org_path"] == ["HQ", "FIN"]
    b.worker().create_org_unit({"code": "SUB", "name": "子公司", "kind": "subsidiary",
                                "parent": "HQ"})
    b.execute("UPDATE org_units SET parent_id = (SELECT id FROM org_units WHERE code = 'SUB') "
              "WHERE code IN ('FIN', 'HR')")
    assert a.register()["org_path"] == ["HQ", "SUB", "FIN"]
    head = b.worker().create_person({"name": "张三", "mobile": "13912345678", "org_unit": "FIN",
                                     "roles": ["contact"]})
    b.worker().update_org_unit("FIN", {"head": head["id"]})
    assert a.register()["lead_department"]["head"]["name"] == "张三"
    b.worker().update_person(head["id"], {"name": "张三丰"})
    assert a.register()["lead_department"]["head"] == {"id": head["id"], "name": "张三丰",
                                                       "mobile": "13912345678"}


def test_a_calendar_day_changed_by_another_instance_is_seen_by_the_next_registration(
        two_instances):
    a, b = two_instances
    assert a.register()["due_by"] == DEADLINE.isoformat()
    b.worker().set_calendar(2026, {"org": "HQ", "days": [
        {"date": DEADLINE.isoformat(), "kind": "holiday", "name": "调休"}]})
    assert a.register()["due_by"] == (DEADLINE + dt.timedelta(days=1)).isoformat()
    b.worker().set_calendar(2026, {"org": "HQ", "days": []})
    assert a.register()["due_by"] == DEADLINE.isoformat()
    b.execute("INSERT INTO calendar_days (org_id, day, kind, name) VALUES ('*', :d, 'holiday', "
              "'全员假')", d=DEADLINE)  # the deployment's table, by hand
    assert a.register()["due_by"] == (DEADLINE + dt.timedelta(days=1)).isoformat()


def test_a_change_rolled_back_never_reaches_the_cache(two_instances):
    """A transaction that changed the directory (here by hand, so without telling the cache)
    reads its own rows, at its own version, which no other transaction ever sees: what it read
    is not filed under the version its claim read, which everyone else still reads at."""
    a, b = two_instances
    a.register()  # a's cache holds the directory as it was
    b.worker().update_org_unit("HR", {"name": "人力资源部"})  # now a's cache is behind
    session = a.Session()
    uow = UnitOfWork(session, TableOutbox(), CLOCK, inbox=InboxEntry,
                     claim_reads=directory_cache.CLAIM_READS)
    with pytest.raises(RuntimeError):
        with uow:
            uow.claim("rolled-back", "test")  # reads the version, as every request does
            session.execute(text("UPDATE org_units SET name = '未提交' WHERE code = 'FIN'"))
            assert directory_cache.unit(session, "FIN", "lead_department").name == "未提交"
            raise RuntimeError("the use case fails: everything is rolled back")
    session.close()
    answer = a.register(dict(BODY, co_departments=["HR"]))
    assert answer["lead_department"]["name"] == "财务部"
    assert answer["co_departments"] == [{"code": "HR", "name": "人力资源部"}]


def test_the_cache_never_answers_with_another_groups_units_or_calendar(two_instances):
    a, b = two_instances
    b.worker().set_calendar(2026, {"org": "HQ2", "days": [
        {"date": DEADLINE.isoformat(), "kind": "holiday", "name": "HQ2 的假日"}]})
    for _ in range(2):  # the second time from the cache
        hq = a.register()
        hq2 = a.register(dict(BODY, lead_department="FIN2"))
        assert (hq["org_id"], hq["co_departments"], hq["due_by"]) == (
            "HQ", [{"code": "HR", "name": "人事部"}], DEADLINE.isoformat())
        assert (hq2["org_id"], hq2["co_departments"], hq2["due_by"]) == (
            "HQ2", [{"code": "HR2", "name": "人事部"}], (DEADLINE + dt.timedelta(days=1)).isoformat())
        assert hq2["number"].startswith("DB-2026-") and hq2["org_path"] == ["HQ2", "FIN2"]
    # HQ's units are in the cache; HQ2's office still may not name them
    with pytest.raises(errors.ValidationFailed) as refused:
        a.worker(OFFICE_HQ2).register_item(dict(BODY, co_departments=[]))
    assert refused.value.fields == {"lead_department": ["not a unit of your organisation"]}
    with pytest.raises(errors.ValidationFailed) as ambiguous:  # the same name in two groups
        a.register(dict(BODY, lead_department="财务部", co_departments=[]))
    assert "FIN, FIN2" in str(ambiguous.value.fields)


def test_what_is_kept_is_plain_and_read_only(two_instances):
    a, _ = two_instances
    a.register()
    session = a.Session()
    try:
        with UnitOfWork(session, TableOutbox(), CLOCK):
            fin = directory_cache.unit(session, "FIN", "lead_department")
            calendar = directory_cache.calendar(session, "HQ")
        assert type(fin) is directory_cache.Unit and type(fin.parent) is directory_cache.Unit
        with pytest.raises(dataclasses.FrozenInstanceError):
            fin.name = "x"
        with pytest.raises(TypeError):
            calendar.days[DEADLINE] = ("holiday", None)
    finally:
        session.close()


def test_every_write_the_cache_depends_on_changes_the_version(two_instances):
    a, b = two_instances
    person = b.worker().create_person({"name": "李四", "mobile": "13800000001",
                                       "org_unit": "FIN", "roles": ["contact"]})
    changes = [
        "UPDATE org_units SET aliases = '[\"财务\"]' WHERE code = 'FIN'",
        "INSERT INTO calendar_days (org_id, day, kind) VALUES ('HQ', '2026-12-01', 'holiday')",
        "UPDATE calendar_days SET kind = 'workday' WHERE org_id = 'HQ'",
        "DELETE FROM calendar_days WHERE org_id = 'HQ'",
        "UPDATE people SET name = '李四四' WHERE id = {}".format(person["id"]),
        "UPDATE people SET mobile = '13800000002' WHERE id = {}".format(person["id"]),
        "DELETE FROM org_units WHERE code = 'HR2'",
    ]
    for sql in changes:
        before = b.version()
        b.execute(sql)
        assert b.version() != before, sql
    before = b.version()  # what no registration reads of a person
    b.execute("UPDATE people SET roles = '[\"office\"]' WHERE id = {}".format(person["id"]))
    assert b.version() == before

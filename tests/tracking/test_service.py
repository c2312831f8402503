"""TrackingService wiring with nameko's worker_factory: a real SQLite session, no broker."""
import datetime as dt

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.tracking.models import Base, Item, ItemHistory
from services.tracking.service import TrackingService
from shared.clock import FixedClock
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.events import ENVELOPE_KEYS


class RecordingOutbox:
    """Keeps what the use cases write to the outbox (the relay is tested with the broker)."""

    def __init__(self):
        self.events = []

    def add(self, session, envelope):
        self.events.append(envelope)


@pytest.fixture()
def session():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture()
def clock():
    return FixedClock(dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.timezone.utc))


@pytest.fixture()
def outbox():
    return RecordingOutbox()


@pytest.fixture()
def service(session, outbox, clock):
    return worker_factory(TrackingService, db=session, outbox=outbox, clock=clock,
                          caller="token:abc", config={"NUMBER_PREFIX": "DB"})


@pytest.fixture()
def directory(service):
    service.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
    service.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department", "parent": "HQ"})
    service.create_org_unit({"code": "HR", "name": "人力资源部", "kind": "department",
                             "parent": "HQ"})
    person = service.create_person({"name": "李四", "mobile": "13900001111", "org_unit": "FIN",
                                    "roles": ["contact"]})
    return person


def item_payload(person_id, **over):
    body = {"title": "编制预算", "content": "按会议要求编制", "lead_department": "FIN",
            "co_departments": ["HR"], "responsible_person": person_id, "deadline": "2026-12-31",
            "source": {"kind": "minutes", "ref": "纪要12号", "clause": "一、"}}
    body.update(over)
    return body


def test_register_numbers_items_per_org_and_year(service, directory, outbox):
    first = service.register_item(item_payload(directory["id"]))
    second = service.register_item(item_payload(directory["id"], title="第二项"))
    assert (first["number"], second["number"]) == ("DB-2026-0001", "DB-2026-0002")
    assert first["status"] == "registered"
    registered = [e for e in outbox.events if e["type"] == "item.registered"]
    assert len(registered) == 2
    env = registered[0]
    assert set(ENVELOPE_KEYS) <= set(env)
    assert env["producer"] == "tracking" and env["org_id"] == "HQ"
    assert env["data"]["lead_department"] == {"code": "FIN", "name": "财务部", "contact": None,
                                              "head": None, "leader": None}
    assert env["data"]["org_path"] == ["HQ", "FIN"]
    assert env["data"]["responsible_person"]["mobile"] == "13900001111"
    assert env["data"]["actor"] == "token:abc"


def test_actions_write_history_with_the_caller(service, directory, session):
    item = service.register_item(item_payload(directory["id"]))
    service.act(item["id"], "issue", {})
    service.act(item["id"], "accept", {})
    rows = session.scalars(select(ItemHistory).order_by(ItemHistory.id)).all()
    assert [r.action for r in rows] == ["register", "issue", "accept"]
    assert {r.actor for r in rows} == {"token:abc"}
    assert rows[-1].from_status == "issued" and rows[-1].to_status == "in_progress"


def test_illegal_transition_is_a_conflict_and_changes_nothing(service, directory, session, outbox):
    item = service.register_item(item_payload(directory["id"]))
    before = len(outbox.events)
    with pytest.raises(Conflict) as info:
        service.act(item["id"], "complete", {})
    assert "registered" in info.value.message
    assert len(outbox.events) == before
    assert session.get(Item, item["id"]).status == "registered"


def test_unknown_department_is_a_field_error(service, directory, session):
    with pytest.raises(ValidationFailed) as info:
        service.register_item(item_payload(directory["id"], lead_department="NOPE"))
    assert "lead_department" in info.value.fields
    assert session.scalar(select(func.count()).select_from(Item)) == 0


@pytest.mark.parametrize("over,field", [({"lead_department": "HQ"}, "lead_department"),
                                        ({"lead_department": "集团"}, "lead_department"),
                                        ({"co_departments": ["HR", "HQ"]}, "co_departments")])
def test_the_group_itself_neither_leads_nor_co_operates(service, directory, session, outbox,
                                                       over, field):
    before = len(outbox.events)
    with pytest.raises(ValidationFailed) as info:
        service.register_item(item_payload(directory["id"], **over))
    assert info.value.message == "The group itself cannot lead or co-operate on an item"
    assert info.value.fields == {field: [
        "'HQ' is the group: choose one of its departments or subsidiaries"]}
    assert session.scalar(select(func.count()).select_from(Item)) == 0
    assert len(outbox.events) == before
    item = service.register_item(item_payload(directory["id"]))
    with pytest.raises(ValidationFailed):
        service.update_item(item["id"], dict(over, reason="改为集团"))
    assert service.get_item(item["id"])["lead_department"]["code"] == "FIN"


def test_an_item_the_group_led_before_the_rule_stays_correctable(service, directory, session):
    """Registered with the group as lead before the rule: its other fields can still be
    corrected (the lead is only checked when a correction names a new one)."""
    from services.tracking.models import OrgUnit
    item = service.register_item(item_payload(directory["id"], co_departments=["HR"]))
    row = session.get(Item, item["id"])
    row.lead_unit = session.scalar(select(OrgUnit).where(OrgUnit.code == "HQ"))
    row.responsible_person = None
    session.commit()
    fixed = service.update_item(item["id"], {"title": "改正后的标题", "reason": "笔误"})
    assert fixed["title"] == "改正后的标题" and fixed["lead_department"]["code"] == "HQ"
    with pytest.raises(ValidationFailed) as info:
        service.update_item(item["id"], {"co_departments": ["HR", "HQ"], "reason": "加协办"})
    assert "co_departments" in info.value.fields
    moved = service.update_item(item["id"], {"lead_department": "FIN", "reason": "改牵头"})
    assert moved["lead_department"]["code"] == "FIN"


def test_validate_items_names_each_refused_request_by_index_and_writes_nothing(
        service, directory, session, outbox):
    good = item_payload(directory["id"])
    answer = service.validate_items([
        good, item_payload(directory["id"], lead_department="NOPE"), good,
        item_payload(directory["id"], co_departments=["FIN"]),  # the lead cannot co-operate
        {"title": "no deadline, no lead"}])
    assert set(answer) == {"1", "3", "4"}
    assert any("lead_department" in p and "NOPE" in p for p in answer["1"])
    assert any(p.startswith("co_departments") for p in answer["3"])
    assert {p.split(":")[0] for p in answer["4"]} >= {"lead_department", "deadline"}
    assert service.validate_items([good] * 3) == {}
    assert session.scalar(select(func.count()).select_from(Item)) == 0
    assert not [e for e in outbox.events if e["type"].startswith("item.")]
    with pytest.raises(ValidationFailed):
        service.validate_items({"not": "a list"})


def test_a_transaction_reads_a_unit_once_and_forgets_it_when_it_ends(service, directory, session):
    from services.tracking.handlers import common
    from shared.uow import CACHE
    uow = service.uow()
    with uow:
        first = common.unit_by_code(session, "FIN", "lead_department")
        assert common.transaction_cache(session, "units_by_code") == {"FIN": first}
        assert common.unit_by_code(session, "FIN", "lead_department") is first
    assert CACHE not in session.info


def test_unknown_item(service, directory):
    with pytest.raises(NotFound):
        service.get_item("00000000-0000-0000-0000-000000000000")


def test_extension_approval_moves_deadline_and_keeps_the_original(service, directory, outbox):
    item = service.register_item(item_payload(directory["id"]))
    service.act(item["id"], "issue", {})
    req = service.request_extension(item["id"], {"new_deadline": "2027-01-31",
                                                 "reason": "审批流程长", "measures": "加派人手"})
    service.decide_extension(item["id"], req["id"], {"approved": True, "comment": "同意"})
    view = service.get_item(item["id"])
    assert view["deadline"] == "2027-01-31"
    assert view["original_deadline"] == "2026-12-31"
    types = [e["type"] for e in outbox.events]
    assert types[-2:] == ["item.extension_decided", "item.deadline_changed"]
    with pytest.raises(Conflict):
        service.decide_extension(item["id"], req["id"], {"approved": False})


def test_overdue_timer_publishes_once(service, directory, clock, outbox):
    # Saturday 2026-11-28: due by the next working day, Monday the 30th
    item = service.register_item(item_payload(directory["id"], deadline="2026-11-28"))
    assert item["due_by"] == "2026-11-30"
    service.act(item["id"], "issue", {})
    assert service.check_overdue() == 0
    clock.advance(days=3)  # Monday 30th: still in time
    assert service.check_overdue() == 0
    clock.advance(days=1)
    assert service.check_overdue() == 1
    assert service.check_overdue() == 0
    overdue = [e for e in outbox.events if e["type"] == "item.overdue"]
    assert len(overdue) == 1 and overdue[0]["data"]["change"]["days_overdue"] == 3
    assert service.list_items({"overdue": "true"})["total"] == 1


def test_list_filters(service, directory):
    a = service.register_item(item_payload(directory["id"], title="预算分析", category="key"))
    service.register_item(item_payload(directory["id"], title="招聘计划", lead_department="HR",
                                       co_departments=[], responsible_person=None))
    service.act(a["id"], "issue", {})
    assert service.list_items({"q": "预算"})["total"] == 1
    assert service.list_items({"category": "key"})["items"][0]["id"] == a["id"]
    assert service.list_items({"status": "issued"})["total"] == 1
    assert service.list_items({"department": "HR"})["total"] == 2  # lead of one, co of the other
    assert service.list_items({"deadline_from": "2027-01-01"})["total"] == 0
    assert service.list_items({"page_size": "1", "page": "2"})["page"] == 2
    with pytest.raises(ValidationFailed):
        service.list_items({"page": "abc"})
    assert service.list_items({"deadline_from": "2026-12-01",
                               "deadline_to": "2026-12-01"})["page"] == 1   # one day is a range
    with pytest.raises(ValidationFailed) as inverted:
        service.list_items({"deadline_from": "2026-12-31", "deadline_to": "2026-01-01"})
    assert inverted.value.fields == {"deadline_to": ["deadline_from must not be after deadline_to"]}


def test_decomposition_lists_children_under_the_parent(service, directory):
    parent = service.register_item(item_payload(directory["id"]))
    child = service.register_item(item_payload(directory["id"], title="子任务", parent=parent["id"],
                                               deadline="2026-12-15"))
    assert child["parent_id"] == parent["id"]
    assert [c["id"] for c in service.get_item(parent["id"])["children"]] == [child["id"]]
    with pytest.raises(ValidationFailed) as info:
        service.register_item(item_payload(directory["id"], parent=parent["id"],
                                           deadline="2027-01-15"))
    assert "deadline" in info.value.fields


def test_a_request_delivered_twice_writes_once(session, outbox, clock, directory):
    """RPC is at least once: a redelivered request (same message id) gets the first answer
    and records nothing more; a reused Idempotency-Key with another body is refused."""
    from services.tracking.models import Feedback, Person
    from shared.rpc import RequestInfo

    def worker(**request):
        return worker_factory(TrackingService, db=session, outbox=outbox, clock=clock,
                              caller="token:abc", config={"NUMBER_PREFIX": "DB"},
                              request=RequestInfo(**request))

    item = worker(message_id="m1").register_item(item_payload(directory["id"]))
    assert worker(message_id="m1").register_item(item_payload(directory["id"])) == item
    worker(message_id="m2").act(item["id"], "issue", {})
    body = {"progress": 30, "content": "进行中"}
    first = worker(message_id="m3").submit_feedback(item["id"], body)
    assert worker(message_id="m3").submit_feedback(item["id"], body) == first
    assert session.scalar(select(func.count()).select_from(Feedback)) == 1
    assert [e["type"] for e in outbox.events].count("item.feedback_submitted") == 1
    person = {"name": "王五", "mobile": "13900002222", "org_unit": "FIN"}
    made = worker(idempotency_key="k1").create_person(person)
    assert worker(idempotency_key="k1").create_person(person) == made
    assert session.scalar(select(func.count()).select_from(Person)) == 2  # the fixture's + one
    with pytest.raises(ValidationFailed) as info:
        worker(idempotency_key="k1").create_person(dict(person, name="王六"))
    assert "Idempotency-Key" in info.value.fields
    with pytest.raises(ValidationFailed):
        worker().create_person(person, "not-a-uuid")


def test_feedback_overdue_once_per_missed_due_date(service, directory, clock, outbox):
    # clock: Friday 2026-11-27 (Asia/Shanghai); weekly reports from the issue date
    item = service.register_item(item_payload(directory["id"], feedback_cadence="weekly",
                                              deadline="2026-12-31"))
    service.act(item["id"], "issue", {})
    assert service.get_item(item["id"])["feedback_due_on"] == "2026-12-04"
    assert service.check_feedback_due() == 0
    clock.advance(days=8)  # Saturday 12-05: the 4th passed unreported
    assert service.check_feedback_due() == 1
    assert service.check_feedback_due() == 0  # once
    clock.advance(days=14)  # Saturday 12-19: the 11th and the 18th passed too
    assert service.check_feedback_due() == 2
    late = [e["data"]["change"]["due_on"] for e in outbox.events
            if e["type"] == "item.feedback_overdue"]
    assert late == ["2026-12-04", "2026-12-11", "2026-12-18"]
    view = service.get_item(item["id"])
    assert view["feedback_due_on"] == "2026-12-04" and view["feedback_overdue"] is True
    service.submit_feedback(item["id"], {"progress": 40, "content": "补报", "at_risk": False})
    view = service.get_item(item["id"])
    assert view["feedback_due_on"] == "2026-12-25" and view["feedback_overdue"] is False
    assert service.check_feedback_due() == 0


def test_suspended_items_owe_no_feedback(service, directory, clock, outbox):
    item = service.register_item(item_payload(directory["id"], feedback_cadence="weekly"))
    service.act(item["id"], "issue", {})
    service.act(item["id"], "suspend", {"reason": "等待上级批复"})
    assert service.get_item(item["id"])["feedback_due_on"] is None
    clock.advance(days=15)
    assert service.check_feedback_due() == 0
    service.act(item["id"], "resume", {})
    resumed = service.get_item(item["id"])
    assert resumed["feedback_due_on"] == "2026-12-18"  # the next date from today on
    assert [e for e in outbox.events if e["type"] == "item.feedback_overdue"] == []


def test_get_items_answers_what_get_item_does_for_each_visible_item(service, directory, session,
                                                                     outbox, clock):
    """One call for a page of items (我的事项): each view equals get_item's, with its own
    feedback, extension requests and children; unknown and unseen ids are left out."""
    from shared.access import Principal
    a = service.register_item(item_payload(directory["id"], title="甲"))
    b = service.register_item(item_payload(directory["id"], title="乙", lead_department="HR",
                                           co_departments=[], responsible_person=None))
    c = service.register_item(item_payload(directory["id"], title="丙", co_departments=[]))
    child = service.register_item(item_payload(directory["id"], title="甲的子任务",
                                               parent=a["id"], deadline="2026-12-15"))
    for item in (a, c):
        service.act(item["id"], "issue", {})
    service.submit_feedback(a["id"], {"progress": 30, "content": "已启动"})
    service.request_extension(c["id"], {"new_deadline": "2027-01-31", "reason": "审批流程长",
                                        "measures": "加派人手"})
    asked = [c["id"], "00000000-0000-0000-0000-000000000000", a["id"], b["id"], a["id"]]
    got = service.get_items(asked)
    assert [v["id"] for v in got] == [c["id"], a["id"], b["id"]]
    assert got == [service.get_item(i) for i in (c["id"], a["id"], b["id"])]
    assert [len(v["feedback"]) for v in got] == [0, 1, 0]
    assert [len(v["extension_requests"]) for v in got] == [1, 0, 0]
    assert [[x["id"] for x in v["children"]] for v in got] == [[], [child["id"]], []]
    # a contact of HR sees only what HR leads or co-operates on (a: HR co-operates; c: not)
    hr = Principal("person", "person:7", "王五", ("contact",), "HQ", "HQ", ("HR",))
    contact = worker_factory(TrackingService, db=session, outbox=outbox, clock=clock,
                             caller=hr.encode(), config={"NUMBER_PREFIX": "DB"})
    assert [v["id"] for v in contact.get_items(asked)] == [a["id"], b["id"]]
    for bad in ("not a list", ["x"] * 101, [1, 2]):
        with pytest.raises(ValidationFailed):
            service.get_items(bad)

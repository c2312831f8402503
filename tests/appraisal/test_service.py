"""AppraisalService wiring with nameko's worker_factory: a real SQLite database, no broker.

The scenario (hand-computed figures in the comments): group HQ with departments FIN, HR
and IDLE, and subsidiary SUB with department OPS; half-year 2026-H1, figures made on
2026-07-03.
"""
import base64
import datetime as dt
import io
import random

import pytest
from docx import Document
from nameko.testing.services import worker_factory
from openpyxl import load_workbook
from sqlalchemy import func, select

from services.appraisal import queries, sampling
from services.appraisal.domain import outcomes, periods
from services.appraisal.domain.outcomes import ItemDates
from services.appraisal.domain.rules import ScoringRule, empty_facts
from services.appraisal import projection
from services.appraisal.domain import chases as chase_rules
from services.appraisal.models import (Appraisal, AppraisalRow, Chase, InboxEntry,
                                       ItemOutcome)
from services.appraisal.plugins import discover_rules
from services.appraisal.service import (AppraisalService, consumer_for, consumer_of,
                                       handler_name)
from shared.clock import FixedClock
from shared.errors import Conflict, NotFound, ValidationFailed
from tests.appraisal.notify_events import chase_sent
from tests.appraisal.tracking_events import Item, org_unit

D = dt.date
HQ_PATH = ["HQ"]
SUB_PATH = ["HQ", "SUB"]


class RecordingOutbox:
    def __init__(self):
        self.events = []

    def add(self, session, envelope):
        self.events.append(envelope)


@pytest.fixture()
def clock():
    return FixedClock(dt.datetime(2026, 7, 3, 2, 0, tzinfo=dt.timezone.utc))


@pytest.fixture()
def outbox():
    return RecordingOutbox()


def make_service(session, outbox, clock, rules=None):
    return worker_factory(AppraisalService, db=session, outbox=outbox, clock=clock,
                          caller="token:office", rules=rules or discover_rules(entry_points=[]),
                          config={"INACTION_SILENT_DAYS": 30, "INACTION_UNEXPLAINED_OVERDUE": 2,
                                  "INACTION_UNANSWERED_CHASES": 3,
                                  "INACTION_CHASE_ANSWER_DAYS": 5})


@pytest.fixture()
def service(session, outbox, clock):
    return make_service(session, outbox, clock)


def feed(service, events):
    """Deliver events the way reliable_handler does: claimed in the inbox, then projected."""
    for envelope in events:
        handler = getattr(AppraisalService, handler_name(envelope["type"]))
        handler.consume(service, envelope)


def directory():
    return [org_unit("HQ", "示范集团", "group"),
            org_unit("SUB", "示范子公司", "subsidiary", "HQ"),
            org_unit("FIN", "财务部", "department", "HQ"),
            org_unit("HR", "人力资源部", "department", "HQ"),
            org_unit("IDLE", "档案室", "department", "HQ"),
            org_unit("OPS", "运营部", "department", "SUB")]


def dept(code):
    return {"FIN": ("财务部", HQ_PATH + ["FIN"]), "HR": ("人力资源部", HQ_PATH + ["HR"]),
            "OPS": ("运营部", SUB_PATH + ["OPS"])}[code]


def item(code, deadline, **kw):
    name, path = dept(code)
    return Item(code, name, deadline, path, **kw)


REG = D(2026, 1, 5)


def h1_scenario():
    """Events of the 2026-H1 scenario; returns (events, items by name)."""
    ev, items = list(directory()), {}
    # FIN
    f1 = items["F1"] = item("FIN", D(2026, 3, 31))
    ev += f1.done(REG, D(2026, 3, 30), quality=90)                      # on time
    f2 = items["F2"] = item("FIN", D(2026, 4, 30), cadence="weekly")
    ev += f2.started(REG, feedback_due_on=D(2026, 4, 10))
    ev.append(f2.feedback(D(2026, 4, 9), next_due=D(2026, 4, 20)))       # due 04-10: on time
    first = f2.last_feedback
    ev.append(f2.feedback(D(2026, 4, 22), reason="审批慢", new_plan="五月初完成"))  # 04-20: late
    second = f2.last_feedback
    ev.append(f2.assessed(D(2026, 4, 23), first, True))
    ev.append(f2.assessed(D(2026, 4, 23), second, False))
    ev.append(f2.completed(D(2026, 5, 5)))                               # late
    ev.append(f2.evaluated(D(2026, 5, 6), 70))
    f3 = items["F3"] = item("FIN", D(2026, 5, 31))
    ev += f3.started(REG)
    ev.append(f3.extension_requested(D(2026, 5, 15), D(2026, 6, 30)))
    ev.append(f3.deadline_changed(D(2026, 5, 20), D(2026, 6, 30)))      # approved in time
    ev.append(f3.completed(D(2026, 6, 25)))                              # on time (06-30)
    ev.append(f3.evaluated(D(2026, 6, 26), 80))
    f4 = items["F4"] = item("FIN", D(2026, 6, 15))
    ev += f4.started(REG)
    ev.append(f4.cancelled(D(2026, 6, 1)))                               # excluded
    m1 = items["M1"] = item("FIN", D(2026, 6, 30), source="annual_goal")
    ev += m1.done(REG, D(2026, 6, 28), quality=100)                      # milestone on time
    # HR
    h1 = items["H1"] = item("HR", D(2026, 5, 31))
    ev += h1.started(REG)
    ev.append(h1.extension_requested(D(2026, 5, 25), D(2026, 6, 30), reason="人手不足"))
    ev.append(h1.deadline_changed(D(2026, 6, 2), D(2026, 6, 30)))       # approved too late
    ev.append(h1.completed(D(2026, 6, 20)))                              # late against 05-31
    ev.append(h1.evaluated(D(2026, 6, 21), 60))
    h2 = items["H2"] = item("HR", D(2026, 6, 10), cadence="monthly")
    ev += h2.started(REG)                                                # overdue, silent
    h3 = items["H3"] = item("HR", D(2026, 6, 20))
    ev += h3.started(REG)
    ev.append(h3.suspended(D(2026, 6, 5)))                               # excluded
    h4 = items["H4"] = item("HR", D(2026, 3, 15))
    ev += h4.done(REG, D(2026, 3, 20), quality=70)                       # late, no reason
    # OPS (subsidiary)
    o1 = items["O1"] = item("OPS", D(2026, 4, 30))
    ev += o1.started(REG)
    ev.append(o1.extension_requested(D(2026, 4, 20), D(2026, 5, 31), reason="设备未到"))
    ev.append(o1.extension_refused(D(2026, 4, 22)))                      # refused
    ev.append(o1.completed(D(2026, 5, 3)))                               # late
    ev.append(o1.evaluated(D(2026, 5, 4), 85))
    o2 = items["O2"] = item("OPS", D(2026, 6, 30))
    ev += o2.done(REG, D(2026, 6, 30), quality=95)                       # on time, last day
    o3 = items["O3"] = item("OPS", D(2026, 8, 31))
    ev += o3.started(REG)                                                # due in H2
    return ev, items


def by_code(view):
    return {d["code"]: d for d in view["departments"]}


# ---------------------------------------------------------------- the appraisal by hand

def test_half_year_appraisal_matches_the_hand_computed_figures(service, outbox):
    events, items = h1_scenario()
    feed(service, events)
    view = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    rows = by_code(view)
    assert view["status"] == "draft" and view["weights"] == {
        "on_time": 40, "quality": 30, "feedback_timeliness": 20, "feedback_accuracy": 10}
    # FIN: due 3 (F1 on time, F2 late, F3 on time after an in-time extension; F4 cancelled)
    fin = rows["FIN"]
    assert (fin["facts"]["due"], fin["facts"]["on_time"], fin["facts"]["late"]) == (3, 2, 1)
    # on time 2/3 = 66.67; quality (90+70+80)/3 = 80; feedback 1 of 2 due dates met = 50;
    # accuracy 1 of 2 = 50; score (66.67*40 + 80*30 + 50*20 + 50*10)/100 = 65.668 -> 65.67
    assert fin["values"] == {"on_time": 66.67, "quality": 80.0, "feedback_timeliness": 50.0,
                             "feedback_accuracy": 50.0}
    assert fin["score"] == 65.67 and fin["plan_execution_rate"] == 100.0
    # HR: due 3 (H1 late: extension approved after 05-31; H2 overdue; H4 late; H3 suspended)
    # on time 0; quality (60+70)/2 = 65; no feedback basis: (0*40 + 65*30)/70 = 27.857
    hr = rows["HR"]
    assert (hr["facts"]["due"], hr["facts"]["late"], hr["facts"]["overdue_open"]) == (3, 2, 1)
    assert hr["values"]["feedback_timeliness"] is None and hr["score"] == 27.86
    # OPS: due 2 (O1 late after a refused extension, O2 on time on its last day); O3 is H2
    # on time 50; quality (85+95)/2 = 90: (50*40 + 90*30)/70 = 67.142857
    assert rows["OPS"]["score"] == 67.14 and rows["OPS"]["subsidiary"] == "SUB"
    # IDLE has nothing due: shown, not scored
    assert rows["IDLE"]["status"] == "no_items_due" and rows["IDLE"]["score"] is None
    assert [(d["code"], d["rank"]) for d in view["departments"]] == [
        ("OPS", 1), ("FIN", 2), ("HR", 3), ("IDLE", None)]
    kinds = {(r["department"], r["kind"]) for r in view["accountability"]}
    assert kinds == {("HR", "supervising_leader_talk"), ("HR", "inaction")}
    inaction = next(r for r in view["accountability"] if r["kind"] == "inaction")
    # H2 overdue with no word, H4 late with no word; H2 silent since 01-05 (179 days to 07-03)
    assert inaction["evidence"]["unexplained_overdue"]["count"] == 2
    assert {i["number"] for i in inaction["evidence"]["unexplained_overdue"]["items"]} == {
        items["H2"].state["number"], items["H4"].state["number"]}
    assert inaction["evidence"]["silent"]["count"] == 1
    assert inaction["evidence"]["silent"]["items"][0]["days_silent"] == 179
    assert not [e for e in outbox.events if e["type"] == "appraisal.published"]


def test_the_projection_is_idempotent_and_tolerates_order(service, session):
    events, _ = h1_scenario()
    feed(service, events)
    feed(service, events)  # every event delivered twice
    feed(service, list(reversed(events)))
    view = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    assert by_code(view)["FIN"]["score"] == 65.67 and by_code(view)["HR"]["score"] == 27.86
    assert session.scalar(select(func.count()).select_from(InboxEntry)) == len(events)


def test_without_org_path_the_projected_directory_places_the_department(service, session):
    """Snapshots from a tracking that does not send org_path yet: the directory decides."""
    o = Item("OPS", "运营部", D(2026, 3, 31), path=None)
    feed(service, directory() + o.done(REG, D(2026, 3, 30), quality=90))
    row = session.get(ItemOutcome, o.id)
    assert (row.org_path, row.subsidiary) == ("/HQ/SUB/OPS/", "SUB")


def test_a_subsidiary_is_appraised_on_its_own(service):
    feed(service, h1_scenario()[0])
    view = service.create_appraisal({"period": "2026-H1", "org": "SUB"})
    assert [d["code"] for d in view["departments"]] == ["OPS"]
    assert view["accountability"] == []  # one department: no last place


def test_publishing_freezes_and_announces_every_score(service, outbox, clock):
    events, items = h1_scenario()
    feed(service, events)
    draft = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    published = service.publish_appraisal(draft["id"])
    assert published["status"] == "published"
    announced = [e for e in outbox.events if e["type"] == "appraisal.published"]
    assert len(announced) == 1 and announced[0]["org_id"] == "HQ"
    assert {d["code"]: d["score"] for d in announced[0]["data"]["departments"]} == {
        "OPS": 67.14, "FIN": 65.67, "HR": 27.86, "IDLE": None}
    # later events never change it; neither can a recompute, an adjustment or a second publish
    clock.advance(days=3)
    feed(service, [items["H2"].completed(D(2026, 7, 5)), items["H2"].evaluated(D(2026, 7, 5), 99)])
    assert service.get_appraisal(draft["id"])["departments"] == published["departments"]
    for call in (lambda: service.recompute_appraisal(draft["id"]),
                 lambda: service.publish_appraisal(draft["id"]),
                 lambda: service.adjust_appraisal(draft["id"], {"department": "HR", "points": 5,
                                                                "reason": "补报材料"})):
        with pytest.raises(Conflict):
            call()


def test_later_events_never_change_a_published_appraisals_evidence(service, session, clock):
    """The accountability records of a published appraisal, their sample items included, stay
    as they were published, though the projection moves on (and a draft would move with it:
    test_a_draft_recomputes_its_evidence_with_later_events)."""
    events, items = h1_scenario()
    feed(service, events)
    draft = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    published = service.publish_appraisal(draft["id"])
    evidence = next(r for r in published["accountability"] if r["kind"] == "inaction")["evidence"]
    h2 = items["H2"].state["number"]
    assert [i["number"] for i in evidence["silent"]["items"]] == [h2]
    assert h2 in [i["number"] for i in evidence["unexplained_overdue"]["items"]]
    clock.advance(days=3)
    # H2 reports with a reason, then completes: neither silent nor unexplained any more
    feed(service, [items["H2"].feedback(D(2026, 7, 4), reason="资金未到位"),
                   items["H2"].completed(D(2026, 7, 5))])
    assert session.get(ItemOutcome, items["H2"].id).reason == "资金未到位"
    assert service.get_appraisal(draft["id"])["accountability"] == published["accountability"]


def test_a_draft_recomputes_its_evidence_with_later_events(service, clock):
    events, items = h1_scenario()
    feed(service, events)
    draft = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    assert ("HR", "inaction") in {(r["department"], r["kind"]) for r in draft["accountability"]}
    clock.advance(days=3)
    feed(service, [items["H2"].feedback(D(2026, 7, 4), reason="资金未到位")])
    again = service.recompute_appraisal(draft["id"])
    # H2 reported, with a reason: not silent, and H4 alone is under the unexplained threshold
    assert [(r["department"], r["kind"]) for r in again["accountability"]] == [
        ("HR", "supervising_leader_talk")]
    assert service.get_appraisal(draft["id"])["accountability"] == again["accountability"]


def test_a_draft_recomputes_with_later_events(service, clock):
    events, items = h1_scenario()
    feed(service, events)
    draft = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    clock.advance(days=2)
    feed(service, [items["H2"].completed(D(2026, 7, 4))])
    again = service.recompute_appraisal(draft["id"])
    hr = by_code(again)["HR"]
    # H2 now completed late, not open: still not on time, so the on-time rate holds
    assert (hr["facts"]["late"], hr["facts"]["overdue_open"]) == (3, 0)
    assert hr["score"] == 27.86 and again["as_of"] == "2026-07-05"


def test_manual_adjustments_need_a_reason_are_audited_and_rerank(service, session):
    feed(service, h1_scenario()[0])
    draft = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    with pytest.raises(ValidationFailed) as err:
        service.adjust_appraisal(draft["id"], {"department": "FIN", "points": 3})
    assert "reason" in err.value.fields
    with pytest.raises(ValidationFailed):
        service.adjust_appraisal(draft["id"], {"department": "NOPE", "points": 3,
                                               "reason": "加分"})
    view = service.adjust_appraisal(draft["id"], {"department": "FIN", "points": 2.5,
                                                  "reason": "承担专项任务加分"})
    fin = by_code(view)["FIN"]
    # 65.67 + 2.5 = 68.17: FIN overtakes OPS (67.14)
    assert (fin["base_score"], fin["adjustment"], fin["score"], fin["rank"]) == (
        65.67, 2.5, 68.17, 1)
    assert view["adjustments"][0]["actor"] == "token:office"
    assert view["adjustments"][0]["reason"] == "承担专项任务加分"


def test_the_second_last_place_in_a_row_goes_to_the_principal_leader(service, clock):
    events, items = h1_scenario()
    feed(service, events)
    h1 = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    service.publish_appraisal(h1["id"])
    # H2: FIN completes an item on time, HR leaves one overdue; OPS's O3 is completed late.
    fin = item("FIN", D(2026, 9, 30))
    hr = item("HR", D(2026, 8, 31))
    feed(service, fin.done(D(2026, 7, 6), D(2026, 9, 29), quality=90) + hr.started(D(2026, 7, 6))
         + [items["O3"].completed(D(2026, 9, 2)), items["O3"].evaluated(D(2026, 9, 3), 80)])
    clock.advance(days=186)  # 2027-01-05
    h2 = service.create_appraisal({"period": "2026-H2", "org": "HQ"})
    ranks = {d["code"]: d["rank"] for d in h2["departments"]}
    # FIN (100, 90) -> 97; OPS (0, 80) -> 34.29; HR: overdue, no quality -> 0
    assert ranks == {"FIN": 1, "OPS": 2, "HR": 3, "IDLE": None}
    talks = [r for r in h2["accountability"] if r["kind"].endswith("_talk")]
    assert talks == [{"department": "HR", "kind": "principal_leader_talk", "evidence": {
        "rank": 3, "score": 0.0, "ranked": 3,
        "previous": {"appraisal": h1["id"], "period": "2026-H1", "rank": 3}}}]


# ---------------------------------------------------------------- weights and plugins

def test_weights_per_organisation_change_the_scores(service):
    feed(service, h1_scenario()[0])
    service.set_weights("HQ", {"weights": {"on_time": 70, "quality": 30,
                                           "feedback_timeliness": 0, "feedback_accuracy": 0}})
    view = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    # FIN: 0.7*66.67 + 0.3*80 = 46.669 + 24 = 70.669 -> 70.67
    assert by_code(view)["FIN"]["score"] == 70.67
    assert service.get_weights("HQ")["default"] is False


@pytest.mark.parametrize("weights", [
    {"on_time": 50, "quality": 30, "feedback_timeliness": 20, "feedback_accuracy": 10},
    {"on_time": 40, "quality": 30, "feedback_timeliness": 20, "speed": 10},
    {"on_time": "40", "quality": 60},
])
def test_bad_weights_are_refused_and_nothing_is_stored(service, weights):
    feed(service, directory())
    with pytest.raises(ValidationFailed):
        service.set_weights("HQ", {"weights": weights})
    assert service.get_weights("HQ")["default"] is True


class StrictOnTime(ScoringRule):
    """A replacement: an item completed late earns half."""

    key = "on_time"
    label = "按期完成率（严格）"
    default_weight = 40

    def measure(self, facts):
        if not facts["due"]:
            return None
        return round(100.0 * (facts["on_time"] + 0.5 * facts["late"]) / facts["due"], 2)


class MilestoneRule(ScoringRule):
    key = "plan_execution"
    label = "计划执行率"
    default_weight = 0

    def measure(self, facts):
        if not facts["milestones_due"]:
            return None
        return 100.0 * facts["milestones_on_time"] / facts["milestones_due"]


def test_a_rule_plugin_replaces_a_builtin_and_another_adds_a_rule(session, outbox, clock):
    rules = discover_rules(entry_points=[("strict", StrictOnTime()), ("plan", MilestoneRule())])
    assert type(rules["on_time"]) is StrictOnTime and "plan_execution" in rules
    service = make_service(session, outbox, clock, rules)
    feed(service, h1_scenario()[0])
    service.set_weights("HQ", {"weights": {"on_time": 40, "quality": 30,
                                           "feedback_timeliness": 10, "feedback_accuracy": 10,
                                           "plan_execution": 10}})
    view = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    fin = by_code(view)["FIN"]
    # strict on time (2 + 0.5)/3 = 83.33; plan 100:
    # (83.33*40 + 80*30 + 50*10 + 50*10 + 100*10)/100 = 3333.2+2400+500+500+1000 = 77.332
    assert fin["values"]["on_time"] == 83.33 and fin["values"]["plan_execution"] == 100.0
    assert fin["score"] == 77.33


def test_the_builtin_rules_are_declared_as_entry_points():
    from importlib import metadata
    names = {ep.name for ep in metadata.entry_points(group="duban.appraisal.rules")}
    assert {"on_time", "quality", "feedback_timeliness", "feedback_accuracy"} <= names
    assert set(discover_rules()) >= {"on_time", "quality", "feedback_timeliness",
                                     "feedback_accuracy"}


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("payload,field", [
    ({"period": "2026-H3", "org": "HQ"}, "period"),
    ({"period": "2026-07", "org": "HQ"}, "period"),
    ({"period": "2026-H1", "org": "NOWHERE"}, "org"),
    ({"period": "2026-H1", "org": "FIN"}, "org"),  # a department is not an organisation
    ({"period": "2027-H1", "org": "HQ"}, "period"),  # not started
    ({"period": "2026-H1"}, "org"),
    ({"period": "2026-H1", "org": "HQ", "extra": 1}, "extra"),
])
def test_bad_appraisal_requests_are_refused_and_store_nothing(service, session, payload, field):
    feed(service, directory())
    with pytest.raises(ValidationFailed) as err:
        service.create_appraisal(payload)
    assert field in err.value.fields
    assert session.scalar(select(func.count()).select_from(Appraisal)) == 0


def test_a_period_that_has_not_ended_cannot_be_published(service, session):
    feed(service, h1_scenario()[0])
    draft = service.create_appraisal({"period": "2026-H2", "org": "HQ"})
    with pytest.raises(ValidationFailed) as err:
        service.publish_appraisal(draft["id"])
    assert "period" in err.value.fields
    assert session.get(Appraisal, draft["id"]).status == "draft"
    with pytest.raises(NotFound):
        service.publish_appraisal("no-such-id")


def test_a_second_appraisal_of_the_same_period_is_a_conflict(service):
    feed(service, directory())
    first = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    with pytest.raises(Conflict) as err:
        service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    assert err.value.fields["id"] == [first["id"]]


@pytest.mark.parametrize("query,field", [
    ({"month": "2026-13", "org": "HQ"}, "month"),
    ({"month": "2026/05", "org": "HQ"}, "month"),
    ({"month": "2026-05", "org": "NOWHERE"}, "org"),
    ({"month": "2026-05", "org": "HQ", "format": "pdf"}, "format"),
    ({"org": "HQ"}, "month"),
    ({"month": "2026-08", "org": "HQ"}, "month"),  # not begun (today is 2026-07-03)
])
def test_bad_report_queries_are_refused(service, query, field):
    feed(service, directory())
    with pytest.raises(ValidationFailed) as err:
        service.monthly_report(query)
    assert field in err.value.fields


def test_a_month_not_begun_is_refused_and_the_current_one_is_reported_so_far(service):
    feed(service, h1_scenario()[0])
    with pytest.raises(ValidationFailed) as err:
        service.monthly_report({"month": "2099-11", "org": "HQ"})
    assert err.value.message == "The month 2099-11 has not begun"
    assert err.value.fields == {"month": ["starts on 2099-11-01"]}
    current = service.monthly_report({"month": "2026-07", "org": "HQ"})
    assert (current["month"], current["as_of"]) == ("2026-07", "2026-07-03")


# ---------------------------------------------------------------- the monthly report

def test_monthly_report_by_hand(service):
    feed(service, h1_scenario()[0])
    r = service.monthly_report({"month": "2026-04", "org": "HQ"})
    rows = {d["code"]: d for d in r["departments"]}
    # April: F2 due 04-30 completed 05-05 (late); O1 due 04-30 completed 05-03 (late)
    assert (rows["FIN"]["due"], rows["FIN"]["late"], rows["FIN"]["on_time_rate"]) == (1, 1, 0.0)
    # March for FIN: F1 on time -> 100 %; change -100 points
    assert rows["FIN"]["previous_on_time_rate"] == 100.0 and rows["FIN"]["change"] == -100.0
    # HR had nothing due in April (H4 was March): no rate, no change
    assert rows["HR"]["due"] == 0 and rows["HR"]["change"] is None
    # under way at April's end (due later, not completed/cancelled/suspended by 04-30):
    # FIN: F3, F4 (cancelled only in June), M1; HR: H1, H2, H3; OPS: O2, O3
    assert (rows["FIN"]["in_progress"], rows["HR"]["in_progress"],
            rows["OPS"]["in_progress"]) == (3, 3, 2)
    # totals: April 0 of 2; March 1 of 2 (F1 on time, H4 late) = 50 %
    assert (r["total"]["due"], r["total"]["on_time_rate"], r["total"]["change"]) == (2, 0.0, -50.0)
    assert r["subsidiaries"] == [dict(r["subsidiaries"][0], code="SUB", name="示范子公司", due=1,
                                      late=1, on_time_rate=0.0, change=None)]
    # the overdue list carries the stated reasons and new plans
    overdue = {o["number"]: o for o in r["overdue"]}
    assert len(overdue) == 2
    f2 = next(o for o in r["overdue"] if o["department"] == "FIN")
    assert (f2["reason"], f2["new_plan"], f2["days_late"]) == ("审批慢", "五月初完成", 5)
    assert r["summary"].startswith("2026年4月，示范集团到期督办事项2项，按期完成0项，逾期完成2项")
    assert "较上月下降50.0个百分点" in r["summary"]


def test_the_monthly_report_counts_milestones_with_the_rest(service):
    feed(service, h1_scenario()[0])
    rows = {d["code"]: d for d in service.monthly_report({"month": "2026-06", "org": "HQ"})[
        "departments"]}
    # FIN in June: F3 on time (06-25, deadline moved to 06-30), M1 a milestone on time
    # (06-28); F4 cancelled on 06-01 is not counted
    assert (rows["FIN"]["due"], rows["FIN"]["on_time"], rows["FIN"]["on_time_rate"]) == (
        2, 2, 100.0)


def test_the_report_timer_publishes_last_month_once_and_catches_up(service, outbox, clock):
    feed(service, h1_scenario()[0])
    # 2026-07-03 is a Friday, after July's first working day (Wed 07-01): June's report
    made = service.monthly_timer()
    assert made == [{"id": 1, "org": "HQ", "month": "2026-06"}]
    assert service.monthly_timer() == []  # never twice
    published = [e for e in outbox.events if e["type"] == "report.published"]
    assert len(published) == 1 and published[0]["data"]["month"] == "2026-06"
    # August 1st 2026 is a Saturday: nothing until Monday the 3rd
    clock.at = dt.datetime(2026, 8, 1, 2, 0, tzinfo=dt.timezone.utc)
    assert service.monthly_timer() == []
    clock.at = dt.datetime(2026, 8, 3, 2, 0, tzinfo=dt.timezone.utc)
    assert [m["month"] for m in service.monthly_timer()] == ["2026-07"]


def test_the_office_calendar_from_tracking_moves_the_report_day(service, clock):
    from tests.appraisal.tracking_events import envelope
    feed(service, h1_scenario()[0] + [envelope("calendar.updated", {
        "org_id": "HQ", "year": 2026,
        "days": [{"date": "2026-07-0{}".format(d), "kind": "holiday", "name": "停工"}
                 for d in (1, 2, 3)]}, D(2026, 6, 1), subject_id="HQ")])
    assert service.monthly_timer() == []  # July 1-3 are office holidays: the 6th is the day
    clock.at = dt.datetime(2026, 7, 6, 2, 0, tzinfo=dt.timezone.utc)
    assert [m["month"] for m in service.monthly_timer()] == ["2026-06"]


# ---------------------------------------------------------------- documents

def read_docx(answer):
    assert answer["filename"].endswith(".docx")
    return Document(io.BytesIO(base64.b64decode(answer["base64"])))


def docx_table(document, index):
    return [[c.text for c in row.cells] for row in document.tables[index].rows]


def read_xlsx(answer):
    assert answer["filename"].endswith(".xlsx")
    return load_workbook(io.BytesIO(base64.b64decode(answer["base64"])))


def test_report_documents_read_back(service):
    feed(service, h1_scenario()[0])
    doc = read_docx(service.monthly_report({"month": "2026-04", "org": "HQ", "format": "docx"}))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "示范集团督办事项2026年4月完成情况通报"
    assert texts[1].startswith("2026年4月，示范集团到期督办事项2项")
    departments = docx_table(doc, 0)
    assert departments[0][:3] == ["部门", "所属单位", "到期事项"]
    fin = next(r for r in departments if r[0] == "财务部")
    assert fin[2:8] == ["1", "0", "1", "0", "3", "0.00%"]
    overdue = docx_table(doc, 2)
    assert {r[7] for r in overdue[1:]} == {"审批慢", "设备未到"}
    assert len(doc.inline_shapes) == 1  # the chart
    book = read_xlsx(service.monthly_report({"month": "2026-04", "org": "HQ",
                                             "format": "xlsx"}))
    assert book.sheetnames == ["部门完成情况", "单位汇总", "逾期事项"]
    sheet = book["部门完成情况"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    fin = next(r for r in rows if r[0] == "财务部")
    assert fin[2:6] == [1, 0, 1, 0] and fin[11] == 0.0
    assert len(sheet._charts) == 1
    total = [[c.value for c in r] for r in book["单位汇总"].iter_rows()][-1]
    assert total[0] == "合计（示范集团）" and total[1:3] == [2, 0]


def test_appraisal_documents_read_back(service):
    feed(service, h1_scenario()[0])
    draft = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    doc = read_docx(service.get_appraisal(draft["id"], {"format": "docx"}))
    assert doc.paragraphs[0].text == "2026年上半年督办工作考核结果（HQ）"
    results = docx_table(doc, 0)
    assert results[0][:5] == ["排名", "部门", "所属单位", "得分", "按期完成率"]
    assert [r[:4] for r in results[1:]] == [["1", "运营部", "SUB", "67.14"],
                                           ["2", "财务部", "—", "65.67"],
                                           ["3", "人力资源部", "—", "27.86"],
                                           ["—", "档案室", "—", "—"]]
    assert results[4][-1] == "无到期事项"
    talks = docx_table(doc, 1)
    assert ["人力资源部", "分管领导约谈"] == talks[1][:2]
    assert len(doc.inline_shapes) == 1
    book = read_xlsx(service.get_appraisal(draft["id"], {"format": "xlsx"}))
    assert book.sheetnames == ["考核结果", "问责名单", "人工调整", "权重"]
    sheet = book["考核结果"]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [(r[1], r[3]) for r in values] == [("运营部", "67.14"), ("财务部", "65.67"),
                                              ("人力资源部", "27.86"), ("档案室", "—")]
    assert len(sheet._charts) == 1
    weights = [[c.value for c in r] for r in book["权重"].iter_rows(min_row=2)]
    assert weights == [["按期完成率", 40], ["完成质量", 30], ["反馈及时性", 20],
                       ["反馈准确性", 10]]


def test_charts_find_a_cjk_font():
    from services.appraisal.charts import bar_chart, cjk_font
    assert cjk_font() in ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP")
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = bar_chart("得分", [("得分", [90.0, None])], ["财务部", "人力资源部"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    # matplotlib warns "Glyph ... missing from font(s)" when Chinese would render as boxes
    assert not [w for w in caught if "missing from font" in str(w.message)]


# ---------------------------------------------------------------- chases (notify.events)

def fin_chases(items):
    """Chases of FIN's items (the answer window is 5 days; figures made on 07-03):
    04-20 on F2: its report of 04-22 answers it after 2 days          answered
    04-25 on F2: next answer is the completion of 05-05, 10 days      unanswered
    05-10 on F3: no report; completed 06-25 (46 days)                 unanswered
    06-01 on F3: completed 06-25 (24 days)                            unanswered
    06-20 on M1 (a milestone): completed 06-28 (8 days)               unanswered
    06-30 on F3: after its completion; window to 07-05, still open    not judged
    07-01 on F1: July, the next half-year                             not in H1
    H1: 6 chases, 4 unanswered (>= 3: inaction); June: 3 chases; April: 2."""
    f1, f2, f3, m1 = items["F1"], items["F2"], items["F3"], items["M1"]
    return [chase_sent(f2, D(2026, 4, 20), 1), chase_sent(f2, D(2026, 4, 25), 2),
            chase_sent(f3, D(2026, 5, 10), 1), chase_sent(f3, D(2026, 6, 1), 2),
            chase_sent(m1, D(2026, 6, 20), 1), chase_sent(f3, D(2026, 6, 30), 3),
            chase_sent(f1, D(2026, 7, 1), 1)]


@pytest.mark.parametrize("chases_first", [False, True])
def test_unanswered_chases_flag_inaction_with_their_evidence(service, session, chases_first):
    events, items = h1_scenario()
    chased = fin_chases(items)
    # the chase may arrive before the item and its answering report, or after them
    feed(service, chased + events if chases_first else events + chased)
    feed(service, chased)  # redelivered: counted once
    view = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    fin = by_code(view)["FIN"]
    assert (fin["chases"], fin["facts"]["chases"], fin["facts"]["unanswered_chases"]) == (6, 6, 4)
    assert fin["score"] == 65.67  # information, not scored
    assert by_code(view)["HR"]["chases"] == 0
    record = next(r for r in view["accountability"]
                  if r["department"] == "FIN" and r["kind"] == "inaction")
    evidence = record["evidence"]
    assert set(evidence) == {"unanswered_chases", "thresholds"}
    assert evidence["thresholds"]["unanswered_chases"] == 3
    assert evidence["thresholds"]["chase_answer_days"] == 5
    assert evidence["unanswered_chases"]["count"] == 4
    n = {k: i.state["number"] for k, i in items.items()}
    assert [(c["number"], c["chased_on"], c["chase"], c["answered_after_days"])
            for c in evidence["unanswered_chases"]["items"]] == [
        (n["F2"], "2026-04-25", 2, 10), (n["F3"], "2026-05-10", 1, 46),
        (n["F3"], "2026-06-01", 2, 24), (n["M1"], "2026-06-20", 1, 8)]
    # per item: F3 chased 3 times, F2 twice, M1 and F1 once (F1's is 07-01's)
    ids = {items[k].id: k for k in ("F1", "F2", "F3", "M1", "H1")}
    assert {ids[i]: n for i, n in queries.chases_per_item(session, list(ids), D(2026, 7, 3))
            .items()} == {"F1": 1, "F2": 2, "F3": 3, "M1": 1}
    assert {ids[i]: n for i, n in queries.chases_per_item(session, list(ids), D(2026, 6, 30))
            .items()} == {"F2": 2, "F3": 3, "M1": 1}
    assert session.scalar(select(func.count()).select_from(Chase)) == 7


def test_a_longer_answer_window_or_a_higher_threshold_clears_the_chases(session, outbox, clock):
    events, items = h1_scenario()
    for config, unanswered, flagged in (
            # 30 days: only 05-10 (46 days) is over the window; 06-20 (8) and 06-01 (24) are
            # answered in time, 04-25 (10) too
            ({"INACTION_CHASE_ANSWER_DAYS": 30}, 1, False),
            ({"INACTION_UNANSWERED_CHASES": 5}, 4, False),
            ({"INACTION_UNANSWERED_CHASES": 4}, 4, True)):
        service = make_service(session, outbox, clock)
        service.config.update(config)
        if not session.scalar(select(func.count()).select_from(Chase)):
            feed(service, events + fin_chases(items))
        existing = session.scalar(select(Appraisal.id))
        view = (service.recompute_appraisal(existing) if existing else
                service.create_appraisal({"period": "2026-H1", "org": "HQ"}))
        assert by_code(view)["FIN"]["facts"]["unanswered_chases"] == unanswered, config
        assert any(r["department"] == "FIN" and r["kind"] == "inaction"
                   for r in view["accountability"]) is flagged, config


def test_the_monthly_report_counts_chases_per_department(service):
    events, items = h1_scenario()
    feed(service, events + fin_chases(items))
    june = service.monthly_report({"month": "2026-06", "org": "HQ"})
    rows = {d["code"]: d for d in june["departments"]}
    assert (rows["FIN"]["chases"], rows["HR"]["chases"], rows["OPS"]["chases"]) == (3, 0, 0)
    assert june["total"]["chases"] == 3 and june["subsidiaries"][0]["chases"] == 0
    april = service.monthly_report({"month": "2026-04", "org": "HQ"})
    assert {d["code"]: d["chases"] for d in april["departments"]}["FIN"] == 2
    # the overdue list says how often each item was chased: F2 (late in April) twice
    f2 = next(o for o in april["overdue"] if o["number"] == items["F2"].state["number"])
    assert f2["chases"] == 2
    doc = read_docx(service.monthly_report({"month": "2026-06", "org": "HQ",
                                            "format": "docx"}))
    table = docx_table(doc, 0)
    assert table[0][-1] == "催办次数"
    assert next(r for r in table if r[0] == "财务部")[-1] == "3"
    draft = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    book = read_xlsx(service.get_appraisal(draft["id"], {"format": "xlsx"}))
    header, *values = [[c.value for c in r] for r in book["考核结果"].iter_rows()]
    fin = next(r for r in values if r[1] == "财务部")
    assert fin[header.index("催办次数")] == 6
    talks = [[c.value for c in r] for r in book["问责名单"].iter_rows(min_row=2)]
    assert any(r[:2] == ["财务部", "无为问责"] and "4次催办5天内未回应" in r[2] for r in talks)


def test_a_chase_follows_its_item_to_the_lead_department(service, session):
    """notify names the department it chased; the item's snapshot decides whose it is."""
    events, items = h1_scenario()
    stale = chase_sent(items["F3"], D(2026, 6, 1), 1, department="HR")
    feed(service, [stale])
    row = session.get(Chase, stale["id"])
    assert (row.department, row.org_path) == ("HR", "/HQ/HR/")  # the item is not known yet
    feed(service, events)
    session.refresh(row)
    assert (row.department, row.org_path, row.answer_days) == ("FIN", "/HQ/FIN/", 24)


@pytest.mark.parametrize("change,field", [
    ({"item_id": None}, "item_id"), ({"department": ""}, "department"),
    ({"count": "2"}, "count"), ({"count": 0}, "count"), ({"sent_at": "yesterday"}, "sent_at")])
def test_a_malformed_chase_is_refused_and_stores_nothing(service, session, change, field):
    _, items = h1_scenario()
    bad = chase_sent(items["F1"], D(2026, 6, 1), 1)
    bad["data"].update(change)
    with pytest.raises(ValidationFailed) as err:
        feed(service, [bad])
    assert field in err.value.fields
    service.db.rollback()
    assert session.scalar(select(func.count()).select_from(Chase)) == 0


class DeadLetterStore:
    """The handler's dead-letter store, in memory (no backoff): what was parked, how often."""

    retries, backoff, park_retry = 3, 0.0, 0.0

    def __init__(self):
        self.parked = []

    def park(self, handler, source, event_type, payload, error, attempts):
        self.parked.append((handler, event_type, error, attempts))


def test_a_projection_race_is_retried_and_bad_data_parked_at_once(session, outbox, clock,
                                                                  monkeypatch):
    """reliable_handler retries a Conflict itself (appraisal no longer wraps it)."""
    store = DeadLetterStore()
    service = worker_factory(AppraisalService, db=session, outbox=outbox, clock=clock,
                             caller="token:office", rules=discover_rules(entry_points=[]),
                             dead_letters=store, config={})
    _, items = h1_scenario()
    real, calls = projection.apply_chase, []

    def racing(session_, envelope):
        calls.append(envelope["id"])
        if len(calls) == 1:  # what the unit of work makes of an IntegrityError
            raise Conflict("The request clashes with a record written at the same moment")
        return real(session_, envelope)
    monkeypatch.setattr(projection, "apply_chase", racing)
    chase = chase_sent(items["F1"], D(2026, 6, 1), 1)
    AppraisalService.on_chase_sent(service, chase)
    assert len(calls) == 2 and store.parked == []
    assert session.scalar(select(func.count()).select_from(Chase)) == 1
    bad = chase_sent(items["F1"], D(2026, 6, 2), 2)
    bad["data"]["count"] = None
    AppraisalService.on_chase_sent(service, bad)
    assert [(p[0], p[1], p[3]) for p in store.parked] == [("on_chase_sent", "chase.sent", 1)]
    assert session.scalar(select(func.count()).select_from(Chase)) == 1


# ---------------------------------------------------------------- SQL against the pure rules

def test_the_sql_aggregates_agree_with_the_pure_rules(session):
    rng = random.Random(20261129)
    period = periods.parse_half("2026-H1")
    as_of = D(2026, 7, 3)
    expected = {}
    for n in range(600):
        department = "D{}".format(rng.randrange(12))
        deadline = D(2025, 12, 1) + dt.timedelta(days=rng.randrange(300))
        completed = (deadline + dt.timedelta(days=rng.randrange(-40, 60))
                     if rng.random() < 0.7 else None)
        cancelled = deadline + dt.timedelta(days=rng.randrange(-60, 60)) \
            if rng.random() < 0.1 else None
        suspended = deadline + dt.timedelta(days=rng.randrange(-60, 60)) \
            if rng.random() < 0.1 else None
        session.add(ItemOutcome(
            id=str(n), number=str(n), title="t", org_id="HQ", org_path="/HQ/{}/".format(department),
            department=department, department_name=department, category="routine",
            source_kind="minutes", milestone=False, status="x", original_deadline=deadline,
            deadline_in_force=deadline, deadline=deadline, completed_on=completed,
            cancelled_on=cancelled, suspended_on=suspended, feedback_cadence="none"))
        dates = ItemDates(deadline, completed, cancelled, suspended)
        entry = expected.setdefault(department, {"items": []})
        entry["items"].append(dates)
    session.flush()
    got = queries.item_facts(session, "HQ", True, period, as_of)
    for department, entry in expected.items():
        tally = outcomes.tally(entry["items"], period, as_of)
        facts = got[department]
        assert (facts["due"], facts["on_time"], facts["late"], facts["overdue_open"]) == (
            tally["due"], tally["on_time"], tally["late"], tally["overdue_open"]), department
        assert facts["in_progress"] == sum(outcomes.in_progress(i, period)
                                           for i in entry["items"])
        # no item states a reason: every late or overdue one is unexplained
        assert facts["unexplained_overdue"] == tally["late"] + tally["overdue_open"]
    # the monthly report's single pass: a month (with the work in progress at its end) and
    # the month before, as the pure rules count them
    for label in ("2026-03", "2026-07"):
        month = periods.parse_month(label)
        before = periods.previous_month(month)
        now, was = queries.report_facts(session, "HQ", True, month, before, as_of)
        for department, entry in expected.items():
            for period_, got_ in ((month, now), (before, was)):
                tally = outcomes.tally(entry["items"], period_, as_of)
                facts = got_.get(department, empty_facts())
                assert (facts["due"], facts["on_time"], facts["late"], facts["overdue_open"]) \
                    == (tally["due"], tally["on_time"], tally["late"], tally["overdue_open"]), (
                        label, period_.label, department)
            assert now.get(department, empty_facts())["in_progress"] == sum(
                outcomes.in_progress(i, month) for i in entry["items"]), (label, department)
    listed = queries.overdue_items(session, "HQ", True, period, as_of, limit=10000)
    assert len(listed) == sum(outcomes.tally(e["items"], period, as_of)["late"]
                              + outcomes.tally(e["items"], period, as_of)["overdue_open"]
                              for e in expected.values())
    rows = {}
    facts = queries.item_facts(session, "HQ", True, period, as_of, with_in_progress=False,
                               silent_days=30, rows=rows)
    found = sampling.samples(session, "HQ", True, period, as_of, {sampling.UNEXPLAINED: {
        d: (rows[d], f["unexplained_overdue"]) for d, f in facts.items()}}, 30)
    for department, entry in expected.items():
        tally = outcomes.tally(entry["items"], period, as_of)
        sample = found[sampling.UNEXPLAINED].get(department, [])
        assert len(sample) == min(queries.EVIDENCE_SAMPLE, tally["late"] + tally["overdue_open"])
        assert [(i.deadline, i.number) for i in sample] == sorted(
            (i.deadline, i.number) for i in sample)


# ---------------------------------------------------------------- rebuilding from the log

class FakeTrackingLog:
    """tracking's list_events, paged, over a list of envelopes."""

    def __init__(self, events):
        self.events = [dict(e, seq=i + 1) for i, e in enumerate(events)]
        self.calls = 0

    def page(self, query):
        self.calls += 1
        rows = [e for e in self.events if e["seq"] > query["after"]][:query["limit"]]
        return {"events": rows, "next_after": rows[-1]["seq"] if rows else query["after"]}


def test_an_empty_database_rebuilds_from_the_event_log(service, session, monkeypatch):
    events, _ = h1_scenario()
    log = FakeTrackingLog(events)
    from services.appraisal import handlers
    done = False
    while not done:
        done = handlers.rebuild_step(service.uow(), log.page, consumer_of, page=40)
    assert log.calls == len(events) // 40 + 1
    # a live delivery of an event already read changes nothing
    feed(service, [events[5]])
    view = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    assert by_code(view)["FIN"]["score"] == 65.67
    # once done, never again (and never on a database that already had a projection)
    assert handlers.rebuild_step(service.uow(), log.page, consumer_of) is True
    assert log.calls == len(events) // 40 + 1
    assert session.scalar(select(func.count()).select_from(AppraisalRow)) == 4


def test_an_empty_database_rebuilds_its_chases_from_notifys_log(service, session):
    """notify's log holds the chases; one delivered live while tracking's log is still
    being read neither stops the rebuild of the others nor counts twice."""
    from services.appraisal import handlers
    events, items = h1_scenario()
    chases = [chase_sent(items["F1"], D(2026, 6, 1), 1), chase_sent(items["F1"], D(2026, 6, 2), 2),
              chase_sent(items["H2"], D(2026, 6, 3), 1)]
    tracking_log, notify_log = FakeTrackingLog(events), FakeTrackingLog(chases)
    assert handlers.rebuild_step(service.uow(), tracking_log.page, consumer_of, page=40) is False
    feed(service, [chases[2]])  # live
    while not handlers.rebuild_step(service.uow(), tracking_log.page, consumer_of, page=40):
        pass
    while not handlers.rebuild_step(service.uow(), notify_log.page, consumer_for("notify"),
                                    page=2, source="notify"):
        pass
    assert notify_log.calls == 2
    status = service.projection_status()
    assert status["chases"] == 3 and status["chase_rebuild"] == {"after": 3, "done": True}
    view = service.create_appraisal({"period": "2026-H1", "org": "HQ"})
    assert (by_code(view)["FIN"]["chases"], by_code(view)["HR"]["chases"]) == (2, 1)
    # once done, never again
    assert handlers.rebuild_step(service.uow(), notify_log.page, consumer_for("notify"),
                                 source="notify") is True
    assert notify_log.calls == 2


def test_a_projection_with_chases_does_not_rebuild_them(service, session):
    from services.appraisal import handlers
    events, items = h1_scenario()
    feed(service, events + [chase_sent(items["F1"], D(2026, 6, 1), 1)])
    log = FakeTrackingLog([chase_sent(items["F1"], D(2026, 6, 2), 2)])
    assert handlers.rebuild_step(service.uow(), log.page, consumer_for("notify"),
                                 source="notify") is True
    assert log.calls == 0 and service.projection_status()["chases"] == 1


def test_the_sql_chase_counts_agree_with_the_pure_rules(session):
    rng = random.Random(20261130)
    expected = {}
    for n in range(400):
        department = "D{}".format(rng.randrange(6))
        chased_on = D(2026, 5, 1) + dt.timedelta(days=rng.randrange(120))
        answer = rng.choice([None, rng.randrange(0, 15)])
        session.add(Chase(event_id=str(n), item_id="i{}".format(rng.randrange(50)), number=1,
                          chased_on=chased_on, answer_days=answer, org_id="HQ",
                          org_path="/HQ/{}/".format(department), department=department,
                          milestone=False))
        expected.setdefault(department, []).append(chase_rules.ChaseDates(chased_on, answer))
    session.flush()
    for label, as_of, days in (("2026-H1", D(2026, 7, 3), 5), ("2026-06", D(2026, 6, 20), 3),
                               ("2026-H2", D(2026, 8, 10), 0), ("2026-07", D(2026, 9, 1), 10)):
        period = (periods.parse_half(label) if "H" in label else periods.parse_month(label))
        got = queries.chase_facts(session, "HQ", True, period, as_of, days)
        for department, sent in expected.items():
            tally = chase_rules.tally(sent, period, as_of, days)
            assert got.get(department, (0, 0)) == (tally["chases"], tally["unanswered"]), (
                label, department)

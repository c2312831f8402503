"""Appraisal end to end: items driven through the real tracking service over HTTP, the
appraisal service projecting tracking.events, the monthly report and the half-year
appraisal asked for over HTTP and checked against hand-computed figures; the .docx and
.xlsx downloaded, opened again and their tables read back.

Time is a FixedClock shared by tracking and appraisal: items are registered on
2026-06-01 and the figures are made on 2026-07-03.
"""
import datetime as dt
import io
import time

import pytest
from docx import Document
from kombu import Connection, Exchange, Queue
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.services import replace_dependencies
from openpyxl import load_workbook

from services.appraisal.service import AppraisalService
from shared.clock import Clock, FixedClock
from shared.migrate import upgrade
from shared.topology import SUBSCRIPTIONS, queue_name
from tests.appraisal.notify_events import CHASE_FIELDS, ENVELOPE_FIELDS
from tests.helpers import EventTap
from tests.integration.conftest import seed_directory
from tests.integration.test_notify import (awake_ladder, fake, issue_item,  # noqa: F401
                                           reminders, wait_until,
                                           notify_db, notify_system)

pytestmark = pytest.mark.integration


def day(month, d):
    return dt.datetime(2026, month, d, 2, 0, tzinfo=dt.timezone.utc)  # 10:00 in Shanghai


DIRECTORY = ({"code": "HQ", "name": "示范集团", "kind": "group"},
             {"code": "SUB", "name": "示范子公司", "kind": "subsidiary", "parent": "HQ"},
             {"code": "FIN", "name": "财务部", "kind": "department", "parent": "HQ"},
             {"code": "HR", "name": "人力资源部", "kind": "department", "parent": "HQ"},
             {"code": "OPS", "name": "运营部", "kind": "department", "parent": "SUB"})


class Driver:
    """Tracking over HTTP, with the shared clock moved between steps."""

    def __init__(self, http, clock):
        self.http, self.clock = http, clock
        self.count = 0

    def ok(self, method, path, body=None, status=200):
        r = getattr(self.http, method)(path, json=body)
        assert r.status_code == status, r.text
        self.count += 1
        return r.json()

    def at(self, month, d):
        self.clock.at = day(month, d)

    def item(self, department, deadline, **extra):
        body = {"title": "事项{}".format(deadline), "lead_department": department,
                "deadline": deadline, "feedback_cadence": "none"}
        body.update(extra)
        item = self.ok("post", "/api/v1/items", body, 201)
        self.ok("post", "/api/v1/items/{}/issue".format(item["id"]))
        self.ok("post", "/api/v1/items/{}/accept".format(item["id"]))
        return item["id"]

    def act(self, iid, action, body=None, status=200):
        return self.ok("post", "/api/v1/items/{}/{}".format(iid, action), body or {}, status)

    def complete(self, iid, quality=None):
        self.act(iid, "completion-request", {"summary": "已完成"})
        self.act(iid, "complete")
        if quality is not None:
            self.act(iid, "evaluate", {"quality": quality})


def drive(system, clock):
    """The scenario; returns how many item events tracking published."""
    for body in DIRECTORY:
        assert system.http.post("/api/v1/org-units", json=body).status_code == 201
    t = Driver(system.http, clock)
    t.at(6, 1)
    a = t.item("FIN", "2026-06-10")
    b = t.item("FIN", "2026-06-15")
    m = t.item("FIN", "2026-06-28", source={"kind": "annual_goal", "goal": "年度目标",
                                            "year": 2026})
    c = t.item("HR", "2026-06-12")
    t.item("HR", "2026-06-20")                                  # D: never completed
    g = t.item("HR", "2026-06-30")
    e = t.item("OPS", "2026-06-25")
    f = t.item("OPS", "2026-06-05")
    t.at(6, 3)
    t.act(f, "cancel", {"reason": "会议决定取消"})               # F: excluded
    t.at(6, 9)
    t.complete(a, 90)                                           # A: on time
    t.at(6, 12)
    fb_b = t.act(b, "feedback", {"progress": 85, "content": "进展顺利"}, 201)
    t.act(b, "feedback/{}/assessment".format(fb_b["id"]), {"accurate": True})
    ext = t.act(b, "extension-requests", {"new_deadline": "2026-06-30", "reason": "等待审计",
                                          "measures": "加快"}, 201)
    t.act(b, "extension-requests/{}/decision".format(ext["id"]), {"approved": True})
    t.at(6, 14)
    fb_c = t.act(c, "feedback", {"progress": 40, "content": "滞后", "reason": "人员调整",
                                 "measures": "增派人手", "new_plan": "六月中旬完成"}, 201)
    t.act(c, "feedback/{}/assessment".format(fb_c["id"]), {"accurate": False})
    t.at(6, 16)
    t.complete(c, 60)                                           # C: late
    t.at(6, 20)
    ext = t.act(g, "extension-requests", {"new_deadline": "2026-07-15", "reason": "供应商延误",
                                          "measures": "更换供应商"}, 201)
    t.act(g, "extension-requests/{}/decision".format(ext["id"]), {"approved": False})
    t.at(6, 25)
    t.complete(e, 100)                                          # E: on time, its last day
    t.at(6, 26)
    t.complete(m, None)                                         # M: milestone on time
    t.at(6, 29)
    t.complete(b, 81)                                           # B: on time (extended)
    t.at(7, 2)
    t.complete(g, 72)                                           # G: late (refused)
    t.at(7, 3)
    return t


def wait_for_projection(system, expected_events, timeout=30, check=None):
    config = {"AMQP_URI": system.config["AMQP_URI"]}
    deadline = time.monotonic() + timeout
    with ClusterRpcProxy(config, timeout=10) as rpc:
        while True:
            status = rpc.appraisal.projection_status()
            if check(status) if check else status["events"] >= expected_events:
                return status
            if time.monotonic() > deadline:
                raise AssertionError("projection has {} of {} events ({})".format(
                    status["events"], expected_events, status))
            time.sleep(0.2)


def item_events(system):
    return len(system.tap.settle(quiet=1.0))


def rows(doc_table):
    return [[c.text for c in r.cells] for r in doc_table.rows]


def test_monthly_report_and_appraisal_end_to_end(db_url, make_system):
    clock = FixedClock(day(6, 1))
    system = make_system(db_url, appraisal=True, clock=clock)
    appraisal_tap = EventTap(system.config["AMQP_URI"], "appraisal.events", "#")
    http = system.http
    drive(system, clock)
    status = wait_for_projection(system, item_events(system) + len(DIRECTORY))
    assert status["items"] == 8

    # ---- the monthly report of June, as of 2026-07-03
    r = http.get("/api/v1/reports/monthly", params={"month": "2026-06", "org": "HQ"})
    assert r.status_code == 200, r.text
    report = r.json()
    by = {d["code"]: d for d in report["departments"]}
    # FIN: A, B (extended to 06-30) and the milestone M, all on time
    assert (by["FIN"]["due"], by["FIN"]["on_time"], by["FIN"]["on_time_rate"]) == (3, 3, 100.0)
    # HR: C late, D overdue and open, G late (extension refused)
    assert (by["HR"]["due"], by["HR"]["on_time"], by["HR"]["late"], by["HR"]["overdue_open"]) \
        == (3, 0, 2, 1)
    # OPS: E on time; F cancelled
    assert (by["OPS"]["due"], by["OPS"]["on_time"], by["OPS"]["subsidiary"]) == (1, 1, "SUB")
    # total: 4 of 7 = 57.14 %; May had nothing due: no change
    assert (report["total"]["due"], report["total"]["on_time"], report["total"]["on_time_rate"],
            report["total"]["change"]) == (7, 4, 57.14, None)
    assert [(s["code"], s["due"], s["on_time_rate"]) for s in report["subsidiaries"]] == [
        ("SUB", 1, 100.0)]
    reasons = {o["department"] + ":" + (o["reason"] or "") for o in report["overdue"]}
    assert reasons == {"HR:人员调整", "HR:", "HR:供应商延误"}

    # ---- the half-year appraisal
    r = http.post("/api/v1/appraisals", json={"period": "2026-H1", "org": "HQ"})
    assert r.status_code == 201, r.text
    draft = r.json()
    scores = {d["code"]: (d["score"], d["rank"]) for d in draft["departments"]}
    # FIN: on time 100, quality (90+81)/2 = 85.5, accuracy 1/1 = 100, no feedback due dates:
    #      (100*40 + 85.5*30 + 100*10) / 80 = 7565/80 = 94.5625
    # HR:  on time 0, quality (60+72)/2 = 66, accuracy 0/1 = 0: 1980/80 = 24.75
    # OPS: on time 100, quality 100: (4000 + 3000) / 70 = 100
    assert scores == {"OPS": (100.0, 1), "FIN": (94.56, 2), "HR": (24.75, 3)}
    fin = next(d for d in draft["departments"] if d["code"] == "FIN")
    assert fin["plan_execution_rate"] == 100.0 and fin["facts"]["due"] == 2
    assert [(x["department"], x["kind"]) for x in draft["accountability"]] == [
        ("HR", "supervising_leader_talk")]

    # ---- documents, downloaded and read back
    r = http.get("/api/v1/reports/monthly", params={"month": "2026-06", "org": "HQ",
                                                    "format": "docx"})
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    doc = Document(io.BytesIO(r.content))
    assert doc.paragraphs[0].text == "示范集团督办事项2026年6月完成情况通报"
    table = rows(doc.tables[0])
    assert next(x for x in table if x[0] == "人力资源部")[2:8] == ["3", "0", "2", "1", "0",
                                                                  "0.00%"]
    assert len(rows(doc.tables[2])) == 4  # the header and three overdue items
    r = http.get("/api/v1/appraisals/{}".format(draft["id"]), params={"format": "xlsx"})
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    results = [[c.value for c in x] for x in book["考核结果"].iter_rows(min_row=2)]
    assert [(x[0], x[1], x[3]) for x in results] == [(1, "运营部", "100.00"),
                                                     (2, "财务部", "94.56"),
                                                     (3, "人力资源部", "24.75")]
    names = [[c.value for c in x] for x in book["问责名单"].iter_rows(min_row=2)]
    assert names[0][:2] == ["人力资源部", "分管领导约谈"]
    r = http.get("/api/v1/appraisals/{}".format(draft["id"]), params={"format": "docx"})
    doc = Document(io.BytesIO(r.content))
    assert rows(doc.tables[0])[1][:4] == ["1", "运营部", "SUB", "100.00"]
    assert len(doc.inline_shapes) == 1

    # ---- publish: frozen, announced on appraisal.events
    r = http.post("/api/v1/appraisals/{}/publish".format(draft["id"]))
    assert r.status_code == 200, r.text
    (key, message), = [m for m in appraisal_tap.wait_for(1) if m[0] == "appraisal.published"]
    assert {d["code"]: d["score"] for d in message["data"]["departments"]} == {
        "OPS": 100.0, "FIN": 94.56, "HR": 24.75}
    appraisal_tap.close()

    # ---- while tracking is down the appraisal still answers from its projection
    system.tracking.stop()
    r = http.get("/api/v1/appraisals/{}".format(draft["id"]))
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert http.get("/api/v1/reports/monthly", params={"month": "2026-06"}).json()[
        "total"]["due"] == 7


def test_bad_input_over_http_gets_the_common_error_and_stores_nothing(sqlite_url, make_system):
    clock = FixedClock(day(6, 1))
    system = make_system(sqlite_url, appraisal=True, clock=clock)
    http = system.http
    for body in DIRECTORY:
        assert http.post("/api/v1/org-units", json=body).status_code == 201
    wait_for_projection(system, len(DIRECTORY))

    def refused(response, status, field):
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields"} and field in error["fields"]

    refused(http.get("/api/v1/reports/monthly", params={"month": "2026-6", "org": "HQ"}),
            422, "month")
    refused(http.get("/api/v1/reports/monthly", params={"month": "2026-06", "org": "ZZ"}),
            422, "org")
    refused(http.post("/api/v1/appraisals", json={"period": "2026-H7", "org": "HQ"}),
            422, "period")
    refused(http.post("/api/v1/appraisals", json={"period": "2026-H1", "org": "ZZ"}), 422, "org")
    refused(http.put("/api/v1/appraisal-weights/HQ", json={"weights": {
        "on_time": 50, "quality": 30, "feedback_timeliness": 20, "feedback_accuracy": 10}}),
        422, "weights")
    assert http.get("/api/v1/appraisal-weights/HQ").json()["default"] is True
    assert http.get("/api/v1/appraisals").json() == {"appraisals": []}
    # a period that has not ended cannot be published (2026-06-01: H1 runs to 06-30)
    draft = http.post("/api/v1/appraisals", json={"period": "2026-H1", "org": "HQ"}).json()
    refused(http.post("/api/v1/appraisals/{}/publish".format(draft["id"])), 422, "period")
    assert http.get("/api/v1/appraisals/{}".format(draft["id"])).json()["status"] == "draft"
    refused(http.post("/api/v1/appraisals/{}/adjustments".format(draft["id"]),
                      json={"department": "FIN", "points": 5}), 422, "reason")
    assert http.get("/api/v1/appraisals/{}".format(draft["id"])).json()["adjustments"] == []
    assert http.get("/api/v1/appraisals/nope").status_code == 404


def test_an_empty_appraisal_database_rebuilds_from_the_tracking_event_log(
        sqlite_url, make_system, container_factory, tmp_path):
    """Appraisal deployed after the fact: its queues hold nothing, the log holds everything."""
    clock = FixedClock(day(6, 1))
    system = make_system(sqlite_url, clock=clock)
    drive(system, clock)
    count = item_events(system) + len(DIRECTORY)
    uri = system.config["AMQP_URI"]
    with Connection(uri) as conn:  # what a fresh deployment's queues would hold: nothing
        for source, event_type, service, method in SUBSCRIPTIONS:
            if service == "appraisal":
                Queue(queue_name(source, event_type, service, method),
                      Exchange("{}.events".format(source), type="topic", durable=True),
                      routing_key=event_type, durable=True)(conn.default_channel).purge()
    url = "sqlite:///{}".format(tmp_path / "late-appraisal.db")
    upgrade("appraisal", url)
    container = container_factory(AppraisalService, dict(system.config, DATABASE_URL=url))
    replace_dependencies(container, clock=clock)
    container.start()
    status = wait_for_projection(system, count)
    assert status["items"] == 8 and status["rebuild"]["done"] is True
    r = system.http.post("/api/v1/appraisals", json={"period": "2026-H1", "org": "HQ"})
    scores = {d["code"]: d["score"] for d in r.json()["departments"]}
    assert scores == {"OPS": 100.0, "FIN": 94.56, "HR": 24.75}


def test_a_chase_sent_through_notify_is_counted_by_the_appraisal(sqlite_url, notify_system,
                                                                 container_factory, tmp_path):
    """tracking, notify (with a fake SMS provider), the gateway and appraisal on the broker:
    a chase pressed over HTTP goes out through notify, whose chase.sent (checked against
    docs/events.md) appraisal counts once for the item's lead department."""
    system = notify_system(sqlite_url)
    url = "sqlite:///{}".format(tmp_path / "appraisal.db")
    upgrade("appraisal", url)
    config = system.config = dict(system.notify_config, DATABASE_URL=url)
    appraisal = container_factory(AppraisalService, config)
    appraisal.start()
    http = system.http
    person = seed_directory(http)
    assert http.put("/api/v1/notify/ladders/HQ/*", json=awake_ladder()).status_code == 200
    iid = issue_item(http, person)
    # notify learns of the item from tracking's events: chase once it has (a chase before
    # that is a 404 "not known to notify", as the suite found under load)
    wait_until(lambda: (lambda v: v if v and v["reminders"] else None)(reminders(http, iid)),
               what="the issued item planned by notify")
    for n in (1, 2):
        chase = http.post("/api/v1/items/{}/chase".format(iid), json={"note": "请今日反馈"})
        assert chase.status_code == 201, chase.text
        assert chase.json()["status"] == "sent" and chase.json()["count"] == n
    status = wait_for_projection(system, 0, check=lambda s: s["chases"] >= 2 and s["items"])
    assert status["chases"] == 2
    # what notify published has the shape of the contract (docs/events.md, notify events)
    published = [m for k, m in system.tap.settle(quiet=1.0) if k == "chase.sent"]
    assert len(published) == 2
    for envelope in published:
        assert set(envelope) == ENVELOPE_FIELDS and envelope["producer"] == "notify"
        assert set(envelope["data"]) == CHASE_FIELDS
        assert (envelope["data"]["item_id"], envelope["data"]["department"]) == (iid, "FIN")
    assert sorted(e["data"]["count"] for e in published) == [1, 2]
    # a redelivered chase.sent is counted once
    with Connection(config["AMQP_URI"]) as conn:
        conn.Producer(serializer="json").publish(
            published[0], exchange=Exchange("notify.events", type="topic", durable=True),
            routing_key="chase.sent", declare=[], delivery_mode=2)
    third = http.post("/api/v1/items/{}/chase".format(iid), json={})
    assert third.status_code == 201 and third.json()["count"] == 3
    wait_for_projection(system, 0, check=lambda s: s["chases"] >= 3)
    time.sleep(1.0)
    # the month's report and the half-year's draft count the chases for FIN
    today = Clock().today()
    report = http.get("/api/v1/reports/monthly",
                      params={"month": today.strftime("%Y-%m"), "org": "HQ"}).json()
    by = {d["code"]: d for d in report["departments"]}
    assert (by["FIN"]["chases"], by["HR"]["chases"], report["total"]["chases"]) == (3, 0, 3)
    r = http.post("/api/v1/appraisals", json={
        "period": "{}-H{}".format(today.year, 1 if today.month <= 6 else 2), "org": "HQ"})
    assert r.status_code == 201, r.text
    fin = {d["code"]: d for d in r.json()["departments"]}["FIN"]
    # sent today: counted, not yet unanswered (the answer window is still open)
    assert (fin["chases"], fin["facts"]["unanswered_chases"]) == (3, 0)


def test_an_empty_appraisal_database_rebuilds_its_chases_from_notifys_log(
        sqlite_url, notify_system, container_factory, tmp_path):
    """Appraisal deployed after two chases went out: its queues hold nothing, tracking's
    log the items and notify's log (list_events over its outbox) the chases."""
    system = notify_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    assert http.put("/api/v1/notify/ladders/HQ/*", json=awake_ladder()).status_code == 200
    iid = issue_item(http, person)
    for n in (1, 2):
        chase = http.post("/api/v1/items/{}/chase".format(iid), json={"note": "请今日反馈"})
        assert chase.status_code == 201 and chase.json()["count"] == n, chase.text
    assert len([k for k, _ in system.tap.settle(quiet=1.0) if k == "chase.sent"]) == 2
    config = system.config = dict(system.notify_config,
                                  DATABASE_URL="sqlite:///{}".format(tmp_path / "late.db"))
    with Connection(config["AMQP_URI"]) as conn:  # a fresh deployment's queues: nothing
        for source, event_type, service, method in SUBSCRIPTIONS:
            if service == "appraisal":
                Queue(queue_name(source, event_type, service, method),
                      Exchange("{}.events".format(source), type="topic", durable=True),
                      routing_key=event_type, durable=True)(conn.default_channel).purge()
    upgrade("appraisal", config["DATABASE_URL"])
    container_factory(AppraisalService, config).start()
    status = wait_for_projection(system, 0, check=lambda s: (s["chase_rebuild"] or {}).get(
        "done") and s["chases"] >= 2)
    assert status["chases"] == 2 and status["items"] == 1
    today = Clock().today()
    r = http.post("/api/v1/appraisals", json={
        "period": "{}-H{}".format(today.year, 1 if today.month <= 6 else 2), "org": "HQ"})
    assert r.status_code == 201, r.text
    assert {d["code"]: d for d in r.json()["departments"]}["FIN"]["chases"] == 2

"""An item driven through its whole life over HTTP, watched by an outside AMQP subscriber."""
import datetime as dt

import pytest

from shared.clock import Clock

from shared.events import ENVELOPE_KEYS
from tests.integration.conftest import seed_directory

pytestmark = pytest.mark.integration

EXPECTED = ["item.registered", "item.issued", "item.accepted", "item.feedback_submitted",
            "item.extension_requested", "item.extension_decided", "item.deadline_changed",
            "item.completion_requested", "item.returned", "item.completion_requested",
            "item.completed", "item.evaluated"]


def test_whole_lifecycle_events_in_order_once(db_url, make_system):
    system = make_system(db_url)
    http = system.http
    person = seed_directory(http)
    deadline = Clock().today() + dt.timedelta(days=30)
    r = http.post("/api/v1/items", json={
        "title": "编制2027年预算", "content": "按总经理办公会要求编制", "source":
        {"kind": "minutes", "ref": "总经理办公会纪要〔2026〕12号", "clause": "二、(三)"},
        "lead_department": "FIN", "co_departments": ["HR", "OFFICE"],
        "supervising_department": "OFFICE", "responsible_person": person,
        "deadline": deadline.isoformat(), "category": "key", "completion_form": "书面报告",
        "completion_standard": "经审定"})
    assert r.status_code == 201, r.text
    item = r.json()
    assert item["status"] == "registered"
    assert item["number"] == "DB-{}-0001".format(Clock().today().year)
    iid = item["id"]

    def post(path, body=None, status=200):
        resp = http.post("/api/v1/items/{}/{}".format(iid, path), json=body or {})
        assert resp.status_code == status, resp.text
        return resp.json()

    post("issue")
    post("accept")
    post("feedback", {"progress": 50, "content": "初稿完成"}, status=201)
    new_deadline = (deadline + dt.timedelta(days=15)).isoformat()
    req = post("extension-requests", {"new_deadline": new_deadline, "reason": "口径调整",
                                      "measures": "加班"}, status=201)
    post("extension-requests/{}/decision".format(req["id"]), {"approved": True, "comment": "同意"})
    post("completion-request", {"summary": "已完成"})
    post("return", {"reason": "附件不全"})
    post("completion-request", {"summary": "补齐附件"})
    post("complete")
    final = post("evaluate", {"quality": 92})
    assert final["status"] == "evaluated" and final["grade"] == "excellent"
    assert final["deadline"] == new_deadline
    assert final["original_deadline"] == deadline.isoformat()

    system.tap.wait_for(len(EXPECTED))
    messages = system.tap.settle(quiet=1.0)
    assert [key for key, _ in messages] == EXPECTED  # each once, in order
    envelopes = [body for _, body in messages]
    for key, env in messages:
        assert set(env) == set(ENVELOPE_KEYS)
        assert env["type"] == key and env["producer"] == "tracking" and env["version"] == 1
        assert env["subject_id"] == iid and env["org_id"] == "HQ"
        assert env["occurred_at"].endswith("Z")
        data = env["data"]
        assert {k: data["lead_department"][k] for k in ("code", "name")} == \
            {"code": "FIN", "name": "财务部"}
        assert data["org_path"] == ["HQ", "FIN"]
        assert [d["code"] for d in data["co_departments"]] == ["HR", "OFFICE"]
        assert data["responsible_person"] == {"id": person, "name": "李四", "mobile": "13900001111"}
    assert len({env["id"] for env in envelopes}) == len(EXPECTED)
    statuses = [env["data"]["status"] for env in envelopes]
    assert statuses[:3] == ["registered", "issued", "in_progress"]
    assert statuses[-1] == "evaluated"
    returned = envelopes[EXPECTED.index("item.returned")]
    assert returned["data"]["change"]["reason"] == "附件不全"

    # The same events from the event log, for a system that was down.
    log = http.get("/api/v1/events", params={"subject_id": iid, "limit": 100}).json()
    assert [e["id"] for e in log["events"]] == [env["id"] for env in envelopes]
    page = http.get("/api/v1/events", params={"after": log["events"][4]["seq"], "limit": 3,
                                                "subject_id": iid}).json()
    assert [e["type"] for e in page["events"]] == EXPECTED[5:8]
    assert page["next_after"] == page["events"][-1]["seq"]

    history = http.get("/api/v1/items/{}/history".format(iid)).json()["history"]
    assert [h["action"] for h in history] == [
        "register", "issue", "accept", "feedback", "extension_requested", "extension_decided",
        "deadline_changed", "request_completion", "return", "request_completion", "complete",
        "evaluate"]
    assert history[8]["reason"] == "附件不全"


def test_cancel_suspend_resume_and_caller_identity(sqlite_url, make_system):
    system = make_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    body = {"title": "临时事项", "lead_department": "FIN", "responsible_person": person,
            "deadline": (Clock().today() + dt.timedelta(days=3)).isoformat()}
    iid = http.post("/api/v1/items", json=body).json()["id"]
    made = http.post("/api/v1/tokens", json={"name": "OA 系统", "roles": ["office"],
                                             "org": "HQ"})
    assert made.status_code == 201, made.text
    system_token = {"Authorization": "Bearer " + made.json()["token"]}
    assert http.post("/api/v1/items/{}/suspend".format(iid), json={"reason": "等待批复"},
                     headers=system_token).json()["status"] == "suspended"
    assert http.post("/api/v1/items/{}/resume".format(iid), json={}).json()["status"] == "registered"
    assert http.post("/api/v1/people", json={
        "name": "王督办", "mobile": "13900002222", "org_unit": "OFFICE", "roles": ["office"],
        "username": "wangdb", "password": "correct horse battery"}).status_code == 201
    signed = http.post("/api/v1/auth/token", json={"username": "wangdb",
                                                   "password": "correct horse battery"})
    person_token = {"Authorization": "Bearer " + signed.json()["token"]}
    r = http.post("/api/v1/items/{}/cancel".format(iid), json={"reason": "决策调整"},
                  headers=person_token)
    assert r.json()["status"] == "cancelled"
    history = http.get("/api/v1/items/{}/history".format(iid)).json()["history"]
    actors = {h["action"]: h["actor"] for h in history}
    # who acted, by name: a system's token by its name, a person by theirs; never a secret
    assert actors["suspend"] == "API: OA 系统"
    assert actors["resume"] == "平台管理员 (platform administrator)"
    assert actors["cancel"] == "王督办"
    keys = [k for k, _ in system.tap.wait_for(4)]
    assert keys == ["item.registered", "item.suspended", "item.resumed", "item.cancelled"]


def test_concurrent_registrations_get_unique_gap_free_numbers(db_url, make_system, rabbit_config):
    from nameko.standalone.rpc import ClusterRpcProxy

    system = make_system(db_url)
    seed_directory(system.http)
    body = {"title": "并发", "lead_department": "FIN",
            "deadline": (Clock().today() + dt.timedelta(days=3)).isoformat()}
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as rpc:
        replies = [rpc.tracking.register_item.call_async(body) for _ in range(24)]
        numbers = sorted(r.result()["number"] for r in replies)
    year = Clock().today().year
    assert numbers == ["DB-{}-{:04d}".format(year, n) for n in range(1, 25)]


def test_idempotency_key_makes_a_retried_create_safe(sqlite_url, make_system):
    system = make_system(sqlite_url)
    http = system.http
    seed_directory(http)
    body = {"title": "重试", "lead_department": "FIN",
            "deadline": (Clock().today() + dt.timedelta(days=3)).isoformat()}
    key = {"Idempotency-Key": "client-request-17"}
    first = http.post("/api/v1/items", json=body, headers=key).json()
    again = http.post("/api/v1/items", json=body, headers=key).json()
    assert again["id"] == first["id"] and again["number"] == first["number"]
    other = http.post("/api/v1/items", json=body).json()
    assert other["id"] != first["id"]
    # the same key from another caller is another request
    other_caller = http.post("/api/v1/tokens", json={"name": "another system",
                                                     "roles": ["office"], "org": "HQ"})
    theirs = http.post("/api/v1/items", json=body, headers=dict(
        key, Authorization="Bearer " + other_caller.json()["token"])).json()
    assert theirs["id"] != first["id"]
    assert http.get("/api/v1/items").json()["total"] == 3
    assert http.post("/api/v1/items", json=body,
                     headers={"Idempotency-Key": "k" * 201}).status_code == 422


def test_idempotency_key_on_feedback(sqlite_url, make_system):
    system = make_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    iid = http.post("/api/v1/items", json={
        "title": "反馈", "lead_department": "FIN", "responsible_person": person,
        "deadline": (Clock().today() + dt.timedelta(days=30)).isoformat()}).json()["id"]
    http.post("/api/v1/items/{}/issue".format(iid), json={})
    key = {"Idempotency-Key": "fb-1"}
    body = {"progress": 20, "content": "启动"}
    a = http.post("/api/v1/items/{}/feedback".format(iid), json=body, headers=key).json()
    b = http.post("/api/v1/items/{}/feedback".format(iid), json=body, headers=key).json()
    assert a["id"] == b["id"]
    assert len(http.get("/api/v1/items/{}".format(iid)).json()["feedback"]) == 1
    other = http.post("/api/v1/items", json={
        "title": "另一项", "lead_department": "FIN",
        "deadline": (Clock().today() + dt.timedelta(days=30)).isoformat()}).json()["id"]
    http.post("/api/v1/items/{}/issue".format(other), json={})
    # the same key for another request is the client's mistake: 422, and nothing recorded
    reused = http.post("/api/v1/items/{}/feedback".format(other), json=body, headers=key)
    assert reused.status_code == 422 and "Idempotency-Key" in reused.json()["error"]["fields"]
    assert http.get("/api/v1/items/{}".format(other)).json()["feedback"] == []

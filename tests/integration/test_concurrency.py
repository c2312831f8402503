"""Races on PostgreSQL end in an answer, never a 500: the same action at once, a duplicate
code at once, the same Idempotency-Key at once."""
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from shared.clock import Clock
from tests.conftest import ADMIN_TOKEN
from tests.integration.conftest import seed_directory

AUTH = {"Authorization": "Bearer " + ADMIN_TOKEN}

pytestmark = pytest.mark.integration


def at_once(n, fn):
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(lambda i: fn(i), range(n)))


def base_url(system):
    return "http://127.0.0.1:{}".format(system.config["WEB_SERVER_ADDRESS"].rsplit(":", 1)[-1])


def test_feedback_sent_at_once_on_one_item(pg_url, make_system):
    system = make_system(pg_url)
    person = seed_directory(system.http)
    iid = system.http.post("/api/v1/items", json={
        "title": "并发反馈", "lead_department": "FIN", "responsible_person": person,
        "deadline": (Clock().today() + dt.timedelta(days=30)).isoformat()}).json()["id"]
    system.http.post("/api/v1/items/{}/issue".format(iid), json={})
    url = base_url(system) + "/api/v1/items/{}/feedback".format(iid)
    replies = at_once(6, lambda i: requests.post(url, headers=AUTH, json={"progress": 10 + i,
                                                            "content": "第{}次".format(i)},
                                                 timeout=30))
    codes = sorted(r.status_code for r in replies)
    assert set(codes) <= {201, 409}, [r.text for r in replies]
    assert 201 in codes
    for r in replies:
        if r.status_code == 409:
            assert r.json()["error"]["code"] == "conflict"
    stored = system.http.get("/api/v1/items/" + iid).json()["feedback"]
    assert len(stored) == codes.count(201)  # every 201 is a report, every 409 left nothing


def test_the_same_action_twice_at_once(pg_url, make_system):
    system = make_system(pg_url)
    seed_directory(system.http)
    iid = system.http.post("/api/v1/items", json={
        "title": "并发下达", "lead_department": "FIN",
        "deadline": (Clock().today() + dt.timedelta(days=30)).isoformat()}).json()["id"]
    url = base_url(system) + "/api/v1/items/{}/issue".format(iid)
    codes = sorted(r.status_code for r in at_once(4, lambda i: requests.post(
        url, headers=AUTH, json={}, timeout=30)))
    assert codes[0] == 200 and set(codes) <= {200, 409}
    assert codes.count(200) == 1
    history = system.http.get("/api/v1/items/{}/history".format(iid)).json()["history"]
    assert [h["action"] for h in history] == ["register", "issue"]


def test_a_duplicate_code_created_at_once(pg_url, make_system):
    system = make_system(pg_url)
    seed_directory(system.http)
    url = base_url(system) + "/api/v1/org-units"
    body = {"code": "LEGAL", "name": "法务部", "kind": "department", "parent": "HQ"}
    codes = sorted(r.status_code for r in at_once(4, lambda i: requests.post(
        url, headers=AUTH, json=body, timeout=30)))
    assert codes.count(201) == 1 and set(codes) <= {201, 409}, codes
    units = system.http.get("/api/v1/org-units").json()["org_units"]
    assert [u["code"] for u in units].count("LEGAL") == 1


def test_the_same_idempotency_key_at_once(pg_url, make_system):
    system = make_system(pg_url)
    seed_directory(system.http)
    url = base_url(system) + "/api/v1/items"
    body = {"title": "双击", "lead_department": "FIN",
            "deadline": (Clock().today() + dt.timedelta(days=30)).isoformat()}
    replies = at_once(4, lambda i: requests.post(
        url, json=body, timeout=30, headers=dict(AUTH, **{"Idempotency-Key": "double-click"})))
    assert {r.status_code for r in replies} <= {201, 409}, [r.text for r in replies]
    ids = {r.json()["id"] for r in replies if r.status_code == 201}
    assert len(ids) == 1
    assert system.http.get("/api/v1/items").json()["total"] == 1


def test_one_source_confirmed_twice_at_once(pg_url, other_pg_url, make_system, rabbit_config):
    """A double click, or two offices: one confirmation wins, each draft becomes one item."""
    from tests.helpers import EventTap, wait_until
    from tests.integration.test_intake import minutes_text, seed

    system = make_system(pg_url, intake=True, intake_url=other_pg_url)
    http = system.http
    seed(http)
    confirmed = EventTap(rabbit_config["AMQP_URI"], "intake.events", "draft.confirmed")
    try:
        meeting = Clock().today()
        source = http.post("/api/v1/intake/minutes", json={
            "text": minutes_text(meeting), "meeting_date": meeting.isoformat()}).json()
        ready = [d["id"] for d in source["drafts"] if d["deadline"]]
        url = base_url(system) + "/api/v1/intake/sources/{}/confirm".format(source["id"])
        replies = at_once(2, lambda i: requests.post(
            url, headers=AUTH, json={"draft_ids": ready}, timeout=30))
        codes = sorted(r.status_code for r in replies)
        assert codes in ([200, 409], [200, 200]), [r.text for r in replies]
        events = confirmed.wait_for(len(ready))
        assert len(confirmed.settle(quiet=1.0)) == len(ready)  # one event per draft, once
        assert sorted(e["data"]["draft_id"] for _, e in events) == sorted(ready)
    finally:
        confirmed.close()
    shown = http.get("/api/v1/intake/sources/" + source["id"]).json()["drafts"]
    for draft in shown:
        if draft["id"] in ready:
            assert draft["status"] == "confirmed"
            wait_until(lambda: http.get("/api/v1/items/" + draft["item_id"]).status_code == 200,
                       message="the draft points at an item that does not exist")
    assert http.get("/api/v1/admin/dead-letters/tracking").json()["dead_letters"] == []

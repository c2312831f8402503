"""Gateway: health, OpenAPI, web pages (escaped), directory contacts."""
import time

import pytest
import requests
from openapi_spec_validator import validate

from shared.clock import Clock
from tests.helpers import sign_in_to_pages
from tests.integration.conftest import seed_directory

pytestmark = pytest.mark.integration


def test_health_reports_each_service(sqlite_url, make_system):
    system = make_system(sqlite_url, HEALTH_SERVICES=["tracking", "intake"])
    r = system.http.get("/health")
    assert r.status_code == 200
    assert r.json() == {"status": "degraded", "services": {"tracking": "up", "intake": "down"}}
    strict = system.http.get("/health", params={"strict": "true"})
    assert strict.status_code == 503 and strict.json()["services"]["intake"] == "down"


def test_openapi_document_lists_the_api(sqlite_url, make_system):
    doc = make_system(sqlite_url).http.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/items/{item_id}/extension-requests/{rid}/decision" in doc["paths"]
    assert "/api/v1/intake/sources/{source_id}/confirm" in doc["paths"]
    validate(doc)  # a valid OpenAPI 3 document, not just JSON
    item_in = doc["components"]["schemas"]["ItemIn"]
    assert {"title", "lead_department", "deadline"} <= set(item_in["required"])
    assert item_in["properties"]["category"]["enum"] == ["routine", "urgent", "key", "difficult"]


def test_pages_escape_user_text(sqlite_url, make_system, web_config_port):
    system = make_system(sqlite_url)
    person = seed_directory(system.http)
    evil = "<script>alert('x')</script>"
    item = system.http.post("/api/v1/items", json={
        "title": evil, "content": evil, "lead_department": "FIN", "responsible_person": person,
        "deadline": Clock().today().isoformat()}).json()
    # the pages want a signed-in person: without one, the sign-in page
    anonymous = requests.get("http://127.0.0.1:{}/".format(web_config_port),
                             allow_redirects=False, timeout=10)
    assert anonymous.status_code == 303 and anonymous.headers["Location"].startswith("/signin")
    sign_in_to_pages(system.http, "HQ")
    page = system.http.get("/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert evil not in page.text and "&lt;script&gt;" in page.text
    detail = system.http.get("/items/{}".format(item["id"]))
    assert detail.status_code == 200 and item["number"] in detail.text
    assert evil not in detail.text
    assert system.http.get("/items/nope").status_code == 404


def test_contact_and_substitutes_are_audited(sqlite_url, make_system):
    system = make_system(sqlite_url)
    http = system.http
    contact = seed_directory(http)
    sub = http.post("/api/v1/people", json={"name": "王五", "mobile": "13900003333",
                                            "org_unit": "FIN"}).json()["id"]
    outsider = http.post("/api/v1/people", json={"name": "赵六", "mobile": "13900004444",
                                                 "org_unit": "HR"}).json()["id"]
    r = http.put("/api/v1/org-units/FIN/contact", json={"person": contact, "substitutes": [sub]})
    assert r.status_code == 200, r.text
    assert r.json()["contact"]["id"] == contact and r.json()["substitutes"][0]["id"] == sub
    bad = http.put("/api/v1/org-units/FIN/contact", json={"person": outsider, "substitutes": []})
    assert bad.status_code == 422 and "person" in bad.json()["error"]["fields"]
    changes = http.get("/api/v1/directory/changes").json()["changes"]
    assert changes[0]["action"] == "contact_changed" and changes[0]["key"] == "FIN"
    events = http.get("/api/v1/events", params={"type": "org_unit.contact_changed"}).json()
    assert len(events["events"]) == 1


def test_aliases_are_maintained_and_audited(sqlite_url, make_system):
    system = make_system(sqlite_url)
    http = system.http
    seed_directory(http)
    r = http.patch("/api/v1/org-units/FIN", json={"aliases": ["财务", "计财部", "财务"]})
    assert r.status_code == 200, r.text
    assert r.json()["aliases"] == ["财务", "计财部"]
    assert http.patch("/api/v1/org-units/FIN", json={}).status_code == 422
    assert http.patch("/api/v1/org-units/NOPE", json={"name": "x"}).status_code == 404
    changes = http.get("/api/v1/directory/changes").json()["changes"]
    assert changes[0]["action"] == "updated" and changes[0]["changes"]["before"]["aliases"] == []


def test_a_request_the_caller_gave_up_on_does_not_run_later(sqlite_url, make_system):
    """503 means it did not happen: the queued request expires instead of running later."""
    system = make_system(sqlite_url, intake=True, RPC_TIMEOUT_SECONDS=1)
    http = system.http
    http.post("/api/v1/org-units", json={"code": "HQ", "name": "集团", "kind": "group"})
    http.post("/api/v1/org-units", json={"code": "FIN", "name": "财务部", "kind": "department",
                                         "parent": "HQ"})
    system.intake.stop()
    today = Clock().today().isoformat()
    # with intake stopped its queue still exists, so the request waits there
    r = http.post("/api/v1/intake/assignments", json={"assignments": [
        {"leader": "陈总", "place": "车间", "date": today, "department": "财务部",
         "task": "核对费用", "deadline": today, "settled": False}]})
    assert r.status_code == 503
    time.sleep(1.5)  # past the expiry
    restarted = system.intake.__class__(system.intake.service_cls, system.intake.config)
    restarted.start()
    try:
        time.sleep(1.0)
        assert http.get("/api/v1/intake/sources").json()["sources"] == []
    finally:
        restarted.stop()


def test_a_request_still_running_when_the_caller_gives_up_does_not_commit(
        sqlite_url, make_system, monkeypatch):
    """503 means it did not happen, also for a request that was already running: the
    service does not commit after the caller's deadline, so a retry is no duplicate."""
    system = make_system(sqlite_url, RPC_TIMEOUT_SECONDS=2)
    http = system.http
    http.post("/api/v1/org-units", json={"code": "HQ", "name": "集团", "kind": "group"})
    monkeypatch.setenv("DUBAN_DELAYS", "uow.before_commit=2.5")  # a slow database
    r = http.post("/api/v1/org-units", json={"code": "FIN", "name": "财务部",
                                             "kind": "department", "parent": "HQ"})
    assert r.status_code == 503
    time.sleep(1.5)  # the slow commit would have happened by now
    monkeypatch.delenv("DUBAN_DELAYS")
    assert [u["code"] for u in http.get("/api/v1/org-units").json()["org_units"]] == ["HQ"]
    r = http.post("/api/v1/org-units", json={"code": "FIN", "name": "财务部",
                                             "kind": "department", "parent": "HQ"})
    assert r.status_code == 201  # the retry is the only one


def test_pages_answer_bad_queries_with_a_page_not_a_traceback(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed_directory(http)
    csrf = sign_in_to_pages(http, "HQ")
    for path in ("/?page=99999999999999999999", "/?overdue=maybe&department=NOPE",
                 "/?deadline_from=2026/12/31", "/items/" + "9" * 40, "/intake/sources/nope"):
        r = http.get(path)
        assert r.status_code < 500, (path, r.status_code, r.text[:200])
        assert r.headers["Content-Type"].startswith("text/html"), path
        assert "Traceback" not in r.text and "Error(" not in r.text, path
    r = http.post("/intake/sources/nope/drafts/nope", data={"deadline": "tomorrow",
                                                            "csrf": csrf})
    assert r.status_code in (404, 422) and "Traceback" not in r.text
    # a form posted without the session's CSRF token (another site's page) changes nothing
    r = http.post("/intake", data={"text": "x", "meeting_date": "2030-01-01"})
    assert r.status_code == 403 and "来自其他网站" in r.text

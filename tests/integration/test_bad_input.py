"""Every kind of bad input gets a 4xx in the one error shape and writes nothing."""
import datetime as dt

import pytest

from shared.clock import Clock

from tests.integration.conftest import seed_directory

pytestmark = pytest.mark.integration

TODAY = Clock().today()


def good_item(person):
    return {"title": "编制预算", "lead_department": "FIN", "responsible_person": person,
            "deadline": (TODAY + dt.timedelta(days=20)).isoformat()}


def with_(person, **over):
    body = good_item(person)
    for key, value in over.items():
        if value is DROP:
            body.pop(key)
        else:
            body[key] = value
    return body


DROP = object()

# (name, method, path template, body builder or raw bytes, expected status, field or None)
CASES = [
    ("malformed json", "post", "/api/v1/items", b'{"title": "x",', 400, "_body"),
    ("json array body", "post", "/api/v1/items", b"[1, 2]", 400, "_body"),
    ("unknown department", "post", "/api/v1/items",
     lambda p: with_(p, lead_department="NOPE"), 422, "lead_department"),
    ("unknown co-department", "post", "/api/v1/items",
     lambda p: with_(p, co_departments=["HR", "GHOST"]), 422, "co_departments"),
    ("missing deadline", "post", "/api/v1/items", lambda p: with_(p, deadline=DROP), 422,
     "deadline"),
    ("impossible deadline", "post", "/api/v1/items", lambda p: with_(p, deadline="2026-02-30"),
     422, "deadline"),
    ("deadline in the past", "post", "/api/v1/items",
     lambda p: with_(p, deadline=(TODAY - dt.timedelta(days=1)).isoformat()), 422, "deadline"),
    ("oversized title", "post", "/api/v1/items", lambda p: with_(p, title="长" * 201), 422, "title"),
    ("oversized content", "post", "/api/v1/items", lambda p: with_(p, content="字" * 10001), 422,
     "content"),
    ("oversized body", "post", "/api/v1/items", b'{"title": "' + b"x" * (1024 * 1024 + 10) + b'"}',
     413, None),
    ("deadline wrong type", "post", "/api/v1/items", lambda p: with_(p, deadline=20261231), 422,
     "deadline"),
    ("co-departments wrong type", "post", "/api/v1/items",
     lambda p: with_(p, co_departments="HR"), 422, "co_departments"),
    ("person id as string", "post", "/api/v1/items",
     lambda p: with_(p, responsible_person=str(p)), 422, "responsible_person"),
    ("unknown person", "post", "/api/v1/items", lambda p: with_(p, responsible_person=99999), 422,
     "responsible_person"),
    ("unknown field", "post", "/api/v1/items", lambda p: with_(p, colour="red"), 422, "colour"),
    ("bad category", "post", "/api/v1/items", lambda p: with_(p, category="whenever"), 422,
     "category"),
    ("empty title", "post", "/api/v1/items", lambda p: with_(p, title="   "), 422, "title"),
    ("illegal transition", "post", "/api/v1/items/{item}/accept", lambda p: {}, 409, "status"),
    ("unknown item", "get", "/api/v1/items/00000000-0000-0000-0000-000000000000", None, 404, None),
    ("action on unknown item", "post", "/api/v1/items/nope/issue", lambda p: {}, 404, None),
    ("feedback progress over 100", "post", "/api/v1/items/{item}/feedback",
     lambda p: {"progress": 150, "content": "x"}, 422, "progress"),
    ("feedback before issue", "post", "/api/v1/items/{item}/feedback",
     lambda p: {"progress": 10, "content": "x"}, 409, "status"),
    ("decision on unknown request", "post", "/api/v1/items/{item}/extension-requests/77/decision",
     lambda p: {"approved": True}, 404, None),
    ("decision with a non-boolean", "post", "/api/v1/items/{item}/extension-requests/1/decision",
     lambda p: {"approved": "yes"}, 422, "approved"),
    ("evaluate with a string", "post", "/api/v1/items/{item}/evaluate",
     lambda p: {"quality": "90"}, 422, "quality"),
    ("bad query parameter", "get", "/api/v1/items?page=abc", None, 422, "page"),
    ("unknown query parameter", "get", "/api/v1/items?colour=red", None, 422, "colour"),
    ("unknown org unit parent", "post", "/api/v1/org-units",
     lambda p: {"code": "X1", "name": "X", "kind": "department", "parent": "NOPE"}, 422, "parent"),
    ("duplicate org unit code", "post", "/api/v1/org-units",
     lambda p: {"code": "FIN", "name": "again", "kind": "department", "parent": "HQ"}, 409, "code"),
    ("bad mobile", "post", "/api/v1/people", 
     lambda p: {"name": "张三", "mobile": "12345", "org_unit": "FIN"}, 422, "mobile"),
    ("unknown role", "post", "/api/v1/people",
     lambda p: {"name": "张三", "mobile": "13900002222", "org_unit": "FIN", "roles": ["god"]}, 422,
     "roles"),
    ("unknown endpoint", "post", "/api/v1/nothing-here", lambda p: {}, 404, None),
]


@pytest.fixture(scope="module")
def _cases():
    return CASES


def snapshot(http):
    items = http.get("/api/v1/items", params={"page_size": 200}).json()
    events = http.get("/api/v1/events", params={"limit": 1000}).json()["events"]
    units = http.get("/api/v1/org-units").json()["org_units"]
    people = http.get("/api/v1/people").json()["people"]
    return (items["total"], [(i["id"], i["status"], i["version"]) for i in items["items"]],
            len(events), len(units), len(people))


def test_bad_input_is_refused_in_one_shape_and_changes_nothing(sqlite_url, make_system):
    system = make_system(sqlite_url)
    http = system.http
    person = seed_directory(http)
    item = http.post("/api/v1/items", json=good_item(person)).json()
    failures = []
    for name, method, path, body, status, field in CASES:
        before = snapshot(http)
        url = path.format(item=item["id"])
        if isinstance(body, bytes):
            resp = http.request(method, url, data=body, headers={"Content-Type": "application/json"})
        elif body is None:
            resp = http.request(method, url)
        else:
            resp = http.request(method, url, json=body(person))
        problem = None
        try:
            payload = resp.json()
        except ValueError:
            payload = None
            problem = "not JSON: {!r}".format(resp.text[:80])
        if problem is None:
            err = payload.get("error") if isinstance(payload, dict) else None
            if resp.status_code != status:
                problem = "status {} != {}: {}".format(resp.status_code, status, resp.text[:200])
            elif not err or set(err) != {"code", "message", "fields"} or not err["message"]:
                problem = "not the error shape: {}".format(payload)
            elif field and field not in err["fields"]:
                problem = "field {} not named: {}".format(field, err["fields"])
            elif "Traceback" in resp.text:
                problem = "traceback leaked"
        if snapshot(http) != before:
            problem = (problem or "") + " / it changed stored state"
        if problem:
            failures.append("{}: {}".format(name, problem))
    assert not failures, "\n".join(failures)


def test_illegal_transition_message_names_the_current_state(sqlite_url, make_system):
    system = make_system(sqlite_url)
    person = seed_directory(system.http)
    item = system.http.post("/api/v1/items", json=good_item(person)).json()
    resp = system.http.post("/api/v1/items/{}/complete".format(item["id"]), json={})
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["code"] == "illegal_transition"
    assert "registered" in err["message"]


def test_errors_tell_people_what_to_fix(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    person = seed_directory(http)
    r = http.post("/api/v1/items", json=with_(person, deadline="2026/12/31"))
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["error"]["fields"]["deadline"][0]
    r = http.get("/api/v1/items", params={"department": "NOPE"})
    assert r.status_code == 422 and "NOPE" in r.json()["error"]["fields"]["department"][0]
    r = http.post("/api/v1/intake/minutes", json={"text": "  ", "meeting_date": "2026-11-02"})
    assert r.status_code == 422 and "text" in r.json()["error"]["fields"]
    iid = http.post("/api/v1/items", json=good_item(person)).json()["id"]
    r = http.post("/api/v1/items/{}/feedback".format(iid), json={"progress": 5, "content": "x"})
    message = r.json()["error"]["message"]
    assert r.status_code == 409 and "registered" in message and "issued or in_progress" in message
    for value in ("²", "1e3", "二〇二六"):
        r = http.post("/api/v1/intake/goals", data={"year": value},
                      files={"file": ("goals.csv", "目标,节点,责任单位,时限\n".encode(), "text/csv")})
        assert r.status_code == 422 and "year" in r.json()["error"]["fields"], (value, r.text)
    for path in ("/api/v1/events?after=99999999999999999999",
                 "/api/v1/items?page=9223372036854775807"):
        r = http.get(path)
        assert r.status_code == 422 and r.json()["error"]["code"] == "validation_failed", path
    for huge in (2 ** 63, 2 ** 64):
        r = http.post("/api/v1/items/{}/feedback/{}/assessment".format(iid, huge),
                      json={"accurate": True})
        assert r.status_code == 404, r.text
        r = http.post("/api/v1/items/{}/extension-requests/{}/decision".format(iid, huge),
                      json={"approved": True})
        assert r.status_code == 404, r.text
        r = http.post("/api/v1/items", json=good_item(huge))
        assert r.status_code == 422 and "responsible_person" in r.json()["error"]["fields"]
        r = http.put("/api/v1/org-units/FIN/contact", json={"person": huge})
        assert r.status_code == 422 and "person" in r.json()["error"]["fields"]


def test_a_list_refuses_a_query_parameter_it_does_not_take(sqlite_url, make_system):
    """A filter a list does not have must not answer with the whole list as if it had
    filtered: 422 naming the parameter and what the list takes."""
    http = make_system(sqlite_url, intake=True, appraisal=True).http
    seed_directory(http)
    for path, takes, good in (
            ("/api/v1/people", "org_unit", "?org_unit=FIN"),
            ("/api/v1/tokens", "all", "?all=true"),
            ("/api/v1/org-units", "none", ""),
            ("/api/v1/directory/changes", "none", ""),
            ("/api/v1/intake/sources", "none", ""),
            ("/api/v1/admin/dead-letters/tracking", "all", "?all=true"),
            ("/api/v1/appraisals", "org", "?org=HQ"),
            ("/api/v1/reports", "org", "?org=HQ")):
        r = http.get(path + "?kind=minutes&org_unit=FIN" if takes != "org_unit"
                     else path + "?department=FIN")
        assert r.status_code == 422, (path, r.text)
        error = r.json()["error"]
        assert error["code"] == "validation_failed" and "Unknown query parameter" in \
            error["message"], path
        assert all(v == ["unknown query parameter; this list takes: " + takes]
                   for v in error["fields"].values()), (path, error)
        assert http.get(path + good).status_code == 200, path

"""Several groups in one deployment: own numbers, own formats, no crossing; corrections,
directory rules and office calendars over HTTP, on both databases."""
import datetime as dt

import pytest

from shared.clock import Clock

pytestmark = pytest.mark.integration


def post(http, path, body, status=201):
    r = http.post(path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def second_group(http, number_format=None):
    """A group with a subsidiary and two departments, as a new office would set it up."""
    body = {"code": "NORTH", "name": "北方能源集团", "kind": "group"}
    if number_format:
        body["number_format"] = number_format
    post(http, "/api/v1/org-units", body)
    post(http, "/api/v1/org-units", {"code": "N-SUB", "name": "北方电力公司",
                                     "kind": "subsidiary", "parent": "NORTH"})
    post(http, "/api/v1/org-units", {"code": "N-FIN", "name": "财务部", "kind": "department",
                                     "parent": "N-SUB"})
    post(http, "/api/v1/org-units", {"code": "N-SAFE", "name": "安全环保部",
                                     "kind": "department", "parent": "N-SUB"})
    return post(http, "/api/v1/people", {"name": "赵北", "mobile": "13700001234",
                                         "org_unit": "N-FIN"})["id"]


def item(lead, **over):
    body = {"title": "年度预算", "lead_department": lead,
            "deadline": (Clock().today() + dt.timedelta(days=20)).isoformat()}
    body.update(over)
    return body


def test_two_groups_number_their_items_side_by_side(db_url, make_system):
    system = make_system(db_url)
    http = system.http
    from tests.integration.conftest import seed_directory
    seed_directory(http)  # the demo-like group HQ
    person = second_group(http)
    year = Clock().today().year
    hq = post(http, "/api/v1/items", item("FIN"))
    north = post(http, "/api/v1/items", item("N-FIN", responsible_person=person,
                                             co_departments=["N-SAFE"]))
    assert hq["number"] == north["number"] == "DB-{}-0001".format(year)
    assert (hq["org_id"], north["org_id"]) == ("HQ", "NORTH")
    assert north["org_path"] == ["NORTH", "N-SUB", "N-FIN"]
    # every path that searches a number agrees: both, or the group's own
    found = http.get("/api/v1/items", params={"number": hq["number"]}).json()
    assert sorted(i["org_id"] for i in found["items"]) == ["HQ", "NORTH"]
    only = http.get("/api/v1/items", params={"number": hq["number"], "org": "NORTH"}).json()
    assert [i["id"] for i in only["items"]] == [north["id"]]
    assert http.get("/api/v1/items", params={"q": "DB-"}).json()["total"] == 2
    # a department of another group cannot co-operate
    r = http.post("/api/v1/items", json=item("N-FIN", co_departments=["HR"]))
    assert r.status_code == 422 and "co_departments" in r.json()["error"]["fields"]
    r = http.get("/api/v1/items", params={"org": "NOPE"})
    assert r.status_code == 422 and "org" in r.json()["error"]["fields"]


def test_a_group_numbers_in_its_own_format(sqlite_url, make_system):
    http = make_system(sqlite_url).http
    second_group(http, number_format="督〔{year}〕{seq}号")
    year = Clock().today().year
    numbers = [post(http, "/api/v1/items", item("N-FIN"))["number"] for _ in range(2)]
    assert numbers == ["督〔{}〕1号".format(year), "督〔{}〕2号".format(year)]
    r = http.patch("/api/v1/org-units/NORTH", json={"number_format": "北-{seq}"})
    assert r.status_code == 422 and "{year}" in str(r.json()["error"]["fields"])
    r = http.patch("/api/v1/org-units/N-FIN", json={"number_format": "{year}-{seq}"})
    assert r.status_code == 422  # a department does not number items
    r = http.patch("/api/v1/org-units/NORTH", json={"number_format": "NE-{year}-{seq:05d}"})
    assert r.status_code == 200 and r.json()["number_format"] == "NE-{year}-{seq:05d}"
    assert post(http, "/api/v1/items", item("N-FIN"))["number"] == "NE-{}-00003".format(year)


def test_items_are_corrected_with_before_and_after(db_url, make_system):
    system = make_system(db_url)
    http = system.http
    person = second_group(http)
    other = post(http, "/api/v1/people", {"name": "钱安", "mobile": "13700005678",
                                          "org_unit": "N-SAFE"})["id"]
    created = post(http, "/api/v1/items", item("N-FIN", responsible_person=person))
    iid = created["id"]
    r = http.patch("/api/v1/items/" + iid, json={
        "title": "年度预算（修订）", "lead_department": "N-SAFE", "responsible_person": other,
        "category": "key", "feedback_cadence": "weekly", "reason": "会议纪要更正"})
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["title"] == "年度预算（修订）" and view["lead_department"]["code"] == "N-SAFE"
    assert view["responsible_person"]["id"] == other and view["category"] == "key"
    assert view["number"] == created["number"]
    history = http.get("/api/v1/items/{}/history".format(iid)).json()["history"]
    update = history[-1]
    assert update["action"] == "update" and update["reason"] == "会议纪要更正"
    assert update["changes"]["title"] == ["年度预算", "年度预算（修订）"]
    assert update["changes"]["lead_department"][0]["code"] == "N-FIN"
    assert update["changes"]["lead_department"][1]["code"] == "N-SAFE"
    keys = [k for k, _ in system.tap.wait_for(2)]
    assert keys == ["item.registered", "item.updated"]
    assert system.tap.messages[1][1]["data"]["change"]["fields"]["category"] == ["routine", "key"]
    # the deadline has its own path, a lead outside the group is refused, nothing changes
    for body, field in (({"deadline": "2030-01-01"}, "deadline"),
                        ({"lead_department": "N-FIN"}, "responsible_person"),
                        ({}, "_schema")):
        r = http.patch("/api/v1/items/" + iid, json=body)
        assert r.status_code == 422 and field in r.json()["error"]["fields"], (body, r.text)
    assert http.get("/api/v1/items/" + iid).json()["version"] == view["version"]
    http.post("/api/v1/items/{}/cancel".format(iid), json={"reason": "撤销"})
    r = http.patch("/api/v1/items/" + iid, json={"title": "晚了"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "illegal_transition"


def test_directory_rules(sqlite_url, make_system):
    http = make_system(sqlite_url).http
    person = second_group(http)
    # the responsible person belongs to the lead department, or the item says why not
    r = http.post("/api/v1/items", json=item("N-SAFE", responsible_person=person))
    assert r.status_code == 422 and "responsible_person" in r.json()["error"]["fields"]
    ok = http.post("/api/v1/items", json=item("N-SAFE", responsible_person=person,
                                              responsible_person_reason="财务牵头协调"))
    assert ok.status_code == 201 and ok.json()["responsible_person_reason"] == "财务牵头协调"
    # a second person with a mobile already on file: 409 naming the holder
    r = http.post("/api/v1/people", json={"name": "赵北二", "mobile": "+86 137-0000-1234"[:3]
                                          + "13700001234", "org_unit": "N-SAFE"})
    assert r.status_code == 409 and "赵北" in r.json()["error"]["message"]
    assert len(http.get("/api/v1/people").json()["people"]) == 1
    # head and supervising leader of a department, shown in the item snapshot
    leader = post(http, "/api/v1/people", {"name": "孙总", "mobile": "13700009999",
                                           "org_unit": "NORTH", "roles": ["leader"]})["id"]
    r = http.patch("/api/v1/org-units/N-FIN", json={"head": person, "leader": leader})
    assert r.status_code == 200 and r.json()["leader"]["name"] == "孙总"
    r = http.patch("/api/v1/org-units/N-SAFE", json={"head": person})
    assert r.status_code == 422 and "head" in r.json()["error"]["fields"]  # not of N-SAFE
    view = post(http, "/api/v1/items", item("N-FIN"))
    assert view["lead_department"]["head"]["id"] == person
    assert view["lead_department"]["leader"]["id"] == leader


def test_office_calendar_moves_deadlines_and_is_validated(db_url, make_system):
    http = make_system(db_url).http
    second_group(http)
    year = Clock().today().year + 1
    # a Wednesday of next year declared a holiday by the office, the Saturday after a workday
    wednesday = dt.date(year, 3, 1)
    while wednesday.weekday() != 2:
        wednesday += dt.timedelta(days=1)
    saturday = wednesday + dt.timedelta(days=3)
    r = http.put("/api/v1/calendar/{}".format(year), json={"org": "NORTH", "days": [
        {"date": wednesday.isoformat(), "kind": "holiday", "name": "厂庆"},
        {"date": saturday.isoformat(), "kind": "workday", "name": "调休"}]})
    assert r.status_code == 200, r.text
    assert r.json()["known"] is True and len(r.json()["days"]) == 2
    shown = http.get("/api/v1/calendar", params={"year": year, "org": "NORTH"}).json()
    assert [d["kind"] for d in shown["days"]] == ["holiday", "workday"]
    view = post(http, "/api/v1/items", item("N-FIN", deadline=wednesday.isoformat()))
    assert view["due_by"] == (wednesday + dt.timedelta(days=1)).isoformat()
    # the table is replaced as a whole; open items follow
    r = http.put("/api/v1/calendar/{}".format(year), json={"org": "NORTH", "days": []})
    assert r.status_code == 200
    assert http.get("/api/v1/items/" + view["id"]).json()["due_by"] == wednesday.isoformat()
    for body, field in (({"days": [{"date": "{}-01-01".format(year + 1), "kind": "holiday"}]},
                         "days"),
                        ({"days": [{"date": wednesday.isoformat(), "kind": "festival"}]}, "days"),
                        ({"org": "N-FIN", "days": []}, "org"),
                        ({"days": [{"date": "2027/01/01", "kind": "holiday"}]}, "days")):
        r = http.put("/api/v1/calendar/{}".format(year), json=body)
        assert r.status_code == 422 and field in r.json()["error"]["fields"], (body, r.text)
    assert http.get("/api/v1/calendar", params={"year": "abc"}).status_code == 422


def test_feedback_is_due_on_the_cadence(sqlite_url, make_system):
    http = make_system(sqlite_url).http
    person = second_group(http)
    today = Clock().today()
    view = post(http, "/api/v1/items", item("N-FIN", responsible_person=person,
                                            feedback_cadence="weekly",
                                            deadline=(today + dt.timedelta(days=60)).isoformat()))
    assert view["feedback_due_on"] is None  # nothing is due before the item is issued
    issued = http.post("/api/v1/items/{}/issue".format(view["id"]), json={}).json()
    assert issued["issued_on"] == today.isoformat()
    first_due = dt.date.fromisoformat(issued["feedback_due_on"])
    assert today + dt.timedelta(days=7) <= first_due <= today + dt.timedelta(days=14)
    http.post("/api/v1/items/{}/feedback".format(view["id"]), json={"progress": 10,
                                                                   "content": "启动"})
    after = http.get("/api/v1/items/" + view["id"]).json()
    assert after["last_feedback_on"] == today.isoformat()
    assert after["feedback_due_on"] == first_due.isoformat()  # the next report is still due then


def test_departments_by_name_or_alias_as_people_type_them(sqlite_url, make_system):
    http = make_system(sqlite_url).http
    from tests.integration.conftest import seed_directory
    seed_directory(http)  # HQ with 财务部 (FIN)
    second_group(http)    # NORTH with another 财务部 (N-FIN)
    http.patch("/api/v1/org-units/HR", json={"aliases": ["人事部"]})
    r = http.post("/api/v1/items", json=item("N-FIN", co_departments=["安全环保部", "财务部"]))
    assert r.status_code == 422  # the lead itself, found by name inside its own group
    r = http.post("/api/v1/items", json=item("N-SAFE", co_departments=["财务部"]))
    assert r.status_code == 201, r.text
    assert r.json()["co_departments"] == [{"code": "N-FIN", "name": "财务部"}]
    r = http.post("/api/v1/items", json=item("人事部", co_departments=["财务部"]))
    assert r.status_code == 201, r.text
    assert r.json()["lead_department"]["code"] == "HR"
    assert r.json()["co_departments"][0]["code"] == "FIN"
    r = http.post("/api/v1/items", json=item("财务部"))
    assert r.status_code == 422
    assert "FIN, N-FIN" in r.json()["error"]["fields"]["lead_department"][0]
    r = http.get("/api/v1/items", params={"department": "财务部", "org": "NORTH"})
    assert r.status_code == 200 and r.json()["total"] == 1
    r = http.post("/api/v1/items", json=item("后勤部"))
    assert r.status_code == 422
    assert "code such as FIN" in r.json()["error"]["fields"]["lead_department"][0]

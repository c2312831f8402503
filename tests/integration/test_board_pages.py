"""The supervising side's pages, through the gateway against the real services: the
ledger (督办台账) and its .xlsx export, the dashboard (督办看板), the admin pages (系统管理)
and the reports (通报考核), signed in as each role."""
import datetime as dt
import io
import re

import pytest
import requests
from openpyxl import load_workbook

from services.gateway import auth, ledger_pages
from shared.clock import FixedClock
from tests.conftest import ADMIN_TOKEN
from tests.integration.test_access import World

pytestmark = pytest.mark.integration
EVIL = "<script>alert('x')</script>"
MONDAY = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.timezone.utc)  # 09:00 in Shanghai


class Browser:
    """One person's page session: the session cookie of a sign-in, and its CSRF token."""

    def __init__(self, port, secret):
        self.base = "http://127.0.0.1:{}".format(port)
        self.session = requests.Session()
        self.session.headers["Cookie"] = "{}={}".format(auth.COOKIE, secret)
        self.csrf = auth.csrf_token(secret)

    def get(self, path, **kwargs):
        return self.session.get(self.base + path, timeout=30, allow_redirects=False, **kwargs)

    def post(self, path, data, **kwargs):
        return self.session.post(self.base + path, data=dict(data, csrf=self.csrf), timeout=30,
                                 allow_redirects=False, **kwargs)


def browsers(world, port):
    return {role: Browser(port, secret) for role, secret in world.tokens.items()}


def register(http, title, lead, deadline, co=(), person=None):
    body = {"title": title, "content": "内容", "lead_department": lead,
            "co_departments": list(co), "deadline": deadline.isoformat()}
    if person:
        body["responsible_person"] = person
    r = http.post("/api/v1/items", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def finish(http, item):
    """Issue, accept, request completion and complete an item (the platform admin)."""
    path = "/api/v1/items/{}/".format(item["id"])
    for step, body in (("issue", {}), ("accept", {}), ("completion-request", {"summary": "完成"}),
                       ("complete", {})):
        r = http.post(path + step, json=body)
        assert r.status_code == 200, r.text


def rows(page):
    return re.findall(r'<tr class="row-(\w+)">', page.text)


@pytest.fixture()
def ledger_world(sqlite_url, make_system, web_config_port):
    """Items due on known days, looked at two weeks later (Monday 16 November 2026)."""
    clock = FixedClock(MONDAY)
    system = make_system(sqlite_url, clock=clock)
    world = World(system.http)
    made = {
        "fin_late": register(system.http, "财务逾期事项", "FIN", dt.date(2026, 11, 3)),
        "hr_late": register(system.http, "人事逾期事项", "HR", dt.date(2026, 11, 4)),
        "fin_soon": register(system.http, "财务临期事项", "FIN", dt.date(2026, 11, 20)),
        "evil": register(system.http, EVIL, "FIN", dt.date(2026, 12, 31)),
        "co": register(system.http, "人事牵头财务协办", "HR", dt.date(2026, 12, 30), co=["FIN"]),
        "done": register(system.http, "已完成事项", "FIN", dt.date(2026, 11, 6)),
    }
    finish(system.http, made["done"])          # completed on 2 November: on time
    clock.advance(days=14)
    for name in world.tokens:                  # the sessions of two weeks ago have ended
        if name != "platform":
            world.tokens[name] = world.sign_in(name)
    return system, world, made, browsers(world, web_config_port)


def test_ledger_shows_red_yellow_green_in_words_with_a_legend(ledger_world):
    system, world, made, people = ledger_world
    page = people["office"].get("/")
    assert page.status_code == 200
    assert sorted(rows(page)) == ["green", "green", "none", "red", "red", "yellow"]
    for word in ("逾期", "临期", "正常", "红：已逾期", "黄：7天内到期，尚未办结"):
        assert word in page.text, word
    assert EVIL not in page.text and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    english = people["office"].get("/?lang=en&overdue=true")
    assert "Overdue" in english.text and "Red: overdue" in english.text
    assert english.cookies.get("duban_lang") == "en"
    # the switch back keeps the filter
    assert 'href="?overdue=true&amp;lang=zh"' in english.text


def test_ledger_filters_by_department_name_status_dates_and_text(ledger_world):
    system, world, made, people = ledger_world
    office = people["office"]
    assert rows(office.get("/?overdue=true")) == ["red", "red"]
    by_name = office.get("/?department=财务部")      # a name, as people type it
    assert len(rows(by_name)) == 5 and '<datalist id="units">' in by_name.text
    assert '<option value="财务部">FIN</option>' in by_name.text
    assert len(rows(office.get("/?department=HR"))) == 2
    assert rows(office.get("/?status=completed")) == ["none"]
    ranged = office.get("/?deadline_from=2026-11-04&deadline_to=2026-11-30")
    assert sorted(rows(ranged)) == ["none", "red", "yellow"]
    found = office.get("/?q=临期")
    assert rows(found) == ["yellow"] and made["fin_soon"]["number"] in found.text


def test_an_unknown_department_name_is_said_so_on_the_page(ledger_world):
    system, world, made, people = ledger_world
    page = people["office"].get("/?department=不存在的部门")
    assert page.status_code == 422 and "Traceback" not in page.text
    assert "没有这个部门" in page.text and "department" in page.text
    assert 'aria-invalid="true"' in page.text and rows(page) == []
    assert 'value="不存在的部门"' in page.text  # what was typed stays in the field


def test_a_contact_sees_only_their_departments_items(ledger_world):
    system, world, made, people = ledger_world
    page = people["contact"].get("/")   # the finance department's contact
    numbers = set(re.findall(r">(DB-[^<]+)</a>", page.text))
    assert numbers == {made[k]["number"] for k in ("fin_late", "fin_soon", "evil", "co", "done")}


def test_ledger_pages_through_the_results(sqlite_url, make_system, web_config_port):
    system = make_system(sqlite_url)
    world = World(system.http)
    deadline = dt.date.today() + dt.timedelta(days=60)
    for n in range(23):
        register(system.http, "事项{:02d}".format(n), "FIN", deadline)
    office = browsers(world, web_config_port)["office"]
    first = office.get("/?department=FIN")
    assert len(rows(first)) == 20 and "1 / 2" in first.text
    assert 'href="?department=FIN&amp;page=2"' in first.text
    second = office.get("/?department=FIN&page=2")
    assert len(rows(second)) == 3 and 'rel="prev"' in second.text


def read_xlsx(response):
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith(ledger_pages.XLSX)
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_the_export_has_the_same_filter_and_reads_back(ledger_world):
    system, world, made, people = ledger_world
    table = read_xlsx(people["office"].get("/ledger.xlsx?overdue=true"))
    assert table[0] == ["编号", "事项", "主办部门", "协办部门", "责任人", "时限", "状态", "红黄绿",
                        "进度", "来源"]
    assert [r[0] for r in table[1:]] == [made["fin_late"]["number"], made["hr_late"]["number"]]
    assert table[1][1:3] == ["财务逾期事项", "财务部"] and table[1][5] == "2026-11-03"
    assert table[1][6] == "立项" and table[1][7] == "红（逾期）" and table[1][8] == "0%"
    everything = read_xlsx(people["office"].get("/ledger.xlsx"))
    co = next(r for r in everything if r[1] == "人事牵头财务协办")
    assert co[2:4] == ["人力资源部", "财务部"] and co[7] == "绿（正常）"
    assert any(r[1] == EVIL for r in everything)  # a cell holds text, as typed


def test_the_export_stops_at_its_cap_and_says_so(ledger_world, monkeypatch):
    system, world, made, people = ledger_world
    monkeypatch.setattr(ledger_pages, "EXPORT_CAP", 3)
    monkeypatch.setattr(ledger_pages, "EXPORT_PAGE", 2)   # so that it reads several pages
    response = people["office"].get("/ledger.xlsx")
    table = read_xlsx(response)
    assert len(table) == 1 + 3 + 1 and table[-1][0] == "仅导出前3项，共6项：请缩小筛选范围。"
    assert response.headers["X-Total-Count"] == "6" and response.headers["X-Exported"] == "3"


def test_the_dashboard_in_each_callers_scope(ledger_world):
    system, world, made, people = ledger_world
    page = people["leader"].get("/dashboard")
    assert page.status_code == 200 and "各部门办理情况" in page.text
    english = people["leader"].get("/dashboard?lang=en").text
    assert "Completion by department" in english and "Trend, last 12 months" in english
    assert EVIL not in page.text
    # the RPC's figures, as the leader and as the finance contact see them
    leader = world.http.get("/api/v1/items?page_size=1", headers=world.as_("leader"))
    assert leader.json()["total"] == 6
    departments = dict(re.findall(r'department=(\w+)">[^<]+</a></td>((?:<td>\d+</td>){5})',
                                  page.text))
    cells = {code: [int(n) for n in re.findall(r"\d+", tds)] for code, tds in departments.items()}
    # on time, late, open, overdue, total
    assert cells == {"FIN": [1, 0, 2, 1, 4], "HR": [0, 0, 1, 1, 2]}
    assert "2026-11" in page.text and "2025-12" in page.text and "2025-11</td>" not in page.text
    contact = people["contact"].get("/dashboard")
    # HR leads an item FIN co-operates on
    assert set(re.findall(r'department=(\w+)">', contact.text)) == {"FIN", "HR"}
    assert contact.text.count('<tr><td><a href="/items/') == 2  # 1 overdue + 1 due soon
    assert "人事逾期事项" not in contact.text and "人事逾期事项" in page.text


def test_the_dashboard_rpc_is_scoped_to_its_caller(ledger_world, rabbit_config):
    """Called on the broker, not through the pages: tracking scopes it by the caller."""
    from nameko.standalone.rpc import ClusterRpcProxy

    from shared.access import Principal
    from shared.errors import ValidationFailed

    system, world, made, people = ledger_world
    callers = {
        "contact": Principal(kind="person", id="person:999", name="某联系人", roles=("contact",),
                             org_id="HQ", organisation="HQ", units=("FIN",)),
        "g2": Principal(kind="person", id="person:998", name="另一集团", roles=("office",),
                        org_id="G2", organisation="G2"),
    }
    answers = {}
    for name, principal in callers.items():
        with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30,
                             context_data={"duban.caller": principal.encode()}) as rpc:
            answers[name] = rpc.tracking.dashboard({"months": 3})
            with pytest.raises(ValidationFailed):
                rpc.tracking.dashboard({"months": 0})
    contact = answers["contact"]
    assert [m["month"] for m in contact["trend"]] == ["2026-09", "2026-10", "2026-11"]
    assert {d["code"]: d["total"] for d in contact["departments"]} == {"FIN": 4, "HR": 1}
    assert [i["number"] for i in contact["overdue"]] == [made["fin_late"]["number"]]
    assert answers["g2"]["departments"] == [] and answers["g2"]["overdue_count"] == 0


def test_the_navigation_follows_the_role(ledger_world):
    system, world, made, people = ledger_world
    nav = {role: re.search(r'<nav class="main-nav">(.*?)</nav>', people[role].get("/").text,
                           re.S).group(1) for role in ("admin", "office", "viewer", "contact")}
    assert 'href="/admin"' in nav["admin"] and 'href="/intake"' in nav["admin"]
    assert 'href="/admin"' not in nav["office"] and 'href="/intake"' in nav["office"]
    assert 'href="/intake"' not in nav["viewer"] and 'href="/reports"' in nav["viewer"]
    assert 'href="/my"' in nav["contact"] and 'href="/reports"' not in nav["contact"]
    assert 'href="/dashboard"' in nav["contact"]
    whoami = people["viewer"].get("/").text
    assert "测试viewer" in whoami and 'href="?lang=en"' in whoami


def test_a_viewer_cannot_reach_the_admin_pages(ledger_world):
    system, world, made, people = ledger_world
    for path in ("/admin", "/admin/tokens", "/admin/dead-letters"):
        page = people["viewer"].get(path)
        assert page.status_code == 403 and "needs admin" in page.text, path
    refused = people["viewer"].post("/admin", {"action": "create_unit", "code": "X",
                                               "name": "X", "kind": "department"})
    assert refused.status_code == 403
    assert "X" not in [u["code"] for u in system.http.get("/api/v1/org-units").json()["org_units"]]


def test_an_admin_maintains_the_directory_on_the_page(ledger_world):
    system, world, made, people = ledger_world
    admin = people["admin"]
    page = admin.get("/admin")
    assert page.status_code == 200 and "财务部" in page.text and "测试contact" in page.text
    assert "另一集团" not in page.text and "测试g2_office" not in page.text  # another group's
    r = admin.post("/admin", {"action": "create_unit", "code": "AUDIT", "name": "审计部<b>",
                              "kind": "department", "parent": "HQ", "aliases": "审计，内审"})
    assert r.status_code == 303, r.text[:300]
    unit = [u for u in system.http.get("/api/v1/org-units").json()["org_units"]
            if u["code"] == "AUDIT"][0]
    assert unit["aliases"] == ["审计", "内审"] and unit["parent"] == "HQ"
    assert "审计部&lt;b&gt;" in admin.get("/admin").text
    r = admin.post("/admin", {"action": "create_person", "name": "新同事", "mobile": "13912345678",
                              "org_unit": "AUDIT", "roles": ["contact"], "username": "xintongshi",
                              "password": "a long enough password"})
    assert r.status_code == 303, r.text[:300]
    person = [p for p in system.http.get("/api/v1/people").json()["people"]
              if p["name"] == "新同事"][0]
    assert person["roles"] == ["contact"] and person["username"] == "xintongshi"
    assert world.sign_in("xintongshi")  # the password works
    r = admin.post("/admin", {"action": "contact", "code": "AUDIT", "person": str(person["id"])})
    assert r.status_code == 303, r.text[:300]
    r = admin.post("/admin", {"action": "aliases", "code": "AUDIT", "aliases": "内审"})
    assert r.status_code == 303
    unit = [u for u in system.http.get("/api/v1/org-units").json()["org_units"]
            if u["code"] == "AUDIT"][0]
    assert unit["contact"]["id"] == person["id"] and unit["aliases"] == ["内审"]
    r = admin.post("/admin", {"action": "deactivate", "person": str(person["id"])})
    assert r.status_code == 303
    assert [p for p in system.http.get("/api/v1/people").json()["people"]
            if p["id"] == person["id"]][0]["active"] is False
    # a mistake shows the service's message, the form keeps what was typed but the password
    bad = admin.post("/admin", {"action": "create_person", "name": "错号码", "mobile": "123",
                                "org_unit": "FIN", "password": "secret password 1"})
    assert bad.status_code == 422 and "mobile" in bad.text and 'value="错号码"' in bad.text
    assert "secret password 1" not in bad.text


def test_an_admin_creates_and_revokes_an_api_token(ledger_world):
    system, world, made, people = ledger_world
    admin = people["admin"]
    r = admin.post("/admin/tokens", {"action": "create", "name": "报表系统<i>",
                                     "roles": ["viewer"], "org": "HQ"})
    assert r.status_code == 201 and r.headers["Cache-Control"] == "no-store"
    secret = re.search(r'<code class="token">(dbn_[^<]+)</code>', r.text).group(1)
    assert "报表系统&lt;i&gt;" in r.text
    me = system.http.get("/api/v1/auth/me", headers={"Authorization": "Bearer " + secret})
    assert me.status_code == 200 and me.json()["roles"] == ["viewer"]
    listing = admin.get("/admin/tokens")
    assert "报表系统&lt;i&gt;" in listing.text and secret not in listing.text  # shown once
    token_id = re.search(r'name="token" value="(\d+)"', listing.text).group(1)
    assert admin.post("/admin/tokens", {"action": "revoke", "token": token_id}).status_code == 303
    gone = system.http.get("/api/v1/auth/me", headers={"Authorization": "Bearer " + secret})
    assert gone.status_code == 401
    bad = admin.post("/admin/tokens", {"action": "create", "name": "无角色"})
    assert bad.status_code == 422 and "roles" in bad.text


def test_dead_letters_are_the_platform_administrators(ledger_world, web_config_port):
    system, world, made, people = ledger_world
    page = people["admin"].get("/admin/dead-letters")
    assert page.status_code == 403 and "Only the platform administrator" in page.text
    platform = Browser(web_config_port, ADMIN_TOKEN)
    listing = platform.get("/admin/dead-letters?service=tracking")
    assert listing.status_code == 200 and "没有待处理的死信" in listing.text
    missing = platform.post("/admin/dead-letters/99", {"service": "tracking",
                                                       "action": "discard", "reason": "测试"})
    assert missing.status_code == 404 and "Traceback" not in missing.text


def test_reports_and_appraisals_pages(sqlite_url, make_system, web_config_port):
    clock = FixedClock(MONDAY)
    system = make_system(sqlite_url, appraisal=True, clock=clock)
    world = World(system.http)
    late = register(system.http, "十一月到期" + EVIL, "FIN", dt.date(2026, 11, 3))
    clock.advance(days=40)  # 12 December: November's report
    for name in world.tokens:
        if name != "platform":
            world.tokens[name] = world.sign_in(name)
    people = browsers(world, web_config_port)

    def settled():
        page = people["leader"].get("/reports?month=2026-11")
        return late["number"] in page.text and page

    from tests.helpers import wait_until
    page = wait_until(settled, timeout=15)
    assert page.status_code == 200 and "财务部" in page.text
    assert EVIL not in page.text and "&lt;script&gt;" in page.text
    docx = people["leader"].get("/reports/monthly.docx?month=2026-11")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "wordprocessingml" in docx.headers["Content-Type"]
    xlsx = people["leader"].get("/reports/monthly.xlsx?month=2026-11")
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx.headers["Content-Type"]
    sheet_text = " ".join(str(c) for row in load_workbook(io.BytesIO(xlsx.content)).active
                          .iter_rows(values_only=True) for c in row if c is not None)
    assert "财务部" in sheet_text
    made = system.http.post("/api/v1/appraisals", json={"period": "2026-H2", "org": "HQ"})
    assert made.status_code == 201, made.text
    listing = people["leader"].get("/reports?month=2026-11")
    link = "/reports/appraisals/{}".format(made.json()["id"])
    assert link in listing.text
    view = people["leader"].get(link)
    assert view.status_code == 200 and "2026-H2" in view.text and "财务部" in view.text
    assert people["leader"].get(link + ".xlsx").status_code == 200
    assert people["leader"].get("/reports/appraisals/nope").status_code == 404
    # a month that is not one is refused, never answered with another month's report
    for path in ("/reports?month=nope", "/reports/monthly.xlsx?month=2026-13",
                 "/reports/monthly.docx?month=2026-1"):
        bad = people["leader"].get(path)
        assert bad.status_code == 422 and "YYYY-MM" in bad.text, path
        assert bad.headers["Content-Type"].startswith("text/html")
    # a month not begun: said on the reports page itself, which keeps its appraisals
    later = people["leader"].get("/reports?month=2099-11")
    assert later.status_code == 422 and "2099年11月尚未开始" in later.text
    assert link in later.text
    assert people["leader"].get("/reports").status_code == 200  # no month: the last one
    refused = people["contact"].get("/reports")
    assert refused.status_code == 403 and "Traceback" not in refused.text


def test_the_platform_administrator_replays_and_discards_on_the_page(
        sqlite_url, make_system, rabbit_config, web_config_port):
    import uuid

    from sqlalchemy import create_engine

    from tests.helpers import publish_event, wait_until
    from tests.integration.conftest import seed_directory
    from tests.integration.test_reliability import draft_envelope

    system = make_system(sqlite_url)
    seed_directory(system.http)
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # a fault of the service's own: its history table is away
        conn.exec_driver_sql("ALTER TABLE item_history RENAME TO item_history_away")
    for title in ("重放的事项", "丢弃的事项<b>"):
        publish_event(rabbit_config["AMQP_URI"], "intake",
                      draft_envelope(str(uuid.uuid4()), title=title))
    platform = Browser(web_config_port, ADMIN_TOKEN)

    def parked():
        page = platform.get("/admin/dead-letters?service=tracking")
        found = set(re.findall(r'action="/admin/dead-letters/(\d+)"', page.text))
        return len(found) == 2 and (page, sorted(found, key=int))

    page, (first, second) = wait_until(parked, message="nothing was parked")
    assert "item_history" in page.text
    with engine.begin() as conn:  # the operator fixes the cause, then replays one
        conn.exec_driver_sql("ALTER TABLE item_history_away RENAME TO item_history")
    engine.dispose()
    r = platform.post("/admin/dead-letters/" + first, {"service": "tracking", "action": "replay"})
    assert r.status_code == 303 and "service=tracking" in r.headers["Location"]
    short = platform.post("/admin/dead-letters/" + second, {"service": "tracking",
                                                            "action": "discard", "reason": ""})
    assert short.status_code == 422 and "reason" in short.text
    r = platform.post("/admin/dead-letters/" + second, {"service": "tracking",
                                                        "action": "discard", "reason": "重复"})
    assert r.status_code == 303
    assert "没有待处理的死信" in platform.get("/admin/dead-letters").text
    titles = [i["title"] for i in system.http.get("/api/v1/items").json()["items"]]
    assert titles == ["重放的事项"]
    again = platform.post("/admin/dead-letters/" + first, {"service": "tracking",
                                                           "action": "replay"})
    assert again.status_code == 409 and "already replayed" in again.text


def test_odd_ledger_queries_get_a_page_not_a_traceback(ledger_world):
    system, world, made, people = ledger_world
    office = people["office"]
    for path in ("/?page=²", "/?page=" + "9" * 5000, "/?page=-1", "/?status=nope",
                 "/?deadline_from=31.12.2026", "/ledger.xlsx?status=nope", "/?q=" + "x" * 500):
        r = office.get(path)
        assert r.status_code in (200, 422), (path, r.status_code)
        assert "Traceback" not in r.text and r.headers["Content-Type"].startswith("text/html")
    assert rows(office.get("/?page=²")) and rows(office.get("/?page=-1"))


def test_an_id_the_database_cannot_hold_is_refused_not_a_crash(ledger_world):
    """DELETE /api/v1/tokens/<2**63> was a 500 (found by the API battery). In a URL's path
    such an id names nothing (404, as an unknown item does); in a form's field it is a
    mistake in the field (422)."""
    system, world, made, people = ledger_world
    for token_id in (str(2 ** 63), "9" * 5000, "²", "0", "abc"):
        r = system.http.delete("/api/v1/tokens/" + token_id)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", r.text
        page = people["admin"].post("/admin/tokens", {"action": "revoke", "token": token_id})
        assert page.status_code == 422 and "not an id" in page.text
    for person_id in (str(2 ** 64), "abc"):
        r = system.http.patch("/api/v1/people/" + person_id, json={"active": False})
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", r.text
    item = made["fin_soon"]["id"]
    for rid in ("abc", "0", "9" * 40):
        r = system.http.post("/api/v1/items/{}/extension-requests/{}/decision".format(item, rid),
                             json={"approved": True})
        assert r.status_code == 404 and r.json()["error"]["message"].startswith(
            "No extension request"), r.text
    assert [p["active"] for p in system.http.get("/api/v1/people").json()["people"]] \
        == [True] * len(system.http.get("/api/v1/people").json()["people"])

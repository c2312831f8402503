"""Sign-in, tokens and the permission matrix: every role × every item action × own and
other scope, through the gateway, against the real services.

Each cell's answer is checked: the action works (2xx), or 403 (seen but not yours to do),
or 404 (not yours to see: its existence must not leak). A refused action changes nothing.
"""
import datetime as dt

import pytest

from shared.clock import Clock
from tests.conftest import ADMIN_TOKEN
from tests.helpers import post_sign_in

pytestmark = pytest.mark.integration
PASSWORD = "a long enough password"

UNITS = [
    {"code": "HQ", "name": "示范集团", "kind": "group"},
    {"code": "OFFICE", "name": "集团办公室", "kind": "department", "parent": "HQ"},
    {"code": "FIN", "name": "财务部", "kind": "department", "parent": "HQ"},
    {"code": "HR", "name": "人力资源部", "kind": "department", "parent": "HQ"},
    {"code": "SUB", "name": "一号子公司", "kind": "subsidiary", "parent": "HQ"},
    {"code": "SUBOFF", "name": "子公司办公室", "kind": "department", "parent": "SUB"},
    {"code": "SUBFIN", "name": "子公司财务部", "kind": "department", "parent": "SUB"},
    {"code": "G2", "name": "另一集团", "kind": "group"},
    {"code": "G2OFF", "name": "另一集团办公室", "kind": "department", "parent": "G2"},
    {"code": "G2FIN", "name": "另一集团财务部", "kind": "department", "parent": "G2"},
]
# role name in this test -> (roles, org unit); "platform" is the bootstrap admin token
PEOPLE = {
    "admin": (["admin"], "OFFICE"), "office": (["office"], "OFFICE"),
    "leader": (["leader"], "OFFICE"), "contact": (["contact"], "FIN"),
    "viewer": (["viewer"], "OFFICE"), "sub_office": (["office"], "SUBOFF"),
    "g2_office": (["office"], "G2OFF"),
}
# scope -> (lead, co-departments)
SCOPES = {"own": ("FIN", []), "co": ("HR", ["FIN"]), "other_dept": ("HR", []),
          "subsidiary": ("SUBFIN", []), "other_group": ("G2FIN", [])}
VISIBLE = {
    "platform": set(SCOPES),
    "admin": {"own", "co", "other_dept", "subsidiary"},
    "office": {"own", "co", "other_dept", "subsidiary"},
    "leader": {"own", "co", "other_dept", "subsidiary"},
    "viewer": {"own", "co", "other_dept", "subsidiary"},
    "contact": {"own", "co"},
    "sub_office": {"subsidiary"},
    "g2_office": {"other_group"},
}
SUPERVISING = {"platform", "admin", "office", "sub_office", "g2_office"}
ASSIGNING = SUPERVISING | {"leader"}

# action -> (state the item must be in, method, path, body)
ACTIONS = {
    "view": ("registered", "get", "", None),
    "history": ("registered", "get", "/history", None),
    "update": ("registered", "patch", "", {"title": "改个标题"}),
    "issue": ("registered", "post", "/issue", {}),
    "accept": ("issued", "post", "/accept", {}),
    "feedback": ("issued", "post", "/feedback", {"progress": 30, "content": "进展顺利"}),
    "extension": ("issued", "post", "/extension-requests",
                  {"new_deadline": None, "reason": "材料未齐", "measures": "加派人手"}),
    "decide_extension": ("extension_pending", "post", "/extension-requests/{rid}/decision",
                         {"approved": True}),
    "assess_feedback": ("feedback_given", "post", "/feedback/{fid}/assessment",
                        {"accurate": True}),
    "request_completion": ("in_progress", "post", "/completion-request", {"summary": "已完成"}),
    "complete": ("completion_requested", "post", "/complete", {}),
    "return": ("completion_requested", "post", "/return", {"reason": "材料不全"}),
    "evaluate": ("completed", "post", "/evaluate", {"quality": 90}),
    "suspend": ("registered", "post", "/suspend", {"reason": "等待批复"}),
    "resume": ("suspended", "post", "/resume", {}),
    "cancel": ("registered", "post", "/cancel", {"reason": "决策调整"}),
}
READS = {"view", "history"}
DEPARTMENT = {"accept", "feedback", "extension", "request_completion"}


def expected(role, scope, action):
    if scope not in VISIBLE[role]:
        return 404
    if action in READS or role in SUPERVISING:
        return "ok"
    if role == "contact" and action in DEPARTMENT:
        return "ok"
    return 403


def deadline(days=20):
    return (Clock().today() + dt.timedelta(days=days)).isoformat()


class World:
    """The two groups, a person per role signed in, and helpers to make items."""

    def __init__(self, http):
        self.http = http
        for body in UNITS:
            assert http.post("/api/v1/org-units", json=body).status_code == 201
        self.tokens = {"platform": ADMIN_TOKEN}
        for n, (name, (roles, unit)) in enumerate(sorted(PEOPLE.items())):
            r = http.post("/api/v1/people", json={
                "name": "测试" + name, "mobile": "1390000{:04d}".format(n), "org_unit": unit,
                "roles": roles, "username": name, "password": PASSWORD})
            assert r.status_code == 201, r.text
            self.tokens[name] = self.sign_in(name)
        # the contact is the finance department's contact person
        contact = [p for p in http.get("/api/v1/people").json()["people"]
                   if p["username"] == "contact"][0]
        assert http.put("/api/v1/org-units/FIN/contact",
                        json={"person": contact["id"]}).status_code == 200

    def sign_in(self, username, password=PASSWORD):
        r = self.http.post("/api/v1/auth/token", json={"username": username, "password": password},
                           headers={"Authorization": ""})
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def as_(self, role):
        return {"Authorization": "Bearer " + self.tokens[role]}

    def item(self, scope, state="registered"):
        """A new item of `scope`, brought to `state` by the platform administrator."""
        lead, co = SCOPES[scope]
        r = self.http.post("/api/v1/items", json={"title": "事项", "lead_department": lead,
                                                  "co_departments": co, "deadline": deadline()})
        assert r.status_code == 201, r.text
        item, extra = r.json(), {}
        path = "/api/v1/items/" + item["id"]
        steps = {"issued": ["issue"], "in_progress": ["issue", "accept"],
                 "completion_requested": ["issue", "accept", "request_completion"],
                 "completed": ["issue", "accept", "request_completion", "complete"],
                 "suspended": ["suspend"], "extension_pending": ["issue"],
                 "feedback_given": ["issue"]}.get(state, [])
        for step in steps:
            _, method, suffix, body = ACTIONS[step]
            assert self.http.post(path + suffix, json=body).status_code in (200, 201)
        if state == "extension_pending":
            r = self.http.post(path + "/extension-requests", json=dict(
                ACTIONS["extension"][3], new_deadline=deadline(40)))
            extra["rid"] = r.json()["id"]
        if state == "feedback_given":
            r = self.http.post(path + "/feedback", json=ACTIONS["feedback"][3])
            extra["fid"] = r.json()["id"]
        return item["id"], extra

    def attempt(self, role, action, item_id, extra):
        _, method, suffix, body = ACTIONS[action]
        if action == "extension":
            body = dict(body, new_deadline=deadline(40))
        url = "/api/v1/items/" + item_id + suffix.format(rid=extra.get("rid", 1),
                                                          fid=extra.get("fid", 1))
        return getattr(self.http, method)(url, json=body, headers=self.as_(role))


@pytest.fixture()
def world(sqlite_url, make_system):
    return World(make_system(sqlite_url).http)


def test_every_role_every_action_own_and_other_scope(world):
    http = world.http
    # one shared item per scope and state for the refused cells: a refusal changes nothing
    shared, wrong = {}, []
    for role in VISIBLE:
        for scope in SCOPES:
            for action, (state, *_rest) in ACTIONS.items():
                want = expected(role, scope, action)
                if want == "ok":
                    item_id, extra = world.item(scope, state)
                else:
                    if (scope, state) not in shared:
                        shared[(scope, state)] = world.item(scope, state)
                    item_id, extra = shared[(scope, state)]
                r = world.attempt(role, action, item_id, extra)
                got = "ok" if r.status_code < 300 else r.status_code
                if got != want:
                    wrong.append((role, scope, action, want, r.status_code, r.text[:120]))
                elif got != "ok":
                    assert r.json()["error"]["code"] == {403: "forbidden", 404: "not_found"}[got]
    assert wrong == []
    for (scope, state), (item_id, _) in shared.items():
        history = http.get("/api/v1/items/{}/history".format(item_id)).json()["history"]
        assert all(h["actor"] == "平台管理员 (platform administrator)" for h in history), \
            (scope, state, history)


def test_lists_show_only_what_each_role_may_see(world):
    made = {scope: world.item(scope)[0] for scope in SCOPES}
    for role, visible in VISIBLE.items():
        listed = world.http.get("/api/v1/items?page_size=100", headers=world.as_(role)).json()
        assert {i["id"] for i in listed["items"]} == {made[s] for s in visible}, role
        assert listed["total"] == len(visible)


@pytest.mark.parametrize("role,lead,want", [
    ("office", "FIN", 201), ("leader", "FIN", 201), ("admin", "SUBFIN", 201),
    ("sub_office", "SUBFIN", 201), ("platform", "G2FIN", 201),
    ("contact", "FIN", 403), ("viewer", "FIN", 403),
    ("sub_office", "FIN", 422), ("office", "G2FIN", 422), ("g2_office", "FIN", 422),
])
def test_who_may_register_an_item_and_for_whom(world, role, lead, want):
    r = world.http.post("/api/v1/items", headers=world.as_(role), json={
        "title": "领导交办", "lead_department": lead, "deadline": deadline()})
    assert r.status_code == want, r.text
    total = world.http.get("/api/v1/items").json()["total"]
    assert total == (1 if want == 201 else 0)


def test_every_api_call_needs_a_valid_token(world):
    http = world.http
    item_id, _ = world.item("own")
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer not-a-token"},
                    {"Authorization": "Basic dXNlcjpwYXNz"}):
        for url in ("/api/v1/items", "/api/v1/items/" + item_id, "/api/v1/org-units",
                    "/api/v1/events", "/api/v1/intake/sources", "/api/v1/openapi.json"):
            r = http.get(url, headers=headers)
            assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", url
        r = http.post("/api/v1/items/{}/cancel".format(item_id), json={"reason": "x"},
                      headers=headers)
        assert r.status_code == 401
    assert http.get("/api/v1/items/" + item_id).json()["status"] == "registered"
    assert http.get("/health", headers={"Authorization": ""}).status_code == 200


def test_sign_in_sign_out_password_change_and_deactivation(world):
    http = world.http
    wrong = http.post("/api/v1/auth/token", json={"username": "office", "password": "nope"},
                      headers={"Authorization": ""})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    token = world.sign_in("office")
    me = http.get("/api/v1/auth/me", headers={"Authorization": "Bearer " + token}).json()
    assert me["name"] == "测试office" and me["roles"] == ["office"] and me["org_id"] == "HQ"
    # sign-out ends that session only
    assert http.delete("/api/v1/auth/token",
                       headers={"Authorization": "Bearer " + token}).status_code == 200
    assert http.get("/api/v1/items", headers={"Authorization": "Bearer " + token}
                    ).status_code == 401
    assert http.get("/api/v1/items", headers=world.as_("office")).status_code == 200
    # a new password ends every session; the old password no longer works
    r = http.post("/api/v1/auth/password", headers=world.as_("office"),
                  json={"old_password": PASSWORD, "new_password": "another long password"})
    assert r.status_code == 200, r.text
    assert http.get("/api/v1/items", headers=world.as_("office")).status_code == 401
    assert http.post("/api/v1/auth/token", json={"username": "office", "password": PASSWORD},
                     headers={"Authorization": ""}).status_code == 401
    world.tokens["office"] = world.sign_in("office", "another long password")
    # deactivating a person ends their sessions and refuses new ones
    person = [p for p in http.get("/api/v1/people").json()["people"]
              if p["username"] == "office"][0]
    assert http.patch("/api/v1/people/{}".format(person["id"]),
                      json={"active": False}).status_code == 200
    assert http.get("/api/v1/items", headers=world.as_("office")).status_code == 401
    assert http.post("/api/v1/auth/token", json={"username": "office",
                                                 "password": "another long password"},
                     headers={"Authorization": ""}).status_code == 401
    # nobody's password is ever shown
    assert "password" not in str(http.get("/api/v1/people").json())


def sign_out_elsewhere(rabbit_config, token):
    """What another gateway instance does when this session signs out there."""
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.gateway import auth
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, timeout=30) as rpc:
        assert rpc.tracking.sign_out(auth.digest(token)) == {"signed_out": True}


def test_the_gateway_remembers_a_session_until_an_identity_write_passes_through_it(
        world, rabbit_config):
    http = world.http
    token = world.sign_in("viewer")
    me = {"Authorization": "Bearer " + token}
    assert http.get("/api/v1/items", headers=me).status_code == 200
    sign_out_elsewhere(rabbit_config, token)
    # remembered here for SESSION_CACHE_SECONDS (10 by default): tracking is not asked
    assert http.get("/api/v1/items", headers=me).status_code == 200
    # any identity write through this gateway empties its cache: another person's
    # sign-out here, and the first session is refused at once
    leader = {"Authorization": "Bearer " + world.sign_in("leader")}
    assert http.delete("/api/v1/auth/token", headers=leader).status_code == 200
    assert http.get("/api/v1/items", headers=me).status_code == 401
    assert http.get("/api/v1/items", headers=leader).status_code == 401
    assert http.get("/api/v1/items", headers=world.as_("viewer")).status_code == 200


def test_without_the_session_cache_a_change_elsewhere_counts_at_once(
        sqlite_url, make_system, rabbit_config):
    world = World(make_system(sqlite_url, SESSION_CACHE_SECONDS=0).http)
    me = {"Authorization": "Bearer " + world.tokens["viewer"]}
    assert world.http.get("/api/v1/items", headers=me).status_code == 200
    sign_out_elsewhere(rabbit_config, world.tokens["viewer"])
    assert world.http.get("/api/v1/items", headers=me).status_code == 401


def test_sign_in_is_rate_limited_per_user(world):
    http = world.http
    codes = [http.post("/api/v1/auth/token", json={"username": "viewer", "password": "guess"},
                       headers={"Authorization": ""}).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    # even the right password waits now
    r = http.post("/api/v1/auth/token", json={"username": "viewer", "password": PASSWORD},
                  headers={"Authorization": ""})
    assert r.status_code == 429 and r.json()["error"]["code"] == "too_many_requests"


def test_api_tokens_scoped_listed_and_revoked(world):
    http = world.http
    # a group's admin makes a token for its own organisation only
    r = http.post("/api/v1/tokens", headers=world.as_("admin"),
                  json={"name": "OA", "roles": ["viewer"], "org": "G2"})
    assert r.status_code == 422
    r = http.post("/api/v1/tokens", headers=world.as_("office"),
                  json={"name": "OA", "roles": ["viewer"], "org": "HQ"})
    assert r.status_code == 403
    r = http.post("/api/v1/tokens", headers=world.as_("admin"),
                  json={"name": "OA", "roles": ["viewer"], "org": "HQ"})
    assert r.status_code == 201, r.text
    made = r.json()
    oa = {"Authorization": "Bearer " + made["token"]}
    world.item("own")
    assert http.get("/api/v1/items", headers=oa).json()["total"] == 1
    assert http.post("/api/v1/items", headers=oa, json={
        "title": "x", "lead_department": "FIN", "deadline": deadline()}).status_code == 403
    listed = http.get("/api/v1/tokens", headers=world.as_("admin")).json()["tokens"]
    assert [t["name"] for t in listed if t["kind"] == "api"] == ["OA"]
    assert "token" not in listed[0] and made["token"] not in str(listed)
    # another group's office cannot see or revoke it
    assert http.get("/api/v1/tokens", headers=world.as_("g2_office")).status_code == 403
    assert http.delete("/api/v1/tokens/{}".format(made["id"]),
                       headers=world.as_("admin")).status_code == 200
    assert http.get("/api/v1/items", headers=oa).status_code == 401


def test_one_org_unit_is_read_within_the_callers_directory(world):
    http = world.http
    fin = http.get("/api/v1/org-units/FIN", headers=world.as_("contact"))
    assert fin.status_code == 200 and fin.json()["kind"] == "department"
    assert fin.json()["contact"]["name"] == "测试contact" and fin.json()["parent"] == "HQ"
    assert http.get("/api/v1/org-units/G2FIN").json()["parent"] == "G2"  # the platform admin
    for code in ("G2FIN", "NOPE"):  # another group's unit is as unknown as no unit
        r = http.get("/api/v1/org-units/" + code, headers=world.as_("office"))
        assert r.status_code == 404 and r.json()["error"]["message"] == \
            "No org unit '{}'".format(code)


def test_platform_only_and_admin_only_endpoints(world):
    http = world.http
    for role in ("admin", "office", "contact"):
        assert http.get("/api/v1/admin/dead-letters/tracking",
                        headers=world.as_(role)).status_code == 403
    for role in ("office", "contact", "viewer"):
        assert http.get("/api/v1/directory/changes", headers=world.as_(role)).status_code == 403
    # a group's admin reads its own group's directory audit
    keys = {c["key"] for c in http.get("/api/v1/directory/changes",
                                       headers=world.as_("admin")).json()["changes"]}
    assert "FIN" in keys and "G2FIN" not in keys
    assert http.get("/api/v1/admin/dead-letters/tracking").status_code == 200
    # directory writes: a group's admin in its group; nobody else
    body = {"code": "NEW", "name": "新部门", "kind": "department", "parent": "HQ"}
    assert http.post("/api/v1/org-units", json=body,
                     headers=world.as_("office")).status_code == 403
    assert http.post("/api/v1/org-units", json=dict(body, parent="G2"),
                     headers=world.as_("admin")).status_code == 404
    assert http.post("/api/v1/org-units", json=body,
                     headers=world.as_("admin")).status_code == 201
    assert http.post("/api/v1/org-units", json={"code": "G3", "name": "新集团", "kind": "group"},
                     headers=world.as_("admin")).status_code == 403
    # each group sees its own directory only
    codes = {u["code"] for u in http.get("/api/v1/org-units",
                                         headers=world.as_("g2_office")).json()["org_units"]}
    assert codes == {"G2", "G2OFF", "G2FIN"}
    # the events feed: the supervising side and systems; a contact has no feed
    assert http.get("/api/v1/events", headers=world.as_("contact")).status_code == 403
    world.item("other_group")
    feed = http.get("/api/v1/events?limit=500", headers=world.as_("office")).json()["events"]
    assert feed and all(e["org_id"] == "HQ" for e in feed)


@pytest.fixture()
def full_world(sqlite_url, make_system):
    return World(make_system(sqlite_url, intake=True, appraisal=True).http)


MINUTES = "会议纪要\n一、由财务部牵头，于2030年12月31日前完成预算分析。\n"


def test_intake_reports_and_appraisals_follow_the_same_policy(full_world):
    w, http = full_world, full_world.http
    body = {"text": MINUTES, "meeting_date": "2030-01-05", "title": "办公会纪要"}
    for role, want in (("contact", 403), ("viewer", 403), ("leader", 403)):
        assert http.post("/api/v1/intake/minutes", json=body,
                         headers=w.as_(role)).status_code == want, role
    r = http.post("/api/v1/intake/minutes", json=body, headers=w.as_("office"))
    assert r.status_code == 201, r.text
    source = r.json()
    assert source["drafts"][0]["lead_department"] == "FIN"
    # another group cannot see or confirm it, nor find it in its list
    assert http.get("/api/v1/intake/sources/" + source["id"],
                    headers=w.as_("g2_office")).status_code == 404
    assert http.post("/api/v1/intake/sources/{}/confirm".format(source["id"]), json={},
                     headers=w.as_("g2_office")).status_code == 404
    assert http.get("/api/v1/intake/sources", headers=w.as_("g2_office")).json()["sources"] == []
    assert [s["id"] for s in http.get("/api/v1/intake/sources", headers=w.as_("admin")
                                      ).json()["sources"]] == [source["id"]]
    # intake matches units in the caller's group only: G2's office finds no 财务部 of HQ
    r = http.post("/api/v1/intake/minutes", json=body, headers=w.as_("g2_office"))
    assert r.status_code == 201 and r.json()["drafts"][0]["lead_department"] != "FIN"
    # reports and appraisals: read by the supervising side, leaders and viewers of the org
    month = {"month": "2026-01", "org": "HQ"}
    for role, want in (("office", 200), ("leader", 200), ("viewer", 200), ("contact", 403),
                       ("g2_office", 404), ("sub_office", 404)):
        r = http.get("/api/v1/reports/monthly", params=month, headers=w.as_(role))
        assert r.status_code == want, (role, r.text)
    assert http.get("/api/v1/reports/monthly", params=dict(month, org="SUB"),
                    headers=w.as_("sub_office")).status_code == 200
    today = Clock().today()
    appraisal = {"period": "{}-H{}".format(today.year, 1 if today.month <= 6 else 2), "org": "HQ"}
    for role, want in (("viewer", 403), ("leader", 403), ("g2_office", 404)):
        assert http.post("/api/v1/appraisals", json=appraisal,
                         headers=w.as_(role)).status_code == want, role
    r = http.post("/api/v1/appraisals", json=appraisal, headers=w.as_("office"))
    assert r.status_code == 201, r.text
    made = r.json()["id"]
    assert http.get("/api/v1/appraisals/" + made, headers=w.as_("viewer")).status_code == 200
    assert http.get("/api/v1/appraisals/" + made, headers=w.as_("g2_office")).status_code == 404
    assert http.post("/api/v1/appraisals/{}/publish".format(made),
                     headers=w.as_("leader")).status_code == 403


def test_services_check_the_caller_themselves(full_world, rabbit_config):
    """The policy holds for a caller on the broker that bypasses the gateway: the caller
    identity travels with the RPC call and each service checks it."""
    from nameko.standalone.rpc import ClusterRpcProxy

    from shared.access import Principal
    from shared.errors import Forbidden, NotFound

    item_id, _ = full_world.item("own")          # led by FIN
    other_id, _ = full_world.item("other_dept")  # led by HR
    contact = Principal(kind="person", id="person:999", name="某联系人", roles=("contact",),
                        org_id="HQ", organisation="HQ", units=("FIN",))
    context = {"duban.caller": contact.encode()}
    with ClusterRpcProxy({"AMQP_URI": rabbit_config["AMQP_URI"]}, context_data=context,
                         timeout=30) as rpc:
        assert rpc.tracking.get_item(item_id)["id"] == item_id
        with pytest.raises(NotFound):
            rpc.tracking.get_item(other_id)        # not the contact's department
        with pytest.raises(Forbidden):
            rpc.tracking.act(item_id, "cancel", {"reason": "越权"})
        with pytest.raises(Forbidden):
            rpc.intake.submit_minutes({"text": MINUTES, "meeting_date": "2030-01-05"})
        with pytest.raises(Forbidden):
            rpc.appraisal.create_appraisal({"period": "2030-H1", "org": "HQ"})
        assert [i["id"] for i in rpc.tracking.list_items({})["items"]] == [item_id]
    assert full_world.http.get("/api/v1/items/" + item_id).json()["status"] == "registered"


def test_sign_in_page_goes_only_to_this_site_and_forms_need_the_session_token(world):
    http = world.http
    http.post("/api/v1/people", json={"name": "页面", "mobile": "13700001234", "org_unit": "OFFICE",
                                      "roles": ["office"], "username": "pageuser",
                                      "password": PASSWORD})
    for target, went in (("//evil.example/x", "/"), ("/\\evil.example", "/"),
                         ("https://evil.example/", "/"), ("/intake?x=1", "/intake?x=1")):
        r = post_sign_in(http, {"username": "pageuser", "password": PASSWORD, "next": target},
                         allow_redirects=False)
        assert r.status_code == 303 and r.headers["Location"] == went, target
        cookie = r.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    r = post_sign_in(http, {"username": "pageuser", "password": "wrong"})
    assert r.status_code == 401 and "Wrong username or password" in r.text
    for csrf in ("", "0" * 32, "错误的令牌"):
        r = http.post("/intake", data={"csrf": csrf, "text": "x", "meeting_date": "2030-01-01"})
        assert r.status_code == 403 and "来自其他网站" in r.text, csrf   # a Chinese page


def test_another_site_cannot_sign_a_browser_in(world):
    """Login CSRF: a form of another site posted to /signin (no pre-session cookie, or a
    token that is not this browser's) signs nobody in, whatever the credentials."""
    import requests

    world.http.post("/api/v1/people", json={"name": "攻击者", "mobile": "13700004321",
                                            "org_unit": "OFFICE", "roles": ["office"],
                                            "username": "attacker", "password": PASSWORD})
    url = world.http.request("GET", "/health").url.rsplit("/health", 1)[0]
    victim = requests.Session()
    forged = {"username": "attacker", "password": PASSWORD, "next": "/"}
    other = requests.Session()  # the attacker's own browser: its token, not the victim's
    page = other.get(url + "/signin", timeout=10)
    assert page.headers["Cache-Control"] == "no-store"  # no shared cache keeps its token
    stolen = __import__("re").search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    for data in (forged, dict(forged, csrf=stolen), dict(forged, csrf="")):
        r = victim.post(url + "/signin", data=data, allow_redirects=False, timeout=10)
        assert r.status_code == 403 and "another site" in r.text, data
        assert "duban_session" not in victim.cookies
    for token in ({"token": ADMIN_TOKEN}, {"token": ADMIN_TOKEN, "csrf": stolen}):
        r = victim.post(url + "/signin", data=token, allow_redirects=False, timeout=10)
        assert r.status_code == 403 and "duban_session" not in victim.cookies
    # the refusal is itself a sign-in page whose form works
    r = post_sign_in(victim, forged, url, allow_redirects=False, timeout=10)
    assert r.status_code == 303 and "duban_session" in victim.cookies
    assert "duban_signin=;" in r.headers["Set-Cookie"] or 'duban_signin="";' in \
        r.headers["Set-Cookie"]


def test_over_https_the_cookies_are_host_only_and_the_plain_names_are_not_read(world):
    """Behind a TLS proxy (X-Forwarded-Proto: https) both cookies carry the __Host- prefix,
    Secure and Path=/: a sibling site under the same parent domain cannot plant them. The
    plain names are then not honoured, whatever they hold."""
    import re

    import requests

    url = world.http.request("GET", "/health").url.rsplit("/health", 1)[0]
    https = {"X-Forwarded-Proto": "https"}
    browser = requests.Session()   # cookies are passed by hand: requests keeps Secure ones
    page = browser.get(url + "/signin", headers=https, timeout=10)          # for https only
    pre_cookie = page.headers["Set-Cookie"]
    assert pre_cookie.startswith("__Host-duban_signin=") and "Secure" in pre_cookie
    assert "Path=/;" in pre_cookie or pre_cookie.endswith("Path=/")
    pre = pre_cookie.split(";", 1)[0].split("=", 1)[1]
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text).group(1)
    form = {"username": "office", "password": PASSWORD, "next": "/", "csrf": csrf}
    # the same value under the plain name is not this page's pre-session cookie
    r = requests.post(url + "/signin", data=form, allow_redirects=False, timeout=10,
                      headers=dict(https, Cookie="duban_signin=" + pre))
    assert r.status_code == 403
    r = requests.post(url + "/signin", data=form, allow_redirects=False, timeout=10,
                      headers=dict(https, Cookie="__Host-duban_signin=" + pre))
    assert r.status_code == 303, r.text
    session_cookie = [c for c in r.headers["Set-Cookie"].split(", ")
                      if c.startswith("__Host-duban_session=")][0]
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    secret = session_cookie.split(";", 1)[0].split("=", 1)[1]
    ledger = requests.get(url + "/", allow_redirects=False, timeout=10,
                          headers=dict(https, Cookie="__Host-duban_session=" + secret))
    assert ledger.status_code == 200 and "测试office" in ledger.text
    planted = requests.get(url + "/", allow_redirects=False, timeout=10,
                           headers=dict(https, Cookie="duban_session=" + secret))
    assert planted.status_code == 303 and planted.headers["Location"].startswith("/signin")
    # over plain HTTP (make run on 127.0.0.1) the plain names are the ones
    plain = requests.get(url + "/", allow_redirects=False, timeout=10,
                         headers={"Cookie": "duban_session=" + secret})
    assert plain.status_code == 200


def test_an_administrator_opens_the_pages_with_an_api_token(world):
    """The platform administrator has no password: the bootstrap token opens the pages (its
    dead letters included); signing out forgets the cookie and revokes nothing."""
    import requests

    http = requests.Session()  # a browser: no Authorization header, cookies only
    url = world.http.request("GET", "/health").url.rsplit("/health", 1)[0]
    r = post_sign_in(http, {"token": "not a token", "next": "/"}, url,
                     allow_redirects=False, timeout=10)
    assert r.status_code == 401 and "duban_session" not in http.cookies
    r = post_sign_in(http, {"token": ADMIN_TOKEN, "next": "/admin/dead-letters"}, url,
                     allow_redirects=False, timeout=10)
    assert r.status_code == 303 and r.headers["Location"] == "/admin/dead-letters"
    page = http.get(url + "/admin/dead-letters", timeout=10)
    assert page.status_code == 200 and "平台管理员" in page.text
    # an API token's cookie: signing out does not revoke the token
    made = world.http.post("/api/v1/tokens", json={"name": "看板", "roles": ["viewer"],
                                                   "org": "HQ"}).json()
    viewer = requests.Session()
    post_sign_in(viewer, {"token": made["token"]}, url, timeout=10)
    csrf = __import__("re").search(r'name="csrf" value="([0-9a-f]+)"',
                                   viewer.get(url + "/", timeout=10).text).group(1)
    viewer.post(url + "/signout", data={"csrf": csrf}, timeout=10)
    assert world.http.get("/api/v1/items", headers={
        "Authorization": "Bearer " + made["token"]}).status_code == 200

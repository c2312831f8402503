"""The item page, the item forms and 我的事项 (/my) as each role uses them, against the real
services: exactly the allowed forms, the service's messages, escaped user text, 404 for
another department's item."""
import datetime as dt
import re
from urllib.parse import urljoin

import pytest
from requests import Session

from shared.clock import Clock
from tests.helpers import PAGE_PASSWORD, post_sign_in
from tests.integration.conftest import seed_directory

pytestmark = pytest.mark.integration
XSS = '<script>alert("x")</script>'


class Browser(Session):
    """A person's own cookie jar (no API token): what a browser sends."""

    def __init__(self, port):
        super().__init__()
        self.base = "http://127.0.0.1:%d/" % port
        self.csrf = None

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        return Session.request(self, method, urljoin(self.base, url), *args, **kwargs)

    def post_form(self, url, data, **kwargs):
        return self.post(url, data=dict(data, csrf=self.csrf), allow_redirects=False, **kwargs)


def person(admin, port, unit, roles, username, name, mobile):
    r = admin.post("/api/v1/people", json={"name": name, "mobile": mobile, "org_unit": unit,
                                           "roles": list(roles), "username": username,
                                           "password": PAGE_PASSWORD})
    assert r.status_code == 201, r.text
    browser = Browser(port)
    r = post_sign_in(browser, {"username": username, "password": PAGE_PASSWORD, "next": "/my"},
                     allow_redirects=False)
    assert r.status_code == 303, r.text
    browser.csrf = re.search(r'name="csrf" value="([0-9a-f]+)"',
                             browser.get("/my").text).group(1)
    return browser


def day(days):
    return (Clock().today() + dt.timedelta(days=days)).isoformat()


def forms_on(page):
    """The actions whose forms a page shows."""
    return re.findall(r'action="/items/[^/"]+/act/([a-z_]+)"', page)


@pytest.fixture()
def world(sqlite_url, make_system, web_config_port):
    system = make_system(sqlite_url)
    admin = system.http
    seed_directory(admin)
    return dict(
        system=system, admin=admin,
        office=person(admin, web_config_port, "OFFICE", ["office"], "wang", "王督办",
                      "13700000001"),
        fin=person(admin, web_config_port, "FIN", ["contact"], "li", "李联络", "13700000002"),
        hr=person(admin, web_config_port, "HR", ["contact"], "zhao", "赵联络", "13700000003"),
        leader=person(admin, web_config_port, "OFFICE", ["leader"], "zhang", "张领导",
                      "13700000004"))


def new_item(office, **fields):
    body = dict({"title": "老旧小区改造", "content": "首批10个小区", "lead_department": "财务部",
                 "co_departments": "", "deadline": day(30), "category": "key",
                 "feedback_cadence": "weekly", "request_id": ""}, **fields)
    r = office.post_form("/items/new", body)
    assert r.status_code == 303, r.text
    return r.headers["Location"].split("?")[0].rsplit("/", 1)[1]


def test_the_new_item_form_takes_names_and_names_the_field_it_cannot_read(world):
    office = world["office"]
    assert world["fin"].get("/items/new").status_code == 403   # a contact registers nothing
    assert world["leader"].get("/items/new").status_code == 200
    page = office.get("/items/new")
    assert page.status_code == 200 and '<datalist id="org-units">' in page.text
    assert '<option value="财务部">' in page.text
    # the lead and the co-departments are offered departments and subsidiaries, not the group
    doing = re.search(r'<datalist id="doing-units">(.*?)</datalist>', page.text).group(1)
    assert '<option value="财务部">' in doing and ">HQ<" not in doing
    assert ">HQ<" in re.search(r'<datalist id="org-units">(.*?)</datalist>', page.text).group(1)
    assert 'name="lead_department" list="doing-units"' in page.text
    r = office.post_form("/items/new", {"title": "排查", "lead_department": "不存在的局",
                                        "co_departments": "人力资源部", "deadline": day(10)})
    assert r.status_code == 422
    field = re.search(r'name="lead_department"[^>]*value="([^"]*)"', r.text).group(1)
    assert field == "不存在的局"                                # what was typed is kept
    assert re.search(r'name="lead_department".*?</label><span class="field-error" role="alert">'
                     r"[^<]*不存在的局", r.text, re.S)          # the message is at the field
    item_id = new_item(office, co_departments="人力资源部、OFFICE",
                       milestones="{} 方案报批".format(day(10)), title=XSS)
    item = world["admin"].get("/api/v1/items/" + item_id).json()
    assert item["lead_department"]["code"] == "FIN"
    assert [d["code"] for d in item["co_departments"]] == ["HR", "OFFICE"]
    assert item["milestones"] == [{"title": "方案报批", "date": day(10)}]
    page = office.get("/items/" + item_id)
    assert XSS not in page.text and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text


def test_each_role_sees_exactly_the_forms_tracking_allows(world):
    office, fin, hr, leader = world["office"], world["fin"], world["hr"], world["leader"]
    item_id = new_item(office)
    page = office.get("/items/" + item_id)
    assert page.status_code == 200
    assert forms_on(page.text) == ["issue", "suspend", "cancel"]
    assert 'href="/items/{}/edit"'.format(item_id) in page.text
    api = world["admin"].get("/api/v1/items/" + item_id).json()
    assert api["allowed_actions"] == ["issue", "update", "suspend", "cancel"]
    for who in (fin, leader):
        page = who.get("/items/" + item_id)
        assert page.status_code == 200 and forms_on(page.text) == []
    assert hr.get("/items/" + item_id).status_code == 404      # not theirs to see
    assert "财务部" not in hr.get("/items/" + item_id).text
    assert hr.get("/items/{}/edit".format(item_id)).status_code == 404
    # a form the service refuses shows its message, not a 500
    r = fin.post_form("/items/{}/act/issue".format(item_id), {})
    assert r.status_code == 403 and "你的角色不能" in r.text    # said on a Chinese page
    r = office.post_form("/items/{}/act/issue".format(item_id), {"comment": "请按时办理"})
    assert r.status_code == 303
    page = fin.get("/items/" + item_id)
    assert forms_on(page.text) == ["accept", "submit_feedback", "request_extension"]


def test_a_contact_works_the_item_from_my_items_and_the_office_closes_it(world):
    office, fin, hr = world["office"], world["fin"], world["hr"]
    item_id = new_item(office, deadline=day(2))                   # due soon: at risk
    other = new_item(office, lead_department="人力资源部", title="人事排查")
    for i in (item_id, other):
        assert office.post_form("/items/{}/act/issue".format(i), {}).status_code == 303
    my = fin.get("/my")
    assert my.status_code == 200 and "老旧小区改造" in my.text and "人事排查" not in my.text
    assert "light-yellow" in my.text and day(2) in my.text
    assert "人事排查" in hr.get("/my").text
    r = fin.post_form("/items/{}/act/accept".format(item_id), {"back": "/my"})
    assert r.status_code == 303 and r.headers["Location"].startswith("/my")
    # at risk: the reason, the measures and the new plan are required; what was typed stays
    r = fin.post_form("/items/{}/act/submit_feedback".format(item_id),
                      {"back": "/my", "progress": "20", "content": "已完成摸底" + XSS})
    assert r.status_code == 422 and "有风险事项的反馈须写明原因、措施和新计划" in r.text
    assert "事项有风险时必填" in r.text
    assert "已完成摸底&lt;script&gt;" in r.text and XSS not in r.text
    r = fin.post_form("/items/{}/act/submit_feedback".format(item_id), {
        "back": "/my", "progress": "20", "content": "已完成摸底" + XSS, "reason": "材料未齐",
        "measures": "加派人手", "new_plan": "下周完成"})
    assert r.status_code == 303
    r = fin.post_form("/items/{}/act/request_extension".format(item_id), {
        "new_deadline": day(20), "reason": "设计变更", "measures": "并行施工"})
    assert r.status_code == 303
    r = fin.post_form("/items/{}/act/request_completion".format(item_id),
                      {"back": "/my", "summary": "首批改造完成"})
    assert r.status_code == 303
    page = office.get("/items/" + item_id)
    assert forms_on(page.text) == ["complete", "return", "decide_extension", "assess_feedback",
                                   "suspend", "cancel"]
    assert XSS not in page.text and "已完成摸底&lt;script&gt;" in page.text
    feedback_id = world["admin"].get("/api/v1/items/" + item_id).json()["feedback"][0]["id"]
    ext_id = world["admin"].get("/api/v1/items/" + item_id).json()["extension_requests"][0]["id"]
    assert office.post_form("/items/{}/act/assess_feedback".format(item_id), {
        "feedback": str(feedback_id), "accurate": "false"}).status_code == 303
    assert office.post_form("/items/{}/act/decide_extension".format(item_id), {
        "request": str(ext_id), "approved": "true", "comment": "同意"}).status_code == 303
    assert office.post_form("/items/{}/act/complete".format(item_id), {}).status_code == 303
    r = office.post_form("/items/{}/act/evaluate".format(item_id), {"quality": "abc"})
    assert r.status_code == 422 and "须为整数" in r.text      # said in the page's language
    r = office.post_form("/items/{}/act/evaluate".format(item_id), {"quality": "150"})
    assert r.status_code == 422 and "须在 0 到 100 之间" in r.text and "Must be" not in r.text
    assert office.post_form("/items/{}/act/evaluate".format(item_id),
                            {"quality": "92", "comment": "好"}).status_code == 303
    page = office.get("/items/" + item_id)
    assert "已评价" in page.text and "92" in page.text and "不准确" in page.text
    assert "已批准" in page.text and day(20) in page.text
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', page.text, re.S).group(1)
    for words in ("立项", "下达", "签收", "反馈进展", "申请延期", "申请办结", "评定反馈准确性",
                  "审批延期", "变更时限", "办结", "评价"):
        assert words in timeline, words
    assert "王督办" in timeline and "李联络" in timeline
    assert re.search(r"<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}</time>", timeline)
    assert forms_on(page.text) == ["assess_feedback"]
    english = office.get("/items/{}?lang=en".format(item_id)).text
    assert "evaluated" in english and "progress reported" in english
    r = office.post_form("/items/{}/act/evaluate".format(item_id), {"quality": "abc"})
    assert r.status_code == 422 and "whole number" in r.text   # an English page now


def test_the_edit_form_patches_the_item_and_keeps_a_bad_entry(world):
    office, fin = world["office"], world["fin"]
    item_id = new_item(office)
    page = office.get("/items/{}/edit".format(item_id))
    assert page.status_code == 200 and 'value="财务部"' in page.text
    assert fin.get("/items/{}/edit".format(item_id)).status_code == 403
    r = office.post_form("/items/{}/edit".format(item_id), {
        "title": "老旧小区改造（修订）", "lead_department": "财务部", "co_departments": "无此部门",
        "category": "key", "feedback_cadence": "weekly"})
    assert r.status_code == 422 and 'value="无此部门"' in r.text and "无此部门" in re.search(
        r'name="co_departments".*?class="field-error"[^>]*>([^<]*)', r.text, re.S).group(1)
    r = office.post_form("/items/{}/edit".format(item_id), {
        "title": "老旧小区改造（修订）", "lead_department": "FIN", "co_departments": "人力资源部",
        "category": "urgent", "feedback_cadence": "monthly", "reason": "会议调整"})
    assert r.status_code == 303
    item = world["admin"].get("/api/v1/items/" + item_id).json()
    assert item["title"] == "老旧小区改造（修订）" and item["category"] == "urgent"
    assert [d["code"] for d in item["co_departments"]] == ["HR"]
    assert "修改事项" in office.get("/items/" + item_id).text


def test_a_refused_action_from_my_items_shows_the_message(world):
    office, fin = world["office"], world["fin"]
    item_id = new_item(office)                      # registered: nothing for the contact yet
    assert "老旧小区改造" in fin.get("/my").text
    assert 'action="/items/' not in fin.get("/my").text
    r = fin.post_form("/items/{}/act/request_completion".format(item_id),
                      {"back": "/my", "summary": "完成"})
    assert r.status_code == 409 and "role=\"alert\"" in r.text
    assert "事项当前为「立项」，不能申请办结（仅在「办理中」时可以）" in r.text

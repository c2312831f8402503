"""A small demo organisation with a few items, loaded through the public API."""
import datetime as dt

import requests

UNITS = [
    ("HQ", "示范集团", "group", None, []),
    ("SUB-EAST", "华东子公司", "subsidiary", "HQ", ["华东公司"]),
    ("OFFICE", "集团办公室", "department", "HQ", ["办公室", "督查室"]),
    ("FIN", "财务部", "department", "HQ", ["财务"]),
    ("HR", "人力资源部", "department", "HQ", ["人力", "人事部"]),
    ("IT", "信息中心", "department", "HQ", ["信息化部"]),
    ("EAST-OPS", "华东运营部", "department", "SUB-EAST", ["运营部"]),
]
# name, mobile, unit, roles, username (each signs in with the demo password)
PEOPLE = [
    ("王督查", "13800000001", "OFFICE", ["office", "admin"], "office"),
    ("李财务", "13800000002", "FIN", ["contact"], "fin"),
    ("张人力", "13800000003", "HR", ["contact"], "hr"),
    ("赵信息", "13800000004", "IT", ["contact"], "it"),
    ("陈总", "13800000005", "HQ", ["leader"], "leader"),
]


def load(base, admin_token, password):
    """Load the demo through the API as the bootstrap administrator; the demo's people
    sign in with `password`."""
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + admin_token

    def post(path, body):
        r = s.post(base + path, json=body, timeout=10)
        if r.status_code not in (200, 201, 409):
            raise RuntimeError("{} {} -> {} {}".format(path, body, r.status_code, r.text))
        return r.json()

    for code, name, kind, parent, aliases in UNITS:
        post("/api/v1/org-units", {"code": code, "name": name, "kind": kind, "parent": parent,
                                   "aliases": aliases})
    ids = {}
    for name, mobile, unit, roles, username in PEOPLE:
        ids[name] = post("/api/v1/people", {"name": name, "mobile": mobile, "org_unit": unit,
                                            "roles": roles, "username": username,
                                            "password": password})["id"]
    for unit, person in (("FIN", "李财务"), ("HR", "张人力"), ("IT", "赵信息")):
        s.put(base + "/api/v1/org-units/{}/contact".format(unit),
              json={"person": ids[person], "substitutes": []}, timeout=10)
    # the office registers and issues the items and hands the minutes in (as itself, so the
    # history names it and the minutes belong to its group)
    signed = s.post(base + "/api/v1/auth/token", json={"username": "office", "password": password},
                    headers={"Authorization": ""}, timeout=10)
    if signed.status_code != 201:
        raise RuntimeError("the demo office cannot sign in: {}".format(signed.text))
    s.headers["Authorization"] = "Bearer " + signed.json()["token"]
    today = dt.date.today()
    items = [
        ("完成年度预算执行情况分析", "FIN", ["OFFICE"], 20, "key", "李财务"),
        ("修订员工绩效考核办法", "HR", ["OFFICE", "FIN"], 45, "routine", "张人力"),
        ("上线督办系统短信提醒", "IT", [], 7, "urgent", "赵信息"),
    ]
    for title, lead, co, days, category, person in items:
        item = post("/api/v1/items", {
            "title": title, "content": title + "，按会议要求办理并按月反馈进展。",
            "source": {"kind": "minutes", "ref": "总经理办公会纪要〔2026〕12号", "clause": "一、"},
            "lead_department": lead, "co_departments": co, "supervising_department": "OFFICE",
            "responsible_person": ids[person], "assigning_leader": "陈总",
            "deadline": (today + dt.timedelta(days=days)).isoformat(), "category": category,
            "completion_form": "书面报告", "completion_standard": "报告经分管领导审定",
            "feedback_cadence": "monthly"})
        post("/api/v1/items/{}/issue".format(item["id"]), {})
    # A meeting's minutes waiting in intake for review (纪要导入 page).
    meeting = today - dt.timedelta(days=1)
    post("/api/v1/intake/minutes", {"title": "集团总经理办公会纪要〔{}〕15号".format(today.year),
                                    "meeting_date": meeting.isoformat(), "text": MINUTES})
    return True


MINUTES = """集团总经理办公会纪要
陈总主持召开总经理办公会，研究年末重点工作。现纪要如下：
一、关于年度预算编制
会议要求，由财务部牵头，人力资源部、信息中心配合，于12月20日前完成下年度预算初稿，报集团办公室审核。
二、关于信息系统安全
陈总强调，信息中心要在会后10个工作日内完成核心系统安全检查，每周五前报送整改进展。
三、关于员工培训
人力资源部负责尽快制定年度培训计划。
四、关于办公楼改造
暂缓，另行研究。
"""

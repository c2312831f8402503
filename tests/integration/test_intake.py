"""Intake end to end: documents in over HTTP, drafts reviewed, items registered once."""
import datetime as dt
import io
import uuid

import pytest
from docx import Document
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from services.intake.models import DraftRow, OutboxEvent
from shared.batching import BatchingEventHandler
from services.tracking.service import TrackingService
from shared.clock import Clock
from shared.events import make_envelope
from shared.outbox import add_event
from tests.bombs import pdf_encrypted, pdf_image_only
from tests.helpers import sign_in_to_pages, wait_until
from tests.pdfs import minutes_pdf

pytestmark = pytest.mark.integration

UNITS = [("GOV", "示范区人民政府", "group", None, []),
         ("OFFICE", "区政府办公室", "department", "GOV", ["区政府办"]),
         ("HOUSING", "区住房和城乡建设局", "department", "GOV", ["区住建局", "住建局"]),
         ("FIN", "区财政局", "department", "GOV", []),
         ("ENV", "区生态环境局", "department", "GOV", ["区环保局"]),
         ("URBAN", "区城市管理局", "department", "GOV", ["区城管局"])]


def seed(http):
    for code, name, kind, parent, aliases in UNITS:
        r = http.post("/api/v1/org-units", json={"code": code, "name": name, "kind": kind,
                                                 "parent": parent, "aliases": aliases})
        assert r.status_code == 201, r.text


def minutes_text(meeting):
    year = meeting.year
    return """区政府第12次常务会议纪要
{y}年{m}月{d}日，区长王明主持召开区政府第12次常务会议。现纪要如下：
一、关于老旧小区改造工作
会议同意区住建局提出的《老旧小区改造实施方案》，修改完善后报区政府审定。由区住建局牵头，区财政局、区城管局配合，于{ny}年3月31日前完成首批10个小区改造。
二、关于环境整治
张副区长强调，区环保局要在{ny}年2月15日前完成重点企业排查；区城管局负责在会后10个工作日内清理道路积存垃圾。
三、关于宣传工作
区财政局负责尽快开展政策宣传。
四、关于停车场建设
暂缓，另行研究。
""".format(y=year, m=meeting.month, d=meeting.day, ny=year + 1)


def test_minutes_to_items_exactly_once(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    meeting = Clock().today()
    r = http.post("/api/v1/intake/minutes", json={"text": minutes_text(meeting),
                                                  "meeting_date": meeting.isoformat(),
                                                  "title": "区政府第12次常务会议纪要"})
    assert r.status_code == 201, r.text
    source = r.json()
    drafts = source["drafts"]
    assert [d["lead_department"] for d in drafts] == ["HOUSING", "ENV", "URBAN", "FIN"]
    housing, env, urban, fin = drafts
    assert housing["co_departments"] == ["FIN", "URBAN"]
    assert housing["deadline"] == "{}-03-31".format(meeting.year + 1)
    assert env["leader"] == "张副区长" and env["clause"] == "二、"
    assert fin["deadline"] is None and "vague_deadline" in fin["flags"]
    assert source["meta"]["deferred"][0]["clause"] == "四、"
    sid = source["id"]

    # not ready: nothing is confirmed, and the problem is named per draft
    r = http.post("/api/v1/intake/sources/{}/confirm".format(sid), json={})
    assert r.status_code == 422
    assert list(r.json()["error"]["fields"]["drafts"]) == [fin["id"]]
    assert http.get("/api/v1/items").json()["total"] == 0

    # the office corrects one draft and drops another
    deadline = (meeting + dt.timedelta(days=40)).isoformat()
    r = http.patch("/api/v1/intake/sources/{}/drafts/{}".format(sid, fin["id"]),
                   json={"deadline": deadline, "title": "开展政策宣传", "category": "key"})
    assert r.status_code == 200, r.text
    assert r.json()["deadline"] == deadline and "vague_deadline" not in r.json()["flags"]
    assert http.patch("/api/v1/intake/drafts/{}".format(fin["id"]),
                      json={"lead_department": "NOPE"}).status_code == 422
    assert http.delete("/api/v1/intake/drafts/{}".format(urban["id"])).json()["status"] == \
        "dropped"

    r = http.post("/api/v1/intake/sources/{}/confirm".format(sid),
                  json={"supervising_department": "OFFICE"})
    assert r.status_code == 200, r.text
    assert len(r.json()["confirmed"]) == 3
    system.tap.wait_for(3)
    assert [k for k, _ in system.tap.settle(quiet=1.0)] == ["item.registered"] * 3

    # confirming again registers nothing more
    again = http.post("/api/v1/intake/sources/{}/confirm".format(sid), json={})
    assert again.status_code == 200 and again.json()["confirmed"] == []
    assert len(system.tap.settle(quiet=1.0)) == 3

    items = http.get("/api/v1/items", params={"page_size": 50}).json()["items"]
    assert len(items) == 3
    by_draft = {i["source"]["draft_id"]: i for i in items}
    shown = http.get("/api/v1/intake/sources/{}".format(sid)).json()
    for d in shown["drafts"]:
        if d["status"] == "confirmed":
            item = by_draft[d["id"]]
            assert item["id"] == d["item_id"]
            assert item["source"]["kind"] == "minutes"
            assert item["source"]["ref"] == "区政府第12次常务会议纪要"
            assert item["supervising_department"]["code"] == "OFFICE"
    first = by_draft[fin["id"]]
    assert first["title"] == "开展政策宣传" and first["category"] == "key"
    assert first["source"]["clause"] == "三、"
    assert by_draft[env["id"]]["assigning_leader"] == "张副区长"
    assert by_draft[housing["id"]]["co_departments"] == [{"code": "FIN", "name": "区财政局"},
                                                          {"code": "URBAN", "name": "区城市管理局"}]
    assert shown["counts"] == {"confirmed": 3, "dropped": 1}
    assert http.patch("/api/v1/intake/drafts/{}".format(env["id"]),
                      json={"title": "x"}).status_code == 409


def test_docx_upload(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    seed(system.http)
    meeting = Clock().today()
    doc = Document()
    for line in minutes_text(meeting).splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    r = system.http.post("/api/v1/intake/minutes",
                         files={"file": ("纪要.docx", buf.getvalue())},
                         data={"meeting_date": meeting.isoformat(), "title": "纪要"})
    assert r.status_code == 201, r.text
    assert r.json()["format"] == "docx"
    assert [d["lead_department"] for d in r.json()["drafts"]] == ["HOUSING", "ENV", "URBAN", "FIN"]


def test_pdf_upload(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    seed(system.http)
    meeting = Clock().today()
    text = minutes_text(meeting)
    data = minutes_pdf(text, break_before="会议同意区住建局")  # the page break falls in that clause
    r = system.http.post("/api/v1/intake/minutes", files={"file": ("纪要.pdf", data)},
                         data={"meeting_date": meeting.isoformat(), "title": "纪要"})
    assert r.status_code == 201, r.text
    source = r.json()
    assert source["format"] == "pdf"
    assert [d["lead_department"] for d in source["drafts"]] == ["HOUSING", "ENV", "URBAN", "FIN"]
    pasted = system.http.post("/api/v1/intake/minutes", json={
        "text": text, "meeting_date": meeting.isoformat(), "title": "纪要"}).json()
    fields = ("task", "lead_department", "co_departments", "deadline", "leader", "clause", "flags")
    assert [[d[f] for f in fields] for d in source["drafts"]] == \
        [[d[f] for f in fields] for d in pasted["drafts"]]
    shown = system.http.get("/api/v1/intake/sources/{}".format(source["id"])).json()
    assert [d["id"] for d in shown["drafts"]] == [d["id"] for d in source["drafts"]]


def test_goal_sheet_and_assignments(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    year = Clock().today().year + 1
    bad = "目标,节点,牵头单位,配合单位,完成时限\n城市更新,完成方案,区住建局,,{y}-02-30\n".format(y=year)
    r = http.post("/api/v1/intake/goals", files={"file": ("goals.csv", bad.encode())},
                  data={"year": str(year)})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["fields"]["rows"][0]["row"] == 2
    assert http.get("/api/v1/intake/sources").json()["sources"] == []
    good = ("目标,节点,牵头单位,配合单位,完成时限\n"
            "城市更新,完成方案编制,区住建局,区财政局,{y}-03-31\n"
            "城市更新,完成首批改造,区住建局,区城管局,{y}-09-30\n").format(y=year)
    r = http.post("/api/v1/intake/goals", files={"file": ("goals.csv", good.encode("utf-8-sig"))},
                  data={"year": str(year)})
    assert r.status_code == 201, r.text
    drafts = r.json()["drafts"]
    assert [d["deadline"] for d in drafts] == ["{}-03-31".format(year), "{}-09-30".format(year)]
    assert {d["goal"] for d in drafts} == {"城市更新"}
    r = http.post("/api/v1/intake/sources/{}/confirm".format(r.json()["id"]), json={})
    assert r.status_code == 200 and len(r.json()["confirmed"]) == 2
    system.tap.wait_for(2)
    sources = [i["source"] for i in http.get("/api/v1/items").json()["items"]]
    assert {(s["kind"], s["goal"], s["year"]) for s in sources} == {("annual_goal", "城市更新", year)}

    today = Clock().today()
    r = http.post("/api/v1/intake/assignments", json={"title": "区长现场办公会", "assignments": [
        {"leader": "王明", "place": "城东街道", "date": today.isoformat(), "department": "区城管局",
         "task": "清理城东菜市场周边占道经营", "deadline": (today + dt.timedelta(days=10)).isoformat(),
         "settled": False, "kind": "onsite"},
        {"leader": "王明", "place": "城东街道", "date": today.isoformat(), "department": "区财政局",
         "task": "确认补贴资金已拨付", "settled": True, "kind": "onsite"}]})
    assert r.status_code == 201, r.text
    body = r.json()
    assert len(body["drafts"]) == 1 and len(body["settled"]) == 1
    assert body["drafts"][0]["lead_department"] == "URBAN"
    assert body["drafts"][0]["leader"] == "王明"


def test_a_long_goal_sheet_is_written_and_confirmed_in_chunks_all_or_nothing(sqlite_url,
                                                                           make_system):
    """1,201 milestones: the drafts are written, checked by tracking and confirmed a few
    hundred at a time (handlers.CHECK_BATCH), in one transaction, in sheet order; the
    items' item.registered reach appraisal's projection in batches, each once."""
    system = make_system(sqlite_url, intake=True, appraisal=True,
                         appraisal_url=sqlite_url.replace("duban.db", "appraisal.db"))
    entry = next(e for e in system.appraisal.entrypoints
                 if isinstance(e, BatchingEventHandler))
    sizes = []
    flush = entry._flush
    entry._flush = lambda: (sizes.append(len(entry._buffer)), flush())
    http = system.http
    seed(http)
    year = Clock().today().year + 1
    rows = ["目标,节点,牵头单位,完成时限"] + [
        "城市更新,完成第{}项节点,区住建局,{}-{:02d}-28".format(i, year, 1 + i % 12)
        for i in range(1201)]
    r = http.post("/api/v1/intake/goals", data={"year": str(year)},
                  files={"file": ("goals.csv", "\n".join(rows).encode("utf-8"))})
    assert r.status_code == 201, r.text
    source = r.json()
    assert [d["position"] for d in source["drafts"]] == list(range(1201))
    assert source["counts"] == {"pending": 1201}
    stored = http.get("/api/v1/intake/sources/{}".format(source["id"])).json()
    assert [d["task"] for d in stored["drafts"]] == [d["task"] for d in source["drafts"]]
    late = source["drafts"][1100]  # in the third chunk asked of tracking
    http.patch("/api/v1/intake/drafts/{}".format(late["id"]),
               json={"responsible_person": 4242})  # nobody has this id in tracking
    r = http.post("/api/v1/intake/sources/{}/confirm".format(source["id"]), json={})
    assert r.status_code == 422, r.text
    assert list(r.json()["error"]["fields"]["drafts"]) == [late["id"]]
    shown = http.get("/api/v1/intake/sources/{}".format(source["id"])).json()
    assert shown["counts"] == {"pending": 1201}  # nothing was confirmed
    http.patch("/api/v1/intake/drafts/{}".format(late["id"]), json={"responsible_person": None})
    r = http.post("/api/v1/intake/sources/{}/confirm".format(source["id"]), json={})
    assert r.status_code == 200, r.text
    assert r.json()["confirmed"] == [d["id"] for d in source["drafts"]]
    assert r.json()["counts"] == {"confirmed": 1201}
    system.tap.wait_for(1201, timeout=120)
    items = http.get("/api/v1/items", params={"page_size": 1, "count": "exact"}).json()
    assert items["total"] == 1201
    engine = create_engine(sqlite_url.replace("duban.db", "appraisal.db"))
    try:
        def projected():
            with engine.connect() as c:
                return c.execute(text("SELECT count(*) FROM items")).scalar()
        wait_until(lambda: projected() == 1201, timeout=60,
                   message="appraisal did not project every item")
        with engine.connect() as c:
            claims = c.execute(text("SELECT count(*) FROM inbox WHERE consumer = "
                                    "'tracking.on_item_registered'")).scalar()
    finally:
        engine.dispose()
    assert claims == 1201
    assert entry.batch_size == 100 and max(sizes) > 1, "applied one by one, not in batches"


def test_bad_documents_are_refused_and_store_nothing(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    today = Clock().today().isoformat()
    cases = [
        ("empty text", dict(json={"text": "   ", "meeting_date": today}), 422),
        ("no actions", dict(json={"text": "会议听取了关于财务工作的汇报。与会同志进行了讨论。",
                                  "meeting_date": today}), 422),
        ("control characters", dict(json={"text": "\x00\x01\x02\x03" * 500, "meeting_date": today}),
         422),
        ("invalid meeting date", dict(json={"text": "由区财政局负责。", "meeting_date": "2026-13-40"}),
         422),
        ("10 MB paste", dict(data=("{\"text\": \"" + "字" * (10 * 1024 * 1024 // 3) + "\"}")
                             .encode(), headers={"Content-Type": "application/json"}), 413),
        ("binary junk", dict(files={"file": ("x.txt", bytes(range(256)) * 40)},
                             data={"meeting_date": today}), 422),
        ("docx that is not a zip", dict(files={"file": ("x.docx", b"not a zip at all")},
                                        data={"meeting_date": today}), 422),
        ("unsupported upload", dict(files={"file": ("x.doc", b"\xd0\xcf\x11\xe0 old word")},
                                    data={"meeting_date": today}), 400),
        ("pdf that is only a header", dict(files={"file": ("x.pdf", b"%PDF-1.4")},
                                           data={"meeting_date": today}), 422),
        ("scanned pdf (no text)", dict(files={"file": ("scan.pdf", pdf_image_only())},
                                       data={"meeting_date": today}), 422),
        ("password-protected pdf", dict(files={"file": ("locked.pdf", pdf_encrypted("由区财政局负责。"))},
                                        data={"meeting_date": today}), 422),
    ]
    problems = []
    for name, kwargs, status in cases:
        r = http.post("/api/v1/intake/minutes", **kwargs)
        err = r.json().get("error") if r.headers.get("Content-Type", "").startswith(
            "application/json") else None
        if r.status_code != status or not err or set(err) != {"code", "message", "fields"}:
            problems.append("{}: {} {}".format(name, r.status_code, r.text[:200]))
    r = http.post("/api/v1/intake/goals", files={"file": ("g.csv", "名称,备注\n甲,乙\n".encode())})
    if r.status_code != 422:
        problems.append("wrong columns: {} {}".format(r.status_code, r.text[:200]))
    assert not problems, "\n".join(problems)
    assert http.get("/api/v1/intake/sources").json()["sources"] == []


def test_confirm_asks_tracking_first_so_nothing_is_confirmed_that_it_would_refuse(sqlite_url,
                                                                                 make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    meeting = Clock().today()
    source = http.post("/api/v1/intake/minutes", json={
        "text": minutes_text(meeting), "meeting_date": meeting.isoformat()}).json()
    first = source["drafts"][0]
    http.patch("/api/v1/intake/drafts/{}".format(first["id"]),
               json={"deadline": (meeting + dt.timedelta(days=9)).isoformat(),
                     "responsible_person": 4242})  # nobody has this id in tracking
    r = http.post("/api/v1/intake/sources/{}/confirm".format(source["id"]),
                  json={"draft_ids": [first["id"]]})
    assert r.status_code == 422, r.text
    assert "responsible_person" in r.json()["error"]["fields"]["drafts"][first["id"]][0]
    shown = http.get("/api/v1/intake/sources/{}".format(source["id"])).json()
    assert {d["status"] for d in shown["drafts"]} == {"pending"}
    assert http.get("/api/v1/admin/dead-letters/tracking").json()["dead_letters"] == []


def test_minutes_with_only_deferred_decisions_are_kept_on_record(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    seed(system.http)
    today = Clock().today().isoformat()
    r = system.http.post("/api/v1/intake/minutes", json={
        "text": "区政府专题会议纪要\n一、关于停车场建设\n暂缓，另行研究。\n二、关于新建公园\n待规划调整后再议。",
        "meeting_date": today, "title": "专题会议"})
    assert r.status_code == 201, r.text
    assert r.json()["drafts"] == [] and len(r.json()["meta"]["deferred"]) == 2
    r = system.http.post("/api/v1/intake/sources", json={
        "kind": "minutes", "format": "text", "content": "由区财政局负责，12月底前完成。"})
    assert r.status_code == 422 and "meeting_date" in r.json()["error"]["fields"]


def test_txt_upload_in_gbk_is_read_by_intake(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    seed(system.http)
    meeting = Clock().today()
    r = system.http.post("/api/v1/intake/minutes",
                         files={"file": ("纪要.txt", minutes_text(meeting).encode("gb18030"))},
                         data={"meeting_date": meeting.isoformat(), "title": "纪要"})
    assert r.status_code == 201, r.text
    assert r.json()["format"] == "txt"
    assert [d["lead_department"] for d in r.json()["drafts"]] == ["HOUSING", "ENV", "URBAN", "FIN"]


def confirm_behind_trackings_back(intake_url, source_id, draft, lead):
    """What intake's confirm writes (draft confirmed, `draft.confirmed` in its outbox) after
    tracking's dry run accepted `lead` a moment before an administrator changed it."""
    engine = create_engine(intake_url)
    item_id = str(uuid.uuid4())
    with Session(engine) as s:
        row = s.get(DraftRow, draft["id"])
        row.status, row.item_id = "confirmed", item_id
        add_event(s, OutboxEvent, make_envelope("draft.confirmed", "intake", {
            "item_id": item_id, "draft_id": draft["id"], "source_id": source_id,
            "actor": "office", "item": {"title": "排查", "lead_department": lead,
                                        "deadline": draft["deadline"],
                                        "source": {"kind": "minutes", "clause": "二、"}}},
            dt.datetime.now(dt.timezone.utc), subject_id=draft["id"]))
        s.commit()
    engine.dispose()
    return item_id


def test_a_draft_tracking_refuses_is_marked_with_the_reason(sqlite_url, make_system,
                                                            container_factory):
    """The directory changed between intake's dry run and tracking consuming the draft:
    tracking announces the refusal, intake marks the draft, the office sees why, corrects
    it and confirms it again."""
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    sign_in_to_pages(http, "OFFICE")  # the office hands the minutes in, and reads the page
    office = {"Authorization": "Bearer " + http.cookies["duban_session"]}
    meeting = Clock().today()
    source = http.post("/api/v1/intake/minutes", headers=office, json={
        "text": minutes_text(meeting), "meeting_date": meeting.isoformat()}).json()
    env = source["drafts"][1]
    system.tracking.stop()
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:  # an administrator renamed the department meanwhile
        conn.execute(text("UPDATE org_units SET code = 'ENV-OLD' WHERE code = 'ENV'"))
    engine.dispose()
    item_id = confirm_behind_trackings_back(system.intake.config["DATABASE_URL"], source["id"],
                                            env, "ENV")
    container_factory(TrackingService, system.config).start()

    def marked():
        drafts = http.get("/api/v1/intake/sources/" + source["id"]).json()["drafts"]
        return [d for d in drafts if d["id"] == env["id"] and d["status"] == "rejected"]
    (draft,) = wait_until(marked, timeout=20, message="the refusal never reached intake")
    assert "ENV" in str(draft["rejection"]["fields"]["lead_department"])
    assert draft["item_id"] is None
    page = http.get("/intake/sources/" + source["id"])
    assert "Refused by tracking" in page.text and "unknown org unit" in page.text
    assert http.get("/api/v1/items/" + item_id).status_code == 404
    assert http.get("/api/v1/admin/dead-letters/tracking").json()["dead_letters"] == []
    # the office corrects the draft and confirms it again: a new item
    r = http.patch("/api/v1/intake/drafts/" + env["id"], json={"lead_department": "URBAN"})
    assert r.status_code == 200 and r.json()["status"] == "pending"
    r = http.post("/api/v1/intake/sources/{}/confirm".format(source["id"]),
                  json={"draft_ids": [env["id"]]})
    assert r.status_code == 200, r.text
    new_item = [d for d in r.json()["drafts"] if d["id"] == env["id"]][0]["item_id"]
    assert new_item and new_item != item_id
    wait_until(lambda: http.get("/api/v1/items/" + new_item).status_code == 200)


def test_minutes_count_working_days_on_the_office_calendar(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    year = Clock().today().year + 5  # a year the official calendar does not know yet
    meeting = dt.date(year, 3, 1)
    while meeting.weekday() != 3:  # a Thursday
        meeting += dt.timedelta(days=1)
    friday = meeting + dt.timedelta(days=1)
    text = "区政府常务会议纪要\n一、区财政局负责在会后3个工作日内完成资金拨付。\n"
    before = http.post("/api/v1/intake/minutes", json={
        "text": text, "meeting_date": meeting.isoformat()}).json()["drafts"][0]
    assert before["deadline"] == (meeting + dt.timedelta(days=5)).isoformat()  # Tue
    assert "calendar_unknown" in before["flags"]
    r = http.put("/api/v1/calendar/{}".format(year), json={"days": [
        {"date": friday.isoformat(), "kind": "holiday", "name": "调休"}]})
    assert r.status_code == 200, r.text
    after = http.post("/api/v1/intake/minutes", json={
        "text": text, "meeting_date": meeting.isoformat()}).json()["drafts"][0]
    assert after["deadline"] == (meeting + dt.timedelta(days=6)).isoformat()  # Wed
    assert "calendar_unknown" not in after["flags"]

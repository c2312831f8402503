"""The intake web pages: paste minutes, fix a draft, confirm, see the items (escaped)."""
import re

import pytest

from shared.clock import Clock
from tests.bombs import pdf_image_only
from tests.helpers import sign_in_to_pages
from tests.pdfs import minutes_pdf
from tests.integration.test_intake import minutes_text, seed

pytestmark = pytest.mark.integration


def test_paste_review_confirm_through_the_pages(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    csrf = sign_in_to_pages(http, "OFFICE")
    meeting = Clock().today()
    page = http.get("/intake")
    assert page.status_code == 200 and "<textarea" in page.text

    bad = http.post("/intake", data={"csrf": csrf, "text": "", "meeting_date": meeting.isoformat()})
    assert bad.status_code == 422 and "error" in bad.text

    text = minutes_text(meeting).replace("清理道路积存垃圾", "清理<b>道路</b>积存垃圾")
    r = http.post("/intake", data={"csrf": csrf, "text": text, "meeting_date": meeting.isoformat(),
                                   "title": "常务会议"}, allow_redirects=False)
    assert r.status_code == 303
    source_url = r.headers["Location"]
    page = http.get(source_url)
    assert page.status_code == 200 and "区住建局" in page.text
    assert "<b>道路</b>" not in page.text and "&lt;b&gt;道路&lt;/b&gt;" in page.text
    assert "暂缓，另行研究" in page.text  # the deferred decision is on record
    draft_ids = re.findall(r'/drafts/([0-9a-f-]{36})"', page.text)
    assert len(draft_ids) == 4
    rows = re.findall(r"<tr class=\"pending[^\"]*\">(.*?)</tr>", page.text, re.S)
    confidences = [float(c) for c in re.findall(r"<small>\(([0-9.]+)\)</small>", page.text)]
    assert confidences == sorted(confidences)      # the least sure first
    assert "「由区住建局牵头」" in page.text         # the phrase the lead was read from

    def draft_id(words):
        return next(re.search(r'/drafts/([0-9a-f-]{36})"', r).group(1) for r in rows if words in r)

    r = http.post("/intake/sources/{}/confirm".format(source_url.rsplit("/", 1)[1]),
                  data={"csrf": csrf})
    assert r.status_code == 422 and "not ready" in r.text  # 尽快 is no deadline

    r = http.post("{}/drafts/{}".format(source_url, draft_id("政策宣传")),
                  data={"csrf": csrf, "lead_department": "FIN",
                        "deadline": meeting.replace(year=meeting.year + 1).isoformat(),
                        "action": "save"}, allow_redirects=False)
    assert r.status_code == 303
    r = http.post("{}/drafts/{}".format(source_url, draft_id("积存垃圾")), data={"action": "drop", "csrf": csrf},
                  allow_redirects=False)
    assert r.status_code == 303
    r = http.post(source_url + "/confirm", data={"csrf": csrf}, allow_redirects=False)
    assert r.status_code == 303 and "3+drafts+confirmed" in r.headers["Location"]
    system.tap.wait_for(3)
    page = http.get(source_url)
    assert len(re.findall(r'href="/items/[0-9a-f-]{36}"', page.text)) == 3  # the new items
    assert http.get("/api/v1/items").json()["total"] == 3


def test_upload_goals_assignments_and_every_draft_field(sqlite_url, make_system):
    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    csrf = sign_in_to_pages(http, "OFFICE")
    meeting = Clock().today()
    next_year = meeting.year + 1

    # minutes uploaded as a .txt file; the list shows the title parsed from the minutes
    r = http.post("/intake", data={"csrf": csrf, "meeting_date": meeting.isoformat()},
                  files={"file": ("纪要.txt", minutes_text(meeting).encode("gbk"))},
                  allow_redirects=False)
    assert r.status_code == 303, r.text
    minutes_url = r.headers["Location"]
    listing = http.get("/intake").text
    assert ">区政府第12次常务会议纪要</a>" in listing and ">{}</a>".format(
        minutes_url.rsplit("/", 1)[1]) not in listing
    r = http.post("/intake", data={"csrf": csrf, "meeting_date": meeting.isoformat()},
                  files={"file": ("纪要.doc", b"\xd0\xcf\x11\xe0")})
    assert r.status_code == 400 and "Unsupported file type" in r.text and ".pdf" in r.text
    r = http.post("/intake", data={"csrf": csrf, "meeting_date": meeting.isoformat()},
                  files={"file": ("扫描件.pdf", pdf_image_only())})
    assert r.status_code == 422 and "OCR is not supported" in r.text
    r = http.post("/intake", data={"csrf": csrf, "meeting_date": meeting.isoformat()},
                  files={"file": ("纪要.pdf", minutes_pdf(minutes_text(meeting)))},
                  allow_redirects=False)
    assert r.status_code == 303, r.text

    # confirming names the clause of each draft that is not ready, not its id
    page = http.get(minutes_url).text
    r = http.post(minutes_url + "/confirm", data={"csrf": csrf})
    assert r.status_code == 422 and "条款三" in r.text
    ids = re.findall(r'/drafts/([0-9a-f-]{36})"', page)
    assert not any(i in re.search(r'<p class="error" role="alert">(.*?)</p>', r.text, re.S)
                   .group(1) for i in ids)

    # every field of a draft is editable; departments are typed as names
    row = next(r for r in re.findall(r'<tr class="pending[^"]*">(.*?)</tr>', page, re.S)
               if "政策宣传" in r)
    draft = re.search(r'/drafts/([0-9a-f-]{36})"', row).group(1)
    bad = http.post("{}/drafts/{}".format(minutes_url, draft), data={
        "csrf": csrf, "action": "save", "lead_department": "FIN", "co_departments": "无此局",
        "title": "政策宣传<i>x</i>", "deadline": "{}-06-30".format(next_year)})
    assert bad.status_code == 422 and 'value="无此局"' in bad.text
    assert "<i>x</i>" not in bad.text and "政策宣传&lt;i&gt;x&lt;/i&gt;" in bad.text
    r = http.post("{}/drafts/{}".format(minutes_url, draft), data={
        "csrf": csrf, "action": "save", "lead_department": "FIN", "co_departments": "区住建局、ENV",
        "title": "开展政策宣传", "task": "区财政局负责开展政策宣传。", "leader": "王明",
        "category": "urgent", "deadline": "{}-06-30".format(next_year),
        "completion_form": "书面报告"}, allow_redirects=False)
    assert r.status_code == 303
    saved = next(d for d in http.get("/api/v1/intake/sources/" + minutes_url.rsplit("/", 1)[1])
                 .json()["drafts"] if d["id"] == draft)
    assert (saved["title"], saved["leader"], saved["category"], saved["co_departments"],
            saved["completion_form"]) == ("开展政策宣传", "王明", "urgent", ["HOUSING", "ENV"],
                                          "书面报告")

    # a goal sheet with its year
    sheet = ("目标,节点,牵头单位,配合单位,完成时限\n"
             "城市更新,完成方案编制,区住建局,区财政局,{y}-03-31\n").format(y=next_year)
    r = http.post("/intake/goals", data={"csrf": csrf, "year": str(next_year), "title": "年度目标"},
                  files={"file": ("goals.csv", sheet.encode("utf-8-sig"))}, allow_redirects=False)
    assert r.status_code == 303, r.text
    assert "完成方案编制" in http.get(r.headers["Location"]).text
    r = http.post("/intake/goals", data={"csrf": csrf, "year": str(next_year)},
                  files={"file": ("goals.csv", sheet.replace("-03-31", "-02-30").encode())})
    assert r.status_code == 422 and "第2行" in r.text

    # leader assignments typed as rows; a bad row is named by its number, input kept
    rows = {"csrf": csrf, "title": "区长现场办公会", "leader_0": "王明",
            "date_0": meeting.isoformat(), "department_0": "区城管局", "task_0": "清理垃圾",
            "deadline_0": "{}-01-31".format(next_year), "leader_1": "王明",
            "department_1": "区财政局", "task_1": "拨付资金"}
    r = http.post("/intake/assignments", data=rows)
    assert r.status_code == 422 and "第2行" in r.text and 'value="拨付资金"' in r.text
    rows["date_1"] = meeting.isoformat()
    r = http.post("/intake/assignments", data=rows, allow_redirects=False)
    assert r.status_code == 303, r.text
    page = http.get(r.headers["Location"]).text
    assert "清理垃圾" in page and "拨付资金" in page
    assert ">区长现场办公会</a>" in http.get("/intake").text

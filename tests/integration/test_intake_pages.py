"""The intake web pages: paste minutes, fix a draft, confirm, see the items (escaped)."""
import re

import pytest

from shared.clock import Clock
from tests.helpers import sign_in_to_pages
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
    assert page.text.count('href="/items/') == 3
    assert http.get("/api/v1/items").json()["total"] == 3

"""End to end in a real browser: a department contact reports progress and asks for
completion on 我的事项; the office completes and evaluates on the item page; a contact
cannot open another department's item; a stored script renders as text.

With DUBAN_SCREENSHOTS=<dir> set, the pages are also saved there (docs/screenshots/)."""
import datetime as dt
import os

import pytest

from shared.clock import Clock
from tests.helpers import PAGE_PASSWORD, wait_until
from tests.integration.test_intake import minutes_text, seed

pytestmark = pytest.mark.integration
XSS = "<script>window.__pwned = 1</script>"
SHOTS = os.environ.get("DUBAN_SCREENSHOTS")


def shoot(browser, name, width=1280, height=900):
    if SHOTS:
        browser.set_window_size(width, height)
        browser.save_screenshot(os.path.join(SHOTS, name))
        browser.set_window_size(1400, 1000)


def sign_in(browser, base, username, then):
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(base + then)
    wait_until(lambda: "/signin" in browser.current_url, timeout=10)
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PAGE_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.signin button").click()
    wait_until(lambda: browser.current_url.endswith(then), timeout=10)


def person(http, name, unit, roles, username, mobile):
    r = http.post("/api/v1/people", json={"name": name, "mobile": mobile, "org_unit": unit,
                                          "roles": roles, "username": username,
                                          "password": PAGE_PASSWORD})
    assert r.status_code == 201, r.text


def item(http, title, lead, days):
    deadline = (Clock().today() + dt.timedelta(days=days)).isoformat()
    r = http.post("/api/v1/items", json={"title": title, "lead_department": lead,
                                         "deadline": deadline, "content": "任务内容" + XSS,
                                         "feedback_cadence": "weekly", "category": "key"})
    assert r.status_code == 201, r.text
    assert http.post("/api/v1/items/{}/issue".format(r.json()["id"]), json={}).status_code == 200
    return r.json()["id"]


def open_form(browser, card, summary_words):
    from selenium.webdriver.common.by import By

    summary = next(s for s in card.find_elements(By.TAG_NAME, "summary")
                   if summary_words in s.text)
    summary.click()
    return summary.find_element(By.XPATH, "..")


def test_contact_reports_office_completes_and_scripts_stay_text(sqlite_url, make_system, browser,
                                                                 web_config_port):
    from selenium.webdriver.common.by import By

    system = make_system(sqlite_url, intake=True)
    http = system.http
    seed(http)
    base = "http://127.0.0.1:{}".format(web_config_port)
    person(http, "王督办", "OFFICE", ["office"], "wangdb", "13700008881")
    person(http, "李联络", "FIN", ["contact"], "lilx", "13700008882")
    person(http, "赵联络", "URBAN", ["contact"], "zhaolx", "13700008883")
    ours = item(http, "财政资金排查" + XSS, "FIN", 30)
    theirs = item(http, "道路垃圾清理", "URBAN", 30)

    # the finance contact: 我的事项 shows their item only, with its light and deadline
    sign_in(browser, base, "lilx", "/my")
    cards = browser.find_elements(By.CSS_SELECTOR, "li.my-item")
    assert len(cards) == 1 and "财政资金排查" + XSS in cards[0].text     # the script is text
    assert browser.execute_script("return window.__pwned") is None
    assert "绿灯" in cards[0].text
    form = open_form(browser, cards[0], "签收")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: "notice=accept" in browser.current_url, timeout=10)

    card = browser.find_element(By.CSS_SELECTOR, "li.my-item")
    form = open_form(browser, card, "反馈进展")
    progress = form.find_element(By.NAME, "progress")
    progress.clear()
    progress.send_keys("60")
    form.find_element(By.NAME, "content").send_keys("已完成六成" + XSS)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: "notice=submit_feedback" in browser.current_url, timeout=10)
    shoot(browser, "my-items.png")
    shoot(browser, "my-items-phone.png", 390, 844)

    card = browser.find_element(By.CSS_SELECTOR, "li.my-item")
    form = open_form(browser, card, "申请办结")
    form.find_element(By.NAME, "summary").send_keys("排查完成，报告已提交")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_until(lambda: "notice=request_completion" in browser.current_url, timeout=10)
    assert "申请办结" in browser.find_element(By.CSS_SELECTOR, "li.my-item").text

    # another department's item: a "not found" page, nothing of it shown
    browser.get(base + "/items/" + theirs)
    assert "道路垃圾清理" not in browser.page_source
    assert "未找到事项" in browser.find_element(By.CSS_SELECTOR, "p.error").text

    # the office: complete, then evaluate, on the item page
    sign_in(browser, base, "wangdb", "/items/" + ours)
    forms = [f.get_attribute("action").rsplit("/", 1)[1]
             for f in browser.find_elements(By.CSS_SELECTOR, "form.action")]
    assert forms[:2] == ["complete", "return"]
    assert browser.execute_script("return window.__pwned") is None
    assert XSS in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.CSS_SELECTOR, "form.action-complete button").click()
    wait_until(lambda: "notice=complete" in browser.current_url, timeout=10)
    browser.find_element(By.CSS_SELECTOR, "form.action-evaluate input[name=quality]").send_keys("95")
    browser.find_element(By.CSS_SELECTOR, "form.action-evaluate button").click()
    wait_until(lambda: "notice=evaluate" in browser.current_url, timeout=10)
    timeline = browser.find_element(By.CSS_SELECTOR, "ol.timeline").text
    for words in ("立项", "下达", "签收", "反馈进展", "申请办结", "办结", "评价", "李联络", "王督办"):
        assert words in timeline, words
    assert "已评价" in browser.find_element(By.CSS_SELECTOR, ".status-line").text
    assert "已完成六成" + XSS in browser.find_element(By.CSS_SELECTOR, "ul.feedback").text
    shoot(browser, "item.png")
    shoot(browser, "item-phone.png", 390, 844)
    assert http.get("/api/v1/items/" + ours).json()["grade"] is not None


def test_the_intake_review_page(sqlite_url, make_system, browser, web_config_port):
    """The review page of pasted minutes, as the office sees it (and its screenshot)."""
    from selenium.webdriver.common.by import By

    system = make_system(sqlite_url, intake=True)
    seed(system.http)
    base = "http://127.0.0.1:{}".format(web_config_port)
    person(system.http, "王督办", "OFFICE", ["office"], "wangdb", "13700008881")
    meeting = Clock().today()
    token = system.http.post("/api/v1/auth/token", json={
        "username": "wangdb", "password": PAGE_PASSWORD}).json()["token"]
    r = system.http.post("/api/v1/intake/minutes", json={
        "text": minutes_text(meeting), "meeting_date": meeting.isoformat()},
        headers={"Authorization": "Bearer " + token})   # the office's own source
    assert r.status_code == 201, r.text
    sign_in(browser, base, "wangdb", "/intake")
    link = browser.find_element(By.CSS_SELECTOR, "table.sources a")
    assert link.text == "区政府第12次常务会议纪要"
    link.click()
    wait_until(lambda: "/intake/sources/" in browser.current_url, timeout=10)
    browser.find_element(By.XPATH, "//button[contains(., 'Confirm')]").click()
    wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "p.error"), timeout=10)
    assert "条款三" in browser.find_element(By.CSS_SELECTOR, "p.error").text
    shoot(browser, "intake-review.png")

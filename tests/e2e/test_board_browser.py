"""End to end in a real browser: a leader opens the dashboard; an administrator creates a
person and an API token on the admin page.

With DUBAN_SCREENSHOTS=<folder> set, the tests also save the screenshots of docs/pages.md
there (ledger on a desktop and a phone, dashboard, admin directory)."""
import datetime as dt
import os

import pytest
import requests

from shared.clock import FixedClock
from tests.helpers import wait_until
from tests.integration.test_access import PASSWORD, World
from tests.integration.test_board_pages import MONDAY, finish, register

pytestmark = pytest.mark.integration
DESKTOP, PHONE = (1280, 900), (390, 844)


def shoot(browser, name, size=DESKTOP):
    folder = os.environ.get("DUBAN_SCREENSHOTS")
    if not folder:
        return
    browser.set_window_size(*size)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(os.path.join(folder, name))
    browser.set_window_size(*DESKTOP)


def sign_in(browser, base, username, target):
    from selenium.webdriver.common.by import By

    browser.get(base + target)
    assert "/signin" in browser.current_url
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.signin button").click()
    wait_until(lambda: browser.current_url.endswith(target), timeout=10)


def test_a_leader_opens_the_dashboard(sqlite_url, make_system, browser, web_config_port):
    from selenium.webdriver.common.by import By

    clock = FixedClock(MONDAY)
    system = make_system(sqlite_url, clock=clock)
    world = World(system.http)
    for title, lead, day, co in (("编制2027年度预算", "FIN", dt.date(2026, 11, 3), ()),
                                 ("修订员工绩效考核办法", "HR", dt.date(2026, 11, 4), ("FIN",)),
                                 ("完成年度审计整改", "FIN", dt.date(2026, 11, 20), ()),
                                 ("上线督办系统短信提醒", "OFFICE", dt.date(2026, 12, 31), ()),
                                 ("清理历史应收账款", "FIN", dt.date(2027, 1, 15), ("HR",))):
        register(system.http, title, lead, day, co)
    finish(system.http, register(system.http, "报送三季度经营分析", "OFFICE", dt.date(2026, 11, 6)))
    clock.advance(days=14)  # Monday 16 November: two items overdue, one due this week
    base = "http://127.0.0.1:{}".format(web_config_port)

    sign_in(browser, base, "leader", "/")
    shoot(browser, "ledger.png")
    shoot(browser, "ledger-phone.png", PHONE)
    browser.find_element(By.LINK_TEXT, "督办看板").click()
    wait_until(lambda: browser.current_url.endswith("/dashboard"), timeout=10)
    tiles = [t.text for t in browser.find_elements(By.CSS_SELECTOR, ".tile")]
    assert tiles[0].startswith("2") and "逾期事项" in tiles[0]
    assert tiles[1].startswith("1") and "本周到期" in tiles[1]
    rows = {r.find_element(By.TAG_NAME, "a").text: [c.text for c in r.find_elements(
        By.TAG_NAME, "td")[1:6]] for r in browser.find_elements(
        By.CSS_SELECTOR, "table.departments tbody tr")}
    assert rows["财务部"] == ["0", "0", "2", "1", "3"]
    assert rows["集团办公室"] == ["1", "0", "1", "0", "2"]
    bars = browser.find_elements(By.CSS_SELECTOR, "table.departments .seg.overdue")
    assert len(bars) == 2 and all(b.size["width"] > 0 for b in bars)  # drawn, not just text
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.trend tbody tr")) == 12
    shoot(browser, "dashboard.png")
    # the overdue tile opens the ledger filtered to the overdue items
    browser.find_element(By.CSS_SELECTOR, ".tile.red").click()
    wait_until(lambda: "overdue=true" in browser.current_url, timeout=10)
    signals = [s.text for s in browser.find_elements(By.CSS_SELECTOR, "table.ledger .signal")]
    assert signals == ["逾期", "逾期"]


def test_an_admin_creates_a_person_and_an_api_token(sqlite_url, make_system, browser,
                                                    web_config_port):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    system = make_system(sqlite_url)
    World(system.http)  # the units, and a person per role (username = the role)
    assert system.http.patch("/api/v1/org-units/FIN", json={"aliases": ["财务", "计财部"]}).ok
    base = "http://127.0.0.1:{}".format(web_config_port)
    sign_in(browser, base, "admin", "/admin")
    browser.find_element(By.XPATH, "//summary[contains(., '新建人员')]").click()
    form = browser.find_element(By.CSS_SELECTOR, "form.create-person")
    form.find_element(By.NAME, "name").send_keys("周新")
    form.find_element(By.NAME, "mobile").send_keys("13811112222")
    Select(form.find_element(By.NAME, "org_unit")).select_by_value("HR")
    form.find_element(By.CSS_SELECTOR, "input[name=roles][value=contact]").click()
    form.find_element(By.NAME, "username").send_keys("zhouxin")
    form.find_element(By.NAME, "password").send_keys(PASSWORD)
    form.find_element(By.TAG_NAME, "button").click()
    wait_until(lambda: "notice=" in browser.current_url, timeout=10)
    assert "✓ 周新" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    people = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.people tbody tr")]
    assert any("周新" in r and "zhouxin" in r and "人力资源部" in r for r in people)
    shoot(browser, "admin-directory.png")

    browser.find_element(By.LINK_TEXT, "API 令牌").click()
    wait_until(lambda: browser.current_url.endswith("/admin/tokens"), timeout=10)
    form = browser.find_element(By.CSS_SELECTOR, "form.create-token")
    form.find_element(By.NAME, "name").send_keys("报表系统")
    form.find_element(By.CSS_SELECTOR, "input[name=roles][value=viewer]").click()
    form.find_element(By.TAG_NAME, "button").click()
    try:
        secret = wait_until(lambda: browser.find_elements(By.CSS_SELECTOR, "code.token"),
                            timeout=10)[0].text
    except AssertionError:
        raise AssertionError(browser.page_source[-3000:])
    assert secret.startswith("dbn_")
    me = requests.get(base + "/api/v1/auth/me", headers={"Authorization": "Bearer " + secret},
                      timeout=10)
    assert me.status_code == 200 and me.json()["roles"] == ["viewer"]
    browser.get(base + "/admin/tokens")  # shown once: not on the list
    assert secret not in browser.page_source and "报表系统" in browser.page_source
    # the new person signs in with what the admin typed
    assert world_sign_in(base, "zhouxin")


def world_sign_in(base, username):
    r = requests.post(base + "/api/v1/auth/token", json={"username": username,
                                                        "password": PASSWORD}, timeout=10)
    return r.status_code == 201

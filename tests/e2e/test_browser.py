"""End to end in a real browser: paste minutes, fix a draft, confirm, open the item."""
import pytest

from shared.clock import Clock
from tests.helpers import PAGE_PASSWORD, wait_until
from tests.integration.test_intake import minutes_text, seed

pytestmark = pytest.mark.integration


def test_office_turns_minutes_into_items_in_the_browser(sqlite_url, make_system, browser,
                                                        web_config_port):
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    system = make_system(sqlite_url, intake=True)
    seed(system.http)
    base = "http://127.0.0.1:{}".format(web_config_port)
    meeting = Clock().today()

    # the pages are for signed-in people: a visit is sent to the sign-in page first
    assert system.http.post("/api/v1/people", json={
        "name": "王督办", "mobile": "13700008888", "org_unit": "OFFICE", "roles": ["office"],
        "username": "wangdb", "password": PAGE_PASSWORD}).status_code == 201
    browser.get(base + "/intake")
    assert "/signin" in browser.current_url
    browser.find_element(By.NAME, "username").send_keys("wangdb")
    browser.find_element(By.NAME, "password").send_keys(PAGE_PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.signin button").click()
    wait_until(lambda: browser.current_url.endswith("/intake"), timeout=10)
    assert "王督办" in browser.find_element(By.CSS_SELECTOR, "form.whoami").text
    browser.find_element(By.NAME, "title").send_keys("区政府第12次常务会议纪要")
    # a date input takes keyboard input in the browser's locale; set it as a user agent would
    browser.execute_script("document.getElementsByName('meeting_date')[0].value = arguments[0]",
                           meeting.isoformat())
    browser.find_element(By.NAME, "text").send_keys(minutes_text(meeting))
    browser.find_element(By.CSS_SELECTOR, "form.intake button").click()

    wait_until(lambda: "/intake/sources/" in browser.current_url, timeout=10)
    browser.get(browser.current_url)  # the review page, settled
    rows = browser.find_elements(By.CSS_SELECTOR, "table.drafts tbody tr")
    assert len(rows) == 4  # sorted by confidence, the least sure first
    texts = [row.text for row in rows]
    assert any("区住建局" in t for t in texts) and any("张副区长" in t for t in texts)
    vague = next(row for row in rows if "vague_deadline" in row.text)

    Select(vague.find_element(By.NAME, "lead_department")).select_by_value("FIN")
    browser.execute_script("arguments[0].value = arguments[1]",
                           vague.find_element(By.NAME, "deadline"),
                           meeting.replace(year=meeting.year + 1).isoformat())
    vague.find_element(By.CSS_SELECTOR, "button[value=save]").click()
    def no_vague_draft_left():
        try:  # the page reloads after the save: rows read mid-way go stale
            return all("vague_deadline" not in row.text for row in browser.find_elements(
                By.CSS_SELECTOR, "table.drafts tbody tr"))
        except StaleElementReferenceException:
            return False
        except WebDriverException as exc:  # Chrome's word for the same race, now and then
            if "does not belong to the document" in str(exc):
                return False
            raise
    wait_until(no_vague_draft_left, timeout=10)

    browser.find_element(By.XPATH, "//button[contains(., 'Confirm')]").click()
    wait_until(lambda: "4 drafts confirmed" in browser.page_source, timeout=10)
    system.tap.wait_for(4)

    browser.get(browser.current_url)  # the confirmed page, settled
    housing = next(row for row in browser.find_elements(By.CSS_SELECTOR, "table.drafts tbody tr")
                   if "区住建局" in row.text)
    housing.find_element(By.CSS_SELECTOR, "a[href^='/items/']").click()
    wait_until(lambda: "/items/" in browser.current_url, timeout=10)
    assert "DB-" in browser.find_element(By.TAG_NAME, "h1").text
    assert "区住房和城乡建设局" in browser.page_source

    browser.get(base + "/")
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) == 4

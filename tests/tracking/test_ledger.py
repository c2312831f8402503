"""The ledger's list on both databases, migrated as in production (so PostgreSQL has its
text-search indexes): Chinese substrings of every length, the keyset cursor, capped totals."""
import contextlib
import datetime as dt

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import text
from sqlalchemy.orm import Session

from services.tracking.handlers import ledger, search
from services.tracking.service import TrackingService
from shared.clock import FixedClock
from shared.db import make_engine
from shared.errors import ValidationFailed
from shared.migrate import upgrade

from .test_service import RecordingOutbox

TITLES = ["编制年度预算", "修订员工绩效考核办法", "上线督办系统短信提醒", "排查安全生产隐患",
          "预算执行分析", "招聘计划_2027", "数据中心迁移 100%"]


@contextlib.contextmanager
def migrated_service(url):
    """(tracking worker, its session) on a database migrated as in production, with a
    group and two departments."""
    upgrade("tracking", url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        clock = FixedClock(dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.timezone.utc))
        svc = worker_factory(TrackingService, db=session, outbox=RecordingOutbox(), clock=clock,
                             caller="token:abc", config={"NUMBER_PREFIX": "DB"})
        svc.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
        svc.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department",
                             "parent": "HQ"})
        svc.create_org_unit({"code": "HR", "name": "人力资源部", "kind": "department",
                             "parent": "HQ"})
        yield svc, session
    engine.dispose()


@pytest.fixture()
def service(db_url):
    with migrated_service(db_url) as (svc, _):
        yield svc


def register(service, title, content="按会议要求办理", deadline="2026-12-31", lead="FIN",
             co=()):
    return service.register_item({
        "title": title, "content": content, "lead_department": lead,
        "co_departments": list(co), "deadline": deadline,
        "source": {"kind": "minutes", "ref": "纪要12号"}})


def titles(page):
    return sorted(i["title"] for i in page["items"])


def test_text_search_finds_chinese_substrings_of_any_length(service):
    for n, title in enumerate(TITLES):
        register(service, title, content="第{}项：落实{}".format(n, "会议纪要要求" if n % 2 else "领导批示"))
    find = lambda q: titles(service.list_items({"q": q}))  # noqa: E731
    assert find("预算") == ["编制年度预算", "预算执行分析"]        # two characters: the bigrams
    assert find("绩效考核") == ["修订员工绩效考核办法"]            # four: the trigrams
    assert find("督办系统短信") == ["上线督办系统短信提醒"]
    assert find("算") == ["编制年度预算", "预算执行分析"]          # one character scans
    assert find("考绩") == [] and find("系统督办") == []          # order matters
    assert find("批示") == sorted(t for n, t in enumerate(TITLES) if n % 2 == 0)  # in content
    assert find("_") == ["招聘计划_2027"] and find("%") == ["数据中心迁移 100%"]  # literal
    assert find("27") == ["招聘计划_2027"]                         # digits, two of them
    number = service.list_items({"q": "预算执行"})["items"][0]["number"]
    assert [i["number"] for i in service.list_items({"q": number})["items"]] == [number]
    assert find(number[-4:].lower()) == ["预算执行分析"]           # a part of its number


def test_the_cursor_walks_the_list_in_order_without_gaps(service):
    for n in range(7):
        register(service, "事项{}".format(n), deadline="2026-12-{:02d}".format(28 - n % 3))
    by_pages = [i["id"] for p in (1, 2, 3, 4) for i in service.list_items(
        {"page_size": "2", "page": str(p)})["items"]]
    walked, cursor = [], None
    while True:
        page = service.list_items(dict({"page_size": "2"}, **({"cursor": cursor} if cursor
                                                             else {})))
        walked.extend(i["id"] for i in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == by_pages and len(set(walked)) == 7
    deadlines = [service.get_item(i)["deadline"] for i in walked]
    assert deadlines == sorted(deadlines)
    # with a filter: the cursor continues within it
    first = service.list_items({"q": "事项", "deadline_from": "2026-12-27", "page_size": "2"})
    rest = service.list_items({"q": "事项", "deadline_from": "2026-12-27",
                               "cursor": first["next_cursor"]})
    assert rest["next_cursor"] is None and len(first["items"]) + len(rest["items"]) == 5
    with pytest.raises(ValidationFailed) as info:
        service.list_items({"cursor": "not-a-cursor"})
    assert "cursor" in info.value.fields


def test_totals_are_exact_up_to_the_cap_and_on_request(service, monkeypatch):
    for n in range(5):
        register(service, "事项{}".format(n), lead="HR" if n == 0 else "FIN",
                 co=["HR"] if n == 1 else ())
    page = service.list_items({"page_size": "2"})
    assert (page["total"], page["total_exact"]) == (5, True)
    assert service.list_items({"department": "HR"})["total"] == 2  # leads one, co-operates one
    monkeypatch.setattr(ledger, "TOTAL_CAP", 3)
    page = service.list_items({"page_size": "2"})
    assert (page["total"], page["total_exact"], len(page["items"])) == (3, False, 2)
    assert service.list_items({"page": "3", "page_size": "2"})["items"]  # beyond the cap
    exact = service.list_items({"count": "exact"})
    assert (exact["total"], exact["total_exact"]) == (5, True)
    with pytest.raises(ValidationFailed):
        service.list_items({"count": "some"})


def test_a_page_shows_the_lead_departments_people_and_the_co_departments(service):
    person = service.create_person({"name": "李四", "mobile": "13900001111", "org_unit": "FIN",
                                    "roles": ["contact"]})
    service.set_contact("FIN", {"person": person["id"]})
    register(service, "编制年度预算", co=["HR"])
    item = service.list_items({})["items"][0]
    assert item["lead_department"]["contact"]["name"] == "李四"
    assert item["org_path"] == ["HQ", "FIN"]
    assert item["co_departments"] == [{"code": "HR", "name": "人力资源部"}]
    assert item == {k: v for k, v in service.get_item(item["id"]).items() if k in item}


def test_every_view_on_a_page_equals_the_items_own_view(service):
    """The list reads plain rows (handlers/list_rows.py), the item page ORM objects; both go
    through views.item_view and must agree on every field: a three-level organisation,
    the lead's contact, head and leader, a supervising department, a responsible person,
    co-departments in their order and milestones."""
    service.create_org_unit({"code": "SUB", "name": "一分公司", "kind": "subsidiary",
                             "parent": "HQ"})
    service.create_org_unit({"code": "SUB-OPS", "name": "运营部", "kind": "department",
                             "parent": "SUB"})
    people = [service.create_person({"name": name, "mobile": "1390000{:04d}".format(n),
                                     "org_unit": "SUB-OPS", "roles": ["contact"]})
              for n, name in enumerate(["王一", "王二", "王三", "王四"])]
    service.update_org_unit("SUB-OPS", {"head": people[1]["id"], "leader": people[2]["id"]})
    service.set_contact("SUB-OPS", {"person": people[0]["id"]})
    made = [service.register_item({
        "title": "事项{}".format(n), "content": "内容", "lead_department": lead,
        "co_departments": co, "supervising_department": "FIN" if n % 2 else None,
        "responsible_person": people[3]["id"] if lead == "SUB-OPS" else None,
        "deadline": "2026-12-{:02d}".format(10 + n),
        "milestones": [{"title": "节点", "date": "2026-12-05"}] if n == 1 else [],
        "source": {"kind": "minutes", "ref": "纪要12号", "clause": str(n)}})
        for n, (lead, co) in enumerate([("SUB-OPS", ["HR", "FIN"]), ("SUB-OPS", []),
                                        ("FIN", ["SUB-OPS"]), ("HR", ["FIN", "SUB-OPS"])])]
    page = service.list_items({})["items"]
    assert [i["id"] for i in page] == [m["id"] for m in made]
    assert page[0]["org_path"] == ["HQ", "SUB", "SUB-OPS"]
    assert page[0]["lead_department"]["head"]["name"] == "王二"
    assert [c["code"] for c in page[3]["co_departments"]] == ["FIN", "SUB-OPS"]
    for item in page:
        assert item == {k: v for k, v in service.get_item(item["id"]).items() if k in item}


def test_sqlite_text_search_reads_the_trigram_index_kept_in_step_by_triggers(sqlite_url,
                                                                            monkeypatch):
    """Migration 0007: three characters or more are looked up in FTS5 (items_fts), which
    triggers keep in step with every insert and correction of an item; a text that more
    than search.RARE items hold is found by walking the list instead."""
    with migrated_service(sqlite_url) as (svc, session):
        made = [register(svc, title) for title in TITLES]
        find = lambda q: titles(svc.list_items({"q": q}))  # noqa: E731
        assert find("绩效考核") == ["修订员工绩效考核办法"]
        assert find("DB-2026-0003") == ["上线督办系统短信提醒"]          # the number too
        assert find("100%") == ["数据中心迁移 100%"] and find("划_2") == ["招聘计划_2027"]
        svc.update_item(made[1]["id"], {"title": "修订员工薪酬管理办法"})
        assert find("绩效考核") == [] and find("薪酬管理") == ["修订员工薪酬管理办法"]
        # the index is what is read: an item taken out of it is no longer found
        register(svc, "督办系统验收")
        session.execute(text("DELETE FROM items_fts WHERE rowid = (SELECT id FROM "
                             "item_search_ids WHERE item_id = :i)"), {"i": made[2]["id"]})
        assert find("督办系统") == ["督办系统验收"]
        assert find("督办") == ["上线督办系统短信提醒", "督办系统验收"]  # two characters scan
        monkeypatch.setattr(search, "RARE", 0)                  # every text is "frequent"
        assert find("督办系统") == ["上线督办系统短信提醒", "督办系统验收"]

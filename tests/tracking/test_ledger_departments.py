"""A department's items (the `department` filter) and a contact's own list, read per
branch on PostgreSQL (scope.by_units: each lead unit's items in order, the co-operated
ones apart, then merged) and as one query on SQLite: every page, cursor and total must be
what the straightforward query gives (one IN over the union of the led and co-operated
items, sorted whole)."""
import datetime as dt

import pytest
from nameko.testing.services import worker_factory
from sqlalchemy import select, update

from services.tracking.handlers import ledger, scope, search
from services.tracking.models import Item, OrgUnit
from services.tracking.service import TrackingService
from shared.access import Principal
from shared.contracts.tracking import ItemQuery
from shared.schemas import load

from .test_ledger import migrated_service
from .test_service import RecordingOutbox

ADMIN = Principal("admin", "admin", "平台管理员", ("admin",))
FIN = Principal("person", "person:5", "李四", ("contact",), "HQ", None, ("FIN",))
FIN_HR = Principal("person", "person:6", "赵六", ("contact",), "HQ", None, ("FIN", "HR"))
OFFICE = Principal("person", "person:7", "王督办", ("office",), "HQ", "HQ")
# A contact who also sees the organisation (office): its own list is not read per branch.
OFFICE_CONTACT = Principal("person", "person:8", "钱七", ("office", "contact"), "HQ", "HQ",
                           ("FIN",))
DEPARTMENTS = ["FIN", "HR", "OPS", "LAW"]
TODAY = dt.date(2027, 1, 20)  # the clock moved on after registering: some items overdue

FILTERS = [
    {},
    {"department": "FIN"},
    {"department": "HR"},
    {"department": "OPS", "org": "HQ"},
    {"department": "FIN", "status": "issued"},
    {"department": "HR", "overdue": "true"},
    {"department": "FIN", "overdue": "false"},
    {"department": "FIN", "deadline_from": "2026-12-20", "deadline_to": "2027-02-10"},
    {"department": "HR", "q": "预算"},
    {"department": "FIN", "q": "绩效考核"},
    {"department": "FIN", "count": "exact"},
    {"status": "registered"},
    {"overdue": "true"},
    {"q": "预算", "deadline_from": "2027-01-01"},
]


@pytest.fixture()
def ledger_of_departments(db_url):
    """Two groups; in HQ four departments leading and co-operating on 60 items whose
    deadlines share days (so the order's later keys decide), of several statuses."""
    with migrated_service(db_url) as (svc, session):
        svc.create_org_unit({"code": "G2", "name": "二集团", "kind": "group"})
        for code in ("OPS", "LAW"):
            svc.create_org_unit({"code": code, "name": code, "kind": "department",
                                 "parent": "HQ"})
        svc.create_org_unit({"code": "G2-FIN", "name": "二集团财务部", "kind": "department",
                             "parent": "G2"})
        for n in range(60):
            lead = DEPARTMENTS[n % 4]
            co = [d for k, d in enumerate(DEPARTMENTS) if d != lead and (n + k) % 3 == 0]
            made = svc.register_item({
                "title": ["编制年度预算", "修订绩效考核办法", "排查安全隐患"][n % 3] + str(n),
                "content": "落实会议要求", "lead_department": lead, "co_departments": co,
                "deadline": (dt.date(2026, 12, 1) + dt.timedelta(days=7 * (n % 11))).isoformat(),
                "source": {"kind": "minutes", "ref": "纪要12号", "clause": str(n)}})
            if n % 5 == 1:
                svc.act(made["id"], "issue", {})
        for n in range(6):
            svc.register_item({"title": "二集团预算" + str(n), "content": "", "deadline":
                               "2026-12-15", "lead_department": "G2-FIN",
                               "source": {"kind": "minutes", "ref": "纪要3号"}})
        # finished work, which is never overdue (set straight: the list only reads it)
        session.execute(update(Item).where(Item.title.like("排查%")).values(status="completed"))
        session.commit()
        svc.clock.at = dt.datetime.combine(TODAY, dt.time(2), tzinfo=dt.timezone.utc)
        yield svc, session


def straightforward(session, principal, query):
    """The ids the list has, in order: the query of round 2, before the branches."""
    q = ledger._filtered(session, scope.visible_items(session, principal, select(Item.id)),
                         query, TODAY)
    if query.get("department"):
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.code == query["department"]))
        q = q.where(Item.id.in_(scope.items_of_units([unit])))
    if query.get("q"):
        q = q.where(*search.conditions(session, query["q"]))
    return list(session.scalars(q.order_by(*ledger.ORDER)))


def expected_total(found, offset, shown, more, exact, cursor):
    """The list's promise for `total`: counted on its last page by number, the cap (not
    exact) past the cap, else the whole filtered set counted up to the cap or, when asked,
    exactly."""
    if not cursor and not more and (shown or offset == 0):
        return offset + shown, True
    if not cursor and not exact and offset + shown > ledger.TOTAL_CAP:
        return ledger.TOTAL_CAP, False
    if exact or len(found) <= ledger.TOTAL_CAP:
        return len(found), True
    return ledger.TOTAL_CAP, False


def check_pages(svc, session, principal, query, size):
    """Every page by number (and one past the end), and the walk by cursor, against the
    straightforward query: the same ids in the same order, the same totals."""
    caller = worker_factory(TrackingService, db=session, outbox=RecordingOutbox(),
                            clock=svc.clock, caller=principal.encode(),
                            config={"NUMBER_PREFIX": "DB"})
    found = straightforward(session, principal, load(ItemQuery(), query))
    exact = query.get("count") == "exact"
    for number in range(1, len(found) // size + 3):
        page = caller.list_items(dict(query, page=str(number), page_size=str(size)))
        offset = (number - 1) * size
        ids = [i["id"] for i in page["items"]]
        more = len(found) > offset + size
        assert ids == found[offset:offset + size], (query, number)
        assert (page["total"], page["total_exact"]) == expected_total(
            found, offset, len(ids), more, exact, cursor=False), (query, number)
        assert (page["next_cursor"] is not None) == more, (query, number)
    walked, cursor = [], None
    while True:
        page = caller.list_items(dict(query, page_size=str(size), **(
            {"cursor": cursor} if cursor else {})))
        ids = [i["id"] for i in page["items"]]
        assert ids == found[len(walked):len(walked) + size], (query, len(walked))
        if cursor:
            assert (page["total"], page["total_exact"]) == expected_total(
                found, None, len(ids), None, exact, cursor=True), (query, len(walked))
        walked.extend(ids)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert walked == found, query
    return found


@pytest.mark.parametrize("principal", [ADMIN, FIN, FIN_HR, OFFICE, OFFICE_CONTACT],
                         ids=["admin", "contact", "contact of two", "office", "office contact"])
def test_department_and_contact_pages_equal_the_straightforward_query(ledger_of_departments,
                                                                       principal):
    svc, session = ledger_of_departments
    sizes = [len(check_pages(svc, session, principal, query, size=4)) for query in FILTERS]
    assert all(sizes) and sizes[1] > 2 * 4  # nothing vacuous; a department of many pages
    if principal is FIN:
        assert sizes[0] == sizes[1]  # a contact's own list is its department's items
    if principal is FIN_HR:  # two departments, some items of both: each listed once
        assert sizes[0] < sizes[1] + sizes[2]


def test_capped_totals_of_a_department_equal_the_straightforward_query(ledger_of_departments,
                                                                       monkeypatch):
    """Beyond the cap a page says TOTAL_CAP and total_exact false, whichever branch the
    items come from; count=exact counts the union once (an item both branches hold of a
    contact of two departments is one item)."""
    svc, session = ledger_of_departments
    monkeypatch.setattr(ledger, "TOTAL_CAP", 7)
    for principal in (ADMIN, FIN_HR):
        for query in ({"department": "FIN"}, {"department": "HR", "overdue": "false"}, {},
                      {"department": "FIN", "count": "exact"}):
            check_pages(svc, session, principal, query, size=3)


def test_a_contact_of_units_that_are_gone_sees_nothing(ledger_of_departments):
    """A session may name a department since removed from the directory: no branch, no item
    (as the straightforward query: an IN over nothing)."""
    svc, session = ledger_of_departments
    gone = Principal("person", "person:9", "孙八", ("contact",), "HQ", None, ("GONE",))
    caller = worker_factory(TrackingService, db=session, outbox=RecordingOutbox(),
                            clock=svc.clock, caller=gone.encode(),
                            config={"NUMBER_PREFIX": "DB"})
    for query in ({}, {"department": "FIN"}, {"q": "预算"}, {"cursor": ledger.encode_cursor(
            session.get(Item, straightforward(session, ADMIN, {})[0]))}):
        page = caller.list_items(query)
        assert (page["items"], page["total"], page["total_exact"]) == ([], 0, True), query

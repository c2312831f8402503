"""督办台账: the ledger page (filters, red/yellow/green, paging) and its .xlsx export."""
import io
from urllib.parse import urlencode

from openpyxl import Workbook
from werkzeug.wrappers import Response

from shared.errors import DubanError
from shared.rpc import call

from . import i18n
from .pages import _current, _explain, _html

FILTERS = ("q", "status", "category", "department", "overdue", "deadline_from", "deadline_to")
PAGE_SIZE = 20
EXPORT_PAGE = 200       # tracking's largest page
EXPORT_CAP = 5000       # rows in one export
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("编号", "事项", "主办部门", "协办部门", "责任人", "时限", "状态", "红黄绿", "进度", "来源")
SIGNAL_WORDS = {"red": "红（逾期）", "yellow": "黄（临期）", "green": "绿（正常）", "none": "—（办结）"}


def ledger_filter(args):
    """The filter of the query string, as tracking's list_items takes it (empty dropped)."""
    query = {k: args.get(k, "").strip() for k in FILTERS if args.get(k, "").strip()}
    if "overdue" in query and query["overdue"] not in ("true", "false"):
        query["overdue"] = "true"  # a ticked box
    return query


def kept_query(request):
    """The page's query without `lang`: the language switch keeps the filter."""
    return urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])


def page_number(args):
    raw = args.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6):
        return 1
    return min(max(int(raw), 1), 100000)


def render_ledger(service, request):
    query = ledger_filter(request.args)
    number = page_number(request.args)
    error = unknown_department = None
    status = 200
    try:
        page = call(service.tracking, "list_items", dict(query, page=number,
                                                          page_size=PAGE_SIZE))
    except DubanError as exc:
        page = {"items": [], "total": 0, "page": 1, "page_size": PAGE_SIZE}
        error, status = _explain(exc), exc.status
        # tracking names the field; an ambiguous name has its own message (the codes to use)
        unknown_department = ("department" in (exc.fields or {})
                              and exc.message.startswith("Unknown"))
    pages = max(1, -(-page["total"] // PAGE_SIZE))
    if page.get("next_cursor"):  # beyond a capped total (total_exact false) there is more
        pages = max(pages, page["page"] + 1)
    return _html("items.html", status=status, page=page, query=query,
                 error=error, unknown_department=unknown_department, pages=pages,
                 units=_units(service), link=lambda **kw: "?" + urlencode(dict(query, **kw)),
                 export="/ledger.xlsx" + ("?" + urlencode(query) if query else ""),
                 keep=kept_query(request))


def _units(service):
    """The caller's org units for the department field's suggestions."""
    try:
        return call(service.tracking, "list_org_units")
    except DubanError:
        return []


def collect(service, query):
    """Every page of the filter, up to EXPORT_CAP rows: (items, total)."""
    cap = EXPORT_CAP
    items, number, total = [], 1, 0
    while len(items) < cap:
        # the first page counts every match (the ledger's pages count up to 1,000)
        page = call(service.tracking, "list_items", dict(
            query, page=number, page_size=EXPORT_PAGE, **({"count": "exact"} if number == 1
                                                           else {})))
        total = page["total"] if number == 1 else total
        items.extend(page["items"])
        if not page["items"] or len(items) >= total:
            break
        number += 1
    return items[:cap], total


def export_row(item, word):
    person = item.get("responsible_person") or {}
    source = item.get("source") or {}
    return [item["number"], item["title"], item["lead_department"]["name"],
            "、".join(u["name"] for u in item.get("co_departments") or []),
            person.get("name") or "", item["deadline"], word("statuses", item["status"]),
            SIGNAL_WORDS.get(item.get("signal"), ""), "{}%".format(item["progress"]),
            " ".join(x for x in (word("source_kinds", source.get("kind")),
                                 source.get("ref") or "") if x)]


def workbook(items, total):
    _, word = i18n.translator("zh")
    book = Workbook()
    sheet = book.active
    sheet.title = "督办台账"
    sheet.append(list(COLUMNS))
    for item in items:
        sheet.append(export_row(item, word))
    if total > len(items):
        sheet.append(["仅导出前{}项，共{}项：请缩小筛选范围。".format(len(items), total)])
    for column, width in zip("ABCDEFGHIJ", (16, 40, 16, 24, 10, 12, 10, 12, 8, 24)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_xlsx(service, request):
    query = ledger_filter(request.args)
    try:
        items, total = collect(service, query)
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=_explain(exc))
    filename = "ledger-{}.xlsx".format(_current.me.org_id or "all")
    return Response(workbook(items, total), status=200, mimetype=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="{}"'.format(filename),
                             "X-Total-Count": str(total), "X-Exported": str(len(items))})

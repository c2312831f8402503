"""我的事项 (`/my`): a department contact's items (tracking's list_items scopes a contact to
their departments), each with its deadline, its red/yellow/green light, and the forms of
what the department may do now (feedback, extension, completion request)."""
from shared.errors import DubanError
from shared.rpc import call

from .item_pages import light
from .local_time import local_minute as local_time
from .pages import _html

DEPARTMENT_FORMS = ("accept", "submit_feedback", "request_extension", "request_completion")
WORKING = ("issued", "in_progress", "completion_requested")
PAGE_SIZE = 50


def _with_actions(item, full):
    """The item with the department's allowed actions (`full`: what get_items answered
    for it, None for an item that is not in work)."""
    if full is None:
        return dict(item, allowed_actions=[], feedback=[], extension_requests=[])
    return dict(full, allowed_actions=[a for a in full.get("allowed_actions", [])
                                       if a in DEPARTMENT_FORMS])


def _details(service, items):
    """{id: get_item's view} of the items in work, asked in one call."""
    working = [i["id"] for i in items if i["status"] in WORKING]
    if not working:
        return {}
    return {full["id"]: full for full in call(service.tracking, "get_items", working)}


def render_my(service, request, error=None, failed=None, form=None, status=200):
    query = {"page_size": PAGE_SIZE, "page": request.args.get("page") or 1}
    try:
        page = call(service.tracking, "list_items", query)
        details = _details(service, page["items"])
        items = [_with_actions(item, details.get(item["id"])) for item in page["items"]]
    except DubanError as exc:
        page, items, error = {"total": 0, "page": 1}, [], error or exc
    order = {"red": 0, "yellow": 1, "green": 2, None: 3}
    items.sort(key=lambda i: (order[light(i)], i["deadline"]))
    failed = failed or (None, None)
    at_form = any(i["id"] == failed[0] and failed[1] in i["allowed_actions"] for i in items)
    return _html("my.html", status=status, items=items, page=page, light_of=light,
                 at_form=at_form, local=local_time, error=error, failed=failed, form=form or {},
                 notice=request.args.get("notice"))

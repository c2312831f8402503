"""Server-rendered web pages (autoescaped Jinja2): the item list and an item's record."""
import os

from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.wrappers import Response

from shared.errors import DubanError

from shared.rpc import call

HERE = os.path.dirname(__file__)
env = Environment(loader=FileSystemLoader(os.path.join(HERE, "templates")),
                  autoescape=select_autoescape(["html"]))

STATUS_LABELS = {
    "registered": "立项 registered", "issued": "下达 issued", "in_progress": "实施中 in progress",
    "completion_requested": "申请办结 completion requested", "completed": "办结 completed",
    "evaluated": "已评价 evaluated", "suspended": "暂停 suspended", "cancelled": "撤销 cancelled",
}
CATEGORY_LABELS = {"routine": "日常", "urgent": "紧急", "key": "重点", "difficult": "难办"}


def _html(template, status=200, **context):
    context.update(status_labels=STATUS_LABELS, category_labels=CATEGORY_LABELS)
    return Response(env.get_template(template).render(**context), status=status,
                    mimetype="text/html")


def render_items(service, request):
    query = {k: v for k, v in request.args.items() if v}
    try:
        page = call(service.tracking, "list_items", query)
        error = None
    except DubanError as exc:
        page, error = {"items": [], "total": 0, "page": 1, "page_size": 20}, exc.message
    return _html("items.html", page=page, query=query, error=error)


def render_item(service, request, item_id):
    try:
        item = call(service.tracking, "get_item", item_id)
        history = call(service.tracking, "item_history", item_id)
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=exc.message)
    return _html("item.html", item=item, history=history)


def static(name):
    with open(os.path.join(HERE, "templates", name), encoding="utf-8") as fh:
        return fh.read()

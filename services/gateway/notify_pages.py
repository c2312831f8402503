"""The item's reminders page: its rungs, its chase count and a 催办 (chase) button."""
from urllib.parse import quote

from shared.errors import DubanError
from shared.rpc import call

from .pages import _explain, _html, _redirect

ROLE_LABELS = {"responsible": "责任人", "contact": "联系人", "head": "部门负责人",
               "leader": "分管领导", "custom": "指定号码"}
STATUS_LABELS = {"pending": "待发送", "sending": "发送中", "checking": "核实中", "sent": "已发送",
                 "failed": "失败", "uncertain": "未确认", "cancelled": "已取消",
                 "superseded": "已被后续提醒取代"}


def render_reminders(service, request, item_id, error=None, status=200):
    try:
        item = call(service.tracking, "get_item", item_id)
        view = call(service.notify, "item_reminders", item_id)
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=exc.message)
    return _html("notify_reminders.html", status=status, item=item, view=view,
                 role_labels=ROLE_LABELS, rung_labels=STATUS_LABELS,
                 error=error or request.args.get("error"), notice=request.args.get("notice"))


def submit_chase(service, request, item_id):
    form = request.form.to_dict()
    payload = {"role": form.get("role") or "contact", "note": form.get("note") or None}
    try:
        result = call(service.notify, "chase", item_id, payload)
    except DubanError as exc:
        return render_reminders(service, request, item_id, error=_explain(exc),
                                status=exc.status)
    notice = "第{}次催办：{}".format(result["count"], STATUS_LABELS.get(result["status"],
                                                                     result["status"]))
    return _redirect("/items/{}/reminders?notice={}".format(item_id, quote(notice)))

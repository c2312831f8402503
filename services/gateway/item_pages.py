"""An item's page (`/items/<id>`): every field, the history as a timeline in local time,
and a form for each action the service allows the signed-in person (`allowed_actions`
of tracking's get_item), posted to `/items/<id>/act/<action>`."""
from urllib.parse import quote

from shared.errors import DubanError, ValidationFailed
from shared.rpc import call

from .local_time import local_minute as local_time
from .pages import _html, _redirect


def light(item):
    """红/黄/绿 of an item from tracking's `signal` (one definition, the ledger's too);
    None for a closed one."""
    signal = item.get("signal")
    return None if signal in (None, "none") else signal


def render_item(service, request, item_id, error=None, failed=None, form=None, status=200):
    try:
        item = call(service.tracking, "get_item", item_id)
        history = call(service.tracking, "item_history", item_id)
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=exc.message)
    return _html("item.html", status=status, item=item, history=history, local=local_time,
                 light=light(item), light_of=light, allowed=set(item.get("allowed_actions") or ()),
                 error=error, failed=failed, form=form or {},
                 notice=request.args.get("notice"))


def _text(form, name):
    value = (form.get(name) or "").strip()
    return value or None


def _int(form, name):
    value = (form.get(name) or "").strip()
    if not value.isdigit():
        raise ValidationFailed("Enter a whole number", {name: ["a whole number"]})
    return int(value)


def _payload(action, form):
    """The body of an action's call, from its form."""
    if action == "request_completion":
        return {"summary": form.get("summary", "")}
    if action in ("return", "cancel", "suspend"):
        return {"reason": form.get("reason", "")}
    if action == "evaluate":
        return {"quality": _int(form, "quality"), "comment": _text(form, "comment")}
    if action == "submit_feedback":
        return {"progress": _int(form, "progress"), "content": form.get("content", ""),
                "reason": _text(form, "reason"), "measures": _text(form, "measures"),
                "new_plan": _text(form, "new_plan"), "at_risk": form.get("at_risk") == "true"}
    if action == "request_extension":
        return {"new_deadline": form.get("new_deadline", ""), "reason": form.get("reason", ""),
                "measures": form.get("measures", "")}
    if action in ("decide_extension", "assess_feedback"):
        verdict = "approved" if action == "decide_extension" else "accurate"
        return {verdict: form.get(verdict) == "true", "comment": _text(form, "comment")}
    return {"comment": _text(form, "comment")}


def _call(service, item_id, action, form):
    body = _payload(action, form)
    if action == "submit_feedback":
        return call(service.tracking, "submit_feedback", item_id, body)
    if action == "request_extension":
        return call(service.tracking, "request_extension", item_id, body)
    if action == "decide_extension":
        return call(service.tracking, "decide_extension", item_id, _int(form, "request"), body)
    if action == "assess_feedback":
        return call(service.tracking, "assess_feedback", item_id, _int(form, "feedback"), body)
    return call(service.tracking, "act", item_id, action, body)


def act(service, request, item_id, action):
    """Do `action` from its form; back to where the form came from (the item page, or the
    contact's list with `back=/my`), or that page again with the service's message."""
    form = request.form.to_dict()
    back = "/my" if form.get("back") == "/my" else "/items/" + item_id
    try:
        _call(service, item_id, action, form)
    except DubanError as exc:
        if back == "/my":
            from . import my_pages
            return my_pages.render_my(service, request, error=exc, failed=(item_id, action),
                                      form=form, status=exc.status)
        return render_item(service, request, item_id, error=exc, failed=action, form=form,
                           status=exc.status)
    return _redirect("{}?notice={}".format(back, quote(action)))

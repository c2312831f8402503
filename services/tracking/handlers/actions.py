"""Work on an item: lifecycle moves, progress reports, assessments and extensions.

A request that arrives twice is answered once by `shared.rpc.exactly_once` around the
entrypoint; `request_id` is kept on the record it created, for the audit trail.
"""
from sqlalchemy import select

from shared import errors
from shared.schemas import check_id

from ..domain import lifecycle, rules
from ..models import ExtensionRequest, Feedback
from . import common, schedule
from .errors import domain_errors
from .views import extension_view, feedback_view, item_view


def _apply(uow, item, action, data):
    """What an action changes besides the status; returns the change to record."""
    today = uow.clock.today()
    changes = {}
    if action == "issue":
        item.issued_on = today
    elif action == "resume":
        item.resumed_on = today
    elif action == "request_completion":
        item.completion_summary = changes["summary"] = data["summary"]
    elif action == "complete":
        item.completed_on = today
        item.progress = 100
        changes["completed_on"] = item.completed_on.isoformat()
        changes["on_time"] = rules.on_time(item.completed_on, item.deadline)
    elif action == "evaluate":
        item.quality = data["quality"]
        item.grade = rules.grade(data["quality"])
        changes.update(quality=item.quality, grade=item.grade, comment=data.get("comment"))
    return changes


# What a department (its contact) may do on its own items; everything else is the
# supervising side's (office, admin).
DEPARTMENT_ACTIONS = {"accept", "request_completion"}


@domain_errors
def transition(uow, item_id, action, data=None):
    """Move an item through its lifecycle (issue, accept, complete, return, cancel, ...)."""
    data = data or {}
    with uow:
        item = common.item_for(uow, item_id, department=action in DEPARTMENT_ACTIONS)
        before = item.status
        after = lifecycle.next_status(before, action, item.status_before_suspend)
        item.status_before_suspend = before if action == "suspend" else (
            None if action == "resume" else item.status_before_suspend)
        changes = _apply(uow, item, action, data)
        item.status = after.value
        item.updated_at = uow.clock.now()
        schedule.refresh(uow.session, item, uow.clock.today())
        reason = data.get("reason") or data.get("comment")
        common.record(uow, item, action, before, item.status, changes, reason)
        change = dict(changes, from_status=before, to_status=item.status)
        if reason:
            change["reason"] = reason
        common.publish(uow, item, lifecycle.EVENT_OF[action], change)
        return item_view(item, uow.clock.today())


@domain_errors
def submit_feedback(uow, item_id, data, request_id=None):
    """进展反馈: progress and text; at risk or late also reason, measures and new plan."""
    with uow:
        session = uow.session
        item = common.item_for(uow, item_id, department=True)
        lifecycle.check_allowed(item.status, "submit_feedback")
        today = uow.clock.today()
        at_risk, late = rules.check_feedback(data["progress"], item.deadline, today,
                                             data["reason"], data["measures"], data["new_plan"],
                                             data["at_risk"])
        fb = Feedback(item_id=item.id, at=uow.clock.now(), actor=uow.actor,
                      progress=data["progress"], content=data["content"], reason=data["reason"],
                      measures=data["measures"], new_plan=data["new_plan"], at_risk=at_risk,
                      late=late, request_id=request_id)
        session.add(fb)
        previous = item.progress
        item.progress = data["progress"]
        was_due = item.feedback_due_on
        item.last_feedback_on = today
        item.updated_at = uow.clock.now()
        schedule.refresh(session, item, today)
        session.flush()
        view = feedback_view(fb)
        common.record(uow, item, "feedback", item.status, item.status,
                      {"feedback_id": fb.id, "progress": [previous, item.progress],
                       "at_risk": at_risk, "late": late,
                       "due_on": was_due.isoformat() if was_due else None})
        common.publish(uow, item, "item.feedback_submitted",
                       {"feedback": view, "due_on": was_due.isoformat() if was_due else None,
                        "on_time": bool(was_due is None or today <= was_due)})
        return view


@domain_errors
def assess_feedback(uow, item_id, feedback_id, data):
    """The supervising department marks a report accurate or not (反馈准确性)."""
    with uow:
        item = common.item_for(uow, item_id)
        fb = uow.session.get(Feedback, check_id(feedback_id, "feedback"))
        if fb is None or fb.item_id != item.id:
            raise errors.NotFound("No feedback {} on item {}".format(feedback_id, item_id))
        fb.accurate = data["accurate"]
        fb.assessed_by = uow.actor
        fb.assessed_at = uow.clock.now()
        item.updated_at = uow.clock.now()
        uow.session.flush()
        view = feedback_view(fb)
        common.record(uow, item, "feedback_assessed", item.status, item.status,
                      {"feedback_id": fb.id, "accurate": fb.accurate}, data.get("comment"))
        common.publish(uow, item, "item.feedback_assessed", {"feedback": view})
        return view


@domain_errors
def request_extension(uow, item_id, data, request_id=None):
    """延期申请: waits for the supervising department's decision."""
    with uow:
        session = uow.session
        item = common.item_for(uow, item_id, department=True)
        lifecycle.check_allowed(item.status, "request_extension")
        pending = session.scalar(select(ExtensionRequest.id).where(
            ExtensionRequest.item_id == item.id, ExtensionRequest.status == "pending"))
        rules.check_extension_request(item.deadline, data["new_deadline"], uow.clock.today(),
                                      pending is not None)
        req = ExtensionRequest(item_id=item.id, requested_at=uow.clock.now(),
                               requested_by=uow.actor, current_deadline=item.deadline,
                               new_deadline=data["new_deadline"], reason=data["reason"],
                               measures=data["measures"], status="pending",
                               request_id=request_id)
        session.add(req)
        item.updated_at = uow.clock.now()
        session.flush()
        view = extension_view(req)
        common.record(uow, item, "extension_requested", item.status, item.status,
                      {"request_id": req.id, "new_deadline": req.new_deadline.isoformat()},
                      data["reason"])
        common.publish(uow, item, "item.extension_requested", {"extension_request": view})
        return view


def _move_deadline(uow, item, req):
    old = item.deadline
    item.deadline = req.new_deadline
    schedule.refresh(uow.session, item, uow.clock.today())
    common.record(uow, item, "deadline_changed", item.status, item.status,
                  {"deadline": [old.isoformat(), item.deadline.isoformat()],
                   "original_deadline": item.original_deadline.isoformat()}, req.reason)
    common.publish(uow, item, "item.deadline_changed",
                   {"old_deadline": old.isoformat(), "new_deadline": item.deadline.isoformat(),
                    "extension_request_id": req.id})


@domain_errors
def decide_extension(uow, item_id, request_id, data):
    """The supervising department approves (the deadline moves) or rejects."""
    with uow:
        session = uow.session
        item = common.item_for(uow, item_id)
        req = session.get(ExtensionRequest, check_id(request_id, "extension request"))
        if req is None or req.item_id != item.id:
            raise errors.NotFound("No extension request {} on item {}".format(request_id,
                                                                             item_id))
        if req.status != "pending":
            raise errors.Conflict("The request was already {}".format(req.status),
                                  {"status": [req.status]})
        lifecycle.check_allowed(item.status, "decide_extension")
        req.status = "approved" if data["approved"] else "rejected"
        req.decided_at = uow.clock.now()
        req.decided_by = uow.actor
        req.comment = data.get("comment")
        item.updated_at = uow.clock.now()
        session.flush()
        view = extension_view(req)
        common.record(uow, item, "extension_decided", item.status, item.status,
                      {"request_id": req.id, "approved": data["approved"]}, req.comment)
        common.publish(uow, item, "item.extension_decided", {"extension_request": view})
        if data["approved"]:
            _move_deadline(uow, item, req)
        return view

"""Envelopes shaped like tracking.events (docs/events.md), for feeding the appraisal service
without running tracking: an item's life written as a script of dated events."""
import datetime as dt
import itertools
import uuid

_numbers = itertools.count(1)
_feedback_ids = itertools.count(1)


def at(day):
    """10:00 in Shanghai on `day`, as UTC."""
    return dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.timezone.utc)


def envelope(type, data, day, org_id="HQ", subject_id=None):
    return {"id": str(uuid.uuid4()), "type": type, "version": 1,
            "occurred_at": at(day).isoformat().replace("+00:00", "Z"), "producer": "tracking",
            "org_id": org_id, "subject_id": subject_id or data.get("id") or data.get("code"),
            "data": data}


def org_unit(code, name, kind, parent=None, day=dt.date(2026, 1, 2)):
    return envelope("org_unit.created", {"id": 1, "code": code, "name": name, "kind": kind,
                                         "parent": parent, "aliases": [], "contact": None,
                                         "substitutes": []}, day, subject_id=code)


class Item:
    """One item's state; each method returns the envelope tracking would publish."""

    def __init__(self, department, name, deadline, path, source="minutes", cadence="none",
                 title=None, org_id="HQ"):
        self.id = str(uuid.uuid4())
        self.org_id = org_id
        self.state = {
            "id": self.id, "number": "DB-2026-{:04d}".format(next(_numbers)), "org_id": org_id,
            "org_path": list(path) if path else None, "title": title or "事项{}".format(department),
            "content": "", "status": "registered",
            "source": {"kind": source, "ref": None, "clause": None, "draft_id": None,
                       "goal": None, "year": None},
            "lead_department": {"code": department, "name": name},
            "co_departments": [], "supervising_department": None, "responsible_person": None,
            "assigning_leader": None, "deadline": deadline.isoformat(),
            "original_deadline": deadline.isoformat(), "overdue": False, "category": "routine",
            "feedback_cadence": cadence, "feedback_due_on": None, "milestones": [],
            "parent_id": None, "progress": 0, "quality": None, "grade": None,
            "completion_summary": None, "completed_on": None, "version": 1}

    def _event(self, type, day, change=None, **state):
        self.state.update(state)
        self.state["version"] += 1
        data = dict(self.state, change=change or {}, actor="token:test")
        return envelope(type, data, day, org_id=self.org_id)

    def registered(self, day):
        self.state["version"] -= 1
        return self._event("item.registered", day)

    def issued(self, day, feedback_due_on=None):
        return self._event("item.issued", day, status="issued", issued_on=day.isoformat(),
                           feedback_due_on=feedback_due_on and feedback_due_on.isoformat())

    def accepted(self, day):
        return self._event("item.accepted", day, status="in_progress")

    def feedback(self, day, next_due=None, reason=None, new_plan=None):
        feedback = {"id": next(_feedback_ids), "at": at(day).isoformat(), "progress": 50,
                    "content": "进展", "reason": reason, "measures": None, "new_plan": new_plan,
                    "at_risk": False, "late": False, "accurate": None}
        self.last_feedback = feedback
        return self._event("item.feedback_submitted", day, {"feedback": feedback},
                           feedback_due_on=next_due and next_due.isoformat())

    def assessed(self, day, feedback, accurate):
        return self._event("item.feedback_assessed", day,
                           {"feedback": dict(feedback, accurate=accurate)})

    def extension_requested(self, day, new_deadline, reason="原因"):
        return self._event("item.extension_requested", day, {"extension_request": {
            "id": 1, "current_deadline": self.state["deadline"],
            "new_deadline": new_deadline.isoformat(), "reason": reason, "status": "pending"}})

    def extension_refused(self, day):
        return self._event("item.extension_decided", day, {"extension_request": {
            "id": 1, "status": "rejected"}})

    def deadline_changed(self, day, new_deadline):
        old = self.state["deadline"]
        return self._event("item.deadline_changed", day,
                           {"old_deadline": old, "new_deadline": new_deadline.isoformat(),
                            "extension_request_id": 1}, deadline=new_deadline.isoformat())

    def completed(self, day):
        return self._event("item.completed", day, {"completed_on": day.isoformat()},
                           status="completed", completed_on=day.isoformat(), progress=100)

    def evaluated(self, day, quality):
        return self._event("item.evaluated", day, {"quality": quality}, status="evaluated",
                           quality=quality)

    def cancelled(self, day):
        return self._event("item.cancelled", day, {"reason": "撤销"}, status="cancelled")

    def suspended(self, day):
        return self._event("item.suspended", day, {"reason": "暂停"}, status="suspended")

    def resumed(self, day):
        return self._event("item.resumed", day, status="in_progress")

    def done(self, registered, completed, quality=None):
        """Register, issue, accept, complete (and evaluate) in one go."""
        events = [self.registered(registered), self.issued(registered),
                  self.accepted(registered), self.completed(completed)]
        if quality is not None:
            events.append(self.evaluated(completed, quality))
        return events

    def started(self, registered, feedback_due_on=None):
        return [self.registered(registered), self.issued(registered, feedback_due_on),
                self.accepted(registered)]

"""allowed_actions: the access policy and the lifecycle read together (pure)."""
import pytest

from services.tracking.handlers.permissions import ACTIONS, DEPARTMENT_ACTIONS, allowed_actions
from shared.access import Principal, SYSTEM

OFFICE = Principal("person", "person:1", "王督办", ("office",), "HQ", "HQ")
ADMIN = Principal("person", "person:2", "管理员", ("admin",), "HQ", "HQ")
LEADER = Principal("person", "person:3", "张副区长", ("leader",), "HQ", "HQ")
VIEWER = Principal("person", "person:4", "查看", ("viewer",), "HQ", "HQ")
FIN_CONTACT = Principal("person", "person:5", "李四", ("contact",), "HQ", None, ("FIN",))
HR_CONTACT = Principal("person", "person:6", "赵六", ("contact",), "HQ", None, ("HR",))
SUB_OFFICE = Principal("person", "person:7", "子公司", ("office",), "HQ", "SUB")


def item(status, lead="FIN", co=(), path=("HQ", "FIN")):
    return {"id": "i1", "org_id": "HQ", "org_path": list(path), "status": status,
            "lead_department": {"code": lead}, "co_departments": [{"code": c} for c in co]}


def test_the_office_may_issue_correct_suspend_and_cancel_a_registered_item():
    assert allowed_actions(OFFICE, item("registered")) == ["issue", "update", "suspend",
                                                            "cancel"]


def test_the_lead_department_accepts_reports_and_asks_for_an_extension():
    assert allowed_actions(FIN_CONTACT, item("issued")) == ["accept", "submit_feedback",
                                                             "request_extension"]
    assert allowed_actions(FIN_CONTACT, item("in_progress")) == [
        "submit_feedback", "request_extension", "request_completion"]


def test_a_co_department_acts_like_the_lead():
    assert allowed_actions(FIN_CONTACT, item("in_progress", lead="HR", co=("FIN",),
                                             path=("HQ", "HR"))) == [
        "submit_feedback", "request_extension", "request_completion"]


def test_another_department_and_read_only_roles_may_do_nothing():
    for who in (HR_CONTACT, LEADER, VIEWER):
        for status in ("registered", "issued", "in_progress", "completion_requested",
                       "completed", "suspended"):
            assert allowed_actions(who, item(status)) == [], (who.name, status)


def test_the_office_of_another_organisation_may_not_act():
    assert allowed_actions(SUB_OFFICE, item("completion_requested")) == []
    assert "complete" in allowed_actions(SUB_OFFICE, item("completion_requested",
                                                          path=("HQ", "SUB", "SUBFIN")))


def test_completion_is_decided_by_the_office():
    assert allowed_actions(OFFICE, item("completion_requested")) == [
        "complete", "return", "update", "suspend", "cancel"]
    assert allowed_actions(FIN_CONTACT, item("completion_requested")) == []
    assert allowed_actions(ADMIN, item("completed")) == ["evaluate"]
    assert allowed_actions(OFFICE, item("evaluated")) == []


def test_resume_needs_the_state_before_the_suspension():
    assert allowed_actions(OFFICE, item("suspended"), before_suspend="issued") == [
        "update", "resume", "cancel"]
    assert "resume" not in allowed_actions(OFFICE, item("suspended"))


def test_a_pending_extension_is_decided_and_blocks_another_request():
    office = allowed_actions(OFFICE, item("in_progress"), pending_extension=True)
    assert "decide_extension" in office and "request_extension" not in office
    assert "request_extension" not in allowed_actions(FIN_CONTACT, item("in_progress"),
                                                      pending_extension=True)
    assert "decide_extension" not in allowed_actions(OFFICE, item("in_progress"))


def test_feedback_is_assessed_only_when_there_is_some_in_any_state():
    assert "assess_feedback" not in allowed_actions(OFFICE, item("completed"))
    for status in ("issued", "completed", "evaluated", "cancelled"):
        assert "assess_feedback" in allowed_actions(OFFICE, item(status), has_feedback=True)


@pytest.mark.parametrize("status", ["registered", "issued", "in_progress", "completion_requested",
                                    "completed", "evaluated", "suspended", "cancelled"])
def test_a_contact_never_gets_more_than_the_department_actions(status):
    assert set(allowed_actions(FIN_CONTACT, item(status), "issued", False, True)) <= set(
        DEPARTMENT_ACTIONS)
    # the system (a timer, an event handler) may do whatever the state allows
    assert set(allowed_actions(SYSTEM, item(status), "issued", True, True)) <= set(ACTIONS)

import datetime as dt
import json

import pytest

from services.intake.domain.assignments import parse_assignments
from services.intake.domain.errors import IntakeInputError


def row(**overrides):
    base = {"leader": "王强", "place": "城南安置小区", "date": "2026-05-06", "department": "区住建局",
            "task": "督促施工单位加快安置房建设进度", "deadline": "2026-06-30", "settled": False, "kind": "onsite"}
    base.update(overrides)
    return base


def test_only_unsettled_assignments_become_drafts(district):
    result = parse_assignments([row(), row(task="现场协调解决停车问题", settled=True)], district)
    assert len(result.drafts) == 1 and len(result.settled) == 1
    draft = result.drafts[0]
    assert draft.leader == "王强" and draft.place == "城南安置小区" and draft.date == dt.date(2026, 5, 6)
    assert draft.lead_department == "ZJJ" and draft.deadline == dt.date(2026, 6, 30)
    assert draft.to_dict()["kind"] == "onsite" and result.settled[0]["index"] == 1


def test_deadline_phrase_is_resolved_from_the_assignment_date(district):
    draft = parse_assignments([row(deadline="两周内", kind="research")], district).drafts[0]
    assert draft.deadline == dt.date(2026, 5, 20) and draft.assignment_kind == "research"


def test_vague_deadline_phrase_is_flagged(district):
    draft = parse_assignments([row(deadline="尽快")], district).drafts[0]
    assert draft.deadline is None and "vague_deadline" in draft.flags


def test_json_text_is_accepted(district):
    result = parse_assignments(json.dumps([row(department="区住建、城管等部门")], ensure_ascii=False), district)
    draft = result.drafts[0]
    assert draft.lead == ["区住建"] and draft.co == ["区城管"] and draft.lead_department == "ZJJ"


def test_unmatched_department_is_kept_and_flagged(district):
    draft = parse_assignments([row(department="区气象局")], district).drafts[0]
    assert draft.lead == ["区气象局"] and "unmatched_unit" in draft.flags


def test_row_errors_carry_the_index_and_reject_everything(district):
    with pytest.raises(IntakeInputError) as err:
        parse_assignments([row(), row(task="", date="2026-02-30"), row(settled="no", kind="visit")], district)
    rows = err.value.fields["rows"]
    assert [r["index"] for r in rows] == [1, 2]
    assert "task is required" in rows[0]["errors"] and "date must be YYYY-MM-DD" in rows[0]["errors"]
    assert any("settled" in e for e in rows[1]["errors"]) and any("kind" in e for e in rows[1]["errors"])


@pytest.mark.parametrize("payload", ["", "not json", "{}", "[]", b"\xff\xfe\x00"])
def test_bad_payloads(district, payload):
    with pytest.raises(IntakeInputError):
        parse_assignments(payload, district)


def test_a_traditional_script_assignment_keeps_its_words(district):
    draft, = parse_assignments([row(task="督促施工單位加快安置房建設進度", department="區住建局")], district).drafts
    assert draft.task == "督促施工單位加快安置房建設進度" and draft.lead == ["區住建局"]
    assert draft.lead_department == "ZJJ"

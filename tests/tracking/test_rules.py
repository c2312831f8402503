"""Feedback, extension, evaluation and overdue rules (pure)."""
import datetime as dt

import pytest

from services.tracking.domain import rules
from services.tracking.domain.errors import RuleViolation, StateConflict

TODAY = dt.date(2026, 11, 27)
D = dt.timedelta


def test_deadline_today_is_allowed_yesterday_is_not():
    rules.check_deadline(TODAY, TODAY)
    with pytest.raises(RuleViolation) as info:
        rules.check_deadline(TODAY - D(days=1), TODAY)
    assert "deadline" in info.value.fields


def test_deadline_more_than_ten_years_ahead_is_refused():
    with pytest.raises(RuleViolation):
        rules.check_deadline(TODAY + D(days=3700), TODAY)


def test_on_track_feedback_needs_no_explanation():
    assert rules.check_feedback(40, TODAY + D(days=30), TODAY) == (False, False)


def test_late_feedback_must_carry_reason_measures_and_plan():
    with pytest.raises(RuleViolation) as info:
        rules.check_feedback(60, TODAY - D(days=2), TODAY, reason="天气原因")
    assert set(info.value.fields) == {"measures", "new_plan"}
    assert rules.check_feedback(60, TODAY - D(days=2), TODAY, "r", "m", "p") == (False, True)


def test_little_progress_close_to_the_deadline_is_at_risk():
    with pytest.raises(RuleViolation) as info:
        rules.check_feedback(30, TODAY + D(days=2), TODAY)
    assert "at-risk" in info.value.message
    assert rules.check_feedback(90, TODAY + D(days=2), TODAY) == (False, False)


def test_declared_risk_needs_measures_even_far_from_the_deadline():
    with pytest.raises(RuleViolation):
        rules.check_feedback(10, TODAY + D(days=60), TODAY, declared_at_risk=True)


def test_blank_explanations_do_not_count():
    with pytest.raises(RuleViolation):
        rules.check_feedback(10, TODAY - D(days=1), TODAY, "  ", "m", "p")


def test_extension_must_move_the_deadline_later():
    with pytest.raises(RuleViolation):
        rules.check_extension_request(TODAY + D(days=5), TODAY + D(days=5), TODAY, False)
    rules.check_extension_request(TODAY + D(days=5), TODAY + D(days=6), TODAY, False)


def test_only_one_pending_extension():
    with pytest.raises(StateConflict):
        rules.check_extension_request(TODAY, TODAY + D(days=9), TODAY, True)


@pytest.mark.parametrize("quality,grade", [(100, "excellent"), (90, "excellent"), (89, "good"),
                                           (75, "good"), (74, "pass"), (60, "pass"),
                                           (59, "fail"), (0, "fail")])
def test_grades(quality, grade):
    assert rules.grade(quality) == grade


def test_quality_out_of_range():
    with pytest.raises(RuleViolation):
        rules.grade(101)


def test_overdue_is_derived_and_stops_while_suspended_or_closed():
    past = TODAY - D(days=1)
    assert rules.is_overdue("in_progress", past, TODAY)
    assert not rules.is_overdue("in_progress", TODAY, TODAY)
    assert not rules.is_overdue("suspended", past, TODAY)
    assert not rules.is_overdue("completed", past, TODAY)


def test_overdue_event_once_per_deadline():
    past = TODAY - D(days=1)
    assert rules.overdue_due("issued", past, past, TODAY, None)
    assert not rules.overdue_due("issued", past, past, TODAY, past)
    # an approved extension that lapses again is a new deadline: one more event
    assert rules.overdue_due("issued", past, past, TODAY, past - D(days=10))


def test_a_deadline_on_a_holiday_is_due_by_the_next_working_day():
    holiday = TODAY - D(days=1)
    assert not rules.overdue_due("issued", holiday, TODAY, TODAY, None)
    assert not rules.is_overdue("issued", TODAY, TODAY)
    assert rules.is_overdue("issued", TODAY, TODAY + D(days=1))


def test_the_responsible_person_is_of_the_lead_department_or_the_item_says_why():
    rules.check_responsible_person("FIN", "FIN", None)
    rules.check_responsible_person("HQ", "FIN", "分管副总亲自负责")
    with pytest.raises(RuleViolation) as info:
        rules.check_responsible_person("HR", "FIN", "  ")
    assert "responsible_person" in info.value.fields


def test_on_time_against_the_deadline_in_force():
    assert rules.on_time(TODAY, TODAY)
    assert not rules.on_time(TODAY + D(days=1), TODAY)
    assert not rules.on_time(None, TODAY)


def test_sub_items_stay_inside_their_parent():
    rules.check_sub_item("in_progress", TODAY + D(days=10), TODAY + D(days=10))
    with pytest.raises(RuleViolation) as info:
        rules.check_sub_item("in_progress", TODAY + D(days=10), TODAY + D(days=11))
    assert "deadline" in info.value.fields
    with pytest.raises(RuleViolation) as info:
        rules.check_sub_item("completed", TODAY + D(days=10), TODAY + D(days=5))
    assert "parent" in info.value.fields

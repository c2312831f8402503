"""Draft-to-item rules (pure): titles, readiness, the registration request."""
import datetime as dt

from services.intake.domain.confirmation import (cadence_of, item_request, readiness_problems,
                                                 title_of)

TODAY = dt.date(2026, 11, 28)


def test_title_is_the_first_sentence_capped():
    assert title_of("完成预算编制。报区政府审定") == "完成预算编制"
    assert len(title_of("长" * 100)) == 60 and title_of("长" * 100).endswith("…")


def test_cadence_keeps_only_known_rhythms():
    assert cadence_of("monthly:25") == "monthly"
    assert cadence_of("weekly:5") == "weekly"
    assert cadence_of(None) == "none" and cadence_of("daily") == "none"


def test_readiness_names_each_problem():
    fields = {"task": "x", "lead_department": None, "co_departments": ["GHOST"],
              "deadline": "2026-11-01"}
    problems = readiness_problems(fields, {"FIN"}, TODAY)
    assert problems == ["no lead department: set lead_department", "unknown co-department 'GHOST'",
                        "the deadline 2026-11-01 is in the past"]
    ok = {"task": "x", "lead_department": "FIN", "co_departments": [], "deadline": "2026-12-01"}
    assert readiness_problems(ok, {"FIN"}, TODAY) == []


def test_item_request_from_a_goal_milestone():
    fields = {"id": "d1", "task": "完成首批改造", "title": None, "lead_department": "FIN",
              "co_departments": ["FIN", "HR"], "deadline": "2027-09-30", "goal": "城市更新",
              "year": 2027, "goal_ref": "3", "clause": None, "cadence": "monthly:25",
              "milestones": [{"text": "开工", "date": "2027-06-30"},
                             {"text": "验收", "date": "2027-12-31"}, {"text": "无日期", "date": None}]}
    req = item_request("goals", "2027年度目标", fields, {"category": "key"})
    assert req["source"] == {"kind": "annual_goal", "ref": "2027年度目标", "clause": "3",
                             "draft_id": "d1", "goal": "城市更新", "year": 2027}
    assert req["co_departments"] == ["HR"]  # the lead is never also a co-department
    assert req["milestones"] == [{"title": "开工", "date": "2027-06-30"}]  # after-deadline dropped
    assert req["content"].startswith("年度目标：城市更新") and req["category"] == "key"
    assert req["feedback_cadence"] == "monthly"

"""The appraisal rules, pure: periods, counting, scoring, ranking, accountability.

Every expectation here is worked out by hand in the comment beside it.
"""
import datetime as dt

import pytest

from services.appraisal.domain import accountability, chases, outcomes, periods, report, scoring
from services.appraisal.domain.chases import ChaseDates
from services.appraisal.domain.errors import RuleViolation
from services.appraisal.domain.outcomes import ItemDates
from services.appraisal.domain.rules import BUILTIN_RULES, empty_facts

D = dt.date
RULES = {r.key: r() for r in BUILTIN_RULES}
WEIGHTS = scoring.default_weights(RULES)
H1 = periods.parse_half("2026-H1")
H2 = periods.parse_half("2026-H2")


def facts(**values):
    f = empty_facts()
    f.update(values)
    return f


# ---------------------------------------------------------------- periods

@pytest.mark.parametrize("text,start,end", [
    ("2026-02", D(2026, 2, 1), D(2026, 2, 28)),
    ("2028-02", D(2028, 2, 1), D(2028, 2, 29)),
    ("2026-12", D(2026, 12, 1), D(2026, 12, 31)),
])
def test_months_parse_to_their_days(text, start, end):
    p = periods.parse_month(text)
    assert (p.start, p.end, p.label) == (start, end, text)


@pytest.mark.parametrize("text,start,end", [
    ("2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
    ("2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
])
def test_half_years_parse_to_their_days(text, start, end):
    p = periods.parse_half(text)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "26-01", "2026/01", "", None, 202601,
                                 "2026-00", "1999-01", "\u0662\u0660\u0662\u0666-07",
                                 "\uff12\uff10\uff12\uff16-07"])
def test_malformed_months_are_refused_naming_the_field(bad):
    with pytest.raises(RuleViolation) as err:
        periods.parse_month(bad)
    assert "month" in err.value.fields


@pytest.mark.parametrize("bad", ["2026-H3", "2026-h1", "2026-H", "2026-07", "H1-2026", None,
                                 "\u0662\u0660\u0662\u0666-H1"])
def test_malformed_half_years_are_refused(bad):
    with pytest.raises(RuleViolation) as err:
        periods.parse_half(bad)
    assert "period" in err.value.fields


def test_previous_periods_cross_the_year():
    assert periods.previous_month(periods.parse_month("2026-01")).label == "2025-12"
    assert periods.previous_half(H1).label == "2025-H2"
    assert periods.previous_half(H2).label == "2026-H1"


def test_a_period_has_ended_only_after_its_last_day():
    assert not H1.has_ended(D(2026, 6, 30))
    assert H1.has_ended(D(2026, 7, 1))


def weekdays(day):
    return day.weekday() < 5


def test_the_report_is_due_from_the_first_working_day_of_the_month():
    # 2026-08-01 is a Saturday: the first working day is Monday 2026-08-03.
    assert periods.report_due(D(2026, 8, 1), weekdays) is None
    assert periods.report_due(D(2026, 8, 2), weekdays) is None
    assert periods.report_due(D(2026, 8, 3), weekdays).label == "2026-07"
    # Catching up later in the month still names last month.
    assert periods.report_due(D(2026, 8, 20), weekdays).label == "2026-07"


def test_the_office_calendar_decides_the_first_working_day():
    # Office holiday on 2026-10-01..08 (National Day): October's first working day is the 9th.
    holidays = {D(2026, 10, d) for d in range(1, 9)}
    assert periods.first_workday(periods.parse_month("2026-10"),
                                 lambda d: d not in holidays and d.weekday() < 5) == D(2026, 10, 9)


# ---------------------------------------------------------------- outcomes

AS_OF = D(2026, 7, 5)


@pytest.mark.parametrize("item,expected", [
    (ItemDates(D(2026, 3, 31), completed_on=D(2026, 3, 31)), "on_time"),   # on the day
    (ItemDates(D(2026, 3, 31), completed_on=D(2026, 4, 1)), "late"),       # a day late
    (ItemDates(D(2026, 3, 31)), "overdue_open"),
    # due in H1, completed in H2 (before the figures are made): counts in H1, as late
    (ItemDates(D(2026, 6, 20), completed_on=D(2026, 7, 2)), "late"),
    # completed after as_of: on as_of it was still open and overdue
    (ItemDates(D(2026, 6, 20), completed_on=D(2026, 7, 9)), "overdue_open"),
    # cancelled mid-period, or suspended since a day in the period: not counted
    (ItemDates(D(2026, 5, 31), cancelled_on=D(2026, 4, 10)), "excluded"),
    (ItemDates(D(2026, 5, 31), suspended_on=D(2026, 6, 30)), "excluded"),
    # cancelled after the period ended: judged as it stood (open, overdue)
    (ItemDates(D(2026, 5, 31), cancelled_on=D(2026, 7, 3)), "overdue_open"),
    (ItemDates(D(2026, 8, 31)), None),  # due in H2
])
def test_each_item_has_one_outcome_in_its_period(item, expected):
    assert outcomes.outcome(item, H1, AS_OF) == expected


def test_an_item_due_today_is_not_yet_overdue():
    assert outcomes.outcome(ItemDates(D(2026, 7, 5)), H2, D(2026, 7, 5)) == "pending"
    assert outcomes.outcome(ItemDates(D(2026, 7, 5)), H2, D(2026, 7, 6)) == "overdue_open"


def test_an_item_due_in_one_period_and_completed_in_the_next_counts_only_in_the_first():
    item = ItemDates(D(2026, 6, 20), completed_on=D(2026, 7, 2))
    assert outcomes.outcome(item, H1, D(2027, 1, 5)) == "late"
    assert outcomes.outcome(item, H2, D(2027, 1, 5)) is None


def test_extensions_move_the_deadline_only_when_approved_in_time():
    original = D(2026, 5, 31)
    # approved on 2026-05-20 (before the deadline): the deadline becomes 2026-06-30
    moved = outcomes.appraisal_deadline(original, D(2026, 5, 20), D(2026, 6, 30))
    assert moved == D(2026, 6, 30)
    assert outcomes.outcome(ItemDates(moved, completed_on=D(2026, 6, 15)), H1, AS_OF) == "on_time"
    # approved on the deadline day itself still counts as in time
    assert outcomes.appraisal_deadline(original, original, D(2026, 6, 30)) == D(2026, 6, 30)
    # approved on 2026-06-02 (after the deadline had passed): judged against 2026-05-31
    kept = outcomes.appraisal_deadline(original, D(2026, 6, 2), D(2026, 6, 30))
    assert kept == original
    assert outcomes.outcome(ItemDates(kept, completed_on=D(2026, 6, 15)), H1, AS_OF) == "late"


def test_a_refused_extension_leaves_the_item_late():
    # No deadline change at all: completion after the original deadline is late.
    assert outcomes.outcome(ItemDates(D(2026, 5, 31), completed_on=D(2026, 6, 3)),
                            H1, AS_OF) == "late"


def test_tally_adds_up_the_counted_outcomes():
    items = [ItemDates(D(2026, 2, 1), completed_on=D(2026, 1, 20)),
             ItemDates(D(2026, 2, 1), completed_on=D(2026, 2, 3)),
             ItemDates(D(2026, 3, 1)),
             ItemDates(D(2026, 3, 1), cancelled_on=D(2026, 2, 1)),
             ItemDates(D(2026, 9, 1))]
    counts = outcomes.tally(items, H1, AS_OF)
    assert (counts["due"], counts["on_time"], counts["late"], counts["overdue_open"],
            counts["excluded"]) == (3, 1, 1, 1, 1)


def test_in_progress_is_open_work_at_the_end_of_the_period_due_after_it():
    july = periods.parse_month("2026-07")
    assert outcomes.in_progress(ItemDates(D(2026, 8, 15)), july)
    # completed after the month: it was still under way at the month's end
    assert outcomes.in_progress(ItemDates(D(2026, 8, 15), completed_on=D(2026, 8, 1)), july)
    assert not outcomes.in_progress(ItemDates(D(2026, 8, 15), completed_on=D(2026, 7, 30)), july)
    assert not outcomes.in_progress(ItemDates(D(2026, 7, 15)), july)
    assert not outcomes.in_progress(ItemDates(D(2026, 8, 15), suspended_on=D(2026, 7, 2)), july)


@pytest.mark.parametrize("due,submitted,as_of,expected", [
    (D(2026, 3, 6), D(2026, 3, 6), D(2026, 3, 10), True),
    (D(2026, 3, 6), D(2026, 3, 7), D(2026, 3, 10), False),
    (D(2026, 3, 6), None, D(2026, 3, 7), False),
    (D(2026, 3, 6), None, D(2026, 3, 6), None),
])
def test_feedback_due_dates_are_met_missed_or_not_yet_judged(due, submitted, as_of, expected):
    assert outcomes.feedback_on_time(due, submitted, as_of) is expected


# ---------------------------------------------------------------- rules and scoring

def test_the_four_rules_by_hand():
    f = facts(due=8, on_time=6, late=1, overdue_open=1, quality_n=3, quality_sum=255,
              feedback_due=10, feedback_on_time=7, assessed=4, accurate=3)
    values = scoring.measures(f, RULES)
    # 6/8 = 75; 255/3 = 85; 7/10 = 70; 3/4 = 75
    assert values == {"on_time": 75.0, "quality": 85.0, "feedback_timeliness": 70.0,
                      "feedback_accuracy": 75.0}
    # 0.4*75 + 0.3*85 + 0.2*70 + 0.1*75 = 30 + 25.5 + 14 + 7.5 = 77.0
    assert scoring.score(f, RULES, WEIGHTS)[2:] == (77.0, 77.0)


def test_a_rule_without_basis_drops_out_and_the_rest_is_scaled():
    # no feedback due, nothing assessed: (0.4*50 + 0.3*90) / 0.7 = (20+27)/0.7 = 67.142857
    f = facts(due=2, on_time=1, overdue_open=1, quality_n=1, quality_sum=90)
    status, values, base, final = scoring.score(f, RULES, WEIGHTS)
    assert status == "scored" and values["feedback_timeliness"] is None
    assert base == 67.14 and final == 67.14


def test_a_department_with_no_items_due_is_not_scored_as_zero():
    f = facts(feedback_due=3, feedback_on_time=3, assessed=2, accurate=2)
    status, values, base, final = scoring.score(f, RULES, WEIGHTS)
    assert (status, base, final) == ("no_items_due", None, None)
    assert values["on_time"] is None


def test_other_weights_change_the_score():
    f = facts(due=4, on_time=2, late=2, quality_n=4, quality_sum=400)
    # on-time 50, quality 100; weights 70/30/0/0: 0.7*50 + 0.3*100 = 65
    weights = scoring.check_weights({"on_time": 70, "quality": 30, "feedback_timeliness": 0,
                                     "feedback_accuracy": 0}, RULES)
    assert scoring.score(f, RULES, weights)[2] == 65.0


@pytest.mark.parametrize("weights,field", [
    ({"on_time": 50, "quality": 30, "feedback_timeliness": 20, "feedback_accuracy": 10},
     "weights"),  # 110
    ({"on_time": 40, "quality": 30, "feedback_timeliness": 20}, "weights"),  # 90
    ({"on_time": 40, "quality": 30, "speed": 30}, "speed"),
    ({"on_time": 100.0}, "on_time"),
    ({"on_time": -10, "quality": 110}, "on_time"),
    ({"on_time": True, "quality": 99}, "on_time"),
])
def test_weights_must_be_known_whole_and_sum_to_100(weights, field):
    with pytest.raises(RuleViolation) as err:
        scoring.check_weights(weights, RULES)
    assert field in err.value.fields


def test_adjustments_add_points_within_0_and_100():
    f = facts(due=1, on_time=1, quality_n=1, quality_sum=100)
    assert scoring.score(f, RULES, WEIGHTS, adjustment=5)[3] == 100.0
    assert scoring.score(f, RULES, WEIGHTS, adjustment=-2.5)[2:] == (100.0, 97.5)


def test_ties_share_a_rank_and_skip_the_next():
    ranks = scoring.rank({"A": 90.0, "B": 85.5, "C": 85.5, "D": 70.0, "E": None})
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4, "E": None}
    assert scoring.last_placed(ranks) == ["D"]


def test_departments_tied_last_are_all_last():
    ranks = scoring.rank({"A": 90.0, "B": 60.0, "C": 60.0})
    assert ranks == {"A": 1, "B": 2, "C": 2}
    assert scoring.last_placed(ranks) == ["B", "C"]


def test_no_one_is_last_when_all_tie_or_only_one_is_scored():
    assert scoring.last_placed(scoring.rank({"A": 80.0, "B": 80.0})) == []
    assert scoring.last_placed(scoring.rank({"A": 80.0, "B": None})) == []


# ---------------------------------------------------------------- accountability

def test_the_last_department_goes_to_its_supervising_leader():
    results = {"A": {"rank": 1, "score": 90.0}, "B": {"rank": 2, "score": 60.0}}
    records = accountability.talks(["B"], {}, results)
    assert records == [{"department": "B", "kind": "supervising_leader_talk",
                        "evidence": {"rank": 2, "score": 60.0, "ranked": 2}}]


def test_the_second_last_place_in_a_row_goes_to_the_principal_leader():
    results = {"A": {"rank": 1, "score": 90.0}, "B": {"rank": 2, "score": 60.0}}
    previous = {"B": {"appraisal": "x", "period": "2026-H1", "rank": 5}}
    records = accountability.talks(["B"], previous, results)
    assert records[0]["kind"] == "principal_leader_talk"
    assert records[0]["evidence"]["previous"]["period"] == "2026-H1"
    # last before, but not last now: no talk at all
    assert accountability.talks([], previous, results) == []


def evidence(*numbers):
    return {"count": len(numbers), "items": [{"number": n} for n in numbers]}


def test_inaction_needs_evidence_over_the_thresholds():
    t = accountability.Thresholds(silent_days=30, unexplained_overdue=2, unanswered_chases=3)
    assert accountability.inaction("A", evidence(), evidence("1"), evidence("c1", "c2"),
                                   t) is None
    record = accountability.inaction("A", evidence(), evidence("1", "2"), evidence(), t)
    assert record["kind"] == "inaction"
    assert [i["number"] for i in record["evidence"]["unexplained_overdue"]["items"]] == ["1", "2"]
    assert "silent" not in record["evidence"]
    silent = accountability.inaction("A", evidence("9"), evidence(), evidence(), t)
    assert silent["evidence"]["silent"]["count"] == 1
    chased = accountability.inaction("A", evidence(), evidence(), evidence("c1", "c2", "c3"), t)
    assert chased["evidence"]["unanswered_chases"]["count"] == 3
    assert [i["number"] for i in chased["evidence"]["unanswered_chases"]["items"]] == [
        "c1", "c2", "c3"]
    assert set(chased["evidence"]) == {"unanswered_chases", "thresholds"}
    assert chased["evidence"]["thresholds"]["chase_answer_days"] == 5


# ---------------------------------------------------------------- chases (催办)

def test_a_chase_is_answered_by_the_first_report_on_or_after_its_day():
    # chased 06-10; reports 06-08 (before: no answer), 06-13 and 06-20: 3 days
    assert chases.answer_delay(D(2026, 6, 10), [D(2026, 6, 8), D(2026, 6, 20),
                                                D(2026, 6, 13)]) == 3
    assert chases.answer_delay(D(2026, 6, 10), [D(2026, 6, 10)]) == 0  # the same day
    assert chases.answer_delay(D(2026, 6, 10), [D(2026, 6, 9), None]) is None


@pytest.mark.parametrize("chased_on,answer_days,as_of,expected", [
    # window of 5 days: 06-10 .. 06-15; judged from 06-16 on
    (D(2026, 6, 10), None, D(2026, 6, 15), None),   # no answer yet, window still open
    (D(2026, 6, 10), None, D(2026, 6, 16), True),   # no answer, window over
    (D(2026, 6, 10), 5, D(2026, 6, 16), False),     # answered on the window's last day
    (D(2026, 6, 10), 6, D(2026, 6, 16), True),      # answered a day too late
    (D(2026, 6, 10), 6, D(2026, 6, 15), None),      # (not known as late yet)
    (D(2026, 6, 10), 0, D(2026, 6, 10), False),     # answered the same day
])
def test_a_chase_is_unanswered_once_its_window_passed_without_an_answer(chased_on, answer_days,
                                                                       as_of, expected):
    assert chases.unanswered(ChaseDates(chased_on, answer_days), as_of, 5) is expected


def test_chases_count_in_the_period_of_their_day():
    june = periods.parse_month("2026-06")
    sent = [ChaseDates(D(2026, 5, 31)),        # May: not counted in June
            ChaseDates(D(2026, 6, 1)),         # unanswered (window to 06-04)
            ChaseDates(D(2026, 6, 2), 1),      # answered in time
            ChaseDates(D(2026, 6, 20), 9),     # answered after 9 days: unanswered
            ChaseDates(D(2026, 6, 29)),        # window to 07-02: open on 07-01
            ChaseDates(D(2026, 7, 1))]         # July
    # as of 07-01: June's chases are 4; unanswered: 06-01, 06-20 = 2
    assert chases.tally(sent, june, D(2026, 7, 1), 3) == {"chases": 4, "unanswered": 2}
    # as of 06-21: the 06-29 chase has not been sent yet; 06-20's window (to 06-23) is open
    assert chases.tally(sent, june, D(2026, 6, 21), 3) == {"chases": 3, "unanswered": 1}
    # a longer window (10 days) as of 07-01: 06-20 answered after 9 days is in time;
    # 06-01's window (to 06-11) is over: 1
    assert chases.tally(sent, june, D(2026, 7, 1), 10) == {"chases": 4, "unanswered": 1}


# ---------------------------------------------------------------- monthly report

def test_report_rows_totals_and_change():
    a = report.row(facts(due=4, on_time=3, late=1, in_progress=2, milestones_due=1,
                         milestones_overdue_open=1, chases=2))
    # 5 due (4 + 1 milestone), 3 on time: 60 %; 2 chases, for information
    assert a == {"due": 5, "on_time": 3, "late": 1, "overdue_open": 1, "in_progress": 2,
                 "on_time_rate": 60.0, "chases": 2}
    b = report.row(facts(due=5, on_time=5, chases=1))
    t = report.total([a, b])
    assert (t["due"], t["on_time"], t["on_time_rate"], t["chases"]) == (10, 8, 80.0, 3)
    assert report.change(a, {"on_time_rate": 75.0}) == -15.0
    assert report.change(a, None) is None
    assert report.row(facts())["on_time_rate"] is None

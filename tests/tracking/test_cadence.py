"""Feedback due dates (反馈频次), computed by hand."""
import datetime as dt

from services.tracking.domain import cadence
from shared.calendar import OfficeCalendar

D = dt.date


def test_weekly_reports_are_due_every_seven_days_before_the_deadline():
    assert cadence.due_dates(D(2026, 11, 2), "weekly", D(2026, 11, 30)) == [
        D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 23)]


def test_monthly_keeps_the_day_and_clamps_to_month_end():
    assert cadence.due_dates(D(2026, 1, 31), "monthly", D(2026, 6, 1)) == [
        D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30), D(2026, 5, 31)]
    assert cadence.due_dates(D(2026, 1, 15), "quarterly", D(2026, 12, 31)) == [
        D(2026, 4, 15), D(2026, 7, 15), D(2026, 10, 15)]


def test_no_cadence_or_not_issued_means_nothing_due():
    assert cadence.due_dates(D(2026, 1, 1), "none", D(2026, 12, 31)) == []
    assert cadence.due_dates(None, "weekly", D(2026, 12, 31)) == []


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day():
    cal = OfficeCalendar()
    # issued Thu 2026-09-24: a week later is 2026-10-01 (National Day) -> 2026-10-08
    dates = cadence.due_dates(D(2026, 9, 24), "weekly", D(2026, 10, 20),
                              workday=cal.workday_on_or_after)
    assert dates[0] == D(2026, 10, 8)
    assert dates == sorted(set(dates))  # 10-08 twice (from 10-01 and 10-08) is one due date


def test_next_due_and_missed_dates():
    dates = [D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 23)]
    assert cadence.next_due(dates, None) == D(2026, 11, 9)
    assert cadence.next_due(dates, D(2026, 11, 9)) == D(2026, 11, 16)   # reported on the day
    assert cadence.next_due(dates, D(2026, 11, 23)) is None
    # nothing reported: on the 17th the 9th and the 16th are missed
    assert cadence.missed(dates, None, D(2026, 11, 9), D(2026, 11, 17)) == [
        D(2026, 11, 9), D(2026, 11, 16)]
    # the 9th was announced already (the next check is the 16th); a due date is missed
    # only once it has passed
    assert cadence.missed(dates, None, D(2026, 11, 16), D(2026, 11, 16)) == []
    assert cadence.missed(dates, D(2026, 11, 12), D(2026, 11, 9), D(2026, 11, 24)) == [
        D(2026, 11, 16), D(2026, 11, 23)]

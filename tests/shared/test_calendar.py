"""The office calendar: the office's table wins, the package next, Mon–Fri last."""
import datetime as dt

from shared.calendar import OfficeCalendar

D = dt.date


def test_package_years_are_known():
    cal = OfficeCalendar()
    assert cal.is_workday(D(2026, 10, 1)) == (False, True)   # National Day
    assert cal.is_workday(D(2026, 9, 30)) == (True, True)


def test_unknown_years_fall_back_to_weekdays_and_say_so():
    cal = OfficeCalendar()
    assert cal.is_workday(D(2031, 2, 3)) == (True, False)    # a Monday nobody declared
    assert cal.is_workday(D(2031, 2, 2)) == (False, False)   # a Sunday
    assert not cal.knows(2031)


def test_the_office_table_wins_and_covers_unknown_years():
    cal = OfficeCalendar.from_rows([
        {"date": "2031-02-03", "kind": "holiday", "name": "春节"},
        {"date": "2031-02-08", "kind": "workday", "name": "春节调休"},  # a Saturday
    ])
    assert cal.is_workday(D(2031, 2, 3)) == (False, True)
    assert cal.is_workday(D(2031, 2, 8)) == (True, True)
    assert cal.is_workday(D(2031, 2, 4)) == (True, True)     # not listed: a weekday, known
    assert cal.knows(2031)
    # the office can also overrule the package in a year it knows
    cal = OfficeCalendar.from_rows([{"date": "2026-09-30", "kind": "holiday", "name": "厂休"}])
    assert cal.is_workday(D(2026, 9, 30)) == (False, True)
    assert cal.is_workday(D(2026, 10, 1)) == (False, True)   # the package still answers


def test_add_workdays_skips_holidays_and_counts_adjusted_days():
    cal = OfficeCalendar.from_rows([
        {"date": "2031-02-03", "kind": "holiday"}, {"date": "2031-02-04", "kind": "holiday"},
        {"date": "2031-02-08", "kind": "workday"},
    ])
    # Fri 2031-01-31 + 3 working days: Mon 3 and Tue 4 are holidays -> Wed 5, Thu 6, Fri 7
    assert cal.add_workdays(D(2031, 1, 31), 3) == (D(2031, 2, 7), True)
    assert cal.add_workdays(D(2031, 2, 7), 1) == (D(2031, 2, 8), True)   # adjusted Saturday


def test_workday_on_or_after_moves_a_deadline_past_a_holiday():
    cal = OfficeCalendar()
    assert cal.workday_on_or_after(D(2026, 10, 1)) == D(2026, 10, 8)  # after the Golden Week
    assert cal.workday_on_or_after(D(2026, 9, 30)) == D(2026, 9, 30)

import datetime as dt

from services.intake.domain.workdays import SPRING_FESTIVAL, add_workdays, is_workday


def test_national_day_holiday_is_not_a_workday():
    assert is_workday(dt.date(2026, 10, 2)) == (False, True)


def test_adjusted_weekend_working_day_counts():
    # 2026-02-14 (Saturday) is an adjusted working day for the Spring Festival holiday
    assert is_workday(dt.date(2026, 2, 14)) == (True, True)


def test_add_workdays_skips_the_national_day_week():
    day, known = add_workdays(dt.date(2026, 9, 30), 3)
    assert known and day == dt.date(2026, 10, 10)   # Oct 10 (Saturday) is an adjusted working day


def test_unknown_year_falls_back_to_monday_to_friday_and_says_so():
    day, known = add_workdays(dt.date(2031, 3, 7), 1)   # a Friday
    assert day == dt.date(2031, 3, 10) and known is False


def test_spring_festival_table_covers_2020_to_2030():
    assert all(year in SPRING_FESTIVAL for year in range(2020, 2031))
    assert SPRING_FESTIVAL[2027] == dt.date(2027, 2, 6)

import datetime as dt

from services.intake.domain.workdays import SPRING_FESTIVAL, add_workdays, holiday_start, is_workday


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


def test_a_festival_holiday_starts_with_the_break_that_holds_it():
    # 2017: the Mid-autumn day (4 October) inside the National Day break of 1-8 October
    assert holiday_start(2017, "Mid-autumn Festival") == dt.date(2017, 10, 1)
    assert holiday_start(2026, "Dragon Boat Festival") == dt.date(2026, 6, 19)


def test_spring_festival_table_covers_2020_to_2030():
    assert all(year in SPRING_FESTIVAL for year in range(2020, 2031))
    assert SPRING_FESTIVAL[2027] == dt.date(2027, 2, 6)


def test_the_office_calendar_wins_inside_its_block():
    from services.intake.domain import workdays
    from shared.calendar import OfficeCalendar

    office = OfficeCalendar.from_rows([{"date": "2031-03-10", "kind": "holiday", "name": "厂休"}])
    with workdays.use(office):
        day, known = add_workdays(dt.date(2031, 3, 7), 1)   # Friday + 1: Monday is off
        assert day == dt.date(2031, 3, 11) and known is True
    assert add_workdays(dt.date(2031, 3, 7), 1) == (dt.date(2031, 3, 10), False)


def test_minutes_count_working_days_on_the_office_calendar():
    from services.intake.parsers import MinutesParser, ParseContext
    from shared.calendar import OfficeCalendar

    text = "会议纪要\n一、财务部负责在会后3个工作日内完成对账。\n"
    directory = [{"code": "FIN", "name": "财务部", "aliases": []}]
    meeting = dt.date(2031, 3, 6)  # a Thursday
    plain = MinutesParser().parse(text, ParseContext(directory=directory, meeting_date=meeting))
    office = OfficeCalendar.from_rows([{"date": "2031-03-07", "kind": "holiday"}])
    kept = MinutesParser().parse(text, ParseContext(directory=directory, meeting_date=meeting,
                                                    calendar=office))
    assert plain.drafts[0].deadline == dt.date(2031, 3, 11)
    assert "calendar_unknown" in plain.drafts[0].flags
    assert kept.drafts[0].deadline == dt.date(2031, 3, 12)
    assert "calendar_unknown" not in kept.drafts[0].flags

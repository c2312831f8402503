import datetime as dt

import pytest

from services.intake.domain.minutes.deadlines import cn_number, parse_iso_date, resolve_deadline_field, resolve_deadlines

MEETING = dt.date(2026, 3, 5)   # a Thursday
BOARD_MEETING = dt.date(2026, 7, 15)


def deadline(text, meeting=MEETING):
    return resolve_deadlines(text, meeting).deadline


@pytest.mark.parametrize("text, expected", [
    ("于2026年12月31日前完成", dt.date(2026, 12, 31)),
    ("12月15日前报送", dt.date(2026, 12, 15)),
    ("在3月10日之前", dt.date(2026, 3, 10)),
    ("9月底前完成", dt.date(2026, 9, 30)),
    ("年底前", dt.date(2026, 12, 31)),
    ("上半年完成", dt.date(2026, 6, 30)),
    ("第三季度末前", dt.date(2026, 9, 30)),
    ("6月中旬前", dt.date(2026, 6, 20)),
    ("7月上旬", dt.date(2026, 7, 10)),
    ("9月前完成", dt.date(2026, 8, 31)),
    ("明年3月底前", dt.date(2027, 3, 31)),
    ("2027年6月底前", dt.date(2027, 6, 30)),
    ("本月20日前", dt.date(2026, 3, 20)),
    ("下月底前", dt.date(2026, 4, 30)),
    ("国庆节前", dt.date(2026, 9, 30)),
    ("元旦前", dt.date(2026, 12, 31)),
])
def test_calendar_phrases(text, expected):
    assert deadline(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("本周内完成", dt.date(2026, 3, 6)),          # Friday of the meeting week
    ("本周末前", dt.date(2026, 3, 8)),
    ("下周五前", dt.date(2026, 3, 13)),
    ("下周一前提交", dt.date(2026, 3, 9)),
    ("一个月内", dt.date(2026, 4, 5)),
    ("三天内", dt.date(2026, 3, 8)),
    ("两周内", dt.date(2026, 3, 19)),
    ("半个月内", dt.date(2026, 3, 20)),
    ("会后10个工作日内", dt.date(2026, 3, 19)),
])
def test_relative_phrases(text, expected):
    assert deadline(text) == expected


def test_working_days_skip_holidays():
    # meeting on 2026-09-30: 3 working days later crosses the National Day week
    assert deadline("会后3个工作日内", dt.date(2026, 9, 30)) == dt.date(2026, 10, 10)


def test_working_days_beyond_the_calendar_are_flagged():
    info = resolve_deadlines("5个工作日内", dt.date(2031, 3, 3))
    assert info.deadline == dt.date(2031, 3, 10)
    assert "calendar_unknown" in info.flags


def test_spring_festival_is_the_eve_of_the_lunar_new_year():
    assert deadline("春节前完成", dt.date(2026, 3, 5)) == dt.date(2027, 2, 5)
    assert deadline("春节前完成", dt.date(2025, 12, 1)) == dt.date(2026, 2, 16)


def test_month_before_meeting_month_means_next_year():
    meeting = dt.date(2026, 11, 20)
    assert deadline("3月底前", meeting) == dt.date(2027, 3, 31)
    assert deadline("12月10日前", meeting) == dt.date(2026, 12, 10)
    assert deadline("第一季度末", meeting) == dt.date(2027, 3, 31)


def test_same_month_stays_in_the_meeting_year():
    assert deadline("3月31日前", MEETING) == dt.date(2026, 3, 31)


def test_explicit_year_wins_over_the_rule():
    assert deadline("2026年2月28日前", MEETING) == dt.date(2026, 2, 28)


def test_recurring_duty_is_a_cadence_not_a_deadline():
    info = resolve_deadlines("每月25日前报送进展", MEETING)
    assert info.deadline is None and info.cadence == "monthly:25" and "recurring" in info.flags


@pytest.mark.parametrize("text, cadence", [
    ("每季度末报送", "quarterly"), ("每周五报送", "weekly:5"), ("每月底前汇总", "monthly:end"),
    ("按月报送", "monthly"), ("每半年总结一次", "half-yearly"),
])
def test_cadences(text, cadence):
    assert resolve_deadlines(text, MEETING).cadence == cadence


def test_recurring_duty_next_to_a_deadline_keeps_the_deadline():
    info = resolve_deadlines("每季度组织一次培训，第三季度末前完成全员考核", MEETING)
    assert info.deadline == dt.date(2026, 9, 30) and info.cadence == "quarterly"


@pytest.mark.parametrize("word", ["尽快", "近期", "从速", "按时", "如期"])
def test_vague_words_give_no_date_and_a_flag(word):
    info = resolve_deadlines(f"要{word}完成", MEETING)
    assert info.deadline is None and "vague_deadline" in info.flags and info.deadline_text == word


def test_two_dates_become_milestones_and_the_last_is_the_deadline():
    info = resolve_deadlines("6月底前开工，11月底前完工", MEETING)
    assert info.deadline == dt.date(2026, 11, 30)
    assert [m["date"] for m in info.milestones] == ["2026-06-30", "2026-11-30"]
    assert info.deadline_text == "11月底前"


def test_start_dates_are_not_deadlines():
    info = resolve_deadlines("自3月1日起至4月30日开展专项整治", MEETING)
    assert info.deadline == dt.date(2026, 4, 30) and info.milestones == []


def test_a_quarter_named_as_a_plan_is_not_a_deadline():
    assert deadline("制定四季度去化方案") is None


def test_no_phrase_means_no_deadline_flag():
    assert resolve_deadlines("加强宣传引导", MEETING).flags == ["no_deadline"]


def test_deadline_field_accepts_iso_and_phrases():
    assert resolve_deadline_field("2026-05-01", MEETING).deadline == dt.date(2026, 5, 1)
    assert resolve_deadline_field("9 月底前", MEETING).deadline == dt.date(2026, 9, 30)
    assert "no_deadline" in resolve_deadline_field("", MEETING).flags


def test_helpers():
    assert cn_number("二十五") == 25 and cn_number("十") == 10 and cn_number("两") == 2
    assert parse_iso_date("2026/5/1") == dt.date(2026, 5, 1)
    assert parse_iso_date("2026-02-30") is None


def test_month_end_without_a_month_is_the_meeting_month():
    assert deadline("月底前完成") == dt.date(2026, 3, 31)
    assert deadline("月中旬前完成") == dt.date(2026, 3, 20)
    assert deadline("3个月内完成") == dt.date(2026, 6, 5)      # not read as 月内


def test_bare_festival_word_takes_the_document_festival():
    assert resolve_deadlines("节前完成检查", dt.date(2026, 1, 20), festival="春节").deadline == dt.date(2026, 2, 16)
    assert resolve_deadlines("节前完成检查", dt.date(2026, 1, 20)).deadline is None


def test_bare_festival_word_after_a_verb_or_as_the_holiday():
    # '做好节前…' dates the work before the festival; '放假前' is the eve of its holiday
    meeting = dt.date(2026, 1, 20)
    assert resolve_deadlines("做好节前安全检查", meeting, festival="春节").deadline == dt.date(2026, 2, 16)
    assert resolve_deadlines("各科室在放假前报送值班表", meeting, festival="春节").deadline == dt.date(2026, 2, 16)
    assert resolve_deadlines("各科室在放假前报送值班表", meeting).deadline is None
    # a festival named in full is not read twice
    assert resolve_deadlines("做好春节前安全检查", meeting, festival="春节").deadline == dt.date(2026, 2, 16)


def test_a_festival_inside_a_longer_holiday_break_is_the_eve_of_the_break():
    # in 2017 the Mid-autumn day (4 October) fell inside the National Day break (1-8 October)
    assert deadline("中秋节前完成检查", dt.date(2017, 9, 1)) == dt.date(2017, 9, 30)
    assert resolve_deadlines("节前完成检查", dt.date(2017, 9, 1), festival="中秋").deadline == dt.date(2017, 9, 30)
    assert deadline("端午节前完成", dt.date(2026, 5, 1)) == dt.date(2026, 6, 18)


@pytest.mark.parametrize("text, meeting, expected", [
    ("力争国庆节建成通车", dt.date(2026, 3, 5), dt.date(2026, 10, 1)),
    ("确保2027年元旦节试运营", dt.date(2026, 9, 1), dt.date(2027, 1, 1)),
    ("确保元旦正式开业", dt.date(2026, 9, 1), dt.date(2027, 1, 1)),
    ("确保元旦、春节期间安全稳定", dt.date(2026, 9, 1), None),
    ("确保国庆节期间景区开放", dt.date(2026, 3, 5), None),
])
def test_what_is_done_on_the_festival_day_itself(text, meeting, expected):
    assert deadline(text, meeting) == expected


@pytest.mark.parametrize("text, expected", [
    ("争取完成上半年各项目标任务", dt.date(2026, 6, 30)),
    ("确保实现下半年目标", dt.date(2026, 12, 31)),
    ("上半年各项目标任务完成较好", None),
    ("制定上半年工作计划", None),
    ("总结上半年任务完成情况", None),
])
def test_completing_a_half_years_targets_is_done_by_its_end(text, expected):
    assert deadline(text) == expected


def test_a_deadline_cell_reads_bare_periods_as_dates():
    assert resolve_deadline_field("上半年", MEETING).deadline == dt.date(2026, 6, 30)
    assert resolve_deadline_field("9月", MEETING).deadline == dt.date(2026, 9, 30)
    assert resolve_deadline_field("持续推进", MEETING).deadline is None


@pytest.mark.parametrize("text, expected", [
    ("6月份形成整治报告", dt.date(2026, 6, 30)),
    ("7月份向社会公布招生计划", dt.date(2026, 7, 31)),
    ("光伏项目9月份实现全容量并网", dt.date(2026, 9, 30)),
])
def test_month_fen_followed_by_what_is_done_is_a_deadline(text, expected):
    assert deadline(text) == expected


@pytest.mark.parametrize("text", ["6月份的销量同比下降", "6月份以来降雨偏多", "自6月份起执行", "巡查组6月份对我市开展检查"])
def test_month_fen_naming_a_period_is_not_a_deadline(text):
    assert deadline(text) is None


# ---- edge cases: dates already past at the meeting, descriptive 年底, quarter targets ----

def test_this_month_day_already_past_means_next_month():
    assert deadline("本月20日前报市政府", dt.date(2026, 10, 24)) == dt.date(2026, 11, 20)
    assert deadline("本月20日前报市政府", dt.date(2026, 10, 12)) == dt.date(2026, 10, 20)
    assert deadline("本月上旬前", dt.date(2026, 12, 15)) == dt.date(2027, 1, 10)


def test_this_week_at_a_weekend_meeting_is_never_before_the_meeting():
    saturday = dt.date(2026, 10, 24)
    assert deadline("本周内形成台账", saturday) == dt.date(2026, 10, 25)     # that Sunday
    assert deadline("本周五前报送", saturday) == dt.date(2026, 10, 30)       # next Friday
    assert deadline("本周内形成台账", dt.date(2026, 10, 22)) == dt.date(2026, 10, 23)


def test_descriptive_year_end_is_no_deadline():
    assert deadline("年底各项工作任务重，各乡镇要压实责任", dt.date(2026, 11, 6)) is None
    assert deadline("年底将至，要做好值班", dt.date(2026, 11, 6)) is None
    assert deadline("力争年底建成", dt.date(2026, 11, 6)) == dt.date(2026, 12, 31)
    assert deadline("年底前完成", dt.date(2026, 11, 6)) == dt.date(2026, 12, 31)


def test_bare_quarter_with_a_target_is_the_quarter_end():
    meeting = dt.date(2026, 6, 10)
    assert deadline("要优化调度，第三季度单吨运输成本下降3%", meeting) == dt.date(2026, 9, 30)
    assert deadline("第四季度新增养老床位500张", meeting) == dt.date(2026, 12, 31)
    assert deadline("研究制定四季度去化方案", meeting) is None
    assert deadline("第三季度营业收入同比增长4%", meeting) is None


def test_status_date_is_no_deadline():
    meeting = dt.date(2026, 3, 5)
    assert resolve_deadlines("截至2月底，全区已开工12个", meeting).deadline is None
    assert resolve_deadlines("截至6月底前完成", meeting).deadline == dt.date(2026, 6, 30)


def test_limit_of_working_days_without_nei():
    assert resolve_deadlines("限期10个工作日办结", dt.date(2026, 7, 7)).deadline == dt.date(2026, 7, 21)


@pytest.mark.parametrize("phrase, cadence", [
    ("财务部要在每笔融资完成后5个工作日内报送融资情况", "per_event"),
    ("营销中心每次开盘后3日内报送销售数据", "per_event"),
    ("综合办公室收到集团通知后2个工作日内完成转发", None),
])
def test_event_relative_span_has_no_fixed_deadline(phrase, cadence):
    info = resolve_deadlines(phrase, BOARD_MEETING)
    assert info.deadline is None
    assert "event_deadline" in info.flags and "no_deadline" not in info.flags
    assert info.cadence == cadence
    # the meeting-relative span keeps its date
    assert resolve_deadlines("会后5个工作日内报送融资情况", BOARD_MEETING).deadline == dt.date(2026, 7, 22)


def test_today_describing_a_noun_is_no_deadline():
    assert deadline("对今天检查的点位要尽快整改") is None
    assert deadline("今天下班前报送") == MEETING


def test_a_period_of_a_month_when_something_will_happen_is_no_time_limit():
    meeting = dt.date(2026, 6, 2)
    assert resolve_deadlines("6月下旬，公司将组织人员到施工现场检查", meeting).deadline is None
    assert resolve_deadlines("计划于6月下旬完成室内装修", meeting).deadline == dt.date(2026, 6, 30)


def test_party_and_national_day_by_their_short_names():
    meeting = dt.date(2026, 5, 14)
    assert resolve_deadlines("在“七一”前取得决定性成果", meeting).deadline == dt.date(2026, 6, 30)
    assert resolve_deadlines("“十一”前完成验收", meeting).deadline == dt.date(2026, 9, 30)
    assert resolve_deadlines("第十一前", meeting).deadline is None

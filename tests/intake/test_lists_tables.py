"""Lists sharing one time limit, tables flattened to one cell per line, named persons in charge, joined bodies.

Examples are invented, not taken from the real-minutes corpus.
"""

import datetime as dt

from services.intake.domain.minutes.pipeline import parse_minutes
from services.intake.domain.minutes.tables import rebuild_flattened_tables


def parse(text, directory):
    return parse_minutes(text, directory, meeting_date="2026-03-05").drafts


def test_a_time_limit_stated_once_for_a_list_dates_every_item(district):
    drafts = parse("会议要求：一是区住建局要加快老旧小区改造；二是区城管局要完成背街小巷整治；"
                   "三是区财政局要保障资金，以上工作均于6月底前完成。", district)
    assert [(d.lead, d.deadline) for d in drafts] == [
        (["区住建局"], dt.date(2026, 6, 30)), (["区城管局"], dt.date(2026, 6, 30)), (["区财政局"], dt.date(2026, 6, 30))]


def test_an_items_own_date_is_not_shared_backwards(district):
    drafts = parse("一、各街道要对照年度目标逐项销号，区住建局要汇总各项工作完成情况，下周三前形成总结初稿。", district)
    dated = [d for d in drafts if d.deadline]
    assert all("汇总" in d.task for d in dated)


def test_two_dates_in_one_sentence_each_keep_their_clause(district):
    drafts = parse("一、区住建局要于5月10日前完成改造方案，确保于6月底前投入使用。", district)
    assert [d.deadline for d in drafts] == [dt.date(2026, 5, 10), dt.date(2026, 6, 30)]


def test_a_flattened_table_is_rebuilt_and_its_header_is_no_draft(district):
    text = ("序号\n重点工作\n责任领导\n责任单位\n完成时限\n"
            "1\n完成老旧小区改造\n王强\n区住建局\n2026年6月30日\n"
            "2\n建成智慧停车平台，\n做好运营准备\n李明\n区城管局\n2026年9月30日\n")
    drafts = parse(text, district)
    assert [(d.task, d.lead, d.leader, d.deadline) for d in drafts] == [
        ("完成老旧小区改造", ["区住建局"], "王强", dt.date(2026, 6, 30)),
        ("建成智慧停车平台，做好运营准备", ["区城管局"], "李明", dt.date(2026, 9, 30))]


def test_table_rows_are_rebuilt_from_numbered_cells_split_over_lines():
    lines = ["序号", "工作任务", "牵头单位", "完成时限", "1", "编制防汛预案", "并组织演练", "区水务局", "5月底前",
             "2", "清理排水管网", "区城管局", "6月底前", "二、其他事项。"]
    assert rebuild_flattened_tables(lines) == [
        "| 序号 | 工作任务 | 牵头单位 | 完成时限 |",
        "| 1 | 编制防汛预案并组织演练 | 区水务局 | 5月底前 |",
        "| 2 | 清理排水管网 | 区城管局 | 6月底前 |",
        "二、其他事项。"]


def test_a_header_on_one_line_and_plain_prose_are_told_apart():
    assert rebuild_flattened_tables(["重点工作，责任单位，完成时限", "整治背街小巷", "区城管局", "6月底前"]) == [
        "| 重点工作 | 责任单位 | 完成时限 |", "| 整治背街小巷 | 区城管局 | 6月底前 |"]
    prose = ["一、区住建局要加快改造。", "二、区城管局要完成整治。"]
    assert rebuild_flattened_tables(prose) == prose


def test_the_person_a_task_is_put_under_is_its_leader(district):
    draft, = parse("一、由王强同志负责，区城管局牵头，6月底前完成背街小巷整治。", district)
    assert draft.leader == "王强" and draft.lead == ["区城管局"]
    assert draft.evidence["leader"] == "由王强同志负责"
    draft, = parse("一、由王立强副市长负责，区城管局牵头，6月底前完成背街小巷整治。", district)
    assert draft.leader == "王立强" and draft.lead == ["区城管局"]         # a title instead of 同志
    for post in ("常务副区长", "李副区长", "项目经理", "商务局长"):            # a post, not a person
        draft, = parse(f"一、由{post}负责，区城管局牵头，6月底前完成背街小巷整治。", district)
        assert draft.leader is None, post
    draft, = parse("一、由区财政局负责，6月底前完成资金拨付。", district)
    assert draft.leader is None and draft.lead == ["区财政局"]             # a body is no person


def test_two_bodies_joined_by_he_are_two_leads(district):
    draft, = parse("一、乡人大和乡纪委要联合开展专项督查，6月底前通报结果。", district)
    assert draft.lead == ["乡人大", "乡纪委"] and "unmatched_unit" in draft.flags   # kept as written, flagged


def test_start_dates_and_the_day_a_report_tells_of_are_no_deadlines():
    from services.intake.domain.minutes.deadlines import resolve_deadlines
    meeting = dt.date(2026, 4, 10)
    assert resolve_deadlines("区城管局将从下周起组织夜间巡查", meeting).deadline is None
    assert resolve_deadlines("自2026年5月1日开始执行新的考勤办法", meeting).deadline is None
    assert resolve_deadlines("4月12日上午，检查组督促某镇清理沿线垃圾", meeting).deadline is None
    assert resolve_deadlines("4月30日前，某镇完成沿线垃圾清理", meeting).deadline == dt.date(2026, 4, 30)
    assert resolve_deadlines("某镇要在4月30日完成沿线垃圾清理", meeting).deadline == dt.date(2026, 4, 30)


def test_a_date_named_as_the_limit_is_a_time_limit():
    from services.intake.domain.minutes.deadlines import resolve_deadlines
    from services.intake.domain.minutes.vocabulary import is_time_limit
    meeting = dt.date(2026, 4, 10)
    text = "清理河道漂浮物工作时间节点是4月30日"
    assert is_time_limit(resolve_deadlines(text, meeting), text)
    other = "4月30日召开总结会"
    assert not is_time_limit(resolve_deadlines(other, meeting), other)


def test_a_notices_closing_lines_do_not_swallow_its_body(district):
    text = ("各街道办事处，区政府各部门：\n"
            "为做好今年防汛工作，经区政府同意，现将《防汛工作方案》印发给你们，请结合实际抓好落实。\n"
            "请区水务局于5月20日前完成全区排涝泵站检修，区城管局要于5月底前清理下水道。\n"
            "附件：防汛工作方案\n区人民政府办公室\n2026年5月6日\n")
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [(d.lead, d.deadline) for d in drafts] == [
        (["区水务局"], dt.date(2026, 5, 20)), (["区城管局"], dt.date(2026, 5, 31))]


def test_clauses_after_semicolons_that_ask_again_are_the_same_units_next_actions(district):
    drafts = parse("一、区住建局要在5月底前完成燃气管网排查；要提前梳理明年老旧管网改造项目清单；"
                   "要建立隐患整改台账。", district)
    assert [d.lead for d in drafts] == [["区住建局"]] * 3
    assert drafts[0].deadline == dt.date(2026, 5, 31) and "台账" in drafts[2].task
    # a clause that only goes on with the same task ('对…的，要…') still continues it
    one = parse("一、区住建局要在5月底前完成燃气管网排查；对排查出的隐患，要立即整改。", district)
    assert len(one) == 1 and "立即整改" in one[0].task


def test_a_campus_or_a_development_zone_is_a_body_of_its_own(district):
    draft, = parse("一、东湖校区要在9月底前完成实验楼改造。", district)
    assert draft.lead == ["东湖校区"] and "unmatched_unit" in draft.flags


def test_a_named_set_with_a_short_bracket_heads_a_list_of_leads(district):
    draft, = parse("一、各县（区）、高新区和市应急委有关成员单位要于3月15日前报送工作方案。", district)
    assert draft.lead == ["各县（区）", "高新区", "市应急委有关成员单位"]
    # a note in brackets after the list is no part of the last name
    noted, = parse("一、各县（区）和市应急委有关成员单位（详见任务分工）要于3月15日前报送工作方案。", district)
    assert noted.lead == ["各县（区）", "市应急委有关成员单位"]


def test_a_named_set_inside_a_list_keeps_its_bracket_and_a_collective_lends_no_region(district):
    draft, = parse("一、市级相关部门、各县（区）及东湖高新区要于3月15日前报送申报材料。", district)
    assert draft.lead == ["市级相关部门", "各县（区）", "东湖高新区"]


def test_a_task_with_a_date_named_as_its_limit_is_no_situation(district):
    drafts = parse("一、河道整治方面：清理河道漂浮物工作时间节点是4月30日。", district)
    assert [d.deadline for d in drafts] == [dt.date(2026, 4, 30)]


def test_bodies_named_without_a_unit_word_each_take_their_task_and_share_the_closing_date(district):
    from services.intake.domain.minutes import parse_minutes
    text = "区政府召开专题会议。\n会议要求，区人社局要落实教师培训经费，一中负责制定实施方案，二中负责场地移交，确保9月底前完成。"
    drafts = parse_minutes(text, district, meeting_date="2026-04-01").drafts
    assert [(d.lead, str(d.deadline)) for d in drafts] == [
        (["区人社局"], "2026-09-30"), (["一中"], "2026-09-30"), (["二中"], "2026-09-30")]
    assert "unmatched_unit" in drafts[1].flags and "unmatched_unit" in drafts[2].flags


def test_a_closing_task_with_its_own_object_keeps_its_own_date(district):
    from services.intake.domain.minutes import parse_minutes
    text = "区政府召开专题会议。\n会议要求，区教育局于5月10日前完成实施方案，确保于6月底前投入使用。"
    drafts = parse_minutes(text, district, meeting_date="2026-04-01").drafts
    assert [str(d.deadline) for d in drafts] == ["2026-05-10", "2026-06-30"]


def test_a_slogan_heading_is_the_topic_of_its_decision(district):
    from services.intake.domain.minutes import parse_minutes
    text = "区政府召开专题会议。\n二、明确责任抓落实。区住建局要在6月底前完成老旧小区改造方案。"
    drafts = parse_minutes(text, district, meeting_date="2026-04-01").drafts
    assert [d.lead for d in drafts] == [["区住建局"]]


def test_a_supervision_bulletin_keeps_the_quoted_task_not_the_progress(district):
    from services.intake.domain.minutes import parse_minutes
    text = ("关于重点工作落实情况的督查通报\n"
            "一、区住建局负责的“加快推进老旧小区改造，年底前完成30个小区改造。”截至目前，已完成12个小区改造，进度滞后。\n"
            "二、区城管局负责的“6月底前完成背街小巷整治。”截至目前，已完成整治80%。\n")
    drafts = parse_minutes(text, district, meeting_date="2026-04-01").drafts
    assert [(d.lead, str(d.deadline)) for d in drafts] == [(["区住建局"], "2026-12-31"), (["区城管局"], "2026-06-30")]
    assert not any("截至" in d.task for d in drafts)


def test_a_second_ask_with_its_own_fronted_object_is_a_second_action(district):
    from services.intake.domain.minutes import parse_minutes
    text = ("区政府召开调度会。\n会议要求，区住建局要对照年初下达的节点逐项梳理在建项目，"
            "对滞后的工作要排定赶超计划，争取完成上半年目标任务。")
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert len(drafts) == 2 and drafts[1].task.startswith("对滞后的工作要")
    assert drafts[1].lead == ["区住建局"]


def test_a_subject_before_the_first_item_leads_the_items_after_it(district):
    # Round 12, invented: 'A一是要…；二是…；三是…' and 'A要做好以下工作：一是…；二是…'
    from services.intake.domain.minutes import parse_minutes
    text = ("会议强调，区卫健委一是要在本周内召开专题会议部署排查；二是要在月底前完成隐患整改台账；"
            "三是做好值班值守工作，6月底前报送值守方案。")
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert len(drafts) == 3 and all(d.lead == ["区卫健委"] for d in drafts)
    text = "区城管局要做好以下工作：一是5月底前制定整治方案；二是6月底前完成占道经营清理。"
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [(d.lead, str(d.deadline)) for d in drafts] == [(["区城管局"], "2026-05-31"), (["区城管局"], "2026-06-30")]


def test_a_run_in_list_marked_one_two_three_yao_is_cut_into_its_items(district):
    # Round 13, invented: '一要…，二要…，三要…' inside one sentence, a subject before 一要
    from services.intake.domain.minutes.sentences import split_sentences_with_stops
    pieces = [s for s, _ in split_sentences_with_stops("会议要求，一要在5月底前完善技术交底，二要做实施工方案，三要狠抓工程质量")]
    assert pieces == ["会议要求", "一要在5月底前完善技术交底", "二要做实施工方案", "三要狠抓工程质量"]
    assert [s for s, _ in split_sentences_with_stops("会议要求，统一要求各单位完成自查")] == ["会议要求，统一要求各单位完成自查"]
    from services.intake.domain.minutes import parse_minutes
    text = "会议要求，区住建局一要在5月底前完成技术交底，二要在6月底前报送施工方案。"
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [(d.lead, str(d.deadline)) for d in drafts] == [(["区住建局"], "2026-05-31"), (["区住建局"], "2026-06-30")]


def test_after_a_report_and_a_colon_a_subject_and_its_list_stand_alone(district):
    # Round 13, invented: '会上通报了…，并作出安排部署：A一是…；二是…'
    from services.intake.domain.minutes.sentences import split_sentences_with_stops
    pieces = [s for s, _ in split_sentences_with_stops(
        "会上通报了汛情，并作出安排部署：区水务局一是安排专人值守；二是5月底前完成堤防巡查")]
    assert pieces[:2] == ["会上通报了汛情，并作出安排部署", "区水务局一是安排专人值守"]
    from services.intake.domain.minutes import parse_minutes
    text = ("会上通报了近期汛情，并就即将到来的降雨作出安排部署：区住建局一是在5月20日前完成工地排水检查；"
            "二是在5月底前报送防汛应急方案。")
    drafts = parse_minutes(text, district, meeting_date="2026-05-06").drafts
    assert [(d.lead, str(d.deadline)) for d in drafts] == [(["区住建局"], "2026-05-20"), (["区住建局"], "2026-05-31")]


def test_a_notice_dates_every_listed_problem_once(district):
    # Round 15, invented in the shape of a 督查通知单: the letter's time limit for the problems,
    # then '附件：存在问题' with one 责任单位 a problem and no date of its own
    from services.intake.domain.minutes import parse_minutes
    text = (
        "关于对城区环境卫生综合整治工作检查情况的整改通知\n"
        "英雄街道办事处、区住建局：\n"
        "5月15日，区政府督查室对城区环境卫生进行检查，共梳理出2条问题，请各事涉部门对存在的问题立即进行整改，"
        "并于5月20日前将问题整改完成，整改情况报区政府督查室。\n"
        "附件：存在问题\n"
        "1.春江医院附近北侧胡同内垃圾。（责任单位：英雄街道）\n"
        "2.天桥下防盗安全门门前路面破损。（责任单位：区住建局）\n")
    drafts = parse_minutes(text, district, meeting_date="2026-05-15").drafts
    listed = [d for d in drafts if d.lead in (["英雄街道"], ["区住建局"])]
    assert [str(d.deadline) for d in listed] == ["2026-05-20", "2026-05-20"]
    assert all("no_deadline" not in d.flags for d in listed)
    # without the heading, a 责任单位 line is no listed problem of the letter
    drafts = parse_minutes(text.replace("附件：存在问题\n", ""), district, meeting_date="2026-05-15").drafts
    assert [d.deadline for d in drafts if d.lead == ["英雄街道"]] == [None]


def test_a_schedule_whose_merged_cells_were_lost_is_put_back_under_its_header(district):
    # a term schedule copied from a web page: the week's dates are merged over its rows,
    # a group label ('开学前', '第一周') stands before a group's first row
    text = ("起止日期 | 主要工作 | 责任处室 | |\n"
            "开学前 | 3月6日 | 行政务虚会 | 区政府办 |\n"
            "第一周 | 3月6日-3月12日 | 开学典礼 | 区教育局、区财政局 |\n"
            "新学期备课组长会议 | 区教育局 | ||\n"
            "第二周 | 3月13日-3月19日 | 消防安全隐患大排查 | 区应急局 |\n"
            "初二全体教师会 | 区教育局 | ||\n")
    drafts = parse(text, district)
    assert [(d.task, d.lead, d.deadline) for d in drafts] == [
        ("行政务虚会", ["区政府办"], dt.date(2026, 3, 6)),
        ("开学典礼", ["区教育局", "区财政局"], dt.date(2026, 3, 12)),
        ("新学期备课组长会议", ["区教育局"], dt.date(2026, 3, 12)),
        ("消防安全隐患大排查", ["区应急局"], dt.date(2026, 3, 19)),
        ("初二全体教师会", ["区教育局"], dt.date(2026, 3, 19))]


def test_a_table_whose_last_cell_is_empty_is_read_as_it_stands(district):
    text = ("| 序号 | 工作任务 | 责任单位 | 完成时限 |\n"
            "| 1 | 整治背街小巷 | 区城管局 | |\n"
            "| 2 | 清理排水管网 | 区水务局 | 6月底前 |\n")
    drafts = parse(text, district)
    assert [(d.task, d.lead, d.deadline) for d in drafts] == [
        ("整治背街小巷", ["区城管局"], None), ("清理排水管网", ["区水务局"], dt.date(2026, 6, 30))]


def test_a_second_day_to_deliver_by_after_bing_yu_is_a_second_action(district):
    drafts = parse("一、区住建局要在6月30日前完成集中整改工作，并于7月4日提交整改落实情况书面报告。", district)
    assert [(d.task, d.deadline) for d in drafts] == [
        ("区住建局要在6月30日前完成集中整改工作", dt.date(2026, 6, 30)),
        ("并于7月4日提交整改落实情况书面报告", dt.date(2026, 7, 4))]
    assert all(d.lead == ["区住建局"] for d in drafts)


def test_an_unnumbered_flattened_table_with_a_units_cell_over_several_lines_keeps_its_rows():
    # the row numbers were lost (a page-number filter drops lone digits) and a units cell
    # spans lines: rows are read by what each line looks like, not N lines at a time
    lines = ["民生实事", "责任单位", "完成时限",
             "启动建设东湖湿地公园。", "区水务局", "区住建局", "12月底前",
             "新建2座人行天桥。", "区住建局", "9月投入使用",
             "开工建设老年大学。", "12月底前",
             "启动区图书馆新馆建设。", "区文体广新局", "12月底前"]
    assert rebuild_flattened_tables(lines) == [
        "| 民生实事 | 责任单位 | 完成时限 |",
        "| 启动建设东湖湿地公园。 | 区水务局、区住建局 | 12月底前 |",
        "| 新建2座人行天桥。 | 区住建局 | 9月投入使用 |",
        "| 开工建设老年大学。 |  | 12月底前 |",
        "| 启动区图书馆新馆建设。 | 区文体广新局 | 12月底前 |"]


def test_a_numbered_flattened_table_with_a_units_cell_over_several_lines_joins_it():
    lines = ["序号", "工作任务", "责任单位", "完成时限",
             "1", "启动建设东湖湿地公园。", "区水务局", "区住建局", "12月底前",
             "2", "新建2座人行天桥。", "区住建局", "9月投入使用"]
    assert rebuild_flattened_tables(lines)[1:] == [
        "| 1 | 启动建设东湖湿地公园。 | 区水务局、区住建局 | 12月底前 |",
        "| 2 | 新建2座人行天桥。 | 区住建局 | 9月投入使用 |"]


def test_a_table_exported_one_cell_a_line_with_bars_is_read_as_a_table(district):
    # some pages export each cell as a line of its own ending in ' |'
    text = ("2026年重点工作及责任清单\n序号 |\n重点工作 |\n责任领导 |\n责任单位 |\n完成时限 |\n"
            "1 |\n完成老旧小区改造，全面提升居住环境。 |\n王某 |\n区住建局 |\n6月30日前 |\n"
            "2 |\n完成背街小巷整治。 |\n李某 |\n区城管局 |\n9月30日前 |\n")
    drafts = parse(text, district)
    assert [(d.lead, d.leader, d.deadline) for d in drafts] == [
        (["区住建局"], "王某", dt.date(2026, 6, 30)), (["区城管局"], "李某", dt.date(2026, 9, 30))]
    from services.intake.domain.minutes.tables import strip_cell_bars
    assert strip_cell_bars(["甲 |", "乙 |"]) == ["甲 |", "乙 |"]                 # too short a run: kept
    assert strip_cell_bars(["| 甲 | 乙 |", "丙 |"]) == ["| 甲 | 乙 |", "丙 |"]   # a row of cells: kept
    spaced = ["甲" + "\u1680" * 5000 + "乙"] * 3                             # no bar: kept as it is
    assert strip_cell_bars(spaced) == spaced
    assert strip_cell_bars(["甲 | ", "乙\t|", "丙|"]) == ["甲", "乙", "丙"]


def test_an_excerpt_of_a_numbered_table_starts_at_any_row_and_a_county_leader_column_is_the_leader(district):
    text = ("序号\n目标与任务\n分管县领导\n牵头责任单位\n"
            "80\n完成老旧小区改造，\n全面提升居住环境。\n王某\n区住建局\n"      # a task cell over two lines
            "81\n完成背街小巷整治。\n李某\n区城管局\n")
    assert rebuild_flattened_tables(text.strip().split("\n"))[1:3] == [
        "| 80 | 完成老旧小区改造，全面提升居住环境。 | 王某 | 区住建局 |", "| 81 | 完成背街小巷整治。 | 李某 | 区城管局 |"]
    drafts = parse(text, district)
    assert [(d.lead, d.leader) for d in drafts] == [(["区住建局"], "王某"), (["区城管局"], "李某")]

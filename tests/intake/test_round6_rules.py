"""Rules added after blind round 6 (区委常委会, 城市更新调度会, 防汛, 营商环境一事一议, 乡镇党委会,
Word numbering lost) and the known misses of earlier rounds.  One small case per rule."""

import datetime as dt

from services.intake.domain.minutes.deadlines import resolve_deadlines
from services.intake.domain.minutes import parse_minutes
from services.intake.domain.normalize import split_run_in_numbering
from services.intake.domain.minutes.units import Directory, find_unit_mentions, is_generic_collective

OPENING = "区政府专题会议纪要\n2026年3月5日，副区长王强主持召开专题会议。现纪要如下：\n"


def tasks(body, district):
    return [(d.task, d.lead, d.deadline) for d in parse_minutes(OPENING + body, district).drafts]


def test_assessment_then_a_unit_told_what_to_do_is_kept(district):
    # '会议指出' used to drop the sentence unless 要 followed it directly
    out = tasks("会议指出，当前整改工作进度偏慢，区环保局要会同区住建局，一周内提出整改方案。", district)
    assert len(out) == 1
    assert out[0][1] == ["区环保局"] and out[0][2] == dt.date(2026, 3, 12)


def test_assessment_alone_is_still_no_item(district):
    out = tasks("会议指出，目前办理时限已压缩至1个工作日内，但部分环节仍需线下跑动。区住建局要加快推进改造。", district)
    assert [t[1] for t in out] == [["区住建局"]]


def test_report_sentences_are_no_items(district):
    body = ("一、会议指出，今年安排重大项目48个，总投资320亿元。截至2月底，已开工12个，完成年度目标的57.2%。"
            "区发改局要加强调度，确保6月底前全部开工。")
    out = tasks(body, district)
    assert [t[1] for t in out] == [["区发改局"]]


def test_status_date_is_no_deadline():
    meeting = dt.date(2026, 3, 5)
    assert resolve_deadlines("截至2月底，全区已开工12个", meeting).deadline is None
    assert resolve_deadlines("截至6月底前完成", meeting).deadline == dt.date(2026, 6, 30)


def test_limit_of_working_days_without_nei():
    assert resolve_deadlines("限期10个工作日办结", dt.date(2026, 7, 7)).deadline == dt.date(2026, 7, 21)


def test_the_meetings_own_follow_up_mechanism_is_no_item(district):
    out = tasks("一、建立问题闭环机制，实行按季度调度、按月通报。区财政局要于4月底前拨付资金。", district)
    assert [t[1] for t in out] == [["区财政局"]]


def test_exhortation_to_a_generic_subject_is_cut_from_the_unit_after_it(district):
    out = tasks("会议要求，各级党组织和党员干部要以钉钉子精神抓好落实，区委组织部要对议定事项跟踪督办。", district)
    assert [t[1] for t in out] == [[], ["区委组织部"]]


def test_units_named_with_zuzhi_and_generic_scopes(district):
    directory = Directory(district)
    names = [n for m in find_unit_mentions("区委组织部、区委宣传部要联合制定方案", directory) for n in m.names]
    assert names == ["区委组织部", "区委宣传部"]
    assert is_generic_collective("全区各级各部门")
    assert not find_unit_mentions("及时发布预警信息，做到预警到村、到户、到人", directory)


def test_company_in_a_list_keeps_its_own_name(district):
    out = tasks("序号\t问题\t责任单位\t完成时限\n1\t燃气管线迁改滞后\t区城管局、港华燃气公司\t2026年6月10日\n", district)
    # a 问题清单 table (问题 column) is read; the company is not made '区港华燃气公司'
    assert out == [("燃气管线迁改滞后", ["区城管局", "港华燃气公司"], dt.date(2026, 6, 10))]


def test_agenda_items_head_their_decisions(district):
    out = tasks("议题一：研究森林防火工作\n会议要求，区应急局要在3月底前组织一次扑救演练。\n", district)
    assert len(out) == 1 and out[0][2] == dt.date(2026, 3, 31)


def test_run_in_numbering_is_put_back_on_lines():
    line = ("一、关于供暖。会议要求：1、区住建局要督促各供热企业完成管网注水试压，确保按时供暖；"
            "2、区城管局负责清理供热管网沿线违章占压，本月25日前完成。二、关于校园安全。1、区教育局牵头开展排查。")
    assert split_run_in_numbering([line]) == [
        "一、关于供暖。会议要求：", "1、区住建局要督促各供热企业完成管网注水试压，确保按时供暖；",
        "2、区城管局负责清理供热管网沿线违章占压，本月25日前完成。", "二、关于校园安全。", "1、区教育局牵头开展排查。"]
    assert split_run_in_numbering(["共有以下情况：1、2号楼已完工。"]) == ["共有以下情况：1、2号楼已完工。"]

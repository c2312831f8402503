import datetime as dt
import io

import openpyxl
import pytest

from services.intake.domain.errors import IntakeInputError
from services.intake.domain.goals import parse_goal_sheet

CSV = ("目标,节点,牵头单位,配合单位,完成时限\n"
       "完成老旧小区改造50个,完成项目招标,区住建局,区财政局,3月底前\n"
       ",完成主体施工,区住建局,,2026-09-30\n"
       "新增就业岗位5000个,举办招聘会,区人社局,区教育局、区工商局,6月30日前\n")


def test_csv_one_draft_per_milestone_linked_to_its_goal(district):
    result = parse_goal_sheet(CSV.encode("utf-8-sig"), district, year=2026)
    assert [d.task for d in result.drafts] == ["完成项目招标", "完成主体施工", "举办招聘会"]
    first, second, third = result.drafts
    assert first.goal == second.goal == "完成老旧小区改造50个" and first.goal_ref == second.goal_ref == "1"
    assert third.goal_ref == "2" and first.year == 2026
    assert first.deadline == dt.date(2026, 3, 31) and second.deadline == dt.date(2026, 9, 30)
    assert first.lead_department == "ZJJ" and first.co_departments == ["CZJ"]
    assert third.co_departments == ["JYJ", "SCJ"] and "unmatched_unit" in third.flags   # 区人社局 not in directory
    assert first.clause == "2"  # sheet row number


def test_gbk_csv_with_english_headers_and_year_column(district):
    text = "goal,milestone,lead,co,deadline,year\n绿化提升,完成补植,区城市管理局,,10月底前,2027\n"
    draft = parse_goal_sheet(text.encode("gbk"), district).drafts[0]
    assert draft.deadline == dt.date(2027, 10, 31) and draft.year == 2027


def test_xlsx(district):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2026年度目标任务分解表"])
    sheet.append(["年度目标", "里程碑", "主责部门", "协办单位", "时限"])
    sheet.append(["教育设施扩容", "开工建设", "区教育局", "区住建局", dt.datetime(2026, 4, 30)])
    sheet.append([None, "竣工验收", None, None, "12月底前"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_goal_sheet(buffer.getvalue(), district, year=2026, fmt="xlsx")
    first, second = result.drafts
    assert first.deadline == dt.date(2026, 4, 30) and first.clause == "3"
    assert second.lead == ["区教育局"] and second.deadline == dt.date(2026, 12, 31)  # lead repeats
    assert result.meta["header_row"] == 2


def test_row_errors_reject_the_whole_sheet_with_row_numbers(district):
    text = CSV + "新增绿地,完成规划,,,\n新增绿地,完成验收,区城市管理局,,某天\n"
    with pytest.raises(IntakeInputError) as err:
        parse_goal_sheet(text.encode(), district, year=2026)
    rows = err.value.fields["rows"]
    assert [r["row"] for r in rows] == [5, 6]
    assert "lead is required" in rows[0]["errors"]
    assert any("not a date" in e for e in rows[1]["errors"])


def test_phrase_deadline_without_a_year_is_a_row_error(district):
    with pytest.raises(IntakeInputError) as err:
        parse_goal_sheet(CSV.encode(), district)
    assert err.value.fields["rows"][0]["row"] == 2


def test_wrong_columns_name_what_is_missing(district):
    with pytest.raises(IntakeInputError) as err:
        parse_goal_sheet("名称,负责人\n甲,乙\n".encode(), district, year=2026)
    assert set(err.value.fields["columns"]["missing"]) == {"goal", "milestone", "lead", "deadline"}
    assert "missing column" in err.value.message


@pytest.mark.parametrize("payload", [b"", b"PK\x03\x04broken"])
def test_unreadable_sheets(district, payload):
    with pytest.raises(IntakeInputError):
        parse_goal_sheet(payload, district, year=2026)


def test_a_sheet_of_5000_milestones_is_taken_and_one_more_is_refused(district):
    def sheet(n):
        rows = ["目标,节点,牵头单位,完成时限"] + [
            "目标{},节点{},区人社局,12月31日前".format(i // 10, i) for i in range(n)]
        return "\n".join(rows).encode("utf-8")
    assert len(parse_goal_sheet(sheet(5000), district, year=2026).drafts) == 5000
    with pytest.raises(IntakeInputError) as info:
        parse_goal_sheet(sheet(5001), district, year=2026)
    assert "5000" in str(info.value)


def test_a_traditional_script_sheet_keeps_its_words(district):
    text = "目標,節點,牽頭單位,完成時限\n完成老舊小區改造50個,完成項目招標,區住建局,3月底前\n"
    draft, = parse_goal_sheet(text.encode("utf-8"), district, year=2026).drafts
    assert draft.task == "完成項目招標" and draft.goal == "完成老舊小區改造50個"
    assert draft.lead == ["區住建局"] and draft.lead_department == "ZJJ"
    assert draft.deadline == dt.date(2026, 3, 31)

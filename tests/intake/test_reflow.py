"""Re-flowing a PDF's visual lines into paragraphs: on text, no PDF needed."""
import pytest

from services.intake.domain.reflow import is_marker, is_page_number, reflow, width

FULL = "会议同意区住建局提出的《老旧小区改造实施方案》，修改完善后报区政"  # 32 wide characters


def test_wrapped_chinese_lines_are_joined_without_spaces():
    pages = [[FULL, "府审定，由区住建局牵头办理"]]
    assert reflow(pages) == FULL + "府审定，由区住建局牵头办理"


def test_a_sentence_end_keeps_its_line_break():
    ended = FULL[:-1] + "。"
    for mark in "。！？；：”":
        assert reflow([[FULL[:-1] + mark, "由区财政局负责。"]]).split("\n") == [FULL[:-1] + mark, "由区财政局负责。"]
    assert reflow([[ended[:-1] + "。”", "下一段。"]]).count("\n") == 1  # a closing quote after 。


@pytest.mark.parametrize("marker", ["一、", "十二、", "（一）", "(二)", "1.", "2、", "（3）", "第三条", "①", "附件"])
def test_a_list_or_heading_marker_starts_a_line(marker):
    assert reflow([[FULL, marker + "由区财政局负责"]]).split("\n") == [FULL, marker + "由区财政局负责"]


def test_a_tail_ending_in_a_colon_is_not_a_field():
    line = "2030年3月4日，陈总主持召开信息中心专题会议，研究机房改造和岗位管理工作。现"
    assert reflow([[line, "纪要如下：", "一、关于机房改造"]]).split("\n") == [line + "纪要如下：", "一、关于机房改造"]


def test_a_number_with_a_decimal_point_is_not_a_marker():
    assert not is_marker("1.5亿元用于改造")
    assert reflow([[FULL, "1.5亿元用于改造"]]) == FULL + "1.5亿元用于改造"


def test_short_lines_titles_and_headings_stand_alone():
    pages = [["区政府第12次常务会议纪要", "关于老旧小区改造工作", FULL, "府审定", "二、关于环境整治"]]
    assert reflow(pages).split("\n") == ["区政府第12次常务会议纪要", "关于老旧小区改造工作",
                                         FULL + "府审定", "二、关于环境整治"]


@pytest.mark.parametrize("footer", ["- 2 -", "— 2 —", "2", "第 2 页", "第2页 共5页", "共5页 第2页", "2/5", "2 / 5",
                                    "Page 2 of 5"])
def test_page_numbers_are_dropped_and_a_sentence_carries_over_the_break(footer):
    pages = [["一、由区住建局牵头", FULL, footer], [footer.replace("2", "3"), "府审定。"]]
    assert is_page_number(footer)
    assert reflow(pages).split("\n") == ["一、由区住建局牵头", FULL + "府审定。"]


def test_running_headers_and_footers_are_dropped():
    header, footer = "示范区人民政府办公室", "内部资料 注意保存"
    pages = [["区政府常务会议纪要", FULL, "府审定。", footer],
             [header, "二、区财政局负责资金。", FULL, footer],
             [header, "府审定。", footer]]
    assert reflow(pages).split("\n") == ["区政府常务会议纪要", FULL + "府审定。", "二、区财政局负责资金。",
                                         FULL + "府审定。"]


def test_a_repeated_clause_or_sentence_is_never_taken_for_a_running_header():
    pages = [["继续推进。", "一、由区财政局负责。"], ["继续推进。", "一、由区财政局负责。"]]
    assert reflow(pages).split("\n") == ["继续推进。", "一、由区财政局负责。"] * 2


def test_latin_words_keep_a_space_and_numbers_none():
    wide = "x" * 60
    assert reflow([[wide + " the", "project"]]) == wide + " the project"
    assert reflow([["于2027年3月3" + "区" * 30, "1日前完成"]]) == "于2027年3月3" + "区" * 30 + "1日前完成"


def test_nothing_is_joined_when_no_line_could_have_wrapped():
    assert reflow([["会议纪要", "由区财政局负责"]]).split("\n") == ["会议纪要", "由区财政局负责"]


def test_blank_lines_and_empty_pages():
    assert reflow([]) == "" and reflow([[], ["  ", ""]]) == ""
    assert width("区a") == 3

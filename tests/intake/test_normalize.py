import pytest

from services.intake.domain.errors import IntakeInputError
from services.intake.domain.normalize import (MAX_TEXT_CHARS, decode_payload, normalize_line, normalize_text,
                                              split_run_in_numbering)


def test_ascii_punctuation_becomes_chinese():
    assert normalize_line("由区财政局牵头,区发改委配合:于4月底前(暂定)") == "由区财政局牵头，区发改委配合：于4月底前（暂定）"


def test_fullwidth_punctuation_survives_nfkc():
    assert normalize_line("区住建局负责；区财政局配合（资金）") == "区住建局负责；区财政局配合（资金）"


def test_numbers_and_times_keep_ascii_separators():
    assert normalize_line("安排资金1,000万元，9:30召开") == "安排资金1,000万元，9:30召开"


def test_spaces_inside_dates_are_removed():
    assert normalize_line("确保 9 月 30 日 前上线") == "确保9月30日前上线"


def test_dropped_day_character_is_restored():
    assert normalize_line("9月20前完成") == "9月20日前完成"
    assert normalize_line("12月1号前") == "12月1日前"


def test_traditional_characters_are_simplified():
    assert normalize_line("縣財政局負責，縣教育局配閤") == "县财政局负责，县教育局配合"


def test_sentence_final_ascii_period_becomes_full_stop_but_numbering_stays():
    assert normalize_line("1.区住建局负责实施.") == "1.区住建局负责实施。"


def test_normalize_text_drops_blank_lines_and_converts_tabs():
    assert normalize_text("标题\r\n\r\n任务\t区住建局\n") == "标题\n任务 | 区住建局"


@pytest.mark.parametrize("payload", [None, "", "   \n  ", b""])
def test_empty_payload_is_rejected(payload):
    with pytest.raises(IntakeInputError) as err:
        decode_payload(payload)
    assert "empty" in err.value.message


def test_binary_junk_is_rejected():
    junk = bytes(range(256)) * 20
    with pytest.raises(IntakeInputError):
        decode_payload(junk)


def test_control_characters_are_rejected():
    with pytest.raises(IntakeInputError) as err:
        decode_payload("会议\x00\x01\x02\x03\x04\x05纪要\x06\x07")
    assert err.value.fields == {"payload": "binary"}


def test_oversized_text_is_rejected():
    with pytest.raises(IntakeInputError) as err:
        decode_payload("会" * (MAX_TEXT_CHARS + 1))
    assert "too long" in err.value.message


def test_gbk_bytes_are_decoded():
    assert decode_payload("区住建局负责".encode("gbk")) == "区住建局负责"


def test_utf8_bom_is_stripped():
    assert decode_payload("\ufeff纪要".encode("utf-8")) == "纪要"


def test_pdf_wraps_and_page_numbers():
    from services.intake.domain.normalize import join_wrapped_lines
    lines = ["标题", "一、区住建局要会同区财政局做好老旧小区改造资金保障工作，7月",
             "底前完成;区城管局负责做好环境整治,", "9月底前完成.", "二、关于其他事项"]
    assert join_wrapped_lines(lines) == [
        "标题", "一、区住建局要会同区财政局做好老旧小区改造资金保障工作，7月底前完成;区城管局负责做好环境整治,9月底前完成.",
        "二、关于其他事项"]
    assert normalize_text("正文。\n- 1 -\n") == "正文。"


def test_chat_paste_spaces_become_punctuation_and_numbers_become_items():
    line = normalize_line("１ 会议同意区教育局提出的方案 由区教育局会同区市场监管局 区公安分局组织实施 １１月３０日前完成")
    assert line == "1、会议同意区教育局提出的方案，由区教育局会同区市场监管局、区公安分局组织实施，11月30日前完成"


def test_pdf_spaces_are_still_removed_not_turned_into_commas():
    assert normalize_line("9 月 20 日 前完成") == "9月20日前完成"
    assert normalize_line("市应急局要在 15 个工作日内完成") == "市应急局要在15个工作日内完成"
    assert normalize_line("9 月底前") == "9月底前"      # a date, not an item number
    assert normalize_line("主持：院长 林海涛") == "主持：院长林海涛"


def test_run_in_numbering_is_put_back_on_lines():
    line = ("一、关于供暖。会议要求：1、区住建局要督促各供热企业完成管网注水试压，确保按时供暖；"
            "2、区城管局负责清理供热管网沿线违章占压，本月25日前完成。二、关于校园安全。1、区教育局牵头开展排查。")
    assert split_run_in_numbering([line]) == [
        "一、关于供暖。会议要求：", "1、区住建局要督促各供热企业完成管网注水试压，确保按时供暖；",
        "2、区城管局负责清理供热管网沿线违章占压，本月25日前完成。", "二、关于校园安全。", "1、区教育局牵头开展排查。"]
    assert split_run_in_numbering(["共有以下情况：1、2号楼已完工。"]) == ["共有以下情况：1、2号楼已完工。"]


def test_traditional_script_is_converted_by_phrase():
    assert normalize_line("會議要求，區住建局負責於9月30日前完成舊樓改造") == "会议要求，区住建局负责于9月30日前完成旧楼改造"
    assert normalize_line("保持環境乾淨") == "保持环境干净"
    # Simplified text passes through untouched, one-to-many characters included
    assert normalize_line("著力推进乾隆路改造，干部带头") == "著力推进乾隆路改造，干部带头"

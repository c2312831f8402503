"""A draft's words in the document's own script (services/intake/domain/script.py)."""
import datetime as dt

from services.intake.domain.minutes.pipeline import parse_minutes
from services.intake.domain.script import WrittenScript


def test_a_stretch_read_from_the_simplified_copy_comes_back_as_written():
    script = WrittenScript("一、區水務局要在3月31日前完成節水灌溉改造方案。")
    assert script.as_written("区水务局要在3月31日前完成节水灌溉改造方案") == "區水務局要在3月31日前完成節水灌溉改造方案"
    assert script.as_written("区水务局") == "區水務局"
    assert script.as_written(None) is None and script.as_written("") == ""


def test_punctuation_stays_as_the_parser_normalised_it():
    # the document's ASCII comma became '，' in the parser's copy; only characters come back
    script = WrittenScript("區住建局負責做好施工管理,9月20前完成.")
    assert script.as_written("区住建局负责做好施工管理，9月20日前完成") == "區住建局負責做好施工管理，9月20日前完成"


def test_pieces_joined_from_two_places_each_come_back():
    script = WrittenScript("各醫療衛生單位一是要加強監測。二是做好應急準備。")
    assert script.as_written("各医疗卫生单位做好应急准备") == "各醫療衛生單位做好應急準備"


def test_a_simplified_document_is_given_back_untouched():
    text = "副区长周志乾强调，区住建局要在10月底前完成老旧小区改造方案。"
    script = WrittenScript(text)
    assert script.as_written("区住建局要在10月底前完成") == "区住建局要在10月底前完成"
    # OpenCC t2s turns 乾 into 干 in this name: the person is 周志乾
    assert script.as_written("周志干") == "周志乾"


def test_traditional_minutes_give_their_drafts_as_written(district):
    text = ("9月3日，縣政府召開推進會。\n"
            "副縣長林國銘強調，區住建局要在10月底前完成老舊小區改造方案，區財政局配合。")
    draft, = parse_minutes(text, district, meeting_date="2026-09-03").drafts
    assert draft.task.startswith("區住建局要在10月底前完成老舊小區改造方案")
    assert draft.lead == ["區住建局"] and draft.co == ["區財政局"] and draft.leader == "林國銘"
    assert draft.deadline_text.endswith("10月底前") and draft.deadline == dt.date(2026, 10, 31)
    assert draft.lead_department == "ZJJ"          # the directory still matches it

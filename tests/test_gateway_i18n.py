"""Validation messages on Chinese pages (services/gateway/i18n.py: say, Said)."""
from services.gateway import i18n
from shared.errors import ValidationFailed


def test_the_messages_forms_meet_most_are_said_in_chinese_on_a_chinese_page():
    assert i18n.say("Must be greater than or equal to 0 and less than or equal to 100.") \
        == "须在 0 到 100 之间"
    assert i18n.say("Length must be between 1 and 5000.") == "长度须为 1 到 5000 个字"
    assert i18n.say("Missing data for required field.") == "必填"
    assert i18n.say("Not a valid date: use YYYY-MM-DD, e.g. 2026-12-31.") \
        == "日期写作 YYYY-MM-DD，如 2026-12-31"
    assert i18n.say("2020-01-01 is before today (2026-11-30)") == "2020-01-01 早于今天（2026-11-30）"
    assert i18n.say("Must be one of: key, routine.") == "须为以下之一：key, routine"
    assert i18n.say("unknown org unit '财务处': use a code such as FIN, or a unit's name or "
                    "alias (GET /api/v1/org-units lists them)") \
        == "未知单位「财务处」：请填单位代码（如 FIN）、名称或别名"
    assert i18n.say("'FIN' is the lead") == "「FIN」已是牵头部门"


def test_english_pages_and_unknown_messages_keep_the_text():
    text = "Must be greater than or equal to 0 and less than or equal to 100."
    assert i18n.say(text, "en") == text
    assert i18n.say("No draft 'NOPE'") == "No draft 'NOPE'"
    assert i18n.say(None) is None


def test_an_error_is_said_with_its_fields():
    exc = ValidationFailed("Invalid input", {"progress": ["Must be less than or equal to 100."],
                                             "content": ["Missing data for required field."]})
    said = i18n.Said(exc, "zh")
    assert said.message == "输入有误" and said.status == 422
    assert said.fields == {"progress": ["须不大于 100"], "content": ["必填"]}
    assert i18n.Said(exc, "en").fields == exc.fields

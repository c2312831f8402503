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
    assert i18n.say("A message no table knows") == "A message no table knows"
    assert i18n.say("No draft 'NOPE'", "en") == "No draft 'NOPE'"
    assert i18n.say(None) is None


def test_an_error_is_said_with_its_fields():
    exc = ValidationFailed("Invalid input", {"progress": ["Must be less than or equal to 100."],
                                             "content": ["Missing data for required field."]})
    said = i18n.Said(exc, "zh")
    assert said.message == "输入有误" and said.status == 422
    assert said.fields == {"progress": ["须不大于 100"], "content": ["必填"]}
    assert i18n.Said(exc, "en").fields == exc.fields


def test_every_refusal_of_the_lifecycle_is_said_in_chinese():
    """Each action tracking's lifecycle refuses in a state: the page names the state and
    the action in Chinese, and which states would allow it."""
    import re

    from services.tracking.domain import lifecycle
    from services.tracking.domain.errors import IllegalTransition
    from shared.contracts.vocabulary import REFUSALS

    assert set(lifecycle.TRANSITIONS) | set(lifecycle.ALLOWED_IN) <= set(REFUSALS)
    for action in set(lifecycle.TRANSITIONS) | set(lifecycle.ALLOWED_IN):
        for status in lifecycle.Status:
            try:
                if action in lifecycle.TRANSITIONS:
                    lifecycle.next_status(status, action)
                else:
                    lifecycle.check_allowed(status, action)
            except IllegalTransition as refused:
                said = i18n.Said(refused_as_error(refused), "zh")
                assert not re.search("[A-Za-z]", said.message), said.message
                assert said.fields == {"status": [i18n.say(status.value)]}
                assert not re.search("[A-Za-z]", said.fields["status"][0])
    message = IllegalTransition("completed", "submit_feedback", ["issued", "in_progress"]).message
    assert i18n.say(message) == "事项当前为「已办结」，不能反馈进展（仅在「已下达」或「办理中」时可以）"
    assert i18n.say(IllegalTransition("evaluated", "resume").message) == "事项当前为「已评价」，不能恢复"


def refused_as_error(refused):
    from shared.errors import Conflict
    return Conflict(refused.message, refused.fields)


def test_the_rules_of_items_and_appraisals_are_said_in_chinese():
    assert i18n.say("The request was already rejected") == "该申请已驳回"
    assert i18n.say("A late item's feedback must give the reason, the measures and a new plan") \
        == "逾期事项的反馈须写明原因、措施和新计划"
    assert i18n.say("The new deadline must be after the current one") == "新期限须晚于现期限"
    assert i18n.say("must be after 2026-12-31") == "须晚于 2026-12-31"
    assert i18n.say("The parent item is cancelled") == "上级事项「已撤销」"
    assert i18n.say("The month 2099-11 has not begun") == "2099年11月尚未开始"
    assert i18n.say("The period 2026-H2 has not ended; it can be published from 2027-01-01") \
        == "考核期 2026-H2 尚未结束，2027-01-01 起可以发布"
    assert i18n.say("pending") == "pending"  # a word that is not a status stays as it is


def test_a_page_names_the_fields_of_an_error_in_its_language():
    from services.gateway import pages
    from shared.errors import ValidationFailed as Refused
    exc = Refused("The month 2099-11 has not begun", {"month": ["starts on 2099-11-01"]})
    pages._current.lang = "zh"
    try:
        assert pages._explain(exc) == "2099年11月尚未开始 — 月份：自 2099-11-01 起"
        two = Refused("Invalid input", {"progress": ["Must be less than or equal to 100."],
                                        "odd_field": ["Unknown field."]})
        assert pages._explain(two) == "输入有误 — 进度：须不大于 100；odd_field：无此字段"
        pages._current.lang = "en"
        assert pages._explain(exc) == \
            "The month 2099-11 has not begun — month: starts on 2099-11-01"
    finally:
        pages._current.lang = None


def test_what_a_page_does_not_find_and_the_periods_it_refuses_are_said_in_chinese():
    assert i18n.say("No item '123'") == "未找到事项「123」"
    assert i18n.say("No appraisal 'nope'") == "未找到考核「nope」"
    assert i18n.say("No extension request 3 on item abc") == "未找到延期申请「3」"
    assert i18n.say("No source 'abc'") == "未找到来源文件「abc」"
    assert i18n.say("one of: registered, issued") == "须为以下之一：registered, issued"
    assert i18n.say("expected YYYY-MM, got '2026-13'") == "应写作 YYYY-MM，实为 '2026-13'"
    assert i18n.say("A half-year is written YYYY-H1 or YYYY-H2, e.g. 2026-H2") \
        == "半年写作 YYYY-H1 或 YYYY-H2，如 2026-H2"

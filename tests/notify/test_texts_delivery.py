"""Reminder texts and the delivery policy."""
import datetime as dt

import pytest

from services.notify.domain import delivery, texts


def test_default_texts_are_chinese_with_the_facts():
    params = texts.values("DB-2026-0001", "编制年度预算", dt.date(2026, 12, 31),
                          dt.date(2026, 12, 28), contact="李四 13900002222")
    assert texts.render("before", params) == (
        "【督办提醒】DB-2026-0001「编制年度预算」办理期限为2026-12-31，还剩3天，请抓紧办理。"
        "联系人：李四 13900002222。")
    overdue = texts.values("DB-2026-0001", "编制年度预算", dt.date(2026, 12, 31),
                           dt.date(2027, 1, 4))
    assert "已超期4天" in texts.render("overdue", overdue)
    assert texts.when_phrase(0) == "今天到期"


def test_an_organisation_template_replaces_the_default():
    params = texts.values("N1", "T", dt.date(2026, 12, 31), dt.date(2026, 12, 30))
    assert texts.render("before", params, {"before": "{number}:{when}"}) == "N1:还剩1天"


def test_long_titles_are_cut():
    assert len(texts.short_title("长" * 80)) == texts.TITLE_LIMIT


@pytest.mark.parametrize("template,ok", [
    ("{number}{title}", True), ("{phone}", False), ("{number!r}", False), ("{number", False),
    ("{0}", False), ("{title:>10}", False),
])
def test_template_validation(template, ok):
    assert (texts.template_problems(template) == []) is ok


@pytest.mark.parametrize("attempts,delay", [(1, 30), (2, 60), (3, 120), (10, 3600)])
def test_backoff_doubles_up_to_a_cap(attempts, delay):
    assert delivery.RetryPolicy(max_attempts=99).delay(attempts) == delay


@pytest.mark.parametrize("outcome,attempts,step", [
    ("sent", 1, "sent"), ("permanent", 1, "failed"), ("retry", 1, "retry"),
    ("retry", 6, "failed"), ("ambiguous", 1, "check"),
])
def test_next_step(outcome, attempts, step):
    assert delivery.next_step(delivery.Result(outcome), attempts, delivery.RetryPolicy())[0] == step


@pytest.mark.parametrize("mobile,ok", [("13900001111", True), ("+8613900001111", True),
                                       ("139-0000-1111", True), ("12900001111", False),
                                       ("1390000111", False), ("", False), (None, False)])
def test_mobile_validation(mobile, ok):
    assert delivery.valid_mobile(mobile) is ok


def test_daily_cap():
    assert not delivery.over_cap(9, 10) and delivery.over_cap(10, 10)
    assert not delivery.over_cap(100, 0)  # 0: no cap

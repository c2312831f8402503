"""tools/deadline_errors.py puts each wrong deadline of a matched draft in one class."""

import pytest

from tools import deadline_errors, score_real


@pytest.fixture(scope="module")
def ys():
    return score_real.load_yardstick()


def draft(task, deadline=None, phrase=None, **more):
    return {"task": task, "deadline": deadline, "deadline_text": phrase, **more}


@pytest.mark.parametrize("pred, gold, expected", [
    (draft("区住建局要在6月底前完成改造", "2026-06-30", "6月底前"),
     {"text": "区住建局要在6月底前完成改造", "deadline": "2026-06-30", "deadline_text": "6月底前"}, None),
    (draft("区住建局要完成改造"), {"text": "区住建局要完成改造"}, None),
    (draft("区住建局要完成全年改造任务"), {"text": "完成全年改造任务", "deadline_approx": "全年"}, None),
    (draft("区住建局要在节前完成改造"),
     {"text": "区住建局要在节前完成改造", "deadline": "2026-09-30", "deadline_text": "节前"}, "missed_in_text"),
    (draft("区住建局每月25日前报送进度", cadence="monthly:25", flags=["recurring"]),
     {"text": "区住建局每月25日前报送进度", "deadline": "2026-06-25", "deadline_text": "25日前"}, "recurring_for_date"),
    (draft("区住建局要完成改造"),
     {"text": "区住建局要完成改造", "deadline": "2026-06-30", "deadline_text": "以上工作6月底前"}, "not_carried"),
    (draft("区住建局3月底前完成改造", "2027-03-31", "3月底前"),
     {"text": "区住建局3月底前完成改造", "deadline": "2026-03-31", "deadline_text": "3月底前"}, "wrong_year"),
    (draft("区住建局下周内完成改造", "2026-06-12", "下周内"),
     {"text": "区住建局下周内完成改造", "deadline": "2026-06-14", "deadline_text": "下周内"}, "relative"),
    (draft("区住建局完成改造，区财政局9月底前拨付资金", "2026-09-30", "9月底前"),
     {"text": "区住建局完成改造", "deadline": "2026-06-30", "deadline_text": "6月底前"}, "other_clause"),
    (draft("区住建局6月完成改造", "2026-06-30", "6月"),
     {"text": "区住建局6月完成改造", "deadline": "2026-06-01", "deadline_text": "6月"}, "misread"),
    (draft("区住建局尽快在年底前完成改造", "2026-12-31", "年底前"),
     {"text": "区住建局尽快完成改造", "deadline_text": "尽快"}, "vague_as_date"),
    (draft("从7月1日起区住建局开展巡查", "2026-07-01", "7月1日"),
     {"text": "区住建局开展巡查"}, "start_date"),
    (draft("今天区住建局开展巡查", "2026-06-05", "今天"), {"text": "区住建局开展巡查"}, "meeting_or_report_date"),
    (draft("区住建局开展巡查，年底前形成报告", "2026-12-31", "年底前"),
     {"text": "区住建局开展巡查"}, "date_not_in_gold"),
    (draft("区住建局制定上半年工作计划", "2026-06-30", "上半年"),
     {"text": "区住建局制定上半年工作计划"}, "date_in_gold_text"),
])
def test_classes(pred, gold, expected, ys):
    assert deadline_errors.classify(pred, gold, ys, meeting="2026-06-05") == expected


def test_unscored_gold_is_never_an_error(ys):
    gold = {"text": "区住建局每月报送进度", "recurring": "每月"}
    assert not deadline_errors.scored(gold)
    assert deadline_errors.classify(draft("区住建局每月报送进度", "2026-06-30", "6月"), gold, ys) is None

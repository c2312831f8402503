"""tools/lead_errors.py puts each wrong lead of a matched draft in one class."""

import pytest

from tools import lead_errors, score_real


@pytest.fixture(scope="module")
def ys():
    return score_real.load_yardstick()


@pytest.mark.parametrize("task, pred, gold, expected", [
    ("区住建局要在6月底前完成改造", ["区住建局"], {"lead": ["区住建局"]}, None),
    ("区住建局要在6月底前完成改造", [], {"lead": ["区住建局"]}, "no_lead"),
    ("年底前完成改造", [], {"lead": ["区住建局"]}, "not_carried"),
    ("区住建局负责改造，区财政局配合", ["区财政局"], {"lead": ["区住建局"], "co": ["区财政局"]}, "co_or_counterpart"),
    ("区住建局负责改造，分管领导督办", ["分管领导"], {"lead": ["区住建局"]}, "person_or_role"),
    ("区城管局和住建要完成改造", ["城管局和住建"], {"lead": ["区城管局"]}, "cut_or_extended"),
    ("区住建局、区城管局要完成改造", ["区住建局", "区城管局"], {"lead": ["区住建局"]}, "several_for_one"),
    ("区住建局、区城管局要完成改造", ["区住建局"], {"lead": ["区住建局", "区城管局"]}, "one_for_several"),
    ("督促区住建局完成改造", ["区住建局"], {"lead": []}, "lead_not_in_gold"),
])
def test_classes(task, pred, gold, expected, ys):
    assert lead_errors.classify({"task": task, "lead": pred}, gold, ys) == expected

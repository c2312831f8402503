"""Cutting sentences into actions (services/intake/domain/minutes/actions.py): runs of verb phrases.

The handbook's convention is one action per distinct task: 'A要建立X，制定Y，组建Z' is three
actions of A.  runs.CUT_RUNS switches the cut; with it off the first test fails.
"""

import datetime as dt

import pytest

from services.intake.domain.minutes import actions, parse_minutes, runs

OPENING = "区政府专题会议纪要\n2026年3月5日，副区长王强主持召开专题会议。现纪要如下：\n"
MEETING = dt.date(2026, 3, 5)


def drafts(body, district):
    return parse_minutes(OPENING + body, district).drafts


def pieces(sentence):
    return [text for text, _mentions, _run in actions.split_actions(sentence, [], MEETING)]


def test_a_run_of_three_tasks_gives_three_drafts_with_the_sentences_lead_deadline_and_leader(district):
    out = drafts("一、李明强调，区住建局要建立危房排查台账，及时制定入户安全检查方案，组建房屋安全应急专班，"
                 "6月底前完成。", district)
    assert [d.task for d in out] == ["区住建局要建立危房排查台账", "及时制定入户安全检查方案",
                                     "组建房屋安全应急专班，6月底前完成"]
    assert all(d.lead == ["区住建局"] for d in out)
    assert all(d.deadline == dt.date(2026, 6, 30) for d in out)
    assert all(d.leader == "李明" for d in out)
    assert all(d.action_features.get("run_piece") for d in out)


def test_switched_off_a_run_stays_one_action(district, monkeypatch):
    monkeypatch.setattr(runs, "CUT_RUNS", False)
    out = drafts("一、区住建局要建立危房排查台账，及时开展入户安全检查，组建房屋安全应急专班，6月底前完成。", district)
    assert len(out) == 1 and "run_piece" not in out[0].action_features


def test_a_date_in_a_one_segment_piece_is_that_pieces_own(district):
    out = drafts("一、区教育局要完善校园安保制度，制定校园巡防方案并于9月底前报区政府。", district)
    assert [(d.task, d.lead, d.deadline) for d in out] == [
        ("区教育局要完善校园安保制度", ["区教育局"], None),
        ("制定校园巡防方案并于9月底前报区政府", ["区教育局"], dt.date(2026, 9, 30))]


def test_a_piece_that_names_nothing_to_deliver_stays_with_the_task_before_it():
    # the variant kept (RUN_VARIANT "list", round 13): in a run of two, a check with nothing
    # to hand in is part of the task before it; a ledger, a plan, a task force are tasks of
    # their own
    assert runs.RUN_VARIANT == "learned"     # round 18: the hand cut "list" and, beside it, cut_model
    assert pieces("区住建局要建立危房排查台账，及时开展入户安全检查") == [
        "区住建局要建立危房排查台账，及时开展入户安全检查"]
    assert pieces("区住建局要及时开展入户安全检查，组建房屋安全应急专班") == [
        "区住建局要及时开展入户安全检查", "组建房屋安全应急专班"]


def test_a_list_of_three_tasks_or_more_is_cut_at_every_verb_of_doing():
    # round 13: '完善…，加强…，优化…' is a list of tasks, each one an action, though 加强 and
    # 优化 alone open no piece of a run of two
    assert pieces("区住建局要建立危房排查台账，及时开展入户安全检查，组建房屋安全应急专班") == [
        "区住建局要建立危房排查台账", "及时开展入户安全检查", "组建房屋安全应急专班"]
    assert pieces("各项目部要完善施工组织设计，加强现场安全检查，优化施工进度计划") == [
        "各项目部要完善施工组织设计", "加强现场安全检查", "优化施工进度计划"]
    assert pieces("各项目部要完善施工组织设计，优化施工进度计划") == ["各项目部要完善施工组织设计，优化施工进度计划"]


@pytest.mark.parametrize("sentence", [
    "区住建局要制定老旧小区改造方案，并组织实施",              # one task, two verbs
    "区应急局要按照市里的统一部署，制定汛期应急预案",          # a basis clause before the verb
    "为做好汛期安全工作，制定汛期应急预案",                    # a purpose clause before the verb
    "区住建局要对辖区内的道路，桥梁，隧道，涵洞开展安全排查",  # a list of objects
    "区住建局已建立问题台账，已制定整改方案，已开展专项排查",  # a report
    "区住建局建立了问题台账，制定了整改方案，开展了专项排查",  # a report in the past
])
def test_what_is_no_run_of_tasks_is_not_cut(sentence):
    assert pieces(sentence) == [sentence]


def test_no_draft_is_cut_from_a_single_task_or_a_report(district):
    for body in ("一、区住建局要制定老旧小区改造方案，并组织实施。",
                 "一、区应急局要按照市里的统一部署，制定汛期应急预案。",
                 "一、区住建局建立了问题台账，制定了整改方案，开展了专项排查。"):
        assert len(drafts(body, district)) <= 1


def test_a_run_followed_by_its_time_limit_and_a_supporting_unit_dates_and_supports_every_task(district):
    # the time limit and the supporting unit stand after the run's last task: every task of
    # the run has both (not only the last, nor the co-unit lost to the first piece's)
    out = drafts("一、区住建局要建立危房排查台账，制定房屋安全整治方案，6月20日前完成，区财政局配合做好资金保障。",
                 district)
    assert [d.task for d in out] == ["区住建局要建立危房排查台账",
                                     "制定房屋安全整治方案，6月20日前完成，区财政局配合做好资金保障"]
    assert [(d.lead, d.co, d.deadline) for d in out] == [
        (["区住建局"], ["区财政局"], dt.date(2026, 6, 20))] * 2


def test_cut_model_cuts_a_run_of_two_where_its_weights_say_a_new_task_starts():
    # round 18: beside the hand cut, cut_model weighs each comma; a run of two with nothing to
    # hand in stays whole by hand, and is cut when the weights say so
    from services.intake.domain.minutes import cut_model
    sentence = "区住建局要加强危房巡查，及时开展入户安全检查"
    with cut_model.using(weights={"bias": -5.0}):
        assert pieces(sentence) == [sentence]
    with cut_model.using(weights={"bias": 5.0}):
        assert pieces(sentence) == ["区住建局要加强危房巡查", "及时开展入户安全检查"]
        # never: in a report, before a clause that only closes the task, before a new subject
        # (actions.split_actions' to cut), or after a stretch that is no task of its own
        assert pieces("区住建局已加强危房巡查，已开展入户安全检查") == ["区住建局已加强危房巡查，已开展入户安全检查"]
        assert pieces("区住建局要做好危房排查，9月底前完成全部排查工作") == ["区住建局要做好危房排查，9月底前完成全部排查工作"]
        assert pieces("为加强管理，开展入户安全检查") == ["为加强管理，开展入户安全检查"]


def test_cut_model_weighs_a_comma_by_the_clauses_around_it():
    from services.intake.domain.minutes import cut_model
    f = cut_model.features("区住建局要建立台账", "及时制定整改方案，6月底前完成", "…", MEETING)
    assert f["a2:制定"] == f["b2:台账"] == f["adverb"] == f["deliverable"] == 1.0
    assert "after_subject" not in f
    assert cut_model.probability(f, {"bias": 0.0}) == 0.5
    assert cut_model.probability(f, {"a2:制定": 2.0}) > 0.8


def test_the_cut_model_is_fitted_from_where_annotated_actions_start():
    from tools.fit_cut_model import label
    sentence = "区住建局要建立台账，制定整改方案，并于9月底前报送"
    golds = ["区住建局要建立台账", "制定整改方案，并于9月底前报送"]
    assert label("制定整改方案", sentence, sentence.index("制定"), golds) is True
    assert label("并于9月底前报送", sentence, sentence.index("并于"), golds) is False
    assert label("制定整改方案", sentence, sentence.index("制定"), []) is None

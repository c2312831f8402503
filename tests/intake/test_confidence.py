"""The calibrated confidence of minutes drafts and the phrases each reading came from."""

from services.intake.domain.minutes import parse_minutes
from services.intake.domain.minutes.confidence import WEIGHTS, features

OPENING = "区政府专题会议纪要\n2026年3月5日，副区长王强主持召开专题会议。现纪要如下：\n"


def drafts(body, district):
    return parse_minutes(OPENING + body, district).drafts


def test_more_evidence_means_more_confidence(district):
    sure, unsure, vague = drafts("一、由区财政局牵头，于4月底前落实首批改造资金。\n二、要进一步加强宣传引导，营造良好氛围。\n"
                                 "三、要尽快完善宣传方案。\n", district)
    assert sure.lead_department == "CZJ" and not unsure.lead and not vague.lead
    # (in the dev split 10 of 16 drafts with neither unit nor date were right: about 0.6)
    assert sure.confidence > 0.8 and unsure.confidence < sure.confidence - 0.2
    assert vague.confidence < 0.5       # no unit and only '尽快': right less than half the time


def test_a_table_row_is_trusted_more_than_prose(district):
    text = "| 序号 | 工作任务 | 责任单位 | 完成时限 |\n| 1 | 整治背街小巷 | 区城管局 | 2026年6月30日 |\n"
    row, = drafts(text, district)
    assert row.confidence >= 0.8


def test_every_feature_has_a_weight():
    class D:
        task, lead, lead_department, flags, deadline = "x", [], None, [], None
    assert set(features(D())) == set(WEIGHTS)


def test_drafts_carry_the_phrases_their_readings_came_from(district):
    draft, = drafts("一、王强强调，由区财政局牵头，区发改委配合，于4月底前落实首批改造资金。\n", district)
    action = draft.evidence.pop("action")
    assert draft.evidence == {"lead": "由区财政局牵头", "deadline": "于4月底前", "leader": "王强强调"}
    assert "time_limit" in action    # why the action classifier kept it (the features that weighed most)
    assert draft.to_dict()["evidence"]["deadline"] == "于4月底前"


def test_table_evidence_names_the_column(district):
    text = "| 序号 | 工作任务 | 责任单位 | 责任领导 | 完成时限 |\n| 1 | 整治背街小巷 | 区城管局 | 王强 | 2026年6月30日 |\n"
    row, = drafts(text, district)
    assert row.evidence["lead"] == "责任单位：区城管局" and row.evidence["leader"] == "责任领导：王强"
    assert row.leader == "王强"

"""Rules added after held-out misses of round 7 (board resolutions, requesting bodies,
event-relative time limits, a supervising clause, unknown short subsidiary names).
One small case per rule."""

import datetime as dt

import pytest

from services.intake.domain.minutes.deadlines import resolve_deadlines
from services.intake.domain.minutes import parse_minutes
from services.intake.domain.minutes.units import Directory, find_unit_mentions

COMPANY = [
    {"code": "ZH", "name": "综合办公室", "aliases": ["综合办"]},
    {"code": "CW", "name": "财务部", "aliases": []},
    {"code": "GC", "name": "工程管理部", "aliases": ["工程部"]},
    {"code": "AH", "name": "安全环保部", "aliases": []},
    {"code": "YX", "name": "营销中心", "aliases": []},
]
OPENING = "华东置业有限公司董事会会议纪要\n2026年7月15日（星期三），董事长郑伟主持召开董事会会议。\n"
MEETING = dt.date(2026, 7, 15)


@pytest.fixture
def company():
    return [dict(e) for e in COMPANY]


def drafts(body, directory):
    return parse_minutes(OPENING + body, directory).drafts


def test_vote_count_line_is_no_draft(company):
    out = drafts("一、会议审议通过《年度预算方案》，由财务部组织执行。\n表决结果：同意9票，反对0票，弃权0票。\n", company)
    assert [d.lead for d in out] == [["财务部"]]
    assert not any("表决结果" in d.task or "票" in d.task for d in out)


def test_pure_grant_is_an_approval_not_an_action(company):
    body = ("一、审议通过《关于2026年度融资计划的议案》。同意公司年度融资总额不超过20亿元，"
            "授权董事长在额度内签署相关融资协议。\n二、财务部要在7月31日前完成融资方案备案。\n")
    result = parse_minutes(OPENING + body, company)
    assert [d.lead for d in result.drafts] == [["财务部"]]
    assert any("授权董事长" in a["text"] for a in result.meta.get("approvals", []))


@pytest.mark.parametrize("body_word", ["董事会", "党委"])
def test_requesting_body_is_not_the_lead(company, body_word):
    out = drafts(f"一、{body_word}要求，工程管理部要加强项目质量管理，8月20日前完成质量大检查。\n", company)
    assert len(out) == 1
    assert out[0].lead == ["工程管理部"] and "unmatched_unit" not in out[0].flags
    assert out[0].deadline == dt.date(2026, 8, 20)


@pytest.mark.parametrize("phrase, cadence", [
    ("财务部要在每笔融资完成后5个工作日内报送融资情况", "per_event"),
    ("营销中心每次开盘后3日内报送销售数据", "per_event"),
    ("综合办公室收到集团通知后2个工作日内完成转发", None),
])
def test_event_relative_span_has_no_fixed_deadline(phrase, cadence):
    info = resolve_deadlines(phrase, MEETING)
    assert info.deadline is None
    assert "event_deadline" in info.flags and "no_deadline" not in info.flags
    assert info.cadence == cadence
    # the meeting-relative span keeps its date
    assert resolve_deadlines("会后5个工作日内报送融资情况", MEETING).deadline == dt.date(2026, 7, 22)


def test_supervising_clause_stays_with_the_action(company):
    out = drafts("一、工程管理部要在8月20日前完成质量大检查，安全环保部派员督导。\n", company)
    assert len(out) == 1
    assert "安全环保部派员督导" in out[0].task
    assert out[0].lead == ["工程管理部"] and out[0].co == []
    assert out[0].deadline == dt.date(2026, 8, 20)


def test_unknown_short_subsidiary_after_a_leader_remark_leads(company):
    out = drafts("一、郑伟指出，近期雨水较多。商砼公司要在本周内完成搅拌站防汛设施检修。\n", company)
    assert len(out) == 1
    assert out[0].lead == ["商砼公司"] and "unmatched_unit" in out[0].flags
    assert out[0].deadline == dt.date(2026, 7, 17)


def test_short_name_rule_needs_an_organisation_ending_and_a_subject_verb(company):
    directory = Directory(company)
    # '商请…' stays a function word followed by the unit it asks
    mentions = find_unit_mentions("商请财务部提供数据", directory)
    assert [m.names for m in mentions] == [["财务部"]]

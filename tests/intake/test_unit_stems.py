"""Bare function stems ('财政要…', '人社牵头', '会同国资、市城投') against a full-name directory."""

import pytest

from services.intake.domain.minutes import parse_minutes
from services.intake.domain.minutes.directory import STEM_EXPANSIONS, Directory
from services.intake.domain.minutes.units import find_unit_mentions

CITY = [
    {"code": "FGW", "name": "市发展和改革委员会"},
    {"code": "CZJ", "name": "市财政局"},
    {"code": "PSZX", "name": "市财政投资评审中心"},
    {"code": "ZJJ", "name": "市住房和城乡建设局"},
    {"code": "ZRJ", "name": "市自然资源和规划局"},
    {"code": "GZW", "name": "市人民政府国有资产监督管理委员会", "aliases": ["市国资委"]},
    {"code": "JRJ", "name": "市地方金融监督管理局"},
    {"code": "RSJ", "name": "市人力资源和社会保障局"},
    {"code": "WJW", "name": "市卫生健康委员会"},
    {"code": "WJZF", "name": "市卫生健康综合监督执法局"},
    {"code": "CT", "name": "江州市城市建设投资集团有限公司"},
    {"code": "WX", "name": "中共江州市委网络安全和信息化委员会办公室"},
    {"code": "JYJ", "name": "市教育局"},
]


@pytest.fixture
def city():
    return Directory(CITY)


def roles(text, directory):
    """Mentions that act (lead / co); counterparts ('报区政府') are left out."""
    return [(m.names, m.role) for m in find_unit_mentions(text, directory) if m.role != "excluded"]


@pytest.mark.parametrize("stem, code", [
    ("财政", "CZJ"),          # not 市财政投资评审中心: its core is more than the stem
    ("发改", "FGW"), ("发改委", "FGW"), ("人社", "RSJ"), ("住建", "ZJJ"),
    ("自然资源", "ZRJ"), ("国资", "GZW"), ("国资委", "GZW"), ("金融办", "JRJ"),
    ("卫健委", "WJW"), ("卫健", "WJW"), ("城投", "CT"), ("市城投", "CT"), ("网信", "WX"),
])
def test_stems_resolve_to_the_full_name(city, stem, code):
    assert city.match(stem).code == code


def test_stem_shared_by_two_cores_is_ambiguous():
    directory = Directory([{"code": "A", "name": "市交通运输局"}, {"code": "B", "name": "市交通投资集团"}])
    assert directory.match("交通").code == "A"            # core 交通运输 is the expansion
    both = Directory([{"code": "A", "name": "市教育体育局"}, {"code": "B", "name": "市教育考试院"}])
    assert both.match_stem("教育").status == "ambiguous"


def test_words_that_are_no_function_stay_unmatched(city):
    assert city.match_stem("工作").code is None
    assert city.match_stem("政府").code is None
    assert all(len(stem) >= 2 for stem in STEM_EXPANSIONS)


def test_stem_as_subject(city):
    assert roles("财政要统筹上级补助资金", city) == [(["财政"], "lead")]
    assert roles("国资要督促市属国企履行社会责任", city) == [(["国资"], "lead")]
    assert roles("自然资源要做好不动产登记服务", city) == [(["自然资源"], "lead")]


def test_stems_in_lists_and_after_role_words(city):
    assert roles("由金融办负责，会同国资、市城投，对接银行", city) == [
        (["金融办"], "lead"), (["国资", "市城投"], "co")]
    assert roles("人社牵头，教育、财政配合", city) == [(["人社"], "lead"), (["教育", "财政"], "co")]
    assert roles("发改、住建等部门要加强项目谋划", city) == [(["发改", "住建"], "lead")]
    assert roles("会同财政研究制定细则", city) == [(["财政"], "co")]


def test_ordinary_words_do_not_become_units(city):
    assert roles("教育和引导群众参与", city) == []
    assert roles("交通要道要加强管控", Directory([{"code": "J", "name": "市交通运输局"}])) == []
    # a stem with no directory unit behind it is no unit
    assert roles("审计要跟进", city) == []


def test_no_junk_units_from_split_words_or_reports(city):
    names = [n for m in find_unit_mentions("国资要督促市属国企履行社会责任", city) for n in m.names]
    assert "市属国企履行社" not in names
    found = find_unit_mentions("区财政局要会同区城投公司研究方案，一个月内提出具体意见报区政府", None)
    assert all("意见" not in n for m in found for n in m.names)


def test_abbreviation_only_minutes_get_their_units():
    text = ("市政府专题会议纪要\n2026年8月25日，副市长钱伟主持召开专题会议。纪要如下：\n"
            "一、会议要求，住建牵头，发改、自然资源配合，9月底前全部开工；财政要统筹配套资金，本月底前拨付到位。\n"
            "二、国资要督促市属国企履行社会责任。\n")
    drafts = parse_minutes(text, CITY).drafts
    assert [d.lead_departments for d in drafts] == [["ZJJ"], ["CZJ"], ["GZW"]]
    assert drafts[0].co_departments == ["FGW", "ZRJ"]


def test_ambiguous_stem_is_a_unit_flagged_for_review():
    directory = [{"code": "A", "name": "市教育体育局"}, {"code": "B", "name": "市教育考试院"}]
    text = "专题会议纪要\n2026年5月6日，副市长李明主持召开会议。\n一、教育要抓紧完成考点改造，6月10日前完工。\n"
    draft = parse_minutes(text, directory).drafts[0]
    assert draft.lead == ["教育"] and "ambiguous_unit" in draft.flags

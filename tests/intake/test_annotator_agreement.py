"""tools/annotator_agreement.py: one annotator's actions scored as drafts against another's."""

import json

import pytest

from tools import annotator_agreement

A = [
    {"text": "财务部要在4月30日前完成一季度预算分析", "lead": ["财务部"], "co": [], "deadline": "2026-04-30",
     "leader": None},
    {"text": "人力资源部牵头，信息中心配合，6月底前上线考勤系统", "lead": ["人力资源部"], "co": ["信息中心"],
     "deadline": "2026-06-30", "leader": "陈刚"},
    {"text": "各部门要高度重视安全生产", "lead": ["各部门"], "co": [], "deadline": None, "leader": None,
     "generic": True},
]
# B: the first action the same, the second with another lead and no leader, and one A has not
B = [
    dict(A[0]),
    {"text": "人力资源部牵头，信息中心配合，6月底前上线考勤系统", "lead": ["信息中心"], "co": [],
     "deadline": "2026-06-30", "leader": None},
    {"text": "综合办公室要在5月底前修订会议制度", "lead": ["综合办公室"], "co": [], "deadline": "2026-05-31",
     "leader": None},
]


def folder(root, actions, extra=()):
    (root / "docs").mkdir(parents=True)
    (root / "expected").mkdir()
    for nn in ("01",) + tuple(extra):
        (root / "docs" / (nn + ".txt")).write_text("纪要", encoding="utf-8")
        (root / "expected" / (nn + ".meta.json")).write_text(
            json.dumps({"meeting_date": "2026-04-02"}), encoding="utf-8")
        (root / "expected" / (nn + ".json")).write_text(
            json.dumps(actions if nn == "01" else [A[0]], ensure_ascii=False), encoding="utf-8")
    return str(root)


def test_identical_annotations_agree_fully(tmp_path):
    a = folder(tmp_path / "a", A)
    figures = annotator_agreement.agreement(a, folder(tmp_path / "b", A))
    assert figures["recall"] == figures["precision"] == 1.0
    assert figures["lead_f1"] == figures["co_f1"] == 1.0
    assert figures["actions"] == 2  # the generic exhortation is not scored


def test_each_direction_counts_what_the_other_missed_and_read_differently(tmp_path):
    a = folder(tmp_path / "a", A, extra=("02",))  # 02 only in A: not counted
    b = folder(tmp_path / "b", B)
    b_on_a = annotator_agreement.agreement(a, b)
    assert b_on_a["documents"] == 1 and b_on_a["actions"] == 2 and b_on_a["drafts"] == 3
    assert b_on_a["recall"] == 1.0 and b_on_a["precision"] == pytest.approx(2 / 3)
    assert b_on_a["lead_f1"] == pytest.approx(0.5)  # 1 of 2 leads right, one wrong
    assert b_on_a["leader_accuracy"] == 0.0         # A's one leader, B named none
    a_on_b = annotator_agreement.agreement(b, a)
    assert a_on_b["recall"] == pytest.approx(2 / 3) and a_on_b["precision"] == 1.0


def test_a_deadline_without_a_year_agrees_with_the_same_reading(tmp_path):
    """Both annotators read '3月底前' in a document of unknown year ("--03-31"): they agree, as a
    draft dated on 31 March would; another day does not, nor does the unknown year where the other
    annotator found one."""
    partial = dict(A[0], deadline=None, deadline_partial="--03-31")
    a = folder(tmp_path / "a", [partial])
    same = folder(tmp_path / "same", [partial])
    april = folder(tmp_path / "april", [dict(partial, deadline_partial="--04-30")])
    dated = folder(tmp_path / "dated", [dict(A[0], deadline="2026-03-31")])
    assert annotator_agreement.agreement(a, same)["deadline_accuracy"] == 1.0
    assert annotator_agreement.agreement(a, dated)["deadline_accuracy"] == 1.0   # the yardstick's rule
    assert annotator_agreement.agreement(a, april)["deadline_accuracy"] == 0.0
    assert annotator_agreement.agreement(dated, a)["deadline_accuracy"] == 0.0

"""tools/score_real.py gives the yardstick's figures without the running system."""

import json

import pytest

from tools import score_real

DOC = ("集团总经理办公会纪要\n2026年4月2日，总经理陈刚主持召开总经理办公会。\n"
       "一、财务部要在4月30日前完成一季度预算分析。\n"
       "二、人力资源部牵头，信息中心配合，6月底前上线考勤系统。\n"
       "三、截至目前，全年已办结事项12件。\n")
GOLD = [
    {"text": "财务部要在4月30日前完成一季度预算分析", "lead": ["财务部"], "co": [], "deadline": "2026-04-30",
     "leader": None},
    {"text": "人力资源部牵头，信息中心配合，6月底前上线考勤系统", "lead": ["人力资源部"], "co": ["信息中心"],
     "deadline": "2026-06-30", "leader": None},
    {"text": "综合办公室要在5月底前修订会议制度", "lead": ["综合办公室"], "co": [], "deadline": "2026-05-31",
     "leader": "陈刚"},
]


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "expected").mkdir()
    (tmp_path / "docs" / "01.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "expected" / "01.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "expected" / "01.meta.json").write_text(json.dumps({"meeting_date": "2026-04-02"}), encoding="utf-8")
    return tmp_path


def test_figures_follow_the_yardstick(folder):
    tally = score_real.score([str(folder)])
    figures = tally.figures()
    assert figures["documents"] == 1 and figures["actions"] == 3 and figures["drafts"] == 2
    assert figures["recall"] == pytest.approx(2 / 3) and figures["precision"] == 1.0
    assert figures["lead_f1"] == pytest.approx(0.8)       # 2 of 3 gold leads found, none wrong
    assert figures["deadline_accuracy"] == pytest.approx(2 / 3)
    assert figures["leader_accuracy"] == 0.0


def test_same_figures_as_score_minutes_with_the_parser_behind_its_post(folder, monkeypatch):
    yardstick = score_real.load_yardstick()

    def post(url, token, body):
        return 200, {"drafts": score_real.parse_document(body["text"], body["meeting_date"])}

    monkeypatch.setattr(yardstick, "post", post)
    assert yardstick.score([str(folder)], "", None) == score_real.score([str(folder)]).figures()


def test_calibration_counts_right_drafts_per_band(folder, capsys):
    rows = score_real.score([str(folder)]).calibration()
    assert sum(r["drafts"] for r in rows) == 2 and sum(r["right"] for r in rows) == 2
    assert score_real.main([str(folder), "--calibration"]) == 0
    assert "recall 0.67" in capsys.readouterr().out


def test_candidate_reach_counts_what_no_candidate_matches(folder):
    import io
    from tools import candidate_reach
    # the invented gold adds an action hidden inside the first decision's candidate
    gold = GOLD[:2] + [{"text": "完成一季度预算分析", "lead": ["财务部"], "co": [], "deadline": None, "leader": None}]
    (folder / "expected" / "01.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    listing = io.StringIO()
    r = candidate_reach.reach([str(folder)], verbose=True, out=listing)[str(folder)]
    assert r["missed"] == 1 and r["inside"] == 1
    assert r["recall"] == pytest.approx(2 / 3)
    assert r["candidates"] >= 3          # the statistics line is a candidate too when every one is kept
    assert listing.getvalue().lstrip().startswith("IN")

"""The action classifier (minutes/classifier.py), its fitting tool and the leader mechanisms added with it.

Examples are invented, not taken from the real-minutes corpus.
"""

import json

import pytest

from services.intake.domain.minutes import classifier
from services.intake.domain.minutes.classifier import (candidate_features, explain, is_action, probability,
                                                       text_features, using)
from services.intake.domain.minutes.leaders import ANNOUNCING, split_narrated_remark
from services.intake.domain.minutes.pipeline import parse_minutes
from tools.fit_action_model import fit, folds_of


def feats(text, **kw):
    base = dict(lead=[], strong_lead=False, generic=False, co=[], deadline=None, time_limit=False, vague=False,
                cadence=None, leader=None, approval=False, rules=())
    return candidate_features(text, **(base | kw))


def test_text_features_see_asking_and_telling():
    asks = text_features("由区水务局牵头，抓紧编制排涝方案")
    assert asks["assign_word"] and asks["urge_word"] and asks["deliverable"] and not asks["meeting_held"]
    tells = text_features("6月3日上午，区政府召开防汛工作会议，副区长李某出席")
    assert tells["meeting_held"] and not tells["modal"]
    stats = text_features("全年累计办结信访件86件，同比增长12%")
    assert stats["statistics"] and stats["figures"]
    assert text_features("截至目前，已完成排查")["progress"]


def test_candidate_features_name_the_rules_that_fired_and_the_readings():
    x = feats("某某要求", lead=["区水务局"], strong_lead=True, deadline=object(), time_limit=True,
              rules=("lists_attendance",))
    assert {"rule:lists_attendance", "lead_strong", "date", "time_limit", "bias"} <= set(x)
    assert "lead_subject" not in x and "short_with_unit" in x
    assert "short_bare" in feats("要加强宣传")


def test_probability_explain_and_the_rule_veto():
    weights = {"bias": -1.0, "time_limit": 3.0, "rule:lists_attendance": -0.5, "modal": 0.5}
    asks = {"bias": 1.0, "time_limit": 1.0, "modal": 1.0}
    assert probability(asks, weights) == pytest.approx(1 / (1 + 2.718281828 ** -2.5), rel=1e-6)
    assert explain(asks, weights).startswith("time_limit +3.0")
    vetoed = asks | {"rule:lists_attendance": 1.0}          # p = 0.88
    with using(weights, threshold=0.2, override=0.9):
        assert is_action(asks)
        assert not is_action(vetoed)                          # a rule fired and p < override
        assert is_action({"bias": 1.0})                       # p = 0.27, no rule fired
    with using(weights, threshold=0.3, override=0.8):
        assert is_action(vetoed)                              # confident enough to overrule the rule
        assert not is_action({"bias": 1.0})


def test_keep_all_collects_every_candidate():
    with using(keep_all=True):
        assert is_action({"bias": 1.0, "rule:lists_attendance": 1.0})


def test_the_stored_weights_drop_an_account_and_keep_a_dated_task(district):
    text = ("6月3日上午，区政府召开防汛工作会议，副区长李某出席会议。\n"
            "一、由区水务局牵头，于6月20日前完成排涝泵站检修。\n")
    drafts = parse_minutes(text, district, meeting_date="2026-06-03").drafts
    assert [d.task for d in drafts] == ["由区水务局牵头，于6月20日前完成排涝泵站检修"]
    assert "time_limit" in drafts[0].evidence["action"]


def test_fit_learns_the_sign_of_a_separating_feature():
    data = [({"bias": 1.0, "modal": 1.0}, True)] * 20 + [({"bias": 1.0}, False)] * 20 + \
           [({"bias": 1.0, "modal": 1.0}, False)] * 2 + [({"bias": 1.0, "rare": 1.0}, True)]
    w = fit(data, l2=1.0)
    assert w["modal"] > 2.0 and w["bias"] < -1.0
    assert "rare" not in w                                    # seen on fewer than MIN_SEEN drafts
    assert w["lead_in_directory"] == classifier.HAND_SET["lead_in_directory"]


def test_folds_are_by_document():
    assert folds_of(list("abcde"), None) == [[0], [1], [2], [3], [4]]
    assert folds_of(list("abcde"), 2) == [[0, 2, 4], [1, 3]]


def test_a_person_whose_account_opens_the_sentence_asks_after_the_comma():
    who, rest = split_narrated_remark("会上，区应急局副局长赵某介绍了汛期值守安排，要求各街道落实24小时值班")
    assert who == "赵某" and rest == "要求各街道落实24小时值班"
    assert split_narrated_remark("区应急局介绍了汛期值守安排，要求各街道落实值班") == (
        None, "区应急局介绍了汛期值守安排，要求各街道落实值班")


def test_an_announcing_sentence_names_the_leader_of_the_list_after_it(district):
    assert ANNOUNCING.search("听取汇报后，区长钱某就下步工作强调了具体意见")
    assert ANNOUNCING.search("会议最后，院长孙某作总结强调：")
    text = ("听取汇报后，区长钱某就下步工作强调了具体意见。一是区水务局要于6月20日前完成泵站检修；"
            "二是区城管局要于6月底前清理下水道。\n")
    drafts = parse_minutes(text, district, meeting_date="2026-06-03").drafts
    assert [d.leader for d in drafts] == ["钱某", "钱某"]


def test_a_news_report_is_told_from_minutes():
    from services.intake.domain.minutes.context import news_style
    assert news_style(["本报讯（记者 某某）5月6日，区政府召开防汛工作会议。", "会议要求，…"])
    assert news_style(["区防汛工作会议召开", "5月6日上午，区政府召开防汛工作会议。"])   # headline, then a dated lede
    assert news_style(["5月6日上午，区政府召开防汛工作会议。"])
    assert not news_style(["区政府常务会议纪要", "一、会议研究了防汛工作。"])


def test_signs_of_telling_added_in_round_3():
    assert text_features("区财政局、区住建局有关科室负责人")["people_at_end"]
    assert text_features("做好防汛工作，事关群众生命财产安全")["significance"]
    assert text_features("二是分工合作，有序推进")["slogan_pair"]
    assert not text_features("二是区水务局要在6月底前完成泵站检修")["slogan_pair"]
    assert text_features("副局长某某就新政策进行了解读")["narrative_verb"]


def test_a_byline_is_never_a_draft(district):
    text = "一、区水务局要于6月20日前完成泵站检修。\n（记者 某某 通讯员 某某）\n"
    drafts = parse_minutes(text, district, meeting_date="2026-06-03").drafts
    assert [d.lead for d in drafts] == [["区水务局"]]


def test_verbs_that_start_with_a_surname_are_no_names():
    from services.intake.domain.minutes.leaders import person_name
    assert person_name("安排") is None and person_name("部署") is None
    assert person_name("副区长安某") == "安某"


def test_a_piece_is_vetoed_by_its_own_exhortation_verdict_not_its_sentences():
    from services.intake.domain.minutes import classifier
    assert not classifier.vetoed({"bias": 1.0, "rule:sentence:exhorts_everyone": 1.0})
    assert classifier.vetoed({"bias": 1.0, "rule:sentence:lists_attendance": 1.0})


def test_an_exhortation_weighs_against_a_candidate_but_vetoes_nothing():
    from services.intake.domain.minutes import classifier
    urged = {"bias": 1.0, "rule:exhorts_everyone": 1.0}
    assert not classifier.vetoed(urged) and classifier.vetoed({"bias": 1.0, "rule:describes_a_situation": 1.0})
    weights = {"bias": 0.0, "rule:exhorts_everyone": -2.0, "time_limit": 3.0}
    with classifier.using(weights=weights, threshold=0.5):
        assert not classifier.is_action(urged)                            # its weight keeps it out
        assert classifier.is_action(urged | {"time_limit": 1.0})          # enough else lets it through


def test_a_dated_piece_is_not_vetoed_by_its_sentence():
    from services.intake.domain.minutes import classifier
    assert not classifier.vetoed({"bias": 1.0, "time_limit": 1.0, "rule:sentence:reports_progress": 1.0})
    assert classifier.vetoed({"bias": 1.0, "time_limit": 1.0, "rule:reports_progress": 1.0})


# ---- character n-grams (round 10) ---------------------------------------------------------

def test_ngram_text_puts_placeholders_for_units_the_leader_and_digits():
    from services.intake.domain.minutes.classifier import ngram_text
    assert ngram_text("由区水务局牵头，会同区城管局于6月20日前完成", ["区水务局", "区城管局"]) == \
        "由□牵头，会同□于0月0日前完成"
    assert ngram_text("副区长李某要求各街道落实2.5万元", ["各街道"], "李某") == "副区长△要求□落实0万元"
    assert ngram_text("水务局和区水务局", ["水务局", "区水务局"]) == "□和□"     # the longer name first


def test_char_ngrams_mark_the_ends():
    from services.intake.domain.minutes.classifier import char_ngrams
    assert set(char_ngrams("要求", (2,))) == {"ng:^要", "ng:要求", "ng:求$"}
    assert set(char_ngrams("要求", (1, 3))) == {"ng:^", "ng:要", "ng:求", "ng:$", "ng:^要求", "ng:要求$"}


def test_candidates_carry_ngrams_only_when_sizes_are_set():
    with using(ngrams=()):
        assert not any(n.startswith("ng:") for n in feats("区水务局要完成检修", lead=["区水务局"]))
    with using(ngrams=(2,)):
        x = feats("区水务局要完成检修", lead=["区水务局"])
    assert {"ng:^□", "ng:□要", "ng:修$", "modal", "bias"} <= set(x)
    assert not any("水务" in n for n in x)


def test_ngram_weights_count_and_are_explained_as_one():
    weights = {"bias": -1.0, "modal": 0.5, "ng:完成": 1.0, "ng:汇报": -2.0}
    x = {"bias": 1.0, "modal": 1.0, "ng:完成": 1.0, "ng:unseen": 1.0}
    assert probability(x, weights) == pytest.approx(1 / (1 + 2.718281828 ** -0.5), rel=1e-6)
    assert explain(x, weights) == "ngrams +1.0, modal +0.5"
    assert not classifier.vetoed(x)


def test_fit_keeps_frequent_ngrams_under_their_own_penalty_and_solves_wide_problems():
    asks = [({"bias": 1.0, "ng:完成": 1.0, f"ng:a{i}": 1.0}, True) for i in range(6)]
    tells = [({"bias": 1.0, "ng:汇报": 1.0, f"ng:b{i}": 1.0}, False) for i in range(6)]
    w = fit(asks + tells, ngram_l2=1.0, ngram_min=3)
    assert w["ng:完成"] > 0.5 > -0.5 > w["ng:汇报"] and "ng:a0" not in w       # a0 is seen once
    wide = fit(asks + tells, ngram_l2=1.0, ngram_min=1)                         # 15 features, 12 drafts
    assert wide["ng:完成"] > 0 > wide["ng:汇报"] and wide["ng:a0"] > 0
    assert fit(asks + tells, ngram_l2=100.0, ngram_min=3)["ng:完成"] < w["ng:完成"]


def test_the_weights_file_names_its_ngram_sizes(tmp_path):
    import json
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"threshold": 0.2, "ngrams": [1, 2], "weights": {"bias": -1.0, "ng:完成": 0.4}}))
    assert classifier.load_setting("ngrams", (), path) == [1, 2]
    assert classifier.load_weights(path)["ng:完成"] == 0.4
    assert classifier.load_setting("ngrams", (), tmp_path / "missing.json") == ()


def test_a_hand_set_weight_is_neither_refitted_nor_overridden_by_the_stored_file(tmp_path):
    # the demo directory of the corpora matches some leads, so a fit would learn its own
    # weight for lead_in_directory; in use, our directory is the strongest sign there is
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"weights": {"bias": -1.0, "lead_in_directory": 0.0}}), encoding="utf-8")
    assert classifier.load_weights(path)["lead_in_directory"] == classifier.HAND_SET["lead_in_directory"]
    samples = ([({"bias": 1.0, "lead_in_directory": 1.0}, True)] * 5 + [({"bias": 1.0}, False)] * 5
               + [({"bias": 1.0, "lead_in_directory": 1.0}, False)] * 5)
    weights = fit(samples)
    assert weights["lead_in_directory"] == classifier.HAND_SET["lead_in_directory"]
    # the other weights are fitted around the fixed offset (without it the bias would be
    # log(1/2) = -0.69, the share of actions overall)
    assert weights["bias"] < -1.2

from tools.intake_eval import DEFAULT_CORPUS, evaluate, main


def test_corpus_is_large_and_varied():
    report = evaluate(DEFAULT_CORPUS)
    assert len(report["documents"]) >= 12
    assert sum(d["gold"] for d in report["documents"]) >= 80
    assert any(d["gold"] == 0 for d in report["documents"])   # a negative case


def test_parser_meets_the_f1_bar_on_the_labelled_set():
    measures = evaluate(DEFAULT_CORPUS)["measures"]
    assert measures["lead units"].f1 >= 0.9
    assert measures["deadlines"].f1 >= 0.9
    assert measures["task boundaries"].f1 >= 0.9


def test_main_prints_one_line_per_measure(capsys):
    assert main([str(DEFAULT_CORPUS)]) == 0
    out = capsys.readouterr().out
    for name in ("task boundaries", "lead units", "co-units", "deadlines"):
        assert f"{name}" in out and "F1=" in out

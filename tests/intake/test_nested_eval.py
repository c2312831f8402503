"""tools/nested_eval.py: each corpus is scored by models fitted without it."""

from tools import fit_action_model, fit_cut_model, nested_eval

DIRS = ["tests/intake/real/dev", "tests/intake/real/test"]


def test_each_corpus_is_scored_by_a_cut_and_a_classifier_fitted_without_it(monkeypatch):
    seen_cut, seen_classifier = [], []
    commas = fit_cut_model.collect(DIRS)
    owner = {id(s): d for d in DIRS for s in commas[d]}
    monkeypatch.setattr(fit_cut_model, "collect", lambda dirs: commas)
    real_fit, real_collect = fit_cut_model.fit, fit_action_model.collect

    def cut_fit(samples, *args, **kwargs):
        seen_cut.append({owner[id(s)] for s in samples})
        return real_fit(samples, *args, **kwargs)

    def collect(dirs, *args, **kwargs):
        seen_classifier.append(set(dirs))
        return real_collect(dirs, *args, **kwargs)
    monkeypatch.setattr(fit_cut_model, "fit", cut_fit)
    monkeypatch.setattr(fit_action_model, "collect", collect)
    figures, per_dir = nested_eval.evaluate(DIRS, 0.3, [0.2, 0.3], per_dir=True)
    assert seen_cut == [{"tests/intake/real/test"}, {"tests/intake/real/dev"}]
    assert seen_classifier == [{"tests/intake/real/test"}, {"tests/intake/real/dev"}]
    for t in (0.2, 0.3):
        assert figures[t]["drafts"] == sum(f["drafts"] for f in per_dir[t].values())
        assert figures[t]["actions"] == sum(f["actions"] for f in per_dir[t].values()) > 0
    # a higher threshold keeps no more drafts
    assert figures[0.3]["drafts"] <= figures[0.2]["drafts"]

"""Reasons for every verdict: exact model contributions, the operating-point thresholds, the prior
shift, and reasons in every output (text, JSON, CSV, HTML)."""

from __future__ import annotations

import csv
import io
import json
import random

import numpy as np
import pytest
from test_model import make_rows, write_jsonl

from detector import api, explain
from detector import model as M
from detector import training as T
from detector.findings import Finding
from detector.scoring import Evidence, Thresholds


@pytest.fixture(scope="module")
def toy_models(tmp_path_factory):
    d = tmp_path_factory.mktemp("reasons")
    data = write_jsonl(d / "train.jsonl", make_rows(80, seed=5))
    ds = T.read_dataset(data)
    out = {}
    for kind in ("logreg", "additive", "hgb"):
        card = T.train(ds, d / f"{kind}.skops", estimator=kind, seed=3)
        out[kind] = card["_bundle"]
    return out


def _evidence(n: int, seed: int = 0) -> list[Evidence]:
    rows = make_rows(n, seed=seed)
    _, ev = api.analyse([r["text"] for r in rows], grammar="off", cache=False)
    return ev


def _random_evidence(rng: random.Random, names: list[str]) -> Evidence:
    """Evidence with random findings and random document statistics."""
    words = rng.choice([60, 150, 400, 900])
    codes = ["REP001", "REP002", "DUP001", "NAM001", "BRK001", "BRK002", "BOI002", "BOI006", "FLU001", "FLU003"]
    from detector.findings import CODES

    findings = []
    for _ in range(rng.choice([0, 0, 1, 3, 8])):
        c = rng.choice(codes)
        s = rng.randrange(0, 4000)
        findings.append(Finding(CODES[c][0], c, s, s + rng.randrange(1, 300), "m"))
    stats = {"words": float(words), "chars": float(words * 6)}
    for n in names:
        if n.startswith("stat:"):
            stats[n[5:]] = rng.uniform(-3, 1) if "logit" in n or "lm_" in n else rng.uniform(0, 0.5)
    return Evidence(findings, stats, "off")


@pytest.mark.parametrize("kind", ["logreg", "additive", "hgb"])
def test_parts_add_up_to_the_log_odds_exactly(toy_models, kind):
    """log-odds(reliable) = constant + sum of the per-feature parts, for every kind of model."""
    meta, arrays = M.compile_arrays(toy_models[kind])
    am = M.ArrayModel(meta, arrays)
    rng = random.Random(1)
    ev = _evidence(10, seed=7) + [_random_evidence(rng, am.feature_names) for _ in range(30)]
    X = am.matrix(ev)
    p = np.clip(am.p_from_matrix(X), 1e-15, 1 - 1e-15)
    logodds = np.log((1 - p) / p)
    parts = am.parts(X).sum(axis=1)
    # the constant is the same for every row: differences of the two sides agree (rows whose
    # probability is within 1e-9 of 0 or 1 lose the log-odds to float rounding and are left out)
    ok = np.abs(logodds) < 20
    assert ok.sum() >= 20
    np.testing.assert_allclose(logodds[ok] - logodds[ok][0], parts[ok] - parts[ok][0], atol=1e-7)
    assert np.ptp(parts[ok]) > 0.1  # the rows really differ (the test could fail)


def test_additive_model_splits_each_tree_on_one_feature(toy_models):
    _, arrays = M.compile_arrays(toy_models["additive"])
    feat, leaf, roots = arrays["t0_feat"], arrays["t0_leaf"], list(arrays["t0_roots"]) + [len(arrays["t0_feat"])]
    for a, b in zip(roots[:-1], roots[1:], strict=True):
        used = {int(f) for f, lf in zip(feat[a:b], leaf[a:b], strict=True) if not lf}
        assert len(used) <= 1


def test_a_flagged_article_always_has_a_reason_that_lowered_it(toy_models):
    rng = random.Random(2)
    for kind, bundle in toy_models.items():
        scorer = M.ModelScorer(bundle)
        names = bundle["feature_names"]
        ev = [_random_evidence(rng, names) for _ in range(150)]
        rel = scorer.reliability(ev)
        why = scorer.explain(ev)
        flagged = [i for i, r in enumerate(rel) if scorer.thresholds.verdict(r) != "ok"]
        assert flagged, kind  # the random evidence does flag some articles
        for i in flagged:
            assert any(x.effect < 0 for x in why[i]), (kind, rel[i], why[i])


def test_reasons_compare_with_the_typical_clean_value(toy_models):
    bundle = toy_models["additive"]
    scorer = M.ModelScorer(bundle)
    bad = make_rows(2, seed=11)[1]["text"]  # a corrupted toy article
    rep = api.score([bad], grammar="off", scorer=scorer, cache=False)[0]
    assert rep.verdict != "ok" and rep.reasons
    r = rep.reasons[0]
    assert r.effect < 0 and r.typical is not None and "clean copy:" in r.message


def test_typical_clean_article_is_ok(toy_models):
    for kind, bundle in toy_models.items():
        am = M.ArrayModel(*M.compile_arrays(bundle))
        typ = np.asarray(bundle["typical"])[None, :]
        r = 1.0 - am.p_from_matrix(typ)[0]
        assert Thresholds(*bundle["thresholds"]).verdict(r) == "ok", (kind, r, bundle["thresholds"])


DEFAULTS = [M.RESOURCES / f"{M.DEFAULT_NOGRAMMAR}.skops", M.RESOURCES / f"{M.DEFAULT_GRAMMAR}.skops"]


@pytest.mark.parametrize("path", DEFAULTS, ids=["nogrammar", "grammar"])
def test_default_models_explain_and_their_typical_article_is_ok(path):
    if not path.exists():
        pytest.skip(f"{path.name} not built")
    bundle = M.load_model(path)
    assert bundle.get("typical") is not None, "default model without typical clean values"
    scorer = M.CompiledScorer(path.with_suffix(".npz"))
    typ = np.asarray(bundle["typical"])[None, :]
    assert scorer.thresholds.verdict(1.0 - scorer.model.p_from_matrix(typ)[0]) == "ok"
    # a review band exists, and the compiled copy explains like the pipeline
    assert scorer.thresholds.ok - scorer.thresholds.reject >= 0.01
    rng = random.Random(4)
    ev = [_random_evidence(rng, bundle["feature_names"]) for _ in range(80)]
    if bundle.get("grammar"):
        ev = [Evidence(e.findings, dict(e.stats, lt_GRAMMAR_per100w=rng.uniform(0, 2)), "ok") for e in ev]
    a = [[(x.feature, round(x.effect, 6)) for x in rs] for rs in scorer.explain(ev)]
    b = [[(x.feature, round(x.effect, 6)) for x in rs] for rs in M.ModelScorer(bundle).explain(ev)]
    assert a == b
    rel = scorer.reliability(ev)
    for r, rs in zip(rel, scorer.explain(ev), strict=True):
        if scorer.thresholds.verdict(r) != "ok":
            assert any(x.effect < 0 for x in rs)
    # the one-evaluation path build_reports takes gives exactly the two calls' numbers
    both_rel, both_why = scorer.reliability_and_reasons(ev)
    assert both_rel == rel
    assert [[x.to_dict() for x in rs] for rs in both_why] == [[x.to_dict() for x in rs] for rs in scorer.explain(ev)]
    assert scorer.reliability_and_reasons([]) == ([], [])


def test_choose_thresholds_at_the_operating_point():
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(2000), np.ones(2000)].astype(int)
    p = np.r_[rng.beta(2, 8, 2000), rng.beta(8, 2, 2000)]  # P(unreliable)
    th = T.choose_thresholds(y, p)
    r_clean = 1 - p[y == 0]
    assert (r_clean < th.reject).mean() <= T.REJECT_CLEAN_SHARE + 0.002
    assert (r_clean < th.ok).mean() <= T.FLAG_CLEAN_SHARE + 0.002
    assert (r_clean < th.ok).mean() >= T.FLAG_CLEAN_SHARE - 0.01
    assert th.ok >= th.reject + 0.01
    # weights count: down-weighting the low-scoring clean rows raises the quantiles... and the cuts
    w = np.where(r_clean < np.median(r_clean), 0.1, 1.0)
    th_w = T.choose_thresholds(y, p, np.r_[w, np.ones(2000)])
    assert th_w.ok > th.ok


def test_prior_shift_moves_numbers_not_ranking():
    y = np.r_[np.zeros(100), np.ones(200)]
    s = T.prior_shift(y, None, 0.2)
    # training mix 2/3 unreliable -> odds of reliable x (0.8/0.2) / (1/2) = x8
    assert s == pytest.approx(np.log(8.0))
    p = np.linspace(0.01, 0.99, 50)
    q = M.shift_p(p, s)
    assert (np.diff(q) > 0).all() and (q < p).all()


def test_outputs_carry_reasons_and_the_cutoffs(toy_models):
    from detector import output

    scorer = M.ModelScorer(toy_models["additive"])
    rows = make_rows(4, seed=12)
    reps = api.score([r["text"] for r in rows], grammar="off", scorer=scorer, cache=False)
    flagged = [r for r in reps if r.verdict != "ok"]
    assert flagged
    d = json.loads(output.render_json(reps))
    assert all("reasons" in x and x["thresholds"] == {"ok": scorer.thresholds.ok,
                                                     "reject": scorer.thresholds.reject} for x in d)
    assert any(x["reasons"] for x in d)
    rows_csv = list(csv.DictReader(io.StringIO(output.render_csv(reps))))
    assert "reasons" in rows_csv[0]
    assert any(r["reasons"] for r in rows_csv)
    text = output.render_text(reps)
    assert text.count("    why: ") >= len(flagged)


def test_html_bar_colour_follows_the_verdict():
    from detector.triage import report_html

    assert report_html.VERDICT_COLOR["ok"] in report_html._bar(0.2, "ok")
    assert report_html.VERDICT_COLOR["reject"] in report_html._bar(0.9, "reject")


def test_describe_speaks_in_units():
    assert explain.describe("stat:flu_mt_share", 0.41, 0.09) == (
        "sentences that read like machine translation: 41 %; clean copy: 9.0 %"
    )
    assert "clean copy" not in explain.describe("frac:duplicate-block", 0.5, None)
    assert explain.describe("code:REP001_per1kw", 3.0, 0.0).startswith("3 REP001 per 1,000 words")


def test_one_reason_per_cause_with_the_summed_effect():
    names = ["stat:dup_8gram_char_frac", "stat:dup_9gram_char_frac", "count:boilerplate", "stat:flu_mt_share"]
    values = [0.46, 0.46, 3.0, 0.30]
    typical = [0.0, 0.0, 0.0, 0.30]
    effects = [-0.8, -1.1, -0.9, 0.0]
    rs = explain.pick_reasons(names, values, typical, effects, flagged=True)
    assert [r.feature for r in rs] == ["stat:dup_9gram_char_frac", "count:boilerplate"]
    assert rs[0].effect == pytest.approx(-1.9)  # both repeated-sequence measures, one cause


def test_a_value_on_the_clean_side_is_never_a_reason_against():
    names = ["stat:flu_mt_share", "stat:flu_lm_assoc_mean", "code:BRK001_per1kw"]
    typical = [0.32, 1.66, 0.0]
    # lower MT share and higher association than typical: the clean side, whatever the parts say
    values = [0.16, 1.90, 2.0]
    effects = [-0.9, -0.5, -0.4]
    rs = explain.pick_reasons(names, values, typical, effects, flagged=True)
    assert [r.feature for r in rs] == ["code:BRK001_per1kw"]
    # the article's own values by themselves must lower the score too (alone < 0)
    rs = explain.pick_reasons(names, [0.6, 1.0, 2.0], typical, effects, flagged=True, alone=[0.2, -0.3, -0.4])
    assert [r.feature for r in rs] == ["stat:flu_lm_assoc_mean", "code:BRK001_per1kw"]
    # if nothing plausible is left, a flagged article still gets its exact lowering parts
    rs = explain.pick_reasons(names[:1], [0.16], typical[:1], [-0.9], flagged=True)
    assert [r.feature for r in rs] == ["stat:flu_mt_share"]

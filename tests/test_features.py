"""The named feature vector and its scikit-learn transformers."""

from __future__ import annotations

import numpy as np
import pytest

from detector import features
from detector.findings import Finding
from detector.scoring import Evidence


def _f(family, code, severity="warning"):
    return Finding(family=family, code=code, start=0, end=1, message="x", severity=severity)


def test_feature_names_unique_and_variant_specific():
    ng = features.feature_names(grammar=False)
    g = features.feature_names(grammar=True)
    assert len(ng) == len(set(ng)) and len(g) == len(set(g))
    assert not any(n.startswith("lt:") for n in ng)
    assert "fam:grammar_per1kw" not in ng and "code:NAM004_per1kw" not in ng
    assert "fam:grammar_per1kw" in g and "lt:GRAMMAR" in g and "code:NAM004_per1kw" in g
    assert "stat:dup_10gram_char_frac" in ng and "stat:flu_mt_share" in ng
    # statistics that measure resemblance to the training domain are reported, not modelled
    assert not any(f"stat:{k}" in ng or f"stat:{k}" in g for k in features.DOMAIN_STATS)
    assert "stat:flu_unseen_bigram_share" not in ng and "stat:flesch_reading_ease" not in ng
    assert "code:FLU001_per1kw" in ng


def test_evidence_matrix_densities_and_grammar_filter():
    names = features.feature_names(grammar=False)
    ev = Evidence(
        findings=[_f("repetition", "REP001"), _f("repetition", "REP002", "error"), _f("grammar", "GRAMMAR")],
        stats={"words": 500.0, "dup_para_char_frac": 0.25, "lt_GRAMMAR_per100w": 3.0},
    )
    tiny = Evidence(findings=[_f("repetition", "REP001")], stats={"words": 20.0})
    X = features.evidence_matrix([ev, tiny], names)
    col = {n: j for j, n in enumerate(names)}
    assert X[0, col["fam:repetition_per1kw"]] == pytest.approx(4.0)  # 2 per 500 words
    assert X[0, col["code:REP002_per1kw"]] == pytest.approx(2.0)
    assert X[0, col["sev:error_per1kw"]] == pytest.approx(2.0)
    assert X[0, col["any:repetition"]] == 1.0
    assert X[0, col["stat:dup_para_char_frac"]] == 0.25
    assert X[1, col["fam:repetition_per1kw"]] == pytest.approx(10.0)  # words floored at 100
    # the grammar finding and LanguageTool rate are invisible to the no-grammar variant
    assert X[0].sum() == pytest.approx(
        4.0 + 2.0 + 2.0 + 2.0 + 2.0 + 1.0 + 1.0 + 0.25
    )  # + count:text_families
    assert X[0, col["count:text_families"]] == 1.0
    gnames = features.feature_names(grammar=True)
    Xg = features.evidence_matrix([ev], gnames)
    assert Xg[0, gnames.index("lt:GRAMMAR")] == 3.0
    assert Xg[0, gnames.index("fam:grammar_per1kw")] == pytest.approx(2.0)


def _span(family, code, start, end):
    return Finding(family=family, code=code, start=start, end=end, message="x")


def test_duplicate_blocks_enter_as_a_character_fraction_only():
    names = features.feature_names(grammar=False)
    assert "frac:duplicate-block" in names and "frac:boilerplate" in names
    assert not any(
        n.startswith(("code:DUP", "fam:duplicate-block", "any:duplicate-block", "any:boilerplate"))
        for n in names
    )
    stats = {"words": 1000.0, "chars": 6000.0}
    caption = Evidence(findings=[_span("duplicate-block", "DUP001", 100, 160)], stats=stats)
    pasted = Evidence(findings=[_span("duplicate-block", "DUP002", 3000, 6000)], stats=stats)
    overlap = Evidence(
        findings=[_span("boilerplate", "BOI001", 0, 100), _span("boilerplate", "BOI002", 50, 200)],
        stats=stats,
    )
    X = features.evidence_matrix([caption, pasted, overlap], names)
    j = names.index("frac:duplicate-block")
    assert X[0, j] == pytest.approx(0.01) and X[1, j] == pytest.approx(0.5)
    assert X[2, names.index("frac:boilerplate")] == pytest.approx(200 / 6000)  # union of spans
    assert X[0, names.index("count:text_families")] == 0.0  # page families do not count
    # boilerplate also enters as a plain count of findings, whatever the article's length
    jb = names.index("count:boilerplate")
    assert X[2, jb] == 2.0 and X[0, jb] == 0.0
    long_page = Evidence(findings=overlap.findings, stats={"words": 5000.0, "chars": 30000.0})
    assert features.evidence_matrix([long_page], names)[0, jb] == 2.0
    # the old names are still computed, so models trained with them keep working
    old = ["fam:duplicate-block_per1kw", "any:duplicate-block", "count:families", "code:DUP002_per1kw"]
    np.testing.assert_allclose(features.evidence_matrix([pasted], old), [[1.0, 1.0, 1.0, 1.0]])


def test_monotonic_constraints_cover_finding_features_only():
    names = features.feature_names(grammar=True)
    cst = dict(zip(names, features.monotonic_constraints(names), strict=True))
    assert cst["frac:duplicate-block"] == 1 and cst["fam:name_per1kw"] == 1 and cst["lt:GRAMMAR"] == 1
    assert cst["stat:flu_mt_share"] == 0 and cst["stat:flu_lm_odd_share"] == 0


def test_transformers_are_sklearn_estimators():
    from sklearn.base import clone

    vec = features.EvidenceVectorizer(grammar=True)
    evs = [Evidence(findings=[], stats={"words": 100.0, "lt_NEWCAT_per100w": 1.5})]
    vec.fit(evs)
    out = vec.get_feature_names_out()
    assert "lt:NEWCAT" in out  # categories seen in training get a column
    assert vec.transform(evs).shape == (1, len(out))
    assert clone(vec).get_params() == {"grammar": True}
    assert features.EvidenceVectorizer.__module__ == "detector.features"
    log = features.SignedLog1p().fit(np.zeros((1, 2)))
    np.testing.assert_allclose(log.transform(np.array([[-1.0, np.e - 1]])), [[-np.log(2), 1.0]])


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, detector.features; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

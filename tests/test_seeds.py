"""The five real seed articles scored together (issue: core 'Must show'). Needs ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed articles not found at {SEEDS}")


@pytest.fixture(scope="module")
def reports():
    from detector import api
    from detector.io import iter_inputs

    arts = list(iter_inputs([str(p) for p in sorted(SEEDS.glob("*.txt"))]))
    reps = api.score(arts, grammar="off")
    return {Path(r.path).name[:3]: r for r in reps}


def spans(report, family):
    text = report.article.text
    return [(f, text[f.start : f.end]) for f in report.findings if f.family == family]


def test_003_repetition_covers_the_loop(reports):
    r = reports["003"]
    target = "their intentions, their strategy, their intentions"
    pos = r.article.text.index(target)
    assert any(f.start <= pos and f.end >= pos + len(target) for f, _ in spans(r, "repetition"))


@pytest.mark.parametrize(
    "seed,wrong,right",
    [("003", "Anthony Blinken", "Antony Blinken"), ("003", "Yoav Galland", "Yoav Gallant"), ("004", "Anthony Blinken", "Antony Blinken")],
)
def test_misspelled_names_flagged_with_right_spelling(reports, seed, wrong, right):
    hits = [(f, s) for f, s in spans(reports[seed], "name") if wrong in s or s in wrong]
    assert hits, f"no name finding on {wrong!r} in {seed}"
    assert any(f.suggestion and right in f.suggestion for f, _ in hits)


def test_003_has_broken_sentence_findings(reports):
    found = spans(reports["003"], "broken-sentence")
    assert len(found) >= 2
    text = reports["003"].article.text
    cut = text.index(". to strengthen")
    assert any(f.start <= cut + 2 and f.end >= cut for f, _ in found), "'. to strengthen' not flagged"


def test_001_clean_copy_has_no_name_repetition_or_duplicate(reports):
    bad = [f for f in reports["001"].findings if f.family in ("name", "repetition", "duplicate-block")]
    assert not bad, bad


def test_000_second_copy_flagged(reports):
    r = reports["000"]
    dups = [f for f in r.findings if f.family == "duplicate-block"]
    covered = sum(f.end - f.start for f in dups)
    assert covered > 0.35 * len(r.article.text)


def test_ranking_003_lowest_001_highest(reports):
    rel = {k: r.reliability for k, r in reports.items()}
    assert min(rel, key=rel.get) == "003", rel
    assert max(rel, key=rel.get) == "001", rel

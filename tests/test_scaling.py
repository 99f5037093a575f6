"""Every family stays linear (or n log n) in the size of the article (issue 13).

No timings (the project forbids them in tests): the super-linear paths that were fixed are
checked by counting the work they do (attribute reads, calls, candidate pairs) at two sizes, or
by asserting the caps that bound them; and hostile inputs must come back with one report.
All text here is generated or written for these tests.
"""

from __future__ import annotations

import random
import re

import pytest
from test_names import _fresh_gazetteer  # noqa: F401  (autouse: no user gazetteer)

import detector
from detector import families
from detector.families import lexicon, names, readability, tortured
from detector.families.names import analysis as names_analysis
from detector.families.names import nam002 as names_nam002
from detector.families.names import nam006 as names_nam006
from detector.families.names import tokens as names_tokens
from detector.text import Document


class CountingTok:
    """A token whose ``particle`` reads are counted (the work of the window enumeration)."""

    reads = 0

    def __init__(self, particle: bool):
        self._p = particle

    @property
    def particle(self) -> bool:
        CountingTok.reads += 1
        return self._p


def _window_reads(n: int, particle_every: int = 0) -> tuple[int, int]:
    toks = [CountingTok(bool(particle_every) and i % particle_every == 1) for i in range(n)]
    CountingTok.reads = 0
    windows = sum(1 for _ in names_tokens._windows(toks))
    return CountingTok.reads, windows


@pytest.mark.parametrize("particle_every", [0, 3])
def test_window_enumeration_is_linear_in_the_run(particle_every):
    # "Blair Blair ..." (no particles) and "Blair de Blair de ..." runs: the work per token is
    # bounded by the window caps; it used to be cubic (every window's tokens re-counted)
    small, w_small = _window_reads(100, particle_every)
    big, w_big = _window_reads(400, particle_every)
    assert big / small < 4.5, (small, big)
    assert big <= 3 * 12 * 400
    assert w_big <= 4 * w_small + 4 * names_tokens._MAX_WINDOW


def test_windows_respect_the_caps():
    toks = [CountingTok(i % 2 == 1) for i in range(60)]  # every other token a particle
    for i, j in names_tokens._windows(toks):
        assert j - i <= names_tokens._MAX_WINDOW
        assert sum(1 for t in toks[i:j] if not t._p) <= names_tokens._MAX_CORE
        assert not toks[i]._p and not toks[j - 1]._p


def _differs_calls(monkeypatch, n: int) -> int:
    rng = random.Random(n)
    seen: set[str] = set()
    while len(seen) < n:  # distinct surnames sharing the initial: one group of similar names
        seen.add("B" + "".join(rng.choice("aeiouklmnrst") for _ in range(7)))
    text = " ".join(f"John {s} spoke." for s in sorted(seen))
    calls = 0
    real = names_nam002._differs

    def counting(a, b):
        nonlocal calls
        calls += 1
        return real(a, b)

    monkeypatch.setattr(names_nam002, "_differs", counting)
    names.analyse(text)
    return calls


def test_same_article_name_comparisons_are_bounded(monkeypatch):
    # NAM002 compared every pair of names in the article (quadratic); now only names that can
    # be near misses of each other, at most MAX_NAME_GROUP per group
    small = _differs_calls(monkeypatch, 300)
    big = _differs_calls(monkeypatch, 1200)
    assert big / small < 4.5, (small, big)
    assert big <= names_nam002.MAX_NAME_GROUP**2


def test_name_checks_stop_at_the_run_token_budget(monkeypatch):
    monkeypatch.setattr(names_analysis, "MAX_RUN_TOKENS", 50)
    text = "Anthony Blinken met Yoav Galland. " + "Tony Blair " * 200 + " Anthony Blinken said."
    found = [f for f in names.detect(text) if f.code == "NAM001"]
    # the runs before the budget is spent are examined, the name after it is not
    assert [text[f.start : f.end] for f in found] == ["Anthony Blinken", "Yoav Galland"]
    monkeypatch.setattr(names_analysis, "MAX_RUN_TOKENS", 10_000)
    assert len([f for f in names.detect(text) if f.code == "NAM001"]) == 3


def test_absurdly_long_capitalised_word_is_no_name_candidate(monkeypatch):
    calls = []
    real = names_nam006._slip_sources
    monkeypatch.setattr(names_nam006, "_slip_sources", lambda w, *a, **k: calls.append(len(w)) or real(w, *a, **k))
    names_nam006._slip_target_with.cache_clear()
    names_nam006._known_word.cache_clear()
    word = "Q" + "wertyuiop" * 250  # 2,251 letters: 58,000 slip candidates of 2 KB each
    found = names.detect(f"Officials named {word} and {word} Smith on Monday.")
    assert found == []
    assert all(n <= 64 for n in calls)
    assert names.MAX_NAME_TOKEN == 64


def test_long_word_syllables_skip_the_hyphenator():
    readability.syllables.cache_clear()
    word = "ab" * 5000
    assert readability.syllables(word) == len(word) // 3
    # ordinary words are counted as before
    assert readability.syllables("reliability") >= 5


def test_token_counts_equal_the_regex_counts():
    rng = random.Random(7)
    alphabet = ["Al", "-", "Al-", "Thani", "O", "'", "Brien", "J", ".", "é", "Blair", "’s", " ", ",", "_", "1"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        tok = "".join(rng.choice(alphabet[:13]) for _ in range(rng.randint(1, 4)))
        expected = len(re.findall(rf"(?<!\w){re.escape(tok)}(?!\w)", text))
        assert names_tokens._TokenIndex(text).count(tok) == expected, (text, tok)
        names_tokens._index_last[0] = None
        low = tok.lower()
        assert names_tokens._word_used(text, low) == len(re.findall(rf"\b{re.escape(low)}\b", text)), (text, tok)


def test_overlap_index_equals_the_pairwise_test():
    rng = random.Random(3)
    for _ in range(3000):
        spans = [(a, a + rng.randint(0, 8)) for a in (rng.randint(0, 40) for _ in range(rng.randint(0, 6)))]
        s = rng.randint(0, 50)
        e = s + rng.randint(0, 8)
        assert names_tokens._Overlaps(spans).hits(s, e) == any(a < e and s < b for a, b in spans)


def test_tortured_context_hashes_cover_every_context_term():
    lex = tortured._lexicon()
    if lex is None:
        pytest.skip("tortured-phrase lexicon not built")
    ctx_lengths, ctx_first = lex[2], lex[4]
    assert ctx_first is not None, "the shipped lexicon records the context terms' first tokens"
    import numpy as np

    with np.load(tortured.TORTURED_FILE) as z:
        ctx = set(z["req"].tolist()) | set(z["exc"].tolist())
    # text built from context-like words: the restricted n-grams find what the full set finds
    text = (
        "The neural network was trained on image data and speech signal features. "
        "Cloud computing, carbon dioxide and vitamin D were in the training set; fault "
        "detection and feature extraction too, with 0 errors in 12 tests."
    )
    toks = lexicon.tokens(text)
    full = {lexicon.hash64(" ".join(toks[j : j + m])) for m in range(1, 13) for j in range(len(toks) - m + 1)}
    assert tortured._context_hashes(toks, ctx_lengths, ctx_first) & ctx == full & ctx
    # and ordinary words start no context term: nothing to hash
    plain = lexicon.tokens("he said that they would go to the shops on monday " * 50)
    assert len(tortured._context_hashes(plain, ctx_lengths, ctx_first)) < len(plain)


HOSTILE = {
    "one huge line": ("The minister said the talks would resume on Monday, officials said. " * 3000).strip(),
    "one huge word": "reliability" * 20_000,
    "Blair * N": "Blair " * 20_000,
    "Tony Blair * N": "Tony Blair " * 10_000,
    "mixed capitalised": " ".join(random.Random(1).choice(["Blair", "Tony", "de", "Al-Thani", "Mr"]) for _ in range(20_000)),
    "no spaces": "Theministersaidthetalkswouldresume." * 5000,
    "punctuation": "!?.,;:-—()\"'…" * 15_000,
    "no full stop": "the minister said the talks would resume and " * 4000,
    "one word per line": "\n".join(["Blair", "said", "the", "talks"] * 10_000),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_inputs_get_a_report(name):
    text = HOSTILE[name]
    (report,) = detector.score([text], grammar="off", cache=False)
    assert report.verdict in ("ok", "review", "reject", "unsupported")
    assert report.reliability is None or 0.0 <= report.reliability <= 1.0
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)
    # every family, whatever language the pipeline takes the text for
    doc = Document(text)
    for fam in families.PER_DOCUMENT:
        for f in families.load(fam).detect(doc):
            assert 0 <= f.start <= f.end <= len(text)
    for fam in families.STATS:
        assert all(v == v for v in families.load(fam).stats(doc).values())  # no NaN


def test_batch_of_hostile_inputs_gets_one_report_each():
    docs = [Document("Blair " * 5000), Document("Tony Blair " * 3000), Document("Tony Blare said so. " * 200)]
    out = names.detect_batch(docs)
    assert len(out) == 3


def test_gc_paused_restores_the_collector():
    import gc

    from detector import analysis

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with analysis.gc_paused():
            assert not gc.isenabled()
            raise RuntimeError
    assert gc.isenabled()  # restored on an error too
    gc.disable()
    try:
        with analysis.gc_paused():
            pass
        assert not gc.isenabled()  # a caller's own choice is left alone
    finally:
        gc.enable()

"""fluency family (FLU001 tortured phrases + statistics) and Gopher-style docstats."""

from __future__ import annotations

import json

import pytest

from detector.families import docstats, fluency, lexicon, tortured
from detector.text import Document

PARA = (
    "The city council approved a new budget on Tuesday after a long debate about road repairs. "
    "Officials said the plan would raise spending on schools and reduce the cost of public transport."
)
OTHER = "Residents welcomed the decision, although some business owners said the new parking rules were unfair."


@pytest.fixture()
def tiny_lexicon(tmp_path, monkeypatch):
    rows = [
        # our own made-up fingerprints (not from the shared lexicon)
        {"match_type": "exact", "phrase": "counterfeit consciousness", "also_requires": [], "excludes": []},
        {"match_type": "exact", "phrase": "bosom", "also_requires": ["breast"], "excludes": []},
        {"match_type": "exact", "phrase": "lonely word", "also_requires": [], "excludes": []},
        {"match_type": "exact", "phrase": "flag", "also_requires": [], "excludes": []},  # 1 word, no context
        {"match_type": "exact", "phrase": "huge information", "also_requires": [], "excludes": ["huge information age"]},
        {"match_type": "proximity", "phrase": "far apart", "also_requires": [], "excludes": []},
    ]
    src = tmp_path / "lex.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "tortured.npz"
    n = tortured.build_tortured_lexicon(src, out)
    assert n == 4  # single word without context and proximity rows are skipped
    monkeypatch.setattr(tortured, "TORTURED_FILE", out)
    tortured._lexicon.cache_clear()
    yield out
    tortured._lexicon.cache_clear()


def test_flu001_finds_tortured_phrase_with_offsets(tiny_lexicon):
    text = "Experts say Counterfeit Consciousness will change newsrooms."
    found = fluency.detect(text)
    assert [f.code for f in found] == ["FLU001"]
    assert text[found[0].start : found[0].end] == "Counterfeit Consciousness"
    assert found[0].family == "fluency"


def test_flu001_context_and_exclusions(tiny_lexicon):
    assert fluency.detect("The bosom of the family.") == []  # needs 'breast' too
    assert len(fluency.detect("A bosom lump can be a sign of breast disease.")) == 1
    assert fluency.detect("We live in the huge information age.") == []
    assert len(fluency.detect("Firms collect huge information about us.")) == 1
    assert fluency.detect("Wave the flag.") == []


def test_stats_keys_and_ranges():
    s = fluency.stats(Document(PARA + "\n\n" + OTHER))
    assert set(s) == set(fluency.STAT_KEYS)
    # log-probabilities, logits, a mean log-likelihood ratio
    signed = {"flu_lm_cond_mean", "flu_lm_assoc_mean", "flu_mt_mean_logit", "flu_swap_spin_llr"}
    for k, v in s.items():
        assert k in signed or v >= 0.0, k
        if k.endswith("share"):
            assert v <= 1.0, k
    assert fluency.stats("") == dict.fromkeys(fluency.STAT_KEYS, 0.0)


def test_reference_bigrams_make_seen_text_familiar(tmp_path, monkeypatch):
    out = tmp_path / "ngrams.npz"
    counts = fluency.build_reference([PARA, OTHER], out)
    assert counts["bigrams"] > 20
    monkeypatch.setattr(lexicon, "NGRAM_FILE", out)
    lexicon._reference.cache_clear()
    try:
        seen = fluency.stats(PARA)
        salad = fluency.stats("Budget the approved council on a new Tuesday city after debate long road.")
        assert seen["flu_unseen_bigram_share"] == 0.0
        assert salad["flu_unseen_bigram_share"] > 0.7
        assert salad["flu_unseen_known_bigram_share"] > 0.7
    finally:
        lexicon._reference.cache_clear()


def test_mt_surface_statistics():
    s = fluency.stats("the minister said it . they do n't agree with kórónuveiran plan .\nanother line here .")
    assert s["flu_space_before_punct_per1000w"] > 0
    assert s["flu_nonascii_word_share"] > 0
    assert s["flu_lower_sentence_start_share"] > 0.5


def test_docstats_article_pasted_twice():
    clean = PARA + "\n\n" + OTHER
    twice = clean + "\n\nShare this post\n\n" + clean
    a, b = docstats.stats(clean), docstats.stats(twice)
    assert set(a) == set(docstats.KEYS)
    assert a["dup_para_char_frac"] == 0.0 and a["dup_10gram_char_frac"] == 0.0
    assert 0.4 < b["dup_para_char_frac"] <= 0.5
    assert b["dup_para_frac"] == pytest.approx(2 / 5)
    assert b["dup_10gram_char_frac"] > 0.4
    assert all(0.0 <= v <= 1.0 for v in b.values())


def test_docstats_top_ngram_loop():
    s = docstats.stats("their intentions, their strategy, their intentions, their strategy, their intentions.")
    assert s["top_2gram_char_frac"] > 0.3


def test_broad_oov_share(tmp_path, monkeypatch):
    out = tmp_path / "vocab.npz"
    words = ["the", "council", "approved", "budget", "on", "Tuesday", "ipod"]
    n = fluency.build_broad_vocabulary(out, words=words)
    assert n == 6  # "Tuesday" is not lower-case: only lower-case alphabetic words are kept
    from detector.families import lexicon

    monkeypatch.setattr(lexicon, "BROAD_VOCAB_FILE", out)
    fluency._broad_vocab.cache_clear()
    try:
        # names and sentence-initial words are skipped; "iPod" is looked up lower-cased
        s = fluency.stats("The council approved the budget on Tuesday with an iPod.")
        assert s["flu_broad_oov_share"] == pytest.approx(2 / 8)  # "with", "an" unknown here
        assert fluency.stats("The council approved the budget.")["flu_broad_oov_share"] == 0.0
        assert fluency.stats("The counsil aproved the budjet.")["flu_broad_oov_share"] == pytest.approx(3 / 4)
    finally:
        fluency._broad_vocab.cache_clear()


def test_shipped_broad_vocabulary():
    if not fluency.BROAD_VOCAB_FILE.exists():
        pytest.skip("resources/broad_vocab.npz not built")
    fluency._broad_vocab.cache_clear()
    assert fluency._broad_vocab().size > 200_000
    assert fluency.stats("The council approved the budget.")["flu_broad_oov_share"] == 0.0
    assert fluency.stats("The council blorfzed the qwuxbudget.")["flu_broad_oov_share"] == 0.5


# --------------------------------------------------------------------------------------------
# FLU004 swapped collocations (families/collocation.py): phrases written for these tests, in
# no tortured-phrase list; the rule knows only a thesaurus, bigram counts and the LM
# --------------------------------------------------------------------------------------------
SPUN = [
    ("The government said the climate alteration talks would resume in May.", "climate alteration", "climate change"),
    ("Ministers were told the budget deficiency had doubled since last year.", "budget deficiency", "budget deficit"),
    ("Shoppers paying by credit carte will face a small fee.", "credit carte", "credit card"),
    ("The group accused the army of ignoring human privileges in the region.", "human privileges", "human rights"),
    ("Workers on higher pay will see their income levy rise in April.", "income levy", "income tax"),
]
CLEAN = (
    "The prime minister told the press conference that interest rates would stay low. "
    "Heavy rain closed the main road into Leeds on Tuesday, and the police said a car crash "
    "had blocked the motorway. The supreme court ruled on the tax evasion case, and Gordon Brown "
    "said the trade deficit and the budget deficit were both shrinking. Human rights groups "
    "welcomed the climate change report, while the stock market rose on strong sales."
)


def _collocations_or_skip():
    from detector.families import collocation

    if not collocation.available():
        pytest.skip("resources/collocations.npz not built")
    return collocation


@pytest.mark.parametrize(("sentence", "spun", "expected"), SPUN)
def test_flu004_flags_unlisted_synonym_swaps(sentence, spun, expected):
    _collocations_or_skip()
    found = [f for f in fluency.detect(sentence) if f.code == "FLU004"]
    assert len(found) == 1
    f = found[0]
    assert sentence[f.start : f.end] == spun
    assert f.suggestion == expected
    assert f.severity == "warning" and expected in f.message


def test_flu004_leaves_ordinary_collocations_and_names_alone():
    _collocations_or_skip()
    assert [f for f in fluency.detect(CLEAN) if f.code == "FLU004"] == []
    s = fluency.stats(CLEAN)
    assert s["flu_swap_per1000w"] == 0.0 and s["flu_swap_word_share"] == 0.0


def test_flu004_statistics_count_the_swaps():
    _collocations_or_skip()
    text = " ".join(s for s, _, _ in SPUN)
    s = fluency.stats(text)
    n_words = len(Document(text).words)
    assert s["flu_swap_per1000w"] == pytest.approx(1000.0 * len(SPUN) / max(n_words, 100))
    assert s["flu_swap_word_share"] == pytest.approx(2 * len(SPUN) / n_words)
    assert "flu_swap_spin_llr" in s and "flu_swap_context_per1000w" not in s


def test_flu001_gets_a_suggestion_from_the_swap_rule(tmp_path, monkeypatch):
    _collocations_or_skip()
    src = tmp_path / "lex.jsonl"
    src.write_text(json.dumps({"match_type": "exact", "phrase": "climate alteration"}) + "\n", encoding="utf-8")
    out = tmp_path / "tortured.npz"
    tortured.build_tortured_lexicon(src, out)
    monkeypatch.setattr(tortured, "TORTURED_FILE", out)
    tortured._lexicon.cache_clear()
    try:
        found = fluency.detect(SPUN[0][0])
    finally:
        tortured._lexicon.cache_clear()
    # the lexicon is the high-precision layer on top: one finding, FLU001, with the suggestion
    assert [(f.code, f.suggestion) for f in found if f.code in ("FLU001", "FLU004")] == [
        ("FLU001", "climate change")
    ]


def test_collocation_resource_rebuilds_identically(tmp_path):
    collocation = _collocations_or_skip()
    pytest.importorskip("symspellpy")
    if not collocation.THESAURUS.exists():
        pytest.skip("Debian mythes-en-us not installed")
    import numpy as np

    out = tmp_path / "colloc.npz"
    counts = collocation.build_collocations(out)
    assert counts["established_pairs"] > 200_000 and counts["words"] > 40_000
    with np.load(out) as new, np.load(collocation.COLLOCATION_FILE) as shipped:
        for k in ("vocab", "ptr", "ids", "established"):
            assert np.array_equal(new[k], shipped[k]), k


def test_swap_statistics_are_described_for_reasons():
    from detector import explain, features

    for k in ("flu_swap_per1000w", "flu_swap_word_share", "flu_swap_spin_llr"):
        assert k in fluency.STAT_KEYS and f"stat:{k}" in features.feature_names()
        assert "synonym" in explain.STAT_WORDS[k][0]
        assert explain.damaged_side(f"stat:{k}") == 1
    assert "code:FLU004_per1kw" in features.feature_names()


def test_tortured_prefix_pruning_finds_what_the_full_scan_finds(tmp_path, monkeypatch):
    """The matcher stops growing an n-gram that is no phrase's prefix: same hits as trying every
    length (an older lexicon file without the prefix hashes)."""
    rows = [
        {"match_type": "exact", "phrase": "a b c d", "also_requires": [], "excludes": []},
        {"match_type": "exact", "phrase": "a b x", "also_requires": [], "excludes": []},
        {"match_type": "exact", "phrase": "b c", "also_requires": [], "excludes": []},
        {"match_type": "exact", "phrase": "c d e f g", "also_requires": [], "excludes": []},
        {"match_type": "exact", "phrase": "d", "also_requires": ["g"], "excludes": []},
    ]
    src = tmp_path / "lex.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "tortured.npz"
    tortured.build_tortured_lexicon(src, out)
    monkeypatch.setattr(tortured, "TORTURED_FILE", out)
    import random

    rng = random.Random(11)
    texts = [" ".join(rng.choice("abcdefgx") for _ in range(rng.randint(1, 40))) for _ in range(300)]
    real = tortured._lexicon
    real.cache_clear()
    try:
        lex = real()
        assert lex[5], "the lexicon records its phrases' prefixes"
        pruned = [tortured._compute_tortured_hits(Document(t)) for t in texts]
        monkeypatch.setattr(tortured, "_lexicon", lambda: (*lex[:5], None, lex[6]))
        full = [tortured._compute_tortured_hits(Document(t)) for t in texts]
    finally:
        real.cache_clear()
    assert pruned == full
    assert sum(map(len, full)) > 50  # the texts do contain phrases


def test_hash32_array_is_hash32_of_each_string():
    words = ["council", "budget", "na\u00efve", "", "two words", "’s"]
    assert lexicon.hash32_array(words).tolist() == [lexicon.hash32(w) for w in words]
    assert lexicon.hash32_array(iter(words[:2])).tolist() == [lexicon.hash32(w) for w in words[:2]]
    assert lexicon.hash32_array([]).size == 0


def test_broad_oov_memo_follows_the_vocabulary(tmp_path, monkeypatch):
    """broad_oov_share memoises each word's membership: a word answered for one vocabulary is
    answered again, not read from the memo, when another vocabulary is loaded."""
    from detector.families import lexicon

    small, large = tmp_path / "small.npz", tmp_path / "large.npz"
    fluency.build_broad_vocabulary(small, words=["council", "approved"])
    fluency.build_broad_vocabulary(large, words=["council", "approved", "budget", "plans"])
    text = "The council approved budget plans."
    try:
        for path, share in ((small, 2 / 4), (large, 0.0), (small, 2 / 4)):
            monkeypatch.setattr(lexicon, "BROAD_VOCAB_FILE", path)
            fluency._broad_vocab.cache_clear()
            assert fluency.stats(text)["flu_broad_oov_share"] == pytest.approx(share)
    finally:
        fluency._broad_vocab.cache_clear()

"""fluency family (FLU001 tortured phrases + statistics) and Gopher-style docstats."""

from __future__ import annotations

import json

import pytest

from detector.families import docstats, fluency
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
    n = fluency.build_tortured_lexicon(src, out)
    assert n == 4  # single word without context and proximity rows are skipped
    monkeypatch.setattr(fluency, "TORTURED_FILE", out)
    fluency._lexicon.cache_clear()
    yield out
    fluency._lexicon.cache_clear()


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
    signed = {"flu_lm_cond_mean", "flu_lm_assoc_mean", "flu_mt_mean_logit"}  # log-probabilities, logits
    for k, v in s.items():
        assert k in signed or v >= 0.0, k
        if k.endswith("share"):
            assert v <= 1.0, k
    assert fluency.stats("") == dict.fromkeys(fluency.STAT_KEYS, 0.0)


def test_reference_bigrams_make_seen_text_familiar(tmp_path, monkeypatch):
    out = tmp_path / "ngrams.npz"
    counts = fluency.build_reference([PARA, OTHER], out)
    assert counts["bigrams"] > 20
    monkeypatch.setattr(fluency, "NGRAM_FILE", out)
    fluency._reference.cache_clear()
    try:
        seen = fluency.stats(PARA)
        salad = fluency.stats("Budget the approved council on a new Tuesday city after debate long road.")
        assert seen["flu_unseen_bigram_share"] == 0.0
        assert salad["flu_unseen_bigram_share"] > 0.7
        assert salad["flu_unseen_known_bigram_share"] > 0.7
    finally:
        fluency._reference.cache_clear()


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
    monkeypatch.setattr(fluency, "BROAD_VOCAB_FILE", out)
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

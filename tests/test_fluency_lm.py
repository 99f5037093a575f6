"""The statistical side of the fluency family: the pocketsphinx trigram model and the MT sentence
model (families/fluency_lm.py), and the FLU002/FLU003 findings and statistics built on them."""

from __future__ import annotations

import json
import math

import numpy as np
from shared_data import mt_records

from detector.families import fluency, fluency_lm
from detector.findings import CODES
from detector.text import Document

ORIGINAL = (
    "The government is considering raising fuel prices by as much as 30%. Millions of people use "
    "kerosene for basic cooking, and prices have been heavily subsidised for years. Critics argue "
    "that cutting subsidies will hurt the poorer families the government says it wants to help."
)
# our own spun version: synonyms a thesaurus would offer, as a spinner picks them
SPUN = (
    "The government is considering raising fire prices by as much as 30%. Millions of people use "
    "kerosene for basic cookery, and prices have been heavily subsidised for age. Critics reason "
    "that cutting subsidies will suffer the poorer households the politics says it wants to assist."
)


def test_language_model_is_installed():
    assert fluency_lm.lm_available(), "pocketsphinx (a pinned dependency) must provide en-us.lm.bin"


def test_transitions_cover_word_pairs_with_exact_offsets():
    text = "Oil  prices rose, and fuel prices fell. 42 people left."
    tr = fluency_lm.lm_transitions(text)
    pairs = [text[s:e] for s, e, _, _ in tr]
    assert "Oil  prices" in pairs  # span runs from the predecessor to the word, original spacing
    assert "prices rose" in pairs
    assert "rose, and" in pairs  # commas do not break the history
    assert "fell. 42" not in " ".join(pairs)  # no pair across a sentence boundary or a number
    assert "people left" in pairs
    for _, _, cond, _ in tr:
        assert cond < 0.0  # log-probabilities


def test_context_makes_the_right_word_likelier():
    def assoc(text, pair):
        return next(a for s, e, _, a in fluency_lm.lm_transitions(text) if text[s:e] == pair)

    assert assoc("They are raising fuel prices.", "fuel prices") > assoc(
        "They are raising fire prices.", "fire prices"
    ) + 1.0


def test_spun_text_has_lower_association_than_the_original():
    a = fluency.stats(Document(ORIGINAL))
    b = fluency.stats(Document(SPUN))
    assert b["flu_lm_assoc_mean"] < a["flu_lm_assoc_mean"]
    assert b["flu_lm_cond_mean"] < a["flu_lm_cond_mean"]


def test_mt_features_are_deterministic_and_normalised():
    f1 = fluency_lm.mt_features("The minister said the talks would resume.")
    f2 = fluency_lm.mt_features("The minister said the talks would resume.")
    assert f1 == f2
    assert math.isclose(sum(v * v for v in f1.values()), 1.0, rel_tol=1e-6)
    assert all(0 <= k < fluency_lm.MT_BUCKETS for k in f1)
    # case matters (a cased-token feature), so does word order (bigrams)
    assert fluency_lm.mt_features("the Minister said") != fluency_lm.mt_features("the minister said")
    assert fluency_lm.mt_features("said the minister") != fluency_lm.mt_features("the minister said")


def test_mt_artifact_holds_weights_not_text():
    assert fluency_lm.mt_available()
    with np.load(fluency_lm.MT_MODEL_FILE) as z:
        assert sorted(z.files) == ["bias", "meta", "weights"]
        assert z["weights"].shape == (fluency_lm.MT_BUCKETS,)
        meta = json.loads(str(z["meta"]))
    assert set(meta["held_out"]) == {"wmt22 ja-en", "wmt21 is-en"}
    assert 0.5 < meta["flag_probability"] < 1.0


def test_mt_logits_per_sentence_and_flu002_consistent():
    text = ORIGINAL + "\n\nShort one.\n\n" + SPUN
    doc = Document(text)
    logits = fluency_lm.mt_sentence_logits(doc)
    long_sents = [(s, e) for s, e in doc.sentences if len(text[s:e].split()) >= fluency_lm.MT_MIN_WORDS]
    assert [(s, e) for s, e, _ in logits] == long_sents  # "Short one." is too short to judge
    w, bias, _ = fluency_lm._mt_model()
    for s, e, x in logits:  # the vectorised document path equals the per-sentence definition
        f = fluency_lm.mt_features(text[s:e])
        assert math.isclose(x, sum(float(w[k]) * v for k, v in f.items()) + bias, abs_tol=1e-4)
    flag = fluency_lm.mt_flag_threshold()
    flagged = {(f.start, f.end) for f in fluency.detect(doc) if f.code == "FLU002"}
    assert flagged == {(s, e) for s, e, x in logits if fluency_lm.sigmoid(x) >= flag}
    st = fluency.stats(doc)
    assert math.isclose(st["flu_mt_mean_logit"], sum(x for *_, x in logits) / len(logits), rel_tol=1e-9)


def test_flu003_flags_an_improbable_pair_of_common_words():
    # "the of" is grammatical nonsense made of the two commonest words
    text = "He went to the of market and bought bread."
    found = [f for f in fluency.detect(text) if f.code == "FLU003"]
    assert [text[f.start : f.end] for f in found] == ["the of"]
    assert found[0].severity == "info"
    assert fluency.detect(ORIGINAL) == [] or all(f.code != "FLU003" for f in fluency.detect(ORIGINAL))
    assert "FLU002" in CODES and "FLU003" in CODES


def test_flu003_ignores_pairs_with_a_name_but_not_sentence_initial_capitals():
    """The trigram model knows "Lansdowne" and "Think" only as lower-case words, so a name after a
    preposition looks improbable; such pairs are not flagged. A capital that only starts the
    sentence does not exempt the pair."""
    from detector import settings
    from detector.families.collocation import FluencySettings
    from detector.families.fluency import _has_proper_noun, _sentence_starts

    cfg = settings.get(FluencySettings)

    for text, pair in (
        ("The funds were handed to Lansdowne Road officials.", "to Lansdowne"),
        ("He signed a deal with Think London in March.", "with Think"),
    ):
        doc = Document(text)
        # the language model does find the pair improbable ...
        odd = [
            text[s:e]
            for s, e, cond, assoc in fluency_lm.lm_transitions(doc)
            if assoc < cfg.flag_assoc_any or (assoc < cfg.flag_assoc and cond < cfg.flag_cond)
        ]
        assert pair in odd
        # ... but it contains a name, so there is no finding
        assert all(f.code != "FLU003" for f in fluency.detect(text))
    text = "He much admired the team. They the of it."
    starts = _sentence_starts(Document(text))
    assert not _has_proper_noun(text, 0, 7, starts)  # "He much": sentence-initial capital
    assert _has_proper_noun("They met Tass today.", 5, 13, _sentence_starts(Document("They met Tass today.")))
    assert [text[f.start : f.end] for f in fluency.detect(text) if f.code == "FLU003"] == ["He much", "the of"]


def test_mt_sentence_model_separates_held_out_mt_from_human_references():
    """WMT22 ja-en is held out from the sentence model: its system output (any DA) must score as
    more MT-like than the human references, document by document."""
    from sklearn.metrics import roc_auc_score

    y, s = [], []
    for r in mt_records("wmt22_jaen.jsonl"):
        if len(r["text"].split()) < 50 or r["kind"] == "system" and (r["score"] is None or r["score"] >= 50):
            continue
        logits = [x for *_, x in fluency_lm.mt_sentence_logits(Document(r["text"]))]
        if logits:
            y.append(int(r["kind"] == "system"))
            s.append(sum(logits) / len(logits))
    assert sum(y) > 20 and len(y) - sum(y) > 20
    assert roc_auc_score(y, s) > 0.7


def test_sentence_model_training_weights_balance_eras_then_classes():
    """scripts/build_fluency_model.py: the 2021-22 corpora weigh as much in total as the 2015-17
    ones, and MT and human segments weigh the same overall; ``balance_eras=False`` keeps every
    segment alike before the class balance."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "build_fluency_model.py"
    spec = importlib.util.spec_from_file_location("build_fluency_model", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)

    y = np.array([1, 1, 1, 0, 1, 1, 0, 0, 1, 0])
    era = np.array([0, 0, 0, 0, 0, 0, 0, 1, 1, 1])  # 7 old segments, 3 modern
    w = mod.sample_weights(y, era)
    assert math.isclose(w[y == 1].sum(), w[y == 0].sum())
    # within a class, a modern segment weighs 7/3 times an old one
    assert math.isclose(w[8] / w[0], 7 / 3) and math.isclose(w[7] / w[3], 7 / 3)
    plain = mod.sample_weights(y, era, balance_eras=False)
    assert math.isclose(plain[8], plain[0]) and math.isclose(plain[y == 1].sum(), plain[y == 0].sum())
    # one era only: nothing to balance
    assert np.allclose(mod.sample_weights(y, np.zeros(10, int)), plain)


def test_flu003_skips_a_function_word_before_a_rarer_content_word():
    """"she anchors": the LM has no bigram for a rare verb after a pronoun, so the pair looks
    improbable, but that is the model's gap, not a garble; function-word pairs still count."""
    from detector import settings
    from detector.families.collocation import FluencySettings

    cfg = settings.get(FluencySettings)
    text = "The show opened in 2006 and she anchors the proceedings with ease."
    odd = [
        text[s:e]
        for s, e, cond, assoc in fluency_lm.lm_transitions(Document(text))
        if assoc < cfg.flag_assoc_any or (assoc < cfg.flag_assoc and cond < cfg.flag_cond)
    ]
    assert "she anchors" in odd  # the model alone would flag it ...
    assert all(text[f.start : f.end] != "she anchors" for f in fluency.detect(text))  # ... no finding
    text = "He went to the of market and bought bread."
    assert [text[f.start : f.end] for f in fluency.detect(text) if f.code == "FLU003"] == ["the of"]


def test_flu003_only_for_two_plainly_adjacent_words():
    """The LM scores words across a comma or a hyphen as if adjacent; the text does not read them
    so, and such FLU003 flags were mostly wrong on clean copy. Only the plain pair is shown."""
    from detector import settings
    from detector.families.collocation import FluencySettings

    cfg = settings.get(FluencySettings)
    cases = {
        "They worked in make-up and hairdressing for years.": "in make",
        "Growth was 4% this year, dipping to 4% in 2005.": "year, dipping",
    }
    for text, pair in cases.items():
        odd = [
            text[s:e]
            for s, e, cond, assoc in fluency_lm.lm_transitions(Document(text))
            if assoc < cfg.flag_assoc_any or (assoc < cfg.flag_assoc and cond < cfg.flag_cond)
        ]
        assert pair in odd  # the LM does find the pair improbable ...
        assert all(f.code != "FLU003" for f in fluency.detect(text))  # ... but it is not shown
    # an -ly adverb the LM has no pair for is how people write, not a garble
    text = "The results were sent simultaneously to every office."
    pair = "sent simultaneously"
    assert pair in [
        text[s:e]
        for s, e, cond, assoc in fluency_lm.lm_transitions(Document(text))
        if assoc < cfg.flag_assoc_any or (assoc < cfg.flag_assoc and cond < cfg.flag_cond)
    ]
    assert all(f.code != "FLU003" for f in fluency.detect(text))
    text = "We is trained every day. Until to him are carried out three reports."
    assert [text[f.start : f.end] for f in fluency.detect(text) if f.code == "FLU003"] == ["We is", "Until to"]

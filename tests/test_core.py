"""Core types, segmentation, readability and scoring rule."""

from __future__ import annotations

import pytest

from detector.findings import CODES, FAMILIES, Finding, LineIndex, locate
from detector.scoring import Evidence, RuleScorer, Thresholds
from detector.text import Document, split_sentences


def test_every_code_has_a_known_family():
    for code, (family, desc) in CODES.items():
        assert family in FAMILIES, code
        assert desc


def test_line_index_positions_are_one_based():
    text = "ab\ncd\n\nef"
    idx = LineIndex(text)
    assert idx.position(0) == (1, 1)
    assert idx.position(4) == (2, 2)
    assert idx.position(7) == (4, 1)


def test_locate_fills_line_col_and_sorts():
    text = "first line\nsecond line here"
    fs = [
        Finding("repetition", "REP001", 18, 22, "b"),
        Finding("repetition", "REP001", 0, 5, "a"),
    ]
    out = locate(text, fs)
    assert [(f.line, f.column) for f in out] == [(1, 1), (2, 8)]
    assert text[out[1].start : out[1].end] == "line"


def test_finding_roundtrips_through_dict():
    f = Finding("name", "NAM001", 3, 9, "msg", "Antony Blinken", "error", 1, 4)
    assert Finding.from_dict(f.to_dict()) == f


def test_document_spans_point_into_original_text():
    text = "Headline here\r\n\r\nFirst para. Second sentence!\r\nThird line\n\n  Indented para.  "
    doc = Document(text)
    assert [doc.span_text(p) for p in doc.paragraphs] == [
        "Headline here",
        "First para. Second sentence!\r\nThird line",
        "Indented para.",
    ]
    assert "Second sentence!" in [doc.span_text(s) for s in doc.sentences]
    for s, e in doc.words:
        assert doc.text[s:e].strip() == doc.text[s:e]


def test_sentence_split_respects_abbreviations_and_initials():
    text = "The U.S. envoy met Mr. Smith on Oct. 7 in Washington. John F. Kennedy was not there. Really?"
    sents = [text[s:e] for s, e in split_sentences(text)]
    assert sents == [
        "The U.S. envoy met Mr. Smith on Oct. 7 in Washington.",
        "John F. Kennedy was not there.",
        "Really?",
    ]


def test_sentence_split_keeps_lowercase_continuation_as_boundary():
    text = "Ships went to the sea. to strengthen the fleet."
    assert [text[s:e] for s, e in split_sentences(text)] == ["Ships went to the sea.", "to strengthen the fleet."]


def test_readability_matches_textstat_formulas_on_simple_text():
    import textstat

    from detector.families import readability

    text = "The cat sat on the mat. The dog ran to the park and barked loudly at the birds."
    ours = readability.stats(text)
    assert ours["flesch_reading_ease"] == pytest.approx(textstat.flesch_reading_ease(text), abs=1.0)
    assert ours["flesch_kincaid_grade"] == pytest.approx(textstat.flesch_kincaid_grade(text), abs=0.5)


def test_syllable_table_agrees_with_textstat():
    import textstat

    from detector.families.readability import syllables

    for w in ["government", "minister", "ceasefire", "humanitarian", "the", "xylophonic", "gazaish"]:
        assert syllables(w) == max(1, textstat.syllable_count(w)), w


def test_readability_values_are_clipped():
    from detector.families import readability

    one_long = " ".join(["incomprehensibilities"] * 400) + "."
    s = readability.stats(one_long)
    for k, (lo, hi) in readability.CLIP.items():
        assert lo <= s[k] <= hi, k
    assert s["words_per_sentence"] == 120.0
    empty = readability.stats("12 34")
    assert all(lo <= v <= readability.CLIP[k][1] for k, v in empty.items() for lo in [readability.CLIP[k][0]])


def test_rule_scorer_orders_by_finding_density():
    clean = Evidence(findings=[], stats={"words": 500})
    few = Evidence(findings=[Finding("repetition", "REP001", 0, 1, "x")], stats={"words": 500})
    many = Evidence(findings=[Finding("name", "NAM001", 0, 1, "x", severity="error")] * 10, stats={"words": 500})
    r = RuleScorer().reliability([clean, few, many])
    assert r[0] == 1.0
    assert r[0] > r[1] > r[2]
    assert 0.0 <= r[2] < 0.3


def test_thresholds_verdicts():
    t = Thresholds(ok=0.6, reject=0.3)
    assert [t.verdict(x) for x in (0.9, 0.6, 0.45, 0.3, 0.1)] == ["ok", "ok", "review", "review", "reject"]


def test_sentence_words_are_each_sentences_own_tokenisation():
    from detector.text import WORD_RE

    texts = [
        "Mr. Smith said: 'It works.'  Then he left!\nNew line, no stop\n\nU.S. e.g. test... ok?! «quoted» end",
        "x'y -z- 'q' ...\t\x1c w\x1dv it’s\u00a0fine. snake_case and CamelCase. 3.5 per cent.",
        "",
        "   \n\n  ",
        "One sentence without an end",
    ]
    for text in texts:
        doc = Document(text)
        want = [[(m.start(), m.end()) for m in WORD_RE.finditer(text, s, e)] for s, e in doc.sentences]
        assert doc.sentence_words == want
        assert [w for ws in doc.sentence_words for w in ws] == doc.words  # every word, in one sentence


def test_readability_packed_word_counts_sum_field_by_field():
    """readability.stats sums each word's counts packed in one int: the shares it reports are
    the plain per-word sums (syllables, 3+ syllables, Dale-Chall difficult words, letters)."""
    from detector.families import readability
    from detector.text import Document

    text = "The humanitarian government minister spoke. Officials agreed. Cats sat."
    words = [w for w in Document(text).lower_words if not w[0].isdigit()]
    syl = [readability.syllables(w) for w in words]
    easy = readability._easy_words()
    s = readability.stats(text)
    n = len(words)
    assert s["syllables_per_word"] == pytest.approx(sum(syl) / n)
    assert s["polysyllable_share"] == pytest.approx(sum(x >= 3 for x in syl) / n)
    assert s["difficult_word_share"] == pytest.approx(sum(x >= 2 and w not in easy for x, w in zip(syl, words, strict=True)) / n)
    assert s["letters_per_word"] == pytest.approx(sum(map(len, words)) / n)
    assert s["polysyllable_share"] > 0 and s["difficult_word_share"] > 0  # every field non-zero

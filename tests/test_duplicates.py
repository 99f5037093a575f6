"""duplicate-block family (DUP001 repeated line/paragraph/sentence, DUP002 article pasted twice):
unit tests on invented text, plus seed and false-positive checks on ../shared (skipped when
absent)."""

from __future__ import annotations

import pytest
from shared_data import bbc_texts, seed_text

from detector.families import duplicates
from detector.text import Document

PARAS = [
    "Storm brings floods to coastal towns",
    "Hundreds of people spent the night in shelters after heavy rain flooded streets in three towns.",
    "The weather office said more rain fell in one day than normally falls in a month.",
    "Rescue crews used boats to reach families trapped on the upper floors of their homes.",
    "Power was cut to about 5,000 homes and the coastal railway line was closed.",
    "The regional governor said an emergency fund would help families repair their houses.",
]


def line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def test_repeated_paragraph_points_at_first_copy():
    text = "\n\n".join(PARAS[:4] + [PARAS[2]] + PARAS[4:])
    (f,) = duplicates.detect(text)
    assert (f.family, f.code, f.severity) == ("duplicate-block", "DUP001", "warning")
    assert text[f.start : f.end] == PARAS[2]
    assert f.start == text.rindex(PARAS[2])
    assert f"repeats paragraph at line {line_of(text, text.index(PARAS[2]))}" in f.message
    assert "The weather office said" in f.message
    assert f.suggestion == "delete the repeat"


def test_repeated_caption_line_normalised_case_space_punct():
    caption = "Rescue workers carry a child through the flooded main street on Sunday."
    text = (
        "Flood hits town\n\n"
        + caption
        + "\n"
        + "  RESCUE workers carry a child  through the flooded main street on Sunday \n\n"
        + PARAS[1]
    )
    (f,) = duplicates.detect(text)
    assert f.code == "DUP001"
    assert text[f.start : f.end] == "RESCUE workers carry a child  through the flooded main street on Sunday"
    assert "repeats paragraph at line 3" in f.message


def test_near_identical_paragraph():
    a = "The regional governor said on Monday that an emergency fund would help families repair their houses."
    b = "The regional governor said on Monday that an emergency fund would help the families repair their homes."
    text = "\n\n".join([PARAS[0], a, PARAS[2], PARAS[3], b])
    (f,) = duplicates.detect(text)
    assert text[f.start : f.end] == b
    assert "nearly" in f.message and "line 3" in f.message


def test_article_pasted_twice_is_one_dup002_covering_the_second_copy():
    first = "\n\n".join(PARAS)
    second = "\n\n".join(PARAS[:3] + ["Thumbnail"] + PARAS[3:])
    text = first + "\n\n" + second + "\n\nShare this post\n"
    found = duplicates.detect(text)
    assert [f.code for f in found] == ["DUP002"]
    (f,) = found
    assert f.severity == "error"
    assert f.start == len(first) + 2
    assert text[f.start : f.end] == second
    assert "line 1" in f.message and "6 paragraphs" in f.message
    assert f.suggestion == "delete the repeat"


def test_second_copy_out_of_order_still_one_run():
    first = "\n\n".join(PARAS)
    second = "\n\n".join([PARAS[0], PARAS[3], PARAS[1], PARAS[2], PARAS[3], PARAS[4], PARAS[5]])
    text = first + "\n\n" + second
    (f,) = duplicates.detect(text)
    assert f.code == "DUP002"
    assert text[f.start : f.end] == second


def test_pasted_twice_with_different_wrapping_is_one_dup002():
    first = "\n\n".join(PARAS)
    # the second copy joins paragraphs two by two, as a different page template would
    second = "\n\n".join([PARAS[0], PARAS[1] + " " + PARAS[2], PARAS[3] + " " + PARAS[4], PARAS[5]])
    text = first + "\n\n" + second
    (f,) = duplicates.detect(text)
    assert f.code == "DUP002"
    assert text[f.start : f.end] == second


def test_paragraph_rebuilt_from_earlier_sentences():
    merged = PARAS[1] + " " + PARAS[3]
    text = "\n\n".join(PARAS + [merged])
    (f,) = duplicates.detect(text)
    assert (f.code, text[f.start : f.end]) == ("DUP001", merged)
    assert "repeats text of the paragraph at line 3" in f.message


def test_repeated_sentence_inside_a_paragraph():
    standfirst = "Officials say the new bridge could open to traffic before the end of the year."
    text = (
        "Bridge plan approved\n\n"
        + standfirst
        + "\n\nThe council voted on Tuesday to approve the design. "
        + standfirst
        + " Work starts in March."
    )
    (f,) = duplicates.detect(text)
    assert f.code == "DUP001"
    assert text[f.start : f.end] == standfirst
    assert f.start == text.rindex(standfirst)
    assert "repeats sentence at line 3" in f.message


def test_sentence_repeated_far_away_in_the_same_paragraph():
    para = " ".join(PARAS[1:5] + [PARAS[2]])
    text = PARAS[0] + "\n\n" + para
    (f,) = duplicates.detect(text)
    assert (f.code, text[f.start : f.end]) == ("DUP001", PARAS[2])
    assert f.start == text.rindex(PARAS[2])


@pytest.mark.parametrize(
    "text",
    [
        "\n\n".join(PARAS),
        # short repeated lines (labels, furniture) are not duplicated content
        "Results\n\nArsenal 2 Leeds 1\n\nResults\n\nChelsea 0 Hull 0\n\nResults",
        # a sentence repeated within the same paragraph is the repetition family's business
        "The vote passed. The mayor thanked the council for its hard work today. "
        "Later she said: The mayor thanked the council for its hard work today.",
    ],
)
def test_no_duplicates(text):
    assert duplicates.detect(text) == []


def test_offsets_with_crlf_and_unicode():
    para = "Zoë Müller, the café owner, said the flood “ruined everything” on the ground floor."
    text = "Crue à Dijon\r\n\r\n" + para + "\r\n\r\nThe river fell on Monday.\r\n\r\n" + para + "\r\n"
    (f,) = duplicates.detect(text)
    assert text[f.start : f.end] == para
    assert f.start == text.rindex(para)
    assert "line 3" in f.message


def test_accepts_document():
    text = "\n\n".join(PARAS + [PARAS[1]])
    assert duplicates.detect(Document(text)) == duplicates.detect(text)


# --- shared data ----------------------------------------------------------------------------




def test_seed_000_second_copy_is_one_dup002():
    text = seed_text("000")
    found = [f for f in duplicates.detect(text) if f.code == "DUP002"]
    assert len(found) == 1
    (f,) = found
    # the run starts at the repeated headline and covers the rest of the pasted copy
    headline = text.splitlines()[4]
    assert f.start == text.index(headline, len(headline) + 10)
    assert f.end - f.start > 0.4 * len(text)
    assert "from the paragraph at line 5" in f.message


def test_seed_001_clean_copy_has_no_duplicates():
    assert duplicates.detect(seed_text("001")) == []


def test_false_positive_rate_on_bbc_test_split():
    words = hits = 0
    for text in bbc_texts("test"):
        doc = Document(text)
        words += doc.word_count
        hits += len(duplicates.detect(doc))
    assert hits * 1000 / words <= 0.2, (hits, words)

"""The lower-cased words a Document shares between families, and the code that reads them in
place of its own tokenisation: each must give what the per-family code it replaced gave."""

from __future__ import annotations

import random
import sys

import pytest

from detector.families import docstats, duplicates
from detector.text import WORD_RE, Document

TEXTS = [
    "",
    "   \n\n ",
    "The cat sat. The Cat sat!\n\nTHE CAT SAT?",
    "ΟΔΟΣ ΟΔΟΣ. ΑΣ’Σ ΣΑΣ Σ Σ.",  # final sigma: per word and in a joined line alike
    "İstanbul İZMİR KELVIN ſtraße, it’s O’Neill's 3rd 1999 café",
    "x" * 5000 + " " + "Y" * 3000,
    "Line one is here.\nLine two is here. Second sentence.\n\n\nLast line",
]


@pytest.mark.parametrize("text", TEXTS)
def test_lower_words_are_each_words_lower_case(text):
    doc = Document(text)
    assert doc.lower_words == [text[s:e].lower() for s, e in doc.words]
    # joined by single spaces: the lower-cased join (what the duplicate keys were)
    assert " ".join(doc.lower_words) == " ".join(text[s:e] for s, e in doc.words).lower()


def test_first_character_is_a_digit_exactly_when_lower_cased_first_character_is():
    # readability skips words that start with a digit, reading the lower-cased words
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        low = c.lower()
        assert c.isdigit() == low[0].isdigit(), hex(cp)


def _random_text(rnd: random.Random) -> str:
    pieces = ["The", "the", "cat", "Cat", "sat", "on", "a", "mat", "ΟΔΟΣ", "İ", "it’s", "3", "\n", "\n\n",
              ".", ",", "!", "Mr.", "said", "x" * 30]
    words = [rnd.choice(pieces) for _ in range(rnd.randint(0, 200))]
    return "".join(w + rnd.choice([" ", " ", "", "\n", ". ", ", "]) for w in words)


def _reference_line_keys(doc: Document):
    src = doc.text
    lines = [" ".join(WORD_RE.findall(src, s, e)).lower() for s, e in doc.lines]
    sents = [" ".join(WORD_RE.findall(src, s, e)).lower() for s, e in doc.sentences]
    return lines, sents


def test_duplicate_keys_from_the_shared_words():
    rnd = random.Random(4)
    for text in TEXTS + [_random_text(rnd) for _ in range(500)]:
        doc = Document(text)
        line_sents, ranges = duplicates._line_sentences(doc)
        lines, sents = _reference_line_keys(doc)
        assert [" ".join(doc.lower_words[a:b]) for a, b in ranges] == lines
        assert [key for per_line in line_sents for key, *_ in per_line] == sents
        assert [nw for per_line in line_sents for _, nw, *_ in per_line] == [
            len(WORD_RE.findall(text, s, e)) for s, e in doc.sentences
        ]


def test_duplicates_still_found_from_the_shared_words():
    para = "The council approved the new budget on Tuesday after a long debate about repairs."
    text = para + "\n\nSomething else entirely was said by the mayor on Wednesday.\n\n" + para.upper()
    found = duplicates.detect(text)
    assert [f.code for f in found] == ["DUP001"]
    assert text[found[0].start : found[0].end] == para.upper()


def test_numpy_ngram_statistics_equal_the_python_ones():
    rnd = random.Random(9)
    for _ in range(400):
        size = rnd.randint(docstats._NUMPY_MIN, 600)
        vocab = rnd.choice([2, 3, 5, 20, 300, 5000])
        ids_raw = [rnd.randrange(vocab) for _ in range(size)]
        if rnd.random() < 0.3:  # a pasted block: long repeats
            k = rnd.randint(0, size // 2)
            ids_raw[k:] = (ids_raw[:k] + ids_raw)[: size - k]
        first: dict[int, int] = {}
        ids = [first.setdefault(x, len(first)) for x in ids_raw]  # dense, in order of first use
        lens = [rnd.randint(1, 12) for _ in first]
        want_top = [docstats._top_ngram_chars(ids, lens, n) for n in (2, 3, 4)]
        want_dup = []
        for n in range(5, 11):
            chars = docstats._dup_ngram_chars(ids, lens, n)
            if not chars:
                break
            want_dup.append(chars)
        assert docstats._ngram_chars_numpy(ids, lens) == (want_top, want_dup)


def test_ngram_statistics_of_short_texts():
    assert docstats._ngram_chars([], []) == ([0, 0, 0], [])
    assert docstats._ngram_chars([0], [3]) == ([0, 0, 0], [])
    ids, lens = [0, 1, 0, 1, 0, 1], [3, 2]
    top, dup = docstats._ngram_chars(ids, lens)
    # (0 1) three times; (0 1 0) and (1 0 1) twice each, the first to occur wins; (0 1 0 1) twice
    assert top == [(3 + 2 + 1) * 3, (3 + 2 + 3 + 2) * 2, (3 + 2 + 3 + 2 + 3) * 2]
    assert dup == []


@pytest.mark.parametrize("text", TEXTS)
def test_word_texts_are_the_words(text):
    doc = Document(text)
    assert doc.word_texts == [text[s:e] for s, e in doc.words]


def _reference_brk003(ctx) -> list:
    """The word-by-word pass brk003 made before it looked the forms up all at once."""
    from detector.families.sentences import brk003
    from detector.families.sentences.words import verb_form

    out: list = []
    text, prev_f, prev_w = ctx.text, "", ""
    for i, (s2, e2) in enumerate(ctx.words):
        w2 = text[s2:e2]
        f2 = verb_form(w2) if w2.islower() else ""
        if f2 in brk003._FINITE and prev_f in brk003._FINITE and i + 1 < len(ctx.words):
            brk003._check_double(ctx, i, prev_w, prev_f, w2, f2, out)
        prev_f, prev_w = f2, w2
    return out


def test_brk003_finds_what_a_word_by_word_pass_finds():
    from detector.families.sentences import brk003
    from detector.families.sentences.common import _Ctx

    rnd = random.Random(8)
    pieces = ["The", "firm", "passes", "tops", "5,000", "rose", "jumped", "climbed", "cut", "hit", "the", "a",
              "said", "says", "was", "has", "continued", "Passes", "TOPS", "raised", "it", "which", "he", "claims",
              "proves", "£", "$", "10", ".", ",", "\n", "rising", "costs", "rose", "quickly", "helped"]
    texts = ["The index passes tops 5,000 points.", "Shares rose jumped 5% and fell.", ""]
    texts += [" ".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(3000)]
    hits = 0
    for text in texts:
        ctx = _Ctx(Document(text))
        got: list = []
        brk003._brk003(ctx, got)
        assert got == _reference_brk003(ctx), text
        hits += len(got)
    assert hits > 0  # the texts do exercise the rule


def test_sentence_index_from_the_sentence_words():
    from detector.families.repetition import rep002

    rnd = random.Random(6)
    for text in TEXTS + [_random_text(rnd) for _ in range(500)]:
        doc = Document(text)
        assert rep002._doc_sentence_index(doc) == rep002._sentence_index(doc.words, doc.sentences), text


def test_language_analysis_of_a_document_equals_that_of_its_text():
    from detector import language

    texts = TEXTS + [
        "Der Bundestag hat am Dienstag das neue Gesetz beschlossen, das die Steuern senkt.\n\n"
        "The minister said the plan would go ahead after the vote on Tuesday.",
        "Ceci est un paragraphe en français qui parle de la politique du gouvernement.\n"
        "Ceci est une autre ligne en français, assez longue pour être identifiée aussi.",
    ]
    for text in texts:
        doc = Document(text)
        assert language.blocks(doc) == language.blocks(text)
        assert language.analyse(doc) == language.analyse(text)
    assert not language.analyse(Document(texts[-1])).english  # the texts do reach the identifier


def _reference_brk002(ctx) -> list:
    """BRK002 as it read each sentence's words from the text (before the shared word texts)."""
    from detector.families.sentences import brk002
    from detector.families.sentences.common import _has_finite_verb
    from detector.families.sentences.words import _MONTHS, _SIGNOFF_RE

    def title_case(text, words):
        caps = 0
        for s, e in words:
            w = text[s:e]
            if w.lower() in brk002._SMALL:
                continue
            if not w[:1].isupper():
                return False
            caps += 1
        return caps >= 2

    def candidate(text, s, e, words, n_in_line):
        if n_in_line < 2 or len(words) < 5 or len(words) > 25 or not text[s].isupper() or text[e - 1] != ".":
            return False
        seg = text[s:e]
        if brk002._SKIP_FRAGMENT_RE.search(seg) or sum(1 for a, b in words if b - a >= 3) < 3:
            return False
        if _SIGNOFF_RE.match(seg) or sum(1 for a, b in words if text[a].isdigit()) * 3 > len(words):
            return False
        lower = sum(1 for a, b in words if text[a].islower())
        if not title_case(text, words) and lower * 2 < len(words):
            return False
        return text[words[-1][0] : words[-1][1]].lower() not in _MONTHS

    text, out = ctx.text, []
    by_line = ctx.by_line
    for li, (_line, sents) in enumerate(by_line):
        n = len(sents)
        if n == 1:
            if not (0 < li < len(by_line) - 1 and brk002._prose_line(text, *by_line[li - 1])
                    and brk002._prose_line(text, *by_line[li + 1])):
                continue
            n = 2 if not title_case(text, ctx.words_in(*sents[0])) else 1
        for s, e in sents:
            words = ctx.words_in(s, e)
            if candidate(text, s, e, words, n) and not _has_finite_verb(text, words, title_case(text, words)):
                out.append((s, e))
    return out


def test_brk002_finds_what_it_found_reading_words_from_the_text():
    from detector.families.sentences import brk002
    from detector.families.sentences.common import _Ctx

    rnd = random.Random(12)
    pieces = ["The", "Big", "Red", "Car", "in", "the", "of", "and", "Market", "Share", "Prices", "2004", "10",
              "Tony", "Blair", "January", "March.", "quickly", "very", "new", "old", "Plan", "sales", "rose",
              "is", "Wider", "Economy", "Sony", "Nintendo", "Microsoft", "Reporting", "by", "A", "UK", "US"]
    texts = ["Prices rose. A very big new car in the market. Sales fell.",
             "Sales rose again. Tony Blair And The Big Red Car. It went.",
             "Reporting by John Smith in the big city. Then it rained."]
    for _ in range(2000):
        lines = []
        for _ in range(rnd.randint(1, 4)):
            sents = [" ".join(rnd.choice(pieces) for _ in range(rnd.randint(2, 9))) + "." for _ in range(rnd.randint(1, 3))]
            lines.append(" ".join(sents))
        texts.append("\n\n".join(lines))
    hits = 0
    for text in texts:
        ctx = _Ctx(Document(text))
        got: list = []
        brk002._brk002(ctx, got)
        assert [(f.start, f.end) for f in got] == _reference_brk002(ctx), text
        hits += len(got)
    assert hits > 0  # the texts do exercise the rule

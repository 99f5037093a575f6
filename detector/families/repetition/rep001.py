"""REP001: the same word twice in a row ("the the"), grammatical doubles excepted (see
:mod:`detector.families.repetition`)."""

from __future__ import annotations

from ...findings import Finding
from .knobs import FAMILY
from .vocab import (
    _AFTER_THAT,
    _DIGIT_RE,
    _HSPACE_RE,
    _PARTICIPLES,
    CLEFT_DOUBLES,
    CLEFT_WORDS,
    LEGIT_DOUBLES,
    STOPWORDS,
)


def _word_repeats(text: str, words: list[tuple[int, int]], toks: list[str]) -> list[Finding]:
    out = []
    for k in range(len(toks) - 1):
        t = toks[k]
        if t != toks[k + 1]:
            continue
        (s1, e1), (s2, e2) = words[k], words[k + 1]
        if not _HSPACE_RE.fullmatch(text, e1, s2):
            continue
        if _DIGIT_RE.search(t) or (t in LEGIT_DOUBLES and not _slipped_double(text, toks, words, k)):
            continue
        a, b = text[s1:e1], text[s2:e2]
        if b[0].isupper() and (a[0].isupper() or not a[0].isalpha()) and t not in STOPWORDS:
            continue  # "Duran Duran", "Bora Bora": a doubled name or title
        if a[0].islower() and b[0].isupper():
            continue  # "law lord Lord Bingham"
        if len(t) == 1 and t not in ("a", "i"):
            continue  # initials, list letters
        out.append(
            Finding(
                FAMILY,
                "REP001",
                s1,
                e2,
                f'word repeated: "{text[s1:e2]}"',
                suggestion=a,
                severity="warning",
            )
        )
    return out


def _slipped_double(text: str, toks: list[str], words: list[tuple[int, int]], k: int) -> bool:
    """Is a normally grammatical double ("had had", "that that", "is is") a slip here?"""
    t = toks[k]
    nxt = toks[k + 2] if k + 2 < len(toks) else ""
    if nxt and not _HSPACE_RE.fullmatch(text, words[k + 1][1], words[k + 2][0]):
        nxt = ""  # punctuation follows: "There, there." / "had had." say nothing
    if t == "that":  # "that that decision" is fine, "said that that the" is not
        return nxt in _AFTER_THAT
    if t == "had":  # "had had a year" / "had had limited success" are fine, "had had been" is not
        if nxt in _PARTICIPLES:
            return True
        if len(nxt) >= 5 and nxt.endswith("ed") and not nxt.endswith("eed") and k + 3 < len(toks):
            # a verb, not an adjective, when a function word follows ("had had expected more")
            return toks[k + 3] in STOPWORDS
        return False
    if t == "there":  # "There, there" consoles; "as there there was" is a slip
        return bool(nxt)
    if t in CLEFT_DOUBLES:  # "what it is is" is a pseudo-cleft; "the web is is" is a slip
        return not any(toks[m] in CLEFT_WORDS for m in range(max(0, k - 12), k))
    return False

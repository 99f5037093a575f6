"""NAM006: a capitalised word in no lexicon, one typing slip from a frequent word or name.

Flagged: a capitalised word of 5+ letters that neither the language model nor the reference news
vocabulary knows (:mod:`..lexicon`), used once in the article, and one swapped,
doubled or (7+ letters) dropped letter from a frequent word or name ("Capmbell", "Madird",
"Hollwood"). Needs no gazetteer entry: most people in the news are in none.

Not flagged: words used twice or more (spelled the same way twice: deliberate); words of the user's names files;
words in the broad English vocabulary (wordfreq's large list: names, places and foreign words
common in English text);
words the gazetteer knows as someone's first name or surname; a word next to another
capitalised word (a full name: "Mirco Bergamasco") unless its slip target is itself a name;
spans already flagged by NAM001/NAM002/NAM005; substituted or added letters (too many real
names are one such letter from a word: "Griffen", "Symmons"); a letter missing at the very end
(foreign and shortened forms: "Magazin", "Informa", "Sherloc").
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from functools import lru_cache

from ... import gazetteer as gz
from ... import settings
from ...findings import Finding
from ...memo import kept_lru_cache
from .. import lexicon
from .knobs import NameSettings
from .lookups import _first_n, _last_n, user_known
from .tokens import FAMILY, MAX_NAME_TOKEN, Analysis, _Overlaps

# A capitalised word of 5+ letters not inside a longer word: ``(?<![\w'’\-‐])([A-Z][a-z]{4,})``,
# written to open with its capital (the lookbehind then checks the character before it), so the
# regex engine skips to capitals instead of trying the lookbehind at every position.
_CAP_WORD_RE = re.compile(r"([A-Z](?<![\w'’\-‐][A-Z])[a-z]{4,})(?![\w\-‐'’])")
_ABC = "abcdefghijklmnopqrstuvwxyz"
_GROUP_1 = operator.methodcaller("group", 1)


def _slip_sources(w: str, restore_dropped: bool = True) -> set[str]:
    """Words ``w`` may be a typing slip of (same first letter): two adjacent letters swapped
    back, a doubled letter undoubled, and (7+ letters, ``restore_dropped``) one dropped letter
    restored. Other slips (substituted or added letters) turn too many real names into
    near-words ("Griffen", "Symmons", "Saabs")."""
    n = len(w)
    out = {w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(1, n - 1) if w[i] != w[i + 1]}
    out.update(w[:i] + w[i + 1 :] for i in range(1, n) if w[i] == w[i - 1])
    if restore_dropped and n >= 7:
        out.update(w[:i] + c + w[i:] for i in range(1, n + 1) for c in _ABC)
    out.discard(w)
    return out


@lru_cache(maxsize=1 << 16)
def _known_word(w: str) -> bool:
    """Does the general-English language model or the reference news vocabulary know ``w``?"""

    return lexicon.known_word(w)


def _slip_target(w: str) -> str | None:
    """The most frequent known word ``w`` is one typing slip of, or None."""
    return _slip_target_with(w, settings.get(NameSettings))


def _at_the_end(w: str, v: str) -> bool:
    """Is ``v`` just ``w`` with a letter added at the end? A word's foreign or shortened form
    often lacks the English one's last letter ("Magazin", "Informa", "Familia", "Sherloc"): on
    clean copy such "slips" were names and titles, so a dropped letter is restored only inside
    the word ("Prsident", "Hollwood"); swapped letters may be at the end ("Smiht")."""
    return len(v) == len(w) + 1 and v.startswith(w)


@kept_lru_cache(1 << 16)  # hundreds of look-ups a new word: kept when the stream empties memos
def _slip_target_with(w: str, cfg: NameSettings) -> str | None:
    best = None
    for v in _slip_sources(w):
        if _at_the_end(w, v):
            continue
        lp = lexicon.unigram_logprob(v)
        if lp is not None and lp >= cfg.min_slip_target_logp and (best is None or lp > best[0]):
            best = (lp, v)
    return None if best is None else best[1]


def _swap_target(w: str) -> str | None:
    """The most frequent known word ``w`` is two swapped adjacent letters of, or None."""
    return _swap_target_with(w, settings.get(NameSettings))


@lru_cache(maxsize=1 << 14)
def _swap_target_with(w: str, cfg: NameSettings) -> str | None:
    best = None
    for i in range(1, len(w) - 1):
        v = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        lp = lexicon.unigram_logprob(v) if v != w else None
        if lp is not None and lp >= cfg.min_slip_target_logp and (best is None or lp > best[0]):
            best = (lp, v)
    return None if best is None else best[1]


_PARTICLE = r"(?:bin|ibn|al|von|van|der|den|de|da|dos|du|la|le|di|del)"
_BEFORE_RE = re.compile(rf"([A-Z][\w'’\-‐]*)(?: {_PARTICLE})? $")
_AFTER_RE = re.compile(rf" (?:{_PARTICLE} )?([A-Z][\w'’\-‐]*)")
_SENTENCE_END = frozenset('.!?:;"“”\n')


def _a_name(g: gz.Gazetteer, w: str) -> bool:
    """Does the gazetteer know the folded word ``w`` as someone's first name or surname?"""
    return bool(_first_n(g, w) or _last_n(g, w))


def _in_name_run(text: str, s: int, e: int) -> bool:
    """Is the word at ``s:e`` part of a person's full name: next to another capitalised word (one
    space between, name particles allowed; not one that starts a sentence) that no lexicon knows
    ("Mirco *Bergamasco*", "*LaShawn* Merrit")? A known word next to it ("Hollwood Town",
    "Capmbell Park") makes a place or a club, not a name."""
    nbs = []
    m = _AFTER_RE.match(text, e)
    if m:
        nbs.append(m.group(1))
    m = _BEFORE_RE.search(text, max(0, s - 40), s)
    if m:
        k = m.start() - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        if k >= 0 and text[k] not in _SENTENCE_END:
            nbs.append(m.group(1))
    return any(not _known_word(n.lower()) for n in nbs)


def _typing_slips(text: str, res: Analysis) -> None:
    """NAM006 for a capitalised word that neither the language model nor the reference news
    vocabulary knows, used once, and one typing slip from a frequent word or name
    ("Capmbell" -> Campbell, "Madird" -> Madrid, "Hollwood" -> Hollywood)."""
    if not lexicon.lm_available():
        return
    counts: Counter | None = None
    # findings so far; the ones this loop adds are on earlier words and never overlap a later one
    taken = _Overlaps([(f.start, f.end) for f in res.findings])
    matches = list(_CAP_WORD_RE.finditer(text))
    # most capitalised words are known: look them all up at once (a memo), visit only the others
    known = list(map(_known_word, map(str.lower, map(_GROUP_1, matches))))
    k = -1
    while True:
        try:
            k = known.index(False, k + 1)
        except ValueError:
            break
        m = matches[k]
        tok = m.group(1)
        if len(tok) > MAX_NAME_TOKEN:
            continue
        w = tok.lower()
        if user_known(w):
            continue
        if counts is None:
            counts = Counter(map(_GROUP_1, matches))
        if counts[tok] > 1:
            continue  # spelled the same way twice: deliberate, the word's own spelling
        s0, e0 = m.start(1), m.end(1)
        if taken.hits(s0, e0):
            continue
        if lexicon.in_broad_vocabulary(w):
            # wordfreq's broad list knows it ("Charing", "Bleus", "Informa"): a real name or word
            # in English text, not a slip; the slips on clean copy were in no list ("Thaliand")
            continue
        g = gz.get()
        if _a_name(g, w):
            continue  # someone's name ("Cristian", "Tonny"): a spelling, not a slip
        best = _slip_target(w)
        if best is None:
            continue
        if _in_name_run(text, s0, e0) and not _a_name(g, best):
            # part of a full name ("Mirco Bergamasco", "Talis Pusbarnieks"): a slip only of a name
            continue
        good = best.capitalize()
        res.findings.append(
            Finding(
                FAMILY,
                "NAM006",
                s0,
                e0,
                f"'{tok}' is in no lexicon; a typing slip of '{good}'?",
                suggestion=good,
            )
        )

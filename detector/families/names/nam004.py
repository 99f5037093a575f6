"""NAM004 helpers: corroboration for LanguageTool's unknown capitalised words.

The grammar family reports LanguageTool's unknown capitalised words; a word is a *misspelling*
(NAM004, warning) only with corroboration from :func:`unknown_word_evidence` (another spelling
used more often in the article or the batch, a typing slip of a frequent word, a slip of a
prominent person's surname). Otherwise it is at most a note (opt-in). Words of the user's
names files get neither.
"""

from __future__ import annotations

import re
from collections import Counter

from ... import gazetteer as gz
from ... import settings
from .. import lexicon
from .knobs import NameSettings
from .lookups import COMMON_LAST, _is_given_name
from .nam006 import _known_word, _slip_sources, _slip_target, _swap_target
from .tokens import _CLITIC_RE, _HYPHEN_RE, _LET, _UP, MAX_NAME_TOKEN, _form_token

# -- NAM004: LanguageTool's unknown capitalised words ---------------------------------------------
# LanguageTool's spell-checker does not know most names in the news (Rafah, Zuma, Barnea,
# Bremmer), so an unknown capitalised word is a *misspelling* (NAM004, warning) only with
# corroboration (:func:`unknown_word_evidence`). Otherwise it is at most a note -- family
# ``note``, severity info, which no model counts -- and only when the user asks for notes:
# ``DETECTOR_NAM004_NOTES=1``. Words of the user's names files (``--names``) get neither.
NAM004_NOTES_ENV = "DETECTOR_NAM004_NOTES"


def nam004_notes_enabled() -> bool:
    """Are uncorroborated NAM004 notes wanted (``DETECTOR_NAM004_NOTES=1``)?"""
    import os

    return os.environ.get(NAM004_NOTES_ENV, "").strip().lower() not in ("", "0", "no", "false", "off")


_CAP_TOKEN_RE = re.compile(rf"(?<![\w'’\-‐]){_UP}{_LET}+(?:['’]{_LET}+)?(?![\w\-‐])")


def capitalised_counts(text: str) -> Counter:
    """Capitalised words of a text (possessive endings cut) with their counts."""
    out: Counter = Counter()
    for m in _CAP_TOKEN_RE.finditer(text):
        tok = _CLITIC_RE.sub("", m.group())
        if 1 < len(tok) <= MAX_NAME_TOKEN:
            out[tok] += 1
    return out


def bare_word(word: str) -> str:
    """``word`` without a possessive or contraction ending ("Blinken's" -> "Blinken")."""
    return _CLITIC_RE.sub("", word)


def typing_slip(a: str, b: str) -> bool:
    """Is ``a`` one typing slip from ``b`` (folded words of 5+ letters, same initial): two
    adjacent letters swapped, or one letter added or dropped -- not a substituted letter, which
    as often makes another real name ("Hamad"/"Hamas", "Marca"/"March"), nor a different
    ending ("Koreas"/"Korean", "Lanka"/"Lankan")."""
    if a == b or a[:1] != b[:1] or min(len(a), len(b)) < 5:
        return False
    la, lb = len(a), len(b)
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if abs(la - lb) != 1:
        return False
    short, long_ = (a, b) if la < lb else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long_[i]), len(short))
    if i == len(short):
        return False  # an added ending ("Korea"/"Koreas")
    return short[i:] == long_[i + 1 :]


class SpellingIndex:
    """Capitalised words (surface form -> count) by folded initial and length, so the spellings
    one edit from a word are found without a pass over the whole vocabulary."""

    def __init__(self, counts: Counter):
        self.counts = counts
        self.buckets: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for w in counts:
            k2 = gz.fold(w)
            if k2:
                self.buckets.setdefault((k2[0], len(k2)), []).append((w, k2))

    def variant(
        self, k: str, min_n: int, exclude: str, minus: Counter | None = None
    ) -> tuple[str, int] | None:
        """The one spelling that ``k`` (folded) is a typing slip of (:func:`typing_slip`), used at
        least ``min_n`` times (less its count in ``minus``); None if none or several."""
        found: dict[str, tuple[str, int]] = {}
        for d in range(-2, 3):
            for w, k2 in self.buckets.get((k[:1], len(k) + d), ()):
                n = self.counts[w] - (1 if minus is not None and w in minus else 0)
                if n < min_n or w == exclude or k2 == k or not typing_slip(k, k2):
                    continue
                if k2 not in found or n > found[k2][1]:
                    found[k2] = (w, n)
        return next(iter(found.values())) if len(found) == 1 else None


_prominent_index: dict = {}


def _prominent_surnames(g: gz.Gazetteer) -> dict[tuple[str, int], list[tuple[str, int]]]:
    """Surnames of the gazetteer's most prominent people (curated list, US executive, user
    files), by initial and length, with one person id each (built once per gazetteer)."""
    hit = _prominent_index.get(id(g))
    if hit is not None and hit[0] is g:
        return hit[1]
    idx: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for last, entries in g.t_by_last.items():
        pids = [pid for _, pid, _ in entries if g.prominent(pid, gz.PROMINENT)]
        if pids and len(last) >= 5:
            idx.setdefault((last[0], len(last)), []).append((last, pids[0]))
    _prominent_index.clear()
    _prominent_index[id(g)] = (g, idx)
    return idx


def unknown_word_evidence(
    text: str, start: int, end: int, index: SpellingIndex | None = None
) -> tuple[str, str] | str | None:
    """What corroborates that the capitalised word ``text[start:end]``, unknown to LanguageTool,
    is a misspelling: ``(evidence in words, suggested spelling)``; ``"known"`` when the user's
    names files list it (no finding at all); None when nothing does (at most a note).

    Corroboration, in order: another spelling of it used more often in the same article (one
    typing slip away, :func:`typing_slip`: "Zelenksy" once, "Zelensky" three times); a typing slip (swapped,
    doubled or dropped letter) of a frequent word or name that the language model knows, when
    the word itself is in no lexicon ("Capmbell"); a slip of the surname of one of the
    gazetteer's most prominent people, when the word is nobody's name in the shared lists
    ("Merkle" for Merkel). ``index``: the :class:`SpellingIndex` of :func:`capitalised_counts`
    of ``text`` (built if None)."""
    cfg = settings.get(NameSettings)
    word = _CLITIC_RE.sub("", text[start:end])
    toks = [t for t in _HYPHEN_RE.split(word) if t]
    g = gz.get()
    keys = [gz.fold(t) for t in re.split(r"[\s\-‐]+", word) if t]
    if any(g.is_user_token(k) for k in keys):
        return "known"
    if " " in word.strip():
        # LanguageTool's multi-word match ("Jhon Smiht"): corroborated if one of its words is
        if index is None:
            index = SpellingIndex(capitalised_counts(text))
        reasons, fixed = [], []
        for m in re.finditer(r"\S+", word):
            ev = (
                unknown_word_evidence(text, start + m.start(), start + m.end(), index)
                if m.group()[:1].isupper()
                else None
            )
            if isinstance(ev, tuple):
                reasons.append(f"'{m.group()}': {ev[0]}")
                fixed.append(ev[1])
            else:
                fixed.append(m.group())
        return ("; ".join(reasons), " ".join(fixed)) if reasons else None
    if len(toks) != 1 or len(word) > MAX_NAME_TOKEN or len(word) < 4:
        return None
    k = gz.fold(word)
    if index is None:
        index = SpellingIndex(capitalised_counts(text))
    n_here = index.counts.get(word, 0)
    if n_here > cfg.max_unknown_uses:
        return None
    v = index.variant(k, max(cfg.min_variant_uses, n_here + 1), word)
    if v is not None:
        return f"'{v[0]}' is used {v[1]} times in this article", v[0]

    if lexicon.lm_available() and len(k) >= 4 and not _known_word(k) and not lexicon.in_broad_vocabulary(k):
        # 4 letters: swapped letters only ("Lnoa"); an undoubled one makes words ("Baat"). A word
        # wordfreq knows is someone's real spelling ("Jhon"), not a slip
        best = _slip_target(k) if len(k) >= cfg.min_typing_slip_len else _swap_target(k)
        if best is not None:
            good = best.capitalize()
            return f"it is one typing slip from '{good}'", good
    if g.shared and not g.last_count(k) and not _is_given_name(g, k) and k not in COMMON_LAST:
        near = [
            (t, pid)
            for d in range(-1, 2)
            for t, pid in _prominent_surnames(g).get((k[0], len(k) + d), ())
            if t in _slip_sources(k, restore_dropped=True) or k in _slip_sources(t, restore_dropped=False)
        ]
        if len(near) == 1:
            t, pid = near[0]
            form = _form_token(g.persons[pid][0], "last")
            return f"it is one slip from the surname of {g.persons[pid][0]}", form
    return None


def batch_variant(word: str, batch: SpellingIndex, own: Counter) -> tuple[str, int] | None:
    """Another spelling of ``word`` used in at least ``min_variant_docs`` other articles of the
    batch (``batch``: the index of in how many articles each capitalised word occurs; ``own``:
    this article's counts), when no other article uses ``word`` itself."""
    cfg = settings.get(NameSettings)
    if batch.counts.get(word, 0) - (1 if word in own else 0) > 0:
        return None
    return batch.variant(gz.fold(word), cfg.min_variant_docs, word, minus=own)

"""NAM005: a given name that is a typing slip of a common one ("Anyd Robinson" -> Andy).

Flagged: the first word of a two-word name that is nobody's given name or surname (gazetteer),
unknown to the language model and the reference news, not used as an ordinary word in the
article, and two swapped or one doubled letter from a common given name (clearly the most
common such). Needs the shared legislator lists (without them too few names are known).

Not flagged: substituted or dropped letters (real given names are often one such letter from
another: "Joss", "Jerzy", "Barbra"); names in the user's names files.
"""

from __future__ import annotations

from collections import Counter

from ... import gazetteer as gz
from ... import settings
from .knobs import NameSettings
from .lookups import COMMON_FIRST, COMMON_LAST, _last_n, _memo, _unknown_first, user_known
from .nam006 import _known_word, _slip_sources
from .tokens import STOP, Analysis, _flag, _replace, _word_used

_given_index: dict = {}


def _common_given(g: gz.Gazetteer) -> dict[str, list[tuple[str, int]]]:
    """Common given names of the gazetteer, by initial, with their counts (built once)."""
    cfg = settings.get(NameSettings)
    hit = _given_index.get(id(g))
    if hit is not None and hit[0] is g and hit[2] is cfg:
        return hit[1]
    counts: Counter = Counter()
    for k in g.s_fl:
        counts[k.split(" ", 1)[0]] += 1
    for f, lasts in g.fl.items():
        counts[f] += len(lasts)
    by_initial: dict[str, list[tuple[str, int]]] = {}
    for f, n in counts.items():
        if len(f) >= 3 and (n >= cfg.min_common_given or f in COMMON_FIRST):
            by_initial.setdefault(f[0], []).append((f, n))
    for f in COMMON_FIRST:
        if f not in counts:
            by_initial.setdefault(f[0], []).append((f, cfg.min_common_given))
    _given_index.clear()
    _given_index[id(g)] = (g, by_initial, cfg)
    return by_initial


def _given_slip(index: dict[str, list[tuple[str, int]]], f: str) -> str:
    """The common given name ``f`` is a typing slip of (clearly the most common such), or ''.
    Only swapped or doubled letters: real given names are often one substitution or dropped
    letter from another ("Joss", "Jerzy", "Barbra", "Stevie")."""
    sources = _slip_sources(f, restore_dropped=False)
    near = sorted(((n, c) for c, n in index.get(f[0], ()) if c in sources), reverse=True)
    if not near or (len(near) > 1 and near[1][0] * 3 > near[0][0]):
        return ""
    return near[0][1]


def _given_name_slips(g: gz.Gazetteer, res: Analysis, text: str) -> None:
    """NAM005 for a two-word name whose first word is nobody's given name (nor surname), a word
    neither the language model nor the reference news know, and one typing slip from a common
    given name ("Anyd Robinson" -> Andy, "Peeter Kenyon" -> Peter)."""
    if not g.shared:
        return
    index = None
    for m in res.mentions:
        if m.known or m.flagged or len(m.toks) < 2 or m.toks[0].particle:
            continue
        f = m.core[0]
        if len(f) < 4 or not _unknown_first(g, f) or _last_n(g, f) or f in COMMON_LAST or f in STOP:
            continue
        if not m.toks[0].text[:1].isupper() or m.toks[0].text.isupper():
            continue
        if index is None:
            index = _common_given(g)
        good = _memo(g, "given-slip", f, lambda f, index=index: _given_slip(index, f))
        if not good:
            continue
        if any(x.start < m.end and m.start < x.end for x in res.findings):
            continue
        if _word_used(text, m.toks[0].text.lower()):
            continue  # also used as an ordinary word
        if _known_word(f) or user_known(f):
            continue  # the language model or the reference news know it ("Renee", "Joss")
        tok = m.toks[0].text
        good_tok = good.upper() if tok.isupper() else good.capitalize()
        obs = text[m.start : m.end]
        _flag(res, m, "NAM005", f"'{tok}' in '{obs}' is nobody's given name; a slip of '{good_tok}'?",
              _replace(m, "first", good_tok))  # fmt: skip

"""NAM002: two spellings of one name in one article.

Flagged: two spellings of a full name in one article that differ by a near miss in the first or
the last name ("Yoav Galant ... Yoav Gallant"): the known, else majority, spelling is suggested
for the other; a lone surname that is nobody's name and one slip from the surname of someone
named in full in the article ("Michael Heseltine ... Mr Hseeltine"), after a title, a first name,
or before a reporting verb; a full name whose surname is nobody's name and one slip from a
surname the article uses on its own more often ("Stewart Dwoning ... Downing said").

Not flagged: two known spellings, or two spellings of one known person; names already flagged
by NAM001; a lone word also used in lower case or more than once; plural, possessive or derived
endings ("Lanka"/"Lankan").
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter

from ... import gazetteer as gz
from ... import settings
from ...findings import Finding
from .knobs import NameSettings
from .lookups import (
    COMMON_FIRST,
    COMMON_LAST,
    _is_given_name,
    _unknown_last,
    _variant_pair,
    similar,
    slip,
    slip_suffix,
)
from .tokens import (
    _CLITIC_RE,
    _UP,
    FAMILY,
    Analysis,
    Mention,
    _count_token,
    _flag,
    _Overlaps,
    _replace,
    _word_used,
)

# Performance cap (see "Per-article budget" in the README): names sharing a first name and the
# initial of the surname (or a surname and the initial of the first name) are compared in
# pairs, at most this many per group (the first in the text): a real article names a few
# dozen people at most; a megabyte of capitalised words would otherwise make the comparisons
# quadratic.
MAX_NAME_GROUP = 200


# A capitalised word standing alone (not next to another capitalised word): a surname mention.
# A capitalised word on its own: ``(?<![\w'’\-.]){_UP}...``, written to open with its capital
# (the lookbehind then checks the character before it) so the regex engine skips to capitals.
_WORD_RE = re.compile(rf"{_UP}(?<![\w'’\-.]{_UP})[a-zà-ÿ]+(?:['’][a-z]+)?(?![\w\-‐])")
TITLES = frozenset("mr mrs ms miss dr prof sir dame lord lady president minister chancellor senator".split())
_SAID_RE = re.compile(
    r"(?:['’]s)?,?[ \u00a0]+(?:has |had |also |then |later )?"
    r"(?:said|says|told|added|argued|insisted|warned|claimed|replied|wrote|stressed|admitted)\b"
)
_SENT_END = ".!?\n\"“”'‘’:;(-–—•*"


def _surname_slips(g: gz.Gazetteer, text: str, res: Analysis) -> None:
    """NAM002 for a lone surname one letter from the surname of someone named in full in this
    article ("Mr Blari" after "Tony Blair"), when the word is nobody's name."""
    cfg = settings.get(NameSettings)
    surnames: dict[str, str] = {}
    for m in res.mentions:
        if m.known and len(m.core[-1]) >= 4 and m.toks[-1].text[:1].isupper():
            surnames.setdefault(m.core[-1], m.toks[-1].text)
    if not surnames:
        return
    initials = {k[0] for k in surnames}
    # by initial and length: a slip keeps the initial and the length within one or two
    by_shape: dict[tuple[str, int], list[str]] = {}
    for k in surnames:
        by_shape.setdefault((k[0], len(k)), []).append(k)
    # not inside a known name or a finding; an unknown name's last word may be a slip ("Cherie Blari")
    spans = [(m.start, m.end if m.known else m.toks[-1].start) for m in res.mentions]
    spans += [(f.start, f.end) for f in res.findings]
    # words come in text order and do not overlap, so the spans this loop adds (below) never
    # overlap a later word: the spans known now are all that matter
    overlaps = _Overlaps(spans)
    # where the last word of an unknown name of two or more words starts ("Cherie Blari")
    named_last = {m.toks[-1].start for m in res.mentions if not m.known and m.start < m.toks[-1].start}
    seen: dict[str, int] = {}
    for w in _WORD_RE.finditer(text):
        tok = w.group()
        m2 = _CLITIC_RE.search(tok)
        if m2 and m2.start() > 0:
            tok = tok[: m2.start()]
        k = gz.fold(tok)
        if k[:1] not in initials or k in surnames or len(k) < 4:
            continue
        near = [s for d in range(-2, 3) for s in by_shape.get((k[0], len(k) + d), ()) if slip(k, s, 4)]
        if len(near) != 1:
            continue
        s0, e0 = w.start(), w.start() + len(tok)
        if overlaps.hits(s0, e0):
            continue
        if k in COMMON_LAST or k in COMMON_FIRST or g.last_count(k) or _is_given_name(g, k) or not g.shared:
            continue
        if g.is_user_token(k):
            continue
        # a title before it, or a word inside a sentence used once and never in lower case
        j = s0 - 1
        while j >= 0 and text[j] in " \t\u00a0":
            j -= 1
        prev = re.search(r"(\w+)\.?$", text[max(0, j - 20) : j + 1]) if j >= 0 else None
        titled = prev is not None and prev.group(1).lower() in TITLES
        # a title before it ("Mr Blari"), a first name ("Cherie Blari"), or a reporting verb
        # after it ("..., Blari said"); used once and never in lower case
        if not titled:
            after = _SAID_RE.match(text, e0)
            named = s0 in named_last
            if not (after or named):
                continue
            if (j < 0 or text[j] in _SENT_END) and len(k) < cfg.min_slip_sentence_start:
                continue
            n = seen.get(k)
            if n is None:
                n = seen[k] = _count_token(text, tok) + _word_used(text, tok.lower())
            if n > 1:
                continue
        good = surnames[near[0]]
        if _count_token(text, good) < 1:
            continue
        spans.append((s0, e0))
        res.findings.append(
            Finding(
                FAMILY,
                "NAM002",
                s0,
                e0,
                f"'{tok}' looks like a misspelling of '{good}', named in full in this article",
                suggestion=good,
            )
        )


def _lone_surnames(text: str) -> Counter:
    """Folded capitalised words standing alone (not part of a capitalised run), with counts."""
    toks = [_cut_clitic(t) if "'" in t or "’" in t else t for t in _WORD_RE.findall(text)]  # (a clitic has one)
    return Counter(map(gz.fold, toks))


def _cut_clitic(tok: str) -> str:
    """``tok`` without a possessive or contraction ending ("Blair's" -> "Blair")."""
    m2 = _CLITIC_RE.search(tok)
    return tok[: m2.start()] if m2 and m2.start() > 0 else tok


class _FirstUse:
    """The first capitalised word (text order) whose folded form starts with a given prefix,
    found by bisection in the sorted folded forms rather than by a scan of the text per query."""

    def __init__(self, text: str):
        first: dict[str, tuple[int, str]] = {}
        for i, w in enumerate(_WORD_RE.finditer(text)):
            k = gz.fold(w.group())
            if k not in first:
                first[k] = (i, w.group())
        self.keys = sorted(first)
        self.first = first

    def find(self, prefix: str) -> str | None:
        lo = bisect.bisect_left(self.keys, prefix)
        best = None
        for k in itertools.islice(self.keys, lo, None):
            if not k.startswith(prefix):
                break
            if best is None or self.first[k][0] < best[0]:
                best = self.first[k]
        return None if best is None else best[1]


def _full_name_slips(g: gz.Gazetteer, text: str, res: Analysis) -> None:
    """NAM002 for a full name whose surname is nobody's name and one slip from a surname the
    article uses on its own at least as often ("Stewart Dwoning ... Downing said")."""
    cands = [
        m
        for m in res.mentions
        if not m.known
        and not m.flagged
        and len(m.toks) >= 2
        and _unknown_last(g, m.core[-1])
        and _is_given_name(g, m.core[0])
        and not _is_given_name(g, m.core[-1])
        and m.toks[-1].text[:1].isupper()
    ]
    if not cands:
        return
    lone = _lone_surnames(text)
    # lone words used twice or more, by initial and length (a slip keeps the initial and the
    # length within two): each candidate looks at a few buckets, not at every word
    buckets: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for w, n in lone.items():
        if n >= 2 and w:
            buckets.setdefault((w[0], len(w)), []).append((w, n))
    n_last = Counter(x.core[-1] for x in res.mentions)
    first_use = None
    for m in cands:
        last = m.core[-1]
        n_obs = n_last[last] + lone.get(last, 0)
        near = [
            w
            for d in range(-2, 3)
            for w, n in buckets.get((last[:1], len(last) + d), ())
            if n >= max(2, n_obs + 1) and w != last and slip(last, w, 4) and not slip_suffix(last, w)
        ]
        if len(near) != 1 or any(f.start < m.end and m.start < f.end for f in res.findings):
            continue
        if first_use is None:
            first_use = _FirstUse(text)
        good_tok = first_use.find(near[0])
        if good_tok is None:
            continue
        good_tok = _CLITIC_RE.sub("", good_tok)
        obs = text[m.start : m.end]
        _flag(res, m, "NAM002", f"'{obs}': the surname is spelled '{good_tok}' elsewhere in this article",
              _replace(m, "last", good_tok))  # fmt: skip


def _differs(a: Mention, b: Mention) -> str | None:
    """'first'/'last' when two mentions' names differ by a near-miss in exactly that token."""
    fa, la, fb, lb = a.core[0], a.core[-1], b.core[0], b.core[-1]
    if fa == fb and la != lb and similar(la, lb):
        return "last"
    if la == lb and fa != fb and similar(fa, fb):
        return "first"
    return None


def _popularity(g: gz.Gazetteer, which: str, m: Mention) -> int:
    return g.first_count(m.core[0]) if which == "first" else g.last_count(m.core[-1])


def _similar_pairs(keys: list[str], first: list[Mention]) -> list[tuple[int, int]]:
    """Index pairs (x < y, in order) of pair keys that :func:`_differs` may match: the same
    first name and the same initial of the surname, or the same surname and the same initial
    of the first name (a near miss keeps the initial). Comparing every pair of names was
    quadratic in the names of the article (hours for a megabyte of capitalised words); the
    groups keep it near-linear. Same pairs, same order, as the full double loop."""
    groups: dict[tuple, list[int]] = {}
    for x, m in enumerate(first):
        f, last = m.core[0], m.core[-1]
        groups.setdefault(("f", f, last[:1]), []).append(x)
        groups.setdefault(("l", last, f[:1]), []).append(x)
    out: set[tuple[int, int]] = set()
    for idx in groups.values():
        if len(idx) < 2:
            continue
        idx = idx[:MAX_NAME_GROUP]
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                out.add((idx[a], idx[b]))
    return sorted(out)


def _nam002(g: gz.Gazetteer, text: str, res: Analysis) -> None:
    by_pair: dict[str, list[Mention]] = {}
    for m in res.mentions:
        by_pair.setdefault(m.pair, []).append(m)
    if len(by_pair) < 2:
        return
    keys = list(by_pair)
    for x, y in _similar_pairs(keys, [by_pair[k][0] for k in keys]):
        ma, mb = by_pair[keys[x]], by_pair[keys[y]]
        which = _differs(ma[0], mb[0])
        if which is None:
            continue
        known_a = any(m.known for m in ma)
        known_b = any(m.known for m in mb)
        if known_a and known_b or _variant_pair(g, keys[x], keys[y]):
            continue
        if any(m.flagged for m in ma) or any(m.flagged for m in mb):
            continue  # NAM001 already
        if known_a != known_b:
            right, wrong = (ma, mb) if known_a else (mb, ma)
        else:
            ta = ma[0].toks[0 if which == "first" else -1].text
            tb = mb[0].toks[0 if which == "first" else -1].text
            # more mentions wins; then the longer spelling (dropped letters are the commoner
            # slip); then the spelling of more known people; then the first used
            sa = (_count_token(text, ta), len(ma), len(ta), _popularity(g, which, ma[0]), -ma[0].start)
            sb = (_count_token(text, tb), len(mb), len(tb), _popularity(g, which, mb[0]), -mb[0].start)
            right, wrong = (ma, mb) if sa > sb else (mb, ma)
        good = right[0].toks[0 if which == "first" else -1].text
        for m in wrong:
            obs = text[m.start : m.end]
            _flag(res, m, "NAM002", f"'{obs}' is also spelled '{right[0].text}' in this article",
                  _replace(m, which, good))  # fmt: skip

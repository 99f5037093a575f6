"""NAM003: minority spelling of a name across a batch; batch evidence on NAM001.

- NAM003: a spelling used in at most two thirds as many articles as a similar person-name
  spelling seen in at least two (a quarter, and three articles, when both spellings are real
  names: known first names or surnames), and not itself a known spelling (gazetteer) nor a
  known variant of the majority spelling. Mentions already flagged by NAM001/NAM002, or
  overlapping one of the article's findings, are not flagged again.
- NAM001 confirmed: a NAM001 finding whose suggested spelling other articles of the batch use
  is re-issued (same code and span) with that evidence in its message. An article uses the
  spelling when it writes it as whole words ("Antony Blinken", "Antony Blinken's"); until the
  index, any occurrence as a substring counted ("Antony Blinkenberg"), which needed every
  article's text at once.

Two passes, so a batch can be processed in parts (a Dask reduction, say):
:func:`batch_index` turns one article into a :class:`NameIndex` -- counts of name spellings,
never the article's text -- ; :meth:`NameIndex.merge` adds two indexes (associative, with the
first index's articles taken as coming first); :func:`batch_findings` gives one article's
findings against the index of the whole batch. :func:`detect_batch` is the two passes in one
process.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from dataclasses import dataclass, field

from ... import gazetteer as gz
from ... import settings
from ...findings import Finding
from ...text import Document, as_document
from .analysis import MAX_RUN_TOKENS, analyse
from .knobs import NameSettings
from .lookups import _is_given_name, _variant_pair, similar
from .tokens import _CLITIC_RE, _MAX_WINDOW, FAMILY, TOKEN_RE, _keys, _replace


@dataclass(slots=True)
class Spelling:
    """What the batch says about one spelling of a name (a pair key, "first last", folded)."""

    docs: int  # articles that use it
    known: bool  # some use of it is a known spelling (gazetteer)
    # the first use in the batch: (text, first token, last token, first key, last key)
    ref: tuple[str, str, str, str, str]


@dataclass(slots=True)
class NameIndex:
    """Counts of the name spellings of some articles: mergeable, holds no article text.

    ``spellings``: pair key -> :class:`Spelling`, in order of first use in the batch;
    ``spelled``: exact spellings of capitalised word sequences (2 to 12 words, as a NAM001
    suggestion is written) -> number of articles that contain them; ``docs``: articles."""

    docs: int = 0
    spellings: dict[str, Spelling] = field(default_factory=dict)
    spelled: Counter = field(default_factory=Counter)
    _derived: dict | None = field(default=None, compare=False, repr=False)

    def merge(self, other: NameIndex) -> NameIndex:
        """The index of both sets of articles, ``self``'s first (a new object; associative)."""
        out = NameIndex(spelled=Counter(self.spelled))
        out.docs = self.docs
        out.spellings = {k: Spelling(v.docs, v.known, v.ref) for k, v in self.spellings.items()}
        return out.absorb(other)

    def absorb(self, other: NameIndex) -> NameIndex:
        """Add ``other``'s articles after this index's, in place (linear in ``other``; ``other``
        is not modified): what :meth:`merge` gives, without copying this index, so a fold over
        a batch's articles stays linear in the batch."""
        for k, v in other.spellings.items():
            mine = self.spellings.get(k)
            if mine is None:
                self.spellings[k] = Spelling(v.docs, v.known, v.ref)
            else:
                mine.docs += v.docs
                mine.known = mine.known or v.known
        self.spelled.update(other.spelled)
        self.docs += other.docs
        self._derived = None
        return self

    def _majority(self) -> dict:
        """Per pair key, the majority spelling NAM003 would correct it to (built once)."""
        if self._derived is None:
            self._derived = {"best": {}, "order": {k: n for n, k in enumerate(self.spellings)}}
            by_first: dict[tuple[str, str], list[str]] = {}
            by_last: dict[tuple[str, str], list[str]] = {}
            for k in self.spellings:
                f, last = k.split(" ", 1)
                by_first.setdefault((f, last[:1]), []).append(k)
                by_last.setdefault((last, f[:1]), []).append(k)
            self._derived["by"] = (by_first, by_last)
            self._derived["person"] = {}
        return self._derived


def _spelled(text: str) -> set[str]:
    """Exact spellings of sequences of 2 to ``_MAX_WINDOW`` name tokens separated by single
    spaces, first and last not a particle, a possessive or contraction cut from the last (the
    shape of a NAM001 suggestion), within the name checks' token budget. Only sequences that can
    be a NAM001 suggestion are kept: the first token is a gazetteer target's first name, or the
    last one a target's surname (a suggestion keeps one token of the target's name and takes the
    other from it), which keeps the index small whatever the text.

    A sequence is a run of tokens each starting one space after the previous one ends, the
    previous one not cut (a cut token ends its sequence). Most name tokens stand alone, so the
    tokens' spans are listed first and only the runs of two or more are looked at."""
    out: set[str] = set()
    spans = [m.span() for m in itertools.islice(TOKEN_RE.finditer(text), MAX_RUN_TOKENS)]
    # k: token k starts one space after token k - 1 ends (before any clitic is cut)
    linked = [
        k for k in range(1, len(spans)) if spans[k][0] == spans[k - 1][1] + 1 and text[spans[k - 1][1]] == " "
    ]
    if not linked:
        return out
    g = gz.get()
    tf, tl = g.t_by_first, g.t_by_last
    group: list[tuple[int, int, bool, bool, bool]] = []  # (start, end, particle, first edge, last edge)
    prev = -2

    def flush():
        n = len(group)
        for i in range(n - 1):
            si, _, part_i, first_i, _ = group[i]
            if part_i:
                continue
            for j in range(i + 1, min(n, i + _MAX_WINDOW)):
                _, ej, part_j, _, last_j = group[j]
                if not part_j and (first_i or last_j):
                    out.add(text[si:ej])
        group.clear()

    for k in linked:
        if k != prev + 1 and group:
            flush()
        if not group:
            group.append(_token(text, *spans[k - 1], tf, tl))
            if group[-1][1] != spans[k - 1][1]:  # cut: it ends its sequence, no link to k
                group.clear()
                prev = k
                continue
        prev = k
        group.append(_token(text, *spans[k], tf, tl))
        if group[-1][1] != spans[k][1]:  # cut: the sequence ends here
            flush()
            prev = -2
    if group:
        flush()
    return out


def _token(text: str, s: int, e: int, tf: dict, tl: dict) -> tuple[int, int, bool, bool, bool]:
    """One token of :func:`_spelled`: (start, end with any clitic cut, particle, can start a
    suggestion (a target's first name), can end one (a target's surname))."""
    t = text[s:e]
    c = _CLITIC_RE.search(t) if "'" in t or "’" in t else None
    if c and c.start() > 0:
        e = e - (len(t) - c.start())
        t = text[s:e]
    if t[0].islower() and "-" not in t and "‐" not in t:
        return s, e, True, False, False
    keys = _keys(t)
    if not keys:
        return s, e, False, False, False
    return s, e, False, gz.first_canon(keys[0]) in tf, keys[-1] in tl


def batch_index(doc: str | Document) -> NameIndex:
    """Pass 1: the :class:`NameIndex` of one article."""
    doc = as_document(doc)
    spellings: dict[str, Spelling] = {}
    for m in analyse(doc).mentions:
        sp = spellings.get(m.pair)
        if sp is None:
            t = m.toks
            spellings[m.pair] = Spelling(1, m.known, (m.text, t[0].text, t[-1].text, m.core[0], m.core[-1]))
        elif m.known:
            sp.known = True
    return NameIndex(1, spellings, Counter(_spelled(doc.text)))


def _confirmed(f: Finding, index: NameIndex, own: set[str]) -> Finding | None:
    """A NAM001 finding re-issued with the number of other articles that use its suggestion."""
    others = index.spelled.get(f.suggestion, 0) - (1 if f.suggestion in own else 0)
    if others <= 0:
        return None
    who = (
        "1 other article in this batch spells"
        if others == 1
        else f"{others} other articles in this batch spell"
    )
    return dataclasses.replace(f, message=f"{f.message}; {who} it '{f.suggestion}'")


def _best(index: NameIndex, k: str) -> tuple[str, int] | None:
    """The similar person-name spelling used in enough more articles than ``k``, or None."""
    cfg = settings.get(NameSettings)
    d = index._majority()
    if k in d["best"]:
        return d["best"][k]
    g = gz.get()
    by_first, by_last = d["by"]
    person = d["person"]
    f, last = k.split(" ", 1)
    n_min = index.spellings[k].docs
    best = None
    for other in by_first.get((f, last[:1]), []) + by_last.get((last, f[:1]), []):
        if other == k:
            continue
        of, ol = other.split(" ", 1)
        if not ((of == f and similar(last, ol)) or (ol == last and similar(f, of))):
            continue
        n_maj = index.spellings[other].docs
        p = person.get(other)
        if p is None:
            p = person[other] = index.spellings[other].known or _is_given_name(g, of)
        if not p:
            continue
        if n_maj >= cfg.batch_min_docs and n_maj >= cfg.batch_ratio * n_min and (best is None or n_maj > best[1]):
            best = (other, n_maj)
    d["best"][k] = best
    return best


def batch_findings(doc: str | Document, index: NameIndex) -> list[Finding]:
    """Pass 2: NAM003 and confirmed NAM001 findings of one article, given the
    :class:`NameIndex` of the whole batch (this article included)."""
    cfg = settings.get(NameSettings)
    doc = as_document(doc)
    a = analyse(doc)
    out: list[Finding] = []
    if index.docs < 2:
        return out
    own = None
    for f in a.findings:
        if f.code == "NAM001" and f.suggestion:
            if own is None:
                own = _spelled(doc.text)
            c = _confirmed(f, index, own)
            if c is not None:
                out.append(c)
    if len(index.spellings) < 2:
        return out
    g = gz.get()
    mine: dict[str, list] = {}
    for m in a.mentions:
        mine.setdefault(m.pair, []).append(m)
    order = index._majority()["order"]
    text = doc.text
    flagged: set[int] = set()
    # a name the index does not hold (an article outside the batch it was built from): no evidence
    for k in sorted((k for k in mine if k in order), key=order.__getitem__):
        best = _best(index, k)
        if best is None or index.spellings[k].known or _variant_pair(g, k, best[0]):
            continue
        f, last = k.split(" ", 1)
        other = best[0]
        ref_text, ref_first, ref_last, ref_f, ref_l = index.spellings[other].ref
        which = "first" if other.split(" ", 1)[0] != f else "last"
        if which == "last":
            both_real = g.last_count(last) > 0 and g.last_count(ref_l) > 0
        else:
            both_real = g.is_first_name(f) and g.is_first_name(ref_f)
        n_min = index.spellings[k].docs
        if both_real and (best[1] < cfg.batch_strong_docs or best[1] < cfg.batch_strong_ratio * n_min):
            continue  # two real names: only overwhelming batch evidence
        good = ref_first if which == "first" else ref_last
        for m in mine[k]:
            if m.flagged or m.start in flagged:
                continue
            if any(fd.start < m.end and m.start < fd.end for fd in a.findings):
                continue
            flagged.add(m.start)
            obs = text[m.start : m.end]
            out.append(
                Finding(
                    FAMILY,
                    "NAM003",
                    m.start,
                    m.end,
                    f"'{obs}' is spelled '{ref_text}' in {best[1]} other articles of this batch",
                    suggestion=_replace(m, which, good),
                )
            )
    return out


def batch_hint(doc: str | Document, own: NameIndex) -> tuple:
    """What :func:`may_have_batch_findings` needs of one article, taken in the first pass from
    its names analysis and ``own`` (its :func:`batch_index`): each NAM001 suggestion with
    whether the article itself uses it, and its name spellings (pair keys). A few strings, so a
    streaming second pass need not analyse an article whose batch findings are certainly none."""
    a = analyse(as_document(doc))
    sugg = tuple((f.suggestion, f.suggestion in own.spelled) for f in a.findings if f.code == "NAM001" and f.suggestion)
    return sugg, tuple(own.spellings)


def may_have_batch_findings(hint: tuple, index: NameIndex) -> bool:
    """False only when :func:`batch_findings` of the article ``hint`` (:func:`batch_hint`) came
    from is empty against ``index`` (the batch index the article is part of): no NAM001
    suggestion that another article uses, and no spelling of its names with a majority spelling
    to be corrected to (the first tests of :func:`_confirmed` and of the NAM003 loop)."""
    if index.docs < 2:
        return False
    sugg, pairs = hint
    if any(index.spelled.get(s, 0) - (1 if mine else 0) > 0 for s, mine in sugg):
        return True
    if len(index.spellings) < 2:
        return False
    return any(k in index.spellings and not index.spellings[k].known and _best(index, k) is not None for k in pairs)


def detect_batch(docs: list[Document]) -> list[list[Finding]]:
    """NAM003 and confirmed NAM001 findings of each article of a batch: :func:`batch_index` of
    every article, merged, then :func:`batch_findings` of every article."""
    docs = [as_document(d) for d in docs]
    if len(docs) < 2:
        return [[] for _ in docs]
    index = NameIndex()
    for d in docs:
        index.absorb(batch_index(d))
    return [batch_findings(d, index) for d in docs]

"""Cross-article (batch) evidence as a mergeable two-pass aggregation.

Two pieces of evidence depend on the other articles of a batch:

- the names family's batch findings (NAM003, a minority spelling of a name across articles, and
  NAM001 confirmed by the spelling other articles use): an index of name spellings;
- the grammar family's corroboration of an unknown capitalised word (a NAM004 warning when at
  least two other articles agree on another spelling of it): the number of articles each
  capitalised word occurs in.

Both are built in a first pass over the inputs (:func:`index_doc` per article, :meth:`BatchIndex.merge`
to combine; associative, so any tree of partial indexes -- process-pool chunks, Dask
partitions -- gives the same result), then the second pass reads each article's batch evidence
from the merged index (:func:`name_findings`, :func:`corroborate`). No article text has to be
held between the passes once the names family offers its index (see below).

ADAPTER (the one place): the names family's index contract is
``names.batch_index(doc) -> NameIndex`` (counts of name spellings), ``NameIndex.merge(other)``,
``NameIndex()`` (empty) and ``names.batch_findings(doc, index) -> list[Finding]``. When the
installed ``detector.families.names`` does not have ``batch_index`` yet, a FALLBACK holds the
(English) texts in the index and runs today's ``names.detect_batch`` over all of them once, in
:func:`finalize`; its per-text results then stand in for ``batch_findings``. The fallback is
marked ``FALLBACK`` below and is to be removed when the names package lands.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from . import families
from .findings import Finding
from .text import Document


def _names():
    return families.load("names")


def has_name_index() -> bool:
    """Does the names family offer the mergeable index contract (else: the fallback)?"""
    return hasattr(_names(), "batch_index")


# -- FALLBACK (remove when names.batch_index lands) --------------------------------------------
@dataclass(slots=True)
class _HeldTexts:
    """FALLBACK: the batch's texts (or Documents, in-process, so the names family's per-Document
    analysis is shared with the per-article families), merged by concatenation."""

    items: list = field(default_factory=list)

    def merge(self, other: _HeldTexts) -> _HeldTexts:
        return _HeldTexts(self.items + other.items)


@dataclass(slots=True)
class _HeldResults:
    """FALLBACK: ``detect_batch`` run once over the held texts: findings by text digest."""

    by_text: dict[bytes, list[Finding]]

    def merge(self, other):  # pragma: no cover - a finalised index is never merged
        raise TypeError("a finalised batch index cannot be merged")


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# -- the index -----------------------------------------------------------------------------------
@dataclass(slots=True)
class BatchIndex:
    """The merged first-pass index of a batch (see the module docstring).

    ``name_docs``: articles in the names index; ``caps``: in how many articles each capitalised
    word occurs (None: not collected, grammar off); ``caps_docs``: articles counted in ``caps``."""

    names: object = None
    name_docs: int = 0
    caps: Counter | None = None
    caps_docs: int = 0
    _spelling: object = None  # memo: names.SpellingIndex over caps

    def merge(self, other: BatchIndex) -> BatchIndex:
        if self.names is None:
            names = other.names
        elif other.names is None:
            names = self.names
        else:
            names = self.names.merge(other.names)
        if self.caps is None and other.caps is None:
            caps = None
        else:
            caps = Counter(self.caps or ())
            caps.update(other.caps or ())
        return BatchIndex(names, self.name_docs + other.name_docs, caps, self.caps_docs + other.caps_docs)

    def absorb(self, other: BatchIndex) -> BatchIndex:
        """Merge ``other`` into this index in place (and return it): what :meth:`merge` gives,
        without copying the accumulated counts at every step of a fold (linear, not quadratic,
        in the number of parts). ``other`` is not modified."""
        if other.names is not None:
            if isinstance(other.names, _HeldTexts):  # FALLBACK
                if self.names is None:
                    self.names = _HeldTexts()
                self.names.items.extend(other.names.items)
            elif self.names is None:
                self.names = other.names  # NameIndex.merge returns new indexes: sharing is safe
            else:
                self.names = self.names.merge(other.names)
        if other.caps is not None:
            if self.caps is None:
                self.caps = Counter()
            self.caps.update(other.caps)
        self.name_docs += other.name_docs
        self.caps_docs += other.caps_docs
        self._spelling = None
        return self

    def __getstate__(self):
        return (self.names, self.name_docs, self.caps, self.caps_docs)

    def __setstate__(self, state):
        self.names, self.name_docs, self.caps, self.caps_docs = state
        self._spelling = None


def merge_all(indexes) -> BatchIndex:
    """Fold any iterable of indexes (an empty one gives the empty index)."""
    out = BatchIndex()
    for ix in indexes:
        out.absorb(ix)
    return out


def index_doc(doc: Document, *, names: bool = True, caps: bool = False, hold_document: bool = False) -> BatchIndex:
    """The first-pass index of one (English) article. ``names``: take part in the names evidence;
    ``caps``: in the grammar corroboration (the capitalised words it uses). ``hold_document``
    (fallback only): keep the Document itself rather than its text (in-process batches)."""
    name_ix = None
    if names:
        mod = _names()
        if hasattr(mod, "batch_index"):
            name_ix = mod.batch_index(doc)
        else:  # FALLBACK
            name_ix = _HeldTexts([doc if hold_document else doc.text])
    cap = None
    if caps:
        cap = Counter(_names().capitalised_counts(doc.text).keys())
    return BatchIndex(name_ix, int(names), cap, int(caps))


def finalize(index: BatchIndex) -> BatchIndex:
    """Make a merged index ready for the second pass (FALLBACK: run ``detect_batch`` over the
    held texts once; with the names index contract this returns ``index`` unchanged)."""
    if not isinstance(index.names, _HeldTexts):
        return index
    by_text: dict[bytes, list[Finding]] = {}
    if index.name_docs > 1:
        mod = _names()
        docs = [d if isinstance(d, Document) else Document(d) for d in index.names.items]
        for d, found in zip(docs, mod.detect_batch(docs), strict=True):
            # findings depend only on the text and on the whole batch: equal texts, equal findings
            by_text[_digest(d.text)] = found
    return dataclasses.replace(index, names=_HeldResults(by_text), _spelling=None)


def name_findings(doc: Document, index: BatchIndex) -> list[Finding]:
    """The batch name findings of one article of the batch (a :func:`finalize`\\ d index)."""
    if index.name_docs < 2 or index.names is None:
        return []
    if isinstance(index.names, _HeldResults):  # FALLBACK
        return list(index.names.by_text.get(_digest(doc.text), []))
    if isinstance(index.names, _HeldTexts):
        raise ValueError("batch index not finalised (call detector.batch.finalize)")
    return list(_names().batch_findings(doc, index.names))


def corroborate(text: str, result, index: BatchIndex) -> None:
    """Upgrade (in place) an uncorroborated unknown capitalised word of one article's grammar
    result to a NAM004 warning when other articles of the batch agree on another spelling of it:
    :func:`detector.families.grammar.corroborate_batch`, with the batch's counts taken from
    ``index`` (the whole input, not just the texts checked together)."""
    if index.caps is None or index.caps_docs < 2 or result is None or not result.unknown_names:
        return
    from .families import grammar

    names = _names()
    if index._spelling is None:
        index._spelling = names.SpellingIndex(index.caps)
    batch = index._spelling
    own = names.capitalised_counts(text)
    keep = []
    for s, e in result.unknown_names:
        word = names._CLITIC_RE.sub("", text[s:e])
        v = names.batch_variant(word, batch, own)
        if v is None:
            keep.append((s, e))
            continue
        result.findings = [f for f in result.findings if not (f.family == "note" and f.start == s and f.end == e)]
        result.findings.append(
            grammar._nam004(text, s, e, (f"{v[1]} other articles of this batch spell it '{v[0]}'", v[0]))
        )
    result.unknown_names = keep

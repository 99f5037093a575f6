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

The names index is the names family's :class:`~detector.families.names.NameIndex`
(``names.batch_index(doc)``, ``NameIndex.merge``, ``names.batch_findings(doc, index)``): counts
of name spellings, never article text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import families
from .findings import Finding
from .text import Document


def _names():
    return families.load("names")


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
    # whether ``names`` is this index's own copy (absorb adds to it in place) or may be shared
    _owns_names: bool = field(default=False, compare=False, repr=False)

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
            if self.names is None:
                self.names = other.names  # shared until the next absorb copies it
                self._owns_names = False
            elif self._owns_names:
                self.names.absorb(other.names)  # in place: linear in ``other`` only
            else:
                self.names = self.names.merge(other.names)  # a new index, this one's own
                self._owns_names = True
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
        self._owns_names = False


def merge_all(indexes) -> BatchIndex:
    """Fold any iterable of indexes (an empty one gives the empty index)."""
    out = BatchIndex()
    for ix in indexes:
        out.absorb(ix)
    return out


def index_doc(doc: Document, *, names: bool = True, caps: bool = False) -> BatchIndex:
    """The first-pass index of one (English) article. ``names``: take part in the names evidence;
    ``caps``: in the grammar corroboration (the capitalised words it uses)."""
    name_ix = _names().batch_index(doc) if names else None
    cap = None
    if caps:
        cap = Counter(_names().capitalised_counts(doc.text).keys())
    return BatchIndex(name_ix, int(names), cap, int(caps))


def index_and_hint(doc: Document, *, caps: bool = False) -> tuple[BatchIndex, object]:
    """:func:`index_doc` of one (English) article and its hint for :func:`may_have_name_findings`
    (None when the names family offers none: then every article is asked)."""
    ix = index_doc(doc, caps=caps)
    hint_of = getattr(_names(), "batch_hint", None)
    return ix, (hint_of(doc, ix.names) if hint_of is not None else None)


def may_have_name_findings(hint, index: BatchIndex) -> bool:
    """False only when :func:`name_findings` of the article of ``hint`` (:func:`index_and_hint`)
    is empty against ``index``, the merged index of a batch that includes the article."""
    if index.name_docs < 2 or index.names is None:
        return False
    return hint is None or _names().may_have_batch_findings(hint, index.names)


def name_findings(doc: Document, index: BatchIndex) -> list[Finding]:
    """The batch name findings of one article of the batch (its merged index)."""
    if index.name_docs < 2 or index.names is None:
        return []
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
    grammar.corroborate_one(text, result, index._spelling, names.capitalised_counts(text))

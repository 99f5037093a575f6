"""One article's evidence, before scoring: the per-document families (through the evidence
cache), the document statistics, the foreign-language notes, de-duplication of findings, and the
progress bookkeeping of a batch. :mod:`detector.api` and :mod:`detector.stream` assemble these."""

from __future__ import annotations

import gc
import queue
from collections.abc import Callable
from contextlib import contextmanager

from . import evidence_cache, families, language, memo, merge
from .findings import Finding
from .language import LanguageResult
from .text import Document

GrammarOption = str  # "auto" | "off" | "require", or a checker object with .check_many()


def document_stats(doc: Document) -> dict[str, float]:
    return {
        "chars": float(len(doc.text)),
        "words": float(doc.word_count),
        "sentences": float(len(doc.sentences)),
        "paragraphs": float(len(doc.paragraphs)),
        "lines": float(len(doc.lines)),
    }


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per problem: drop exact duplicates, and NAM004 (LanguageTool unknown
    capitalised word) where a more specific name finding covers the same span, so one
    misspelling is counted once; then merge overlapping findings of the same cause
    (:mod:`detector.merge`: the project's code kept, the other source named in its message)."""
    seen = set()
    specific_name_spans = [(f.start, f.end) for f in findings if f.family == "name" and f.code != "NAM004"]
    out = []
    for f in findings:
        key = (f.family, f.code, f.start, f.end)
        if key in seen:
            continue
        if f.code == "NAM004" and any(s < f.end and f.start < e for s, e in specific_name_spans):
            continue
        seen.add(key)
        out.append(f)
    return merge.merge(out)


def open_grammar(grammar: GrammarOption, url: str | None):
    """Return (checker or None, status) for a grammar option."""
    if grammar == "off" or grammar is None or grammar is False:
        return None, "off"
    if not isinstance(grammar, str):
        return grammar, "ok"
    from .lt_checker import open_checker

    return open_checker(grammar, url=url)


def document_evidence(doc: Document, per_doc, stat_mods) -> tuple[list[Finding], dict[str, float]]:
    """Findings of the per-document families and the statistics of one article."""
    found: list[Finding] = []
    for mod in per_doc:
        found.extend(mod.detect(doc))
    stats = document_stats(doc)
    for mod in stat_mods:
        stats.update(mod.stats(doc))
    memo.tick()
    return found, stats


# What only the per-document families read of a Document: its word spans (``words``, one tuple
# per word, and the per-sentence lists of ``sentence_words``), the words' texts (``word_texts``,
# ``lower_words``) and the fluency family's ``_flu_*`` entries (tokens, LM transitions, MT
# logits, ...).
_OWN_ONLY = frozenset(("words", "sentence_words", "word_texts", "lower_words"))


def _drop_fluency_caches(doc: Document) -> None:
    """Forget what only the per-document families read on ``doc`` (:data:`_OWN_ONLY` and the
    ``_flu_*`` entries; a later reader computes them again): the batch keeps every article until
    its name evidence is done, and these were most of what it held, the word spans alone about a
    million small tuples for the 2,225 BBC articles, each walked by the next garbage collection."""
    for k in [k for k in doc.__dict__ if k in _OWN_ONLY or k.startswith("_flu_")]:
        del doc.__dict__[k]


_SURVIVORS_COLLECT = 200_000  # net new tracked objects (gc.get_count()[0]); one article: a few thousand


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector off for the block (restored after, unless the caller had
    it off). The families create next to no reference cycles (measured: 10 objects collected over
    the 2,225 BBC articles), but a full collection walks every memo table and every held article,
    and collections came more often as the memos grew: 4.4 s of 24.3 s CPU on that batch. Memory
    is still freed by reference counting. When the block leaves more than
    ``_SURVIVORS_COLLECT`` new container objects (a batch: memo entries, held articles), one full
    collection files them in the oldest generation at once; left to the young generations they
    were walked three times over (0.7 + 0.3 + 1.1 s after the BBC batch, against 1.5 s)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if gc.get_count()[0] > _SURVIVORS_COLLECT:
                gc.collect()
            gc.enable()


def own_evidence(articles, docs, cache, done: Callable[[int], None]) -> list[tuple[list[Finding], dict[str, float]]]:
    """Each article's own evidence (per-document families and statistics): from the evidence
    cache where the text (and detector) is unchanged, computed and stored otherwise.
    ``done(i)`` is called as article ``i``'s own evidence is ready."""
    per_doc = [families.load(name) for name in families.PER_DOCUMENT]
    stat_mods = [families.load(name) for name in families.STATS]
    store = evidence_cache.open_cache(cache) if articles else None
    own: list[tuple[list[Finding], dict[str, float]] | None] = [None] * len(docs)
    if store is not None:
        fp = evidence_cache.fingerprint()
        keys = [evidence_cache.make_key(fp, a.text) for a in articles]
        own = store.lookup(keys)
    misses = [i for i, e in enumerate(own) if e is None]
    for i, e in enumerate(own):
        if e is not None:
            done(i)
    with gc_paused():
        for i in misses:
            own[i] = document_evidence(docs[i], per_doc, stat_mods)
            _drop_fluency_caches(docs[i])
            done(i)
    if store is not None and misses:
        store.store([(keys[i], *own[i]) for i in misses])

    return own


class Progress:
    """Reports an article to the caller's ``progress`` callback once all its parts are done (its
    own evidence and, with grammar on, its LanguageTool result). The grammar thread only queues
    its completions; the callback is always called from the thread that called :func:`analyse`."""

    def __init__(self, callback: Callable[[int], None] | None, n: int, parts: int):
        self.callback = callback
        self.left = [parts] * n
        self.queue: queue.SimpleQueue[int] = queue.SimpleQueue()

    def part_done(self, i: int) -> None:  # caller's thread
        self.left[i] -= 1
        if self.left[i] == 0 and self.callback:
            self.callback(1)

    def drain(self) -> None:
        """Count grammar completions queued by the worker so far (caller's thread)."""
        while True:
            try:
                i = self.queue.get_nowait()
            except queue.Empty:
                return
            self.part_done(i)

    def own_done(self, i: int) -> None:
        self.drain()
        self.part_done(i)

    def wait(self, future) -> object:
        """Wait for the grammar future, counting its completions as they come."""
        while True:
            try:
                return future.result(timeout=0.1)
            except TimeoutError:
                self.drain()

    def finish(self) -> None:
        """Everything is done (some grammar results never report, e.g. errors): count the rest."""
        self.drain()
        unreported = sum(1 for left in self.left if left > 0)
        self.left = [0] * len(self.left)
        if unreported and self.callback:
            self.callback(unreported)


def foreign_findings(text: str, lang: LanguageResult) -> list[Finding]:
    """One LNG001 note per paragraph set aside as another language."""
    out = []
    for b in lang.foreign:
        name = language.language_name(b.lang)
        out.append(
            Finding(
                family="foreign-language",
                code="LNG001",
                start=b.start,
                end=b.end,
                message=f"paragraph in {name} ({b.lang}); not judged by the English rules",
                severity="info",
            )
        )
    return out


def outside_foreign(found: list[Finding], lang: LanguageResult) -> list[Finding]:
    """Drop the findings whose span lies inside a paragraph in another language."""
    if not lang.foreign:
        return found
    spans = [(b.start, b.end) for b in lang.foreign]
    return [f for f in found if not any(s <= f.start and f.end <= e for s, e in spans)]

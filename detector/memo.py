"""One capped memo cache, for the look-ups detector families repeat across articles.

A :class:`CappedMemo` is a dict that remembers ``fn(key)`` and is emptied, all at once, when it
has grown past ``cap`` entries: memory stays bounded on a stream of articles (a long batch meets
millions of distinct tokens) and a hit costs one dict look-up. :func:`functools.lru_cache` keeps
recency order, which costs more per call than these hot paths (a look-up per token) can spare.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any

_MISSING = object()

# The default bound: a few tens of MB of short keys and values.
DEFAULT_CAP = 200_000


class CappedMemo(dict):
    """``memo(key, fn)``: ``fn(key)``, computed once while the memo holds it; emptied when it
    holds more than ``cap`` entries. A plain dict otherwise (``len``, ``clear``, ``in``)."""

    __slots__ = ("cap",)

    def __init__(self, cap: int = DEFAULT_CAP):
        super().__init__()
        self.cap = cap

    def __call__(self, key: Hashable, fn: Callable[[Any], Any]) -> Any:
        v = self.get(key, _MISSING)
        if v is _MISSING:
            if len(self) > self.cap:
                self.clear()
            v = self[key] = fn(key)
        return v


# -- bounded plain-dict memos --------------------------------------------------------------------
# ``functools.lru_cache(maxsize=N)`` keeps a linked-list node per entry, and the garbage collector
# walks every node of every table at each full collection: the families' ~1.9M entries after the
# 2,225 BBC articles cost 0.44 s of a 0.50 s collection. Unbounded, ``lru_cache`` is a C wrapper
# around one exact dict, which the collector never walks while it holds only atoms (strings,
# numbers, bytes, None): those memos are made with :func:`bounded_cache` and emptied, all at once,
# by :func:`trim` once past their cap (the pipeline calls :func:`tick` once per article).
_BOUNDED: list[tuple[Any, int]] = []
TRIM_CHECK_EVERY = 16  # articles between two size checks; an article adds a few thousand entries
_ticks = 0


def bounded_cache(cap: int) -> Callable[[Callable], Any]:
    """Decorator: ``functools.lru_cache(maxsize=None)``, registered for :func:`trim` at ``cap``
    entries. For functions of strings returning atoms (str, int, float, bytes, None): a key or
    value that is a container would make the table a tracked object the collector walks."""

    def deco(fn: Callable) -> Any:
        memo = lru_cache(maxsize=None)(fn)
        _BOUNDED.append((memo, cap))
        return memo

    return deco


def bounded_dict(cap: int) -> dict:
    """A plain dict registered for :func:`trim` at ``cap`` entries, for a memo its module fills
    itself (in batches, say): keys and values atoms, as for :func:`bounded_cache`."""
    memo: dict = {}
    _BOUNDED.append((memo, cap))
    return memo


def trim(everything: bool = False) -> None:
    """Empty each :func:`bounded_cache` or :func:`bounded_dict` memo holding more than its cap
    (``everything``: all of them, as the streaming engine does every few articles)."""
    for memo, cap in _BOUNDED:
        if isinstance(memo, dict):
            if everything or len(memo) > cap:
                memo.clear()
        elif everything or memo.cache_info().currsize > cap:
            memo.cache_clear()


def tick() -> None:
    """One more article analysed: every :data:`TRIM_CHECK_EVERY`, :func:`trim` the memos past
    their cap (memory bounded whatever the batch)."""
    global _ticks
    _ticks += 1
    if _ticks >= TRIM_CHECK_EVERY:
        _ticks = 0
        trim()


# -- kept LRU memos ------------------------------------------------------------------------------
def kept_lru_cache(maxsize: int) -> Callable[[Callable], Any]:
    """Decorator: ``functools.lru_cache(maxsize)`` that the streaming engine's periodic emptying
    of the memos (:func:`detector.stream.trim_memos`) leaves alone (``wrapper.kept`` is True). For
    the few memos whose entries are costly to compute and few in number: LRU eviction at
    ``maxsize`` already bounds them, and emptied every 64 articles they were recomputed over and
    over (the spinning ratio's candidate synonyms alone: 4 s of 29 s of
    ``detector score -j 1`` on the 2,225 BBC articles)."""

    def deco(fn: Callable) -> Any:
        memo = lru_cache(maxsize=maxsize)(fn)
        memo.kept = True
        return memo

    return deco

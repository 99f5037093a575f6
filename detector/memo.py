"""One capped memo cache, for the look-ups detector families repeat across articles.

A :class:`CappedMemo` is a dict that remembers ``fn(key)`` and is emptied, all at once, when it
has grown past ``cap`` entries: memory stays bounded on a stream of articles (a long batch meets
millions of distinct tokens) and a hit costs one dict look-up. :func:`functools.lru_cache` keeps
recency order, which costs more per call than these hot paths (a look-up per token) can spare.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
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

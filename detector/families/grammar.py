"""grammar/spelling families from a real LanguageTool server (placeholder: being implemented).

Contract used by :mod:`detector.api`:

- ``open_checker(mode, url=None) -> (checker | None, status)`` where ``mode`` is ``"auto"``
  (use LanguageTool if it can be had, else status ``"unavailable"``) or ``"require"`` (raise
  :class:`GrammarUnavailable` with the steps to fix it).
- ``checker.check_many(texts) -> list[GrammarResult]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding


class GrammarUnavailable(RuntimeError):
    """LanguageTool cannot be had; the message says how to fix it."""


@dataclass(slots=True)
class GrammarResult:
    findings: list[Finding] = field(default_factory=list)
    rates: dict[str, float] = field(default_factory=dict)
    error: str | None = None


def open_checker(mode: str = "auto", url: str | None = None):
    if mode == "require":
        raise GrammarUnavailable("LanguageTool support is not implemented yet")
    return None, "unavailable"

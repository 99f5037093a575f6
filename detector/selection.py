"""Choosing which findings are reported (and scored), the way ruff chooses rules.

A *selector* is one of:

* ``ALL``: every finding;
* a family name from :data:`detector.findings.FAMILIES` (``boilerplate``, ``grammar``, ...);
* a detector code or code prefix (``NAM``, ``BRK00``, ``BRK004``; case-insensitive);
* a LanguageTool rule id or id prefix, upper case with underscores (``MORFOLOGIK_RULE_EN_US``);
  these are accepted unchecked, as LanguageTool's rule set depends on its version.

A finding is kept when its most specific matching selector comes from ``select`` /
``extend_select`` rather than ``ignore`` (ties go to ``ignore``), and its severity is at least
``min_severity``. ``select`` defaults to ``ALL``. Anything else raises :class:`SelectionError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .findings import CODES, FAMILIES, SEVERITIES, Finding

_LT_ID = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
_CODE_LIKE = re.compile(r"[A-Za-z]{1,3}[0-9]{0,3}")


class SelectionError(ValueError):
    """An unknown selector or severity (the message names the bad value)."""


def normalise(token: str) -> str:
    """The canonical form of one selector, or :class:`SelectionError`."""
    t = token.strip()
    if t == "ALL" or t in FAMILIES:
        return t
    if _CODE_LIKE.fullmatch(t) and any(code.startswith(t.upper()) for code in CODES):
        return t.upper()
    if _LT_ID.fullmatch(t):
        return t
    raise SelectionError(
        f"unknown code, prefix or family {token!r} (see `detector codes`; LanguageTool rule ids "
        "are upper case with underscores)"
    )


def split_values(values: Iterable[str] | str | None) -> list[str]:
    """``["NAM,BRK004", "boilerplate"]`` → ``["NAM", "BRK004", "boilerplate"]``."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def _specificity(selector: str, f: Finding) -> int:
    """How specifically ``selector`` matches ``f`` (-1: not at all)."""
    if selector == "ALL":
        return 0
    if selector in FAMILIES:
        return 1 if f.family == selector else -1
    if selector.isupper() and "_" in selector:  # a LanguageTool rule id (prefix)
        return 100 + len(selector) if f.code.startswith(selector) else -1
    return 1 + len(selector) if f.code in CODES and f.code.startswith(selector) else -1


def check_severity(value: str | None) -> str | None:
    if value is None or value in SEVERITIES:
        return value
    raise SelectionError(f"unknown severity {value!r} (one of {', '.join(SEVERITIES)})")


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    min_severity: str | None = None

    @classmethod
    def build(
        cls,
        select: Iterable[str] | str | None = None,
        ignore: Iterable[str] | str | None = None,
        extend_select: Iterable[str] | str | None = None,
        min_severity: str | None = None,
    ) -> Selection:
        chosen = [normalise(t) for t in split_values(select)] if select is not None else ["ALL"]
        chosen += [normalise(t) for t in split_values(extend_select)]
        return cls(
            select=tuple(chosen),
            ignore=tuple(normalise(t) for t in split_values(ignore)),
            min_severity=check_severity(min_severity),
        )

    @property
    def is_everything(self) -> bool:
        return "ALL" in self.select and not self.ignore and self.min_severity in (None, "info")

    def keeps(self, f: Finding) -> bool:
        if self.min_severity is not None:
            sev = SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 0
            if sev < SEVERITIES.index(self.min_severity):
                return False
        best_select = max((_specificity(s, f) for s in self.select), default=-1)
        if best_select < 0:
            return False
        best_ignore = max((_specificity(s, f) for s in self.ignore), default=-1)
        return best_select > best_ignore

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        findings = list(findings)
        return findings if self.is_everything else [f for f in findings if self.keeps(f)]

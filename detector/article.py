"""The :class:`Article`: text exactly as the user sees it, plus where it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(slots=True)
class Article:
    """An article to check.

    ``text`` is never modified after loading; every finding offset refers to it. ``name`` is
    how the article is shown in reports (a path, ``path#id`` for a record of a JSON/JSONL
    file, ``<stdin>`` or a URL).
    """

    text: str
    name: str = "<text>"
    title: str | None = None
    id: str | None = None
    url: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def as_article(obj: str | Article, name: str = "<text>") -> Article:
    if isinstance(obj, Article):
        return obj
    if isinstance(obj, str):
        return Article(text=obj, name=name)
    raise TypeError(f"expected str or Article, got {type(obj).__name__}")

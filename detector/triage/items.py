"""What a triage source is read into: :class:`Item` (one entry, before scoring) and
:class:`SourceError`, with the helpers every kind of source uses."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from ..article import Article


class SourceError(Exception):
    """The source as a whole cannot be read (one line saying why)."""


@dataclass(slots=True)
class Item:
    """One entry of a source, before scoring."""

    key: str  # stable identity within the source (entry id, link, record id, relative path)
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    fingerprint: str = ""  # hash of the entry as listed (changes when the listing changes)
    article: Article | None = None  # text known without fetching
    needs_fetch: bool = False  # only a summary/link: fetch ``url`` for the text
    error: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.url or self.key


def item_hash(*parts: object) -> str:
    """A listing fingerprint: sha256 over the parts as canonical JSON."""
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def with_title(title: str | None, body: str) -> str:
    """``body`` with ``title`` as its first paragraph, unless it already starts with it."""
    if title and not body.startswith(title):
        return f"{title}\n\n{body}"
    return body


def is_url(spec: str) -> bool:
    return bool(re.match(r"^https?://", spec, re.IGNORECASE))

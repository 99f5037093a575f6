"""broken-sentence family (placeholder: being implemented)."""

from __future__ import annotations

from ..findings import Finding
from ..text import Document, as_document

FAMILY = "broken-sentence"


def detect(text: str | Document) -> list[Finding]:
    as_document(text)
    return []

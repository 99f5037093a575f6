"""name family (placeholder: being implemented)."""

from __future__ import annotations

from ..findings import Finding
from ..text import Document, as_document

FAMILY = "name"


def detect(text: str | Document) -> list[Finding]:
    as_document(text)
    return []


def detect_batch(docs: list[Document]) -> list[list[Finding]]:
    return [[] for _ in docs]


def set_user_gazetteer(paths: list[str]) -> None:
    """Add user gazetteer files (placeholder)."""

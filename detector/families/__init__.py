"""Detector families: one small, pure module per artifact family.

Contract for a family module:

- ``FAMILY``: the family name used in :class:`detector.findings.Finding` (see ``findings.FAMILIES``).
- ``detect(text_or_doc) -> list[Finding]``: pure function of one article's text (a ``str`` or a
  :class:`detector.text.Document`), offsets into that text, ``line``/``column`` left at 0
  (the pipeline fills them in).
- optionally ``detect_batch(docs) -> list[list[Finding]]`` for evidence that needs the whole
  batch (cross-article name spellings), and ``stats(doc) -> dict[str, float]`` for document
  statistics the classifier consumes (readability, fluency).

Adding a family = adding one module here and listing it in ``PER_DOCUMENT`` below.
"""

from __future__ import annotations

import importlib
from types import ModuleType

# module names (inside detector.families) that run per document, in report order
PER_DOCUMENT = ("repetition", "duplicates", "names", "sentences", "boilerplate", "fluency")
# modules contributing document statistics
STATS = ("readability", "fluency", "docstats")


def load(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")

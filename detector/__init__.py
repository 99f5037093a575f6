"""detector: how far to trust the text of a news article, with evidence.

Library API::

    import detector
    findings = detector.check("Some article text ...")
    reports = detector.score([detector.Article(text, name="a.txt"), ...])
"""

from __future__ import annotations

from .article import Article
from .findings import CODES, FAMILIES, Finding

__version__ = "0.1.0"
__all__ = ["Article", "CODES", "FAMILIES", "Finding", "check", "score", "__version__"]


def __getattr__(name):  # lazy: keep `import detector` cheap for the CLI's cold start
    if name in ("check", "score", "analyse", "Report"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)

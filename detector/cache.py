"""Where detector keeps caches (compiled gazetteers, syllable tables, LanguageTool results).

``$DETECTOR_CACHE_DIR`` overrides the platform's user cache directory.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(*parts: str) -> Path:
    base = os.environ.get("DETECTOR_CACHE_DIR")
    if base:
        root = Path(base)
    else:
        from platformdirs import user_cache_dir

        root = Path(user_cache_dir("detector", appauthor=False))
    path = root.joinpath(*parts)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # read-only location: callers treat a failed cache write as a cache miss
    return path

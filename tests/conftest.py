"""Test-wide settings.

The per-article evidence cache (:mod:`detector.evidence_cache`) is off for the whole suite: many
tests spy on detector functions and expect them to run, and no test should read results left
by an earlier run. Set at import, so CLI subprocesses inherit it; ``tests/test_evidence_cache.py``
turns it on with a temporary file.

Gradient boosting runs on one OpenMP thread in tests: on a shared 2-core machine, OpenMP's
busy-waiting threads made fitting a toy model take minutes instead of a second.
"""

from __future__ import annotations

import os

import pytest

os.environ["DETECTOR_EVIDENCE_CACHE"] = "off"
os.environ.setdefault("OMP_NUM_THREADS", "1")


def require_languagetool() -> None:
    """Skip (or, with DETECTOR_REQUIRE_LT=1, fail) when LanguageTool cannot run here."""
    from detector import languagetool as lt

    missing = None
    if lt.java_version() is None:
        missing = "Java not found"
    elif not lt.is_installed():
        missing = f"LanguageTool {lt.LT_VERSION} not installed (run `detector languagetool install`)"
    if missing:
        if os.environ.get("DETECTOR_REQUIRE_LT") == "1":
            pytest.fail(f"LanguageTool required (DETECTOR_REQUIRE_LT=1) but unavailable: {missing}")
        pytest.skip(missing)


def _lt_checker():
    from detector import grammar_cache
    from detector import languagetool as lt
    from detector.families import grammar as g
    from detector.lt_checker import LanguageToolChecker

    require_languagetool()
    lt.launch(lt.shared_server())
    return LanguageToolChecker(None, config=g.load_config(), cache=grammar_cache.GrammarCache(None))


@pytest.fixture(scope="module")
def lt_checker():
    """A real LanguageTool checker (shared server, no cache)."""
    return _lt_checker()

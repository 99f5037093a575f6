"""Test-wide settings.

The per-article evidence cache (:mod:`detector.evidence_cache`) is off for the whole suite: many
tests spy on detector functions and expect them to run, and no test should read results left
by an earlier run. Set at import, so CLI subprocesses inherit it; ``tests/test_evidence_cache.py``
turns it on with a temporary file.
"""

from __future__ import annotations

import os

os.environ["DETECTOR_EVIDENCE_CACHE"] = "off"

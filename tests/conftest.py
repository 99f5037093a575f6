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

os.environ["DETECTOR_EVIDENCE_CACHE"] = "off"
os.environ.setdefault("OMP_NUM_THREADS", "1")

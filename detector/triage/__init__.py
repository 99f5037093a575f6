"""Feed triage: score every item of a feed (or JSONL file, or directory) as one batch, rank the
least trustworthy first, group near-duplicates, keep incremental state, and report.

    from detector.triage import triage, State
    res = triage("https://example.org/feed.xml", state=State("triage.sqlite3"), grammar="off")
    for row in res.rows:
        print(row.rank, row.reliability, row.title)

Modules: :mod:`.sources` (feeds/JSONL/directories, safe XML), :mod:`.fetch` (safe HTTP),
:mod:`.state` (SQLite), :mod:`.cluster` (MinHash LSH), :mod:`.run` (the pipeline),
:mod:`.render` and :mod:`.report_html` (outputs). The CLI is :mod:`detector.cli_triage`.
"""

from __future__ import annotations

from .fetch import FetchError, FetchPolicy
from .run import Row, TriageResult, triage
from .sources import SourceError
from .state import State, StateError, default_state_path

__all__ = [
    "FetchError",
    "FetchPolicy",
    "Row",
    "SourceError",
    "State",
    "StateError",
    "TriageResult",
    "default_state_path",
    "triage",
]

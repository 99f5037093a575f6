"""On-disk cache of LanguageTool results (sqlite, in the user cache dir).

Keyed by sha256 of (cache schema, LanguageTool version, rule configuration fingerprint, text), so
re-scoring unchanged text never contacts LanguageTool (and never starts the JVM), while a new
LanguageTool version or a different rule set misses. Values are the normalised matches (offsets
already in Python code points), so turning matches into findings can change without
invalidating the cache.

``$DETECTOR_LT_CACHE`` overrides the file; ``DETECTOR_LT_CACHE=off`` disables caching.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from pathlib import Path

from .sqlite_store import SqliteStore

SCHEMA = 1


def default_path() -> Path | None:
    env = os.environ.get("DETECTOR_LT_CACHE")
    if env and env.lower() in ("off", "0", "none", "false"):
        return None
    if env:
        return Path(env)
    from .languagetool import cache_root

    return cache_root() / "grammar-cache.sqlite3"


def make_key(version: str, fingerprint: str, text: str) -> str:
    h = hashlib.sha256()
    for part in (str(SCHEMA), version, fingerprint):
        h.update(part.encode())
        h.update(b"\0")
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class GrammarCache(SqliteStore):
    """A small thread-safe key -> JSON store. Failures degrade to a cache miss, never an error."""

    TABLE, VALUE = "lt_results", "matches"
    DDL = ("CREATE TABLE IF NOT EXISTS lt_results (key TEXT PRIMARY KEY, matches TEXT NOT NULL)",)

    def __init__(self, path: Path | str | None):
        super().__init__(path)
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[str]) -> dict[str, list]:
        raw = self.select_many(keys)
        if raw is None:
            self.misses += len(keys)
            return {}
        out: dict[str, list] = {}
        for k, v in raw.items():
            with contextlib.suppress(ValueError):
                out[k] = json.loads(v)
        self.hits += sum(1 for k in keys if k in out)
        self.misses += sum(1 for k in keys if k not in out)
        return out

    def put(self, key: str, matches: list) -> None:
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            with contextlib.suppress(sqlite3.Error):
                conn.execute(
                    "INSERT OR REPLACE INTO lt_results (key, matches) VALUES (?, ?)",
                    (key, json.dumps(matches, ensure_ascii=False, separators=(",", ":"))),
                )

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
import threading
from pathlib import Path

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


class GrammarCache:
    """A small thread-safe key -> JSON store. Failures degrade to a cache miss, never an error."""

    def __init__(self, path: Path | str | None):
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        if self._conn is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS lt_results (key TEXT PRIMARY KEY, matches TEXT NOT NULL)"
                )
                self._conn = conn
            except sqlite3.Error:
                self.path = None
                return None
        return self._conn

    def get_many(self, keys: list[str]) -> dict[str, list]:
        out: dict[str, list] = {}
        with self._lock:
            conn = self._connect()
            if conn is None:
                self.misses += len(keys)
                return out
            uniq = list(dict.fromkeys(keys))
            try:
                for i in range(0, len(uniq), 500):
                    part = uniq[i : i + 500]
                    marks = ",".join("?" * len(part))
                    q = f"SELECT key, matches FROM lt_results WHERE key IN ({marks})"
                    for k, v in conn.execute(q, part):
                        with contextlib.suppress(ValueError):
                            out[k] = json.loads(v)
            except sqlite3.Error:
                return {}
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

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None

"""The small SQLite key -> text store behind detector's on-disk caches
(:mod:`detector.grammar_cache`, :mod:`detector.evidence_cache`).

One file, WAL journal, one connection per store shared by threads under a lock. Every failure
(unwritable directory, corrupt file, locked database) degrades to a cache miss, never an error:
a cache may make detector faster, never make it fail.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path


class SqliteStore:
    """Subclasses name their ``TABLE`` (with a ``key TEXT PRIMARY KEY`` column), the ``VALUE``
    column read by :meth:`select_many`, and the ``DDL`` statements that create their tables."""

    TABLE = ""
    VALUE = ""
    DDL: tuple[str, ...] = ()

    def __init__(self, path: Path | str | None):
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection | None:
        """The open connection (call with the lock held), or None when the file cannot be used."""
        if self.path is None:
            return None
        if self._conn is None:
            # several processes opening a new file at once: switching it to WAL or creating the
            # tables can fail with "database is locked" at once (SQLite's busy timeout does not
            # cover every step), so a locked open is retried before the store gives up
            for attempt in range(8):
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute("PRAGMA synchronous=NORMAL")
                    for statement in self.DDL:
                        conn.execute(statement)
                    self._conn = conn
                    break
                except sqlite3.OperationalError as e:
                    if "locked" not in str(e) and "busy" not in str(e) or attempt == 7:
                        self.path = None
                        return None
                    time.sleep(0.05 * (attempt + 1))
                except (sqlite3.Error, OSError):
                    self.path = None
                    return None
        return self._conn

    def select_many(self, keys: list[str]) -> dict[str, str] | None:
        """The stored values of those keys that are present (looked up 500 at a time); None when
        the store cannot be used at all."""
        out: dict[str, str] = {}
        with self._lock:
            conn = self._connect()
            if conn is None:
                return None
            uniq = list(dict.fromkeys(keys))
            try:
                for i in range(0, len(uniq), 500):
                    part = uniq[i : i + 500]
                    marks = ",".join("?" * len(part))
                    q = f"SELECT key, {self.VALUE} FROM {self.TABLE} WHERE key IN ({marks})"
                    out.update(conn.execute(q, part))
            except sqlite3.Error:
                return {}
        return out

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None

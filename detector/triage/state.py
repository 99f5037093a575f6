"""Incremental triage state in SQLite.

One row per (source, item key) holds what is needed to report the item again without
re-scoring it: the article text, its SHA-256, the feed entry's fingerprint, the scoring
configuration, and the full report JSON. Rows are written with idempotent upserts keyed by
(source, key), one transaction per scored batch, so a run killed midway keeps every batch it
finished and the next run neither loses nor double-counts anything.

:func:`scoring_config` and :func:`content_hash` decide whether a stored score can be reused.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .. import __version__

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    source       TEXT NOT NULL,     -- feed URL or absolute path of the source
    key          TEXT NOT NULL,     -- entry id / link / record id / relative file path
    url          TEXT,
    title        TEXT,
    published    TEXT,              -- ISO 8601 (UTC) or NULL
    fingerprint  TEXT NOT NULL,     -- hash of the entry as listed in the source
    content_hash TEXT NOT NULL,     -- SHA-256 of the article text that was scored
    config       TEXT NOT NULL,     -- scoring configuration (detector version, model, grammar mode)
    model        TEXT,
    reliability  REAL NOT NULL,
    verdict      TEXT NOT NULL,
    report_json  TEXT NOT NULL,     -- detector.api.Report.to_dict()
    text         TEXT NOT NULL,     -- the article text (context for names; HTML report)
    scored_at    TEXT NOT NULL,     -- ISO 8601 UTC
    run_id       INTEGER,           -- runs.id of the run that scored it
    PRIMARY KEY (source, key)
);
CREATE TABLE IF NOT EXISTS runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,               -- NULL: the run was interrupted
    items       INTEGER,
    scored      INTEGER,
    cached      INTEGER,
    errors      INTEGER
);
"""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_state_path() -> Path:
    env = os.environ.get("DETECTOR_TRIAGE_STATE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("detector", appauthor=False)) / "triage.sqlite3"


@dataclass(slots=True)
class Stored:
    source: str
    key: str
    url: str | None
    title: str | None
    published: str | None
    fingerprint: str
    content_hash: str
    config: str
    model: str | None
    reliability: float
    verdict: str
    report: dict
    text: str
    scored_at: str
    run_id: int | None


class StateError(Exception):
    pass


class State:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError(
                    f"{self.path}: state written by a newer detector (schema {version} > {SCHEMA_VERSION})"
                )
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as e:
            raise StateError(f"{self.path}: cannot open state database: {e}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- reads ----------------------------------------------------------------------------------
    _COLS = (
        "source, key, url, title, published, fingerprint, content_hash, config, model, "
        "reliability, verdict, report_json, text, scored_at, run_id"
    )

    def _row(self, r) -> Stored:
        return Stored(*r[:11], json.loads(r[11]), *r[12:])

    def get(self, source: str, key: str) -> Stored | None:
        r = self.db.execute(
            f"SELECT {self._COLS} FROM items WHERE source=? AND key=?", (source, key)
        ).fetchone()
        return self._row(r) if r else None

    def all(self, source: str | None = None) -> list[Stored]:
        if source is None:
            rows = self.db.execute(f"SELECT {self._COLS} FROM items ORDER BY source, key")
        else:
            rows = self.db.execute(f"SELECT {self._COLS} FROM items WHERE source=? ORDER BY key", (source,))
        return [self._row(r) for r in rows]

    # -- writes ---------------------------------------------------------------------------------
    def upsert_many(self, rows: list[Stored]) -> None:
        """Insert or replace rows in one transaction (all or none)."""
        if not rows:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany(
                f"""INSERT INTO items ({self._COLS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                ON CONFLICT(source, key) DO UPDATE SET
                  url=excluded.url, title=excluded.title, published=excluded.published,
                  fingerprint=excluded.fingerprint, content_hash=excluded.content_hash,
                  config=excluded.config, model=excluded.model, reliability=excluded.reliability,
                  verdict=excluded.verdict, report_json=excluded.report_json, text=excluded.text,
                  scored_at=excluded.scored_at, run_id=excluded.run_id""",
                [
                    (
                        s.source,
                        s.key,
                        s.url,
                        s.title,
                        s.published,
                        s.fingerprint,
                        s.content_hash,
                        s.config,
                        s.model,
                        s.reliability,
                        s.verdict,
                        json.dumps(s.report, ensure_ascii=False),
                        s.text,
                        s.scored_at,
                        s.run_id,
                    )
                    for s in rows
                ],
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def touch_fingerprint(self, source: str, key: str, fingerprint: str) -> None:
        """The listing changed but the text did not: remember the new listing fingerprint."""
        self.db.execute("UPDATE items SET fingerprint=? WHERE source=? AND key=?", (fingerprint, source, key))

    def start_run(self, source: str) -> int:
        cur = self.db.execute("INSERT INTO runs (source, started_at) VALUES (?, ?)", (source, now_iso()))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, *, items: int, scored: int, cached: int, errors: int) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at=?, items=?, scored=?, cached=?, errors=? WHERE id=?",
            (now_iso(), items, scored, cached, errors, run_id),
        )


def content_hash(text: str) -> str:
    """The text hash the state compares to tell an unchanged text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scoring_config(
    model: str | None, grammar: str, names: list[str] | None = None, *, scorer_name: str | None = None
) -> str:
    """A string that changes whenever a stored score would no longer be comparable."""
    from .. import api
    from ..io import file_sha256

    parts = [f"detector {__version__}", f"grammar {grammar}"]
    if model:
        try:
            parts.append(f"model {model} sha256:{file_sha256(model)[:16]}")
        except OSError:
            parts.append(f"model {model}")
    else:
        try:
            name = scorer_name or api.load_scorer(None, grammar_available=grammar != "off").name
            parts.append(f"model {name}")
        except Exception as e:  # a broken default model is reported by scoring itself
            parts.append(f"model ? ({type(e).__name__})")
        try:  # a retrained default model keeps its name: fingerprint the installed file
            from .. import model as model_mod

            p = model_mod.default_model_path(grammar != "off")
            for f in (p.with_suffix(".npz"), p):
                if f.exists():
                    parts.append(f"sha256:{file_sha256(f)[:16]}")
                    break
        except Exception:  # no model module / resources: the rule scorer's name says it all
            pass
    for n in names or []:
        try:
            parts.append(f"names sha256:{file_sha256(n)[:16]}")
        except OSError:
            parts.append(f"names {n}")
    return "; ".join(parts)

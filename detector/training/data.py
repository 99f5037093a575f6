"""Labelled data for training and evaluation: reading a dataset, checking it, and computing the
evidence (findings and statistics, via :func:`detector.api.analyse`) of every text."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..scoring import Evidence

LABELS = {"0": 0, "1": 1, "reliable": 0, "unreliable": 1}


@dataclass
class Dataset:
    texts: list[str]
    labels: list[int]
    sources: list[str]
    groups: list[str]
    problems: list[str]
    path: str = ""
    weights: list[float] | None = None  # optional per-row sample weights ('weight' field)


def parse_label(value) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if value in (0, 1) else None
    if isinstance(value, str):
        return LABELS.get(value.strip().lower())
    return None


def read_dataset(path: str | os.PathLike) -> Dataset:
    """Read labelled JSONL or CSV: ``text`` (or ``path``, relative to the data file) and
    ``label`` in {reliable, unreliable, 0, 1}; optional ``source``, ``group`` and ``weight``
    (a positive sample weight; e.g. a soft label is two rows of one text with weights p, 1-p). Malformed rows
    are skipped and reported with their line numbers in ``Dataset.problems`` (``"line N: why"``).

    Each row is read behind its own failure boundary: whatever one row raises (invalid UTF-8, a
    number of more than 4,300 digits, nesting too deep, a CSV field over the size limit, ...) is
    that row's problem and the other rows are still read. JSONL is split on ``\\n`` only (raw
    U+2028/U+2029/U+0085 inside JSON strings stay in their record). Only a file that cannot be
    opened, or a CSV without a usable header, raises (OSError / ValueError)."""
    import csv
    import io as _io

    from ..io import failure_reason, json_problem

    path = Path(path)
    base = path.parent
    texts, labels, sources, groups, problems, weights = [], [], [], [], [], []

    def add(lineno: int, row) -> None:
        if not isinstance(row, dict):
            problems.append(f"line {lineno}: not an object")
            return
        label = parse_label(row.get("label"))
        if label is None:
            problems.append(f"line {lineno}: label {row.get('label')!r} is not one of reliable, unreliable, 0, 1")
            return
        text = row.get("text")
        if not text and row.get("path"):
            p = Path(str(row["path"]))
            p = p if p.is_absolute() else base / p
            try:
                text = p.read_text(encoding="utf-8", errors="replace")
            except OSError as e:
                problems.append(f"line {lineno}: cannot read {p}: {e.strerror or e}")
                return
        if not isinstance(text, str) or not text.strip():
            problems.append(f"line {lineno}: no 'text' (or readable 'path')")
            return
        weight = row.get("weight")
        if weight in (None, ""):
            weight = 1.0
        try:
            weight = float(weight)
            if not weight > 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(f"line {lineno}: weight {row.get('weight')!r} is not a positive number")
            return
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
            problems.append(f"line {lineno}: invalid UTF-8 (or an unpaired surrogate) in the text")
            return
        source, group = str(row.get("source") or "user"), str(row.get("group") or f"row{lineno}")
        weights.append(weight)
        texts.append(text)
        labels.append(label)
        sources.append(source)
        groups.append(group)

    def add_safely(lineno: int, row) -> None:
        try:
            add(lineno, row)
        except Exception as e:  # the per-row failure boundary
            problems.append(f"line {lineno}: {failure_reason(e)}")

    data = path.read_bytes()
    if path.suffix.lower() == ".csv":
        # undecodable bytes become lone surrogates, reported by add() for the row holding them
        reader = csv.DictReader(_io.StringIO(data.decode("utf-8-sig", "surrogateescape"), newline=""))
        try:
            fieldnames = reader.fieldnames
        except csv.Error as e:
            raise ValueError(f"{path}: CSV header unreadable ({e})") from None
        if not fieldnames or "label" not in fieldnames:
            raise ValueError(f"{path}: CSV needs a header with 'label' and 'text' or 'path'")
        while True:
            before = reader.line_num
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                problems.append(f"line {reader.line_num}: malformed CSV ({e})")
                if reader.line_num == before:
                    break
                continue
            add_safely(reader.line_num, row)
    else:
        for lineno, raw in enumerate(data.split(b"\n"), 1):
            if lineno == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                problems.append(f"line {lineno}: invalid UTF-8 at byte {e.start} of the line")
                continue
            try:
                row = json.loads(line)
            except Exception as e:  # JSONDecodeError, ValueError (huge int), RecursionError (deep)
                msg = f"invalid JSON ({e.msg})" if isinstance(e, json.JSONDecodeError) else json_problem(e)
                problems.append(f"line {lineno}: {msg}")
                continue
            add_safely(lineno, row)
    has_w = any(w != 1.0 for w in weights)
    return Dataset(texts, labels, sources, groups, problems, str(path), weights if has_w else None)


def data_warnings(ds: Dataset) -> list[str]:
    out = []
    n = len(ds.labels)
    if n < 50:
        out.append(f"only {n} usable examples: the model and its metrics will be unreliable (aim for 200+)")
    if n:
        pos = sum(ds.labels)
        share = min(pos, n - pos) / n
        if share < 0.1:
            out.append(
                f"very unbalanced data: {pos} unreliable vs {n - pos} reliable "
                f"(minority share {share:.0%}); probabilities are calibrated to this mix"
            )
    return out


def compute_evidence(
    texts: Sequence[str], *, grammar: str = "off", progress: Callable[[int], None] | None = None
) -> list[Evidence]:
    """Evidence for each text via :func:`detector.api.analyse`, one article per batch (so
    cross-article name evidence does not link unrelated training texts)."""
    from .. import api

    checker = "off"
    if grammar != "off":
        from ..lt_checker import open_checker

        checker, status = open_checker(grammar)
        if checker is None:
            raise RuntimeError(f"LanguageTool is {status}; train without grammar (--no-grammar)")
    out = []
    for t in texts:
        _, ev = api.analyse([t], grammar=checker)
        out.extend(ev)
        if progress:
            progress(1)
    return out

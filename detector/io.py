"""Reading user input into :class:`Article` objects, and writing outputs atomically.

Every problem with one input becomes an :class:`InputError` naming that input; loading never
stops the rest of the batch. Supported inputs: ``.txt``/``.text``/``.md``, ``.html``/``.htm``
(main text via trafilatura, title kept), ``.json`` (an object or a list of objects),
``.jsonl``/``.ndjson`` (one object per line), directories (recursively), glob patterns and
``-`` for standard input (format sniffed).
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .article import Article

TEXT_EXTS = {".txt", ".text", ".md"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
JSON_EXTS = {".json"}
JSONL_EXTS = {".jsonl", ".ndjson"}
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | JSON_EXTS | JSONL_EXTS

DEFAULT_MAX_BYTES = 5_000_000  # one article; a news article is rarely above 100 kB
DEFAULT_MAX_FILE_BYTES = 500_000_000  # a JSON/JSONL collection of articles

_HTML_SNIFF_RE = re.compile(
    r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])|<(?:div|p|script|meta|a)\b[^>]*>.*</",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(slots=True)
class InputError:
    """An input that could not be read; ``name`` says which, ``message`` says why (one line)."""

    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: error: {self.message}"


LoadResult = Article | InputError


def _human(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n} B"


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return ctrl / len(sample) > 0.05


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_SNIFF_RE.search(head)) and head.count("<") >= 3


def decode_text(data: bytes, name: str) -> str | InputError:
    """Decode bytes as UTF-8 text (BOM tolerated) or explain why not."""
    if looks_binary(data):
        return InputError(name, "binary data, not text (contains NUL or control bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return InputError(
            name, f"invalid UTF-8 at byte {e.start} (0x{data[e.start]:02x}); re-encode the file as UTF-8"
        )
    return text


def _check_text(text: str, name: str) -> InputError | None:
    if not text.strip():
        return InputError(name, "empty: no text to check")
    if not re.search(r"[^\W\d_]{2,}", text):
        return InputError(name, "no words found: not article text")
    return None


def _html_to_article(html: str, name: str, url: str | None = None) -> Article | InputError:
    import trafilatura  # heavy; only for HTML input

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, include_comments=False, include_tables=False, with_metadata=True
        )
    except Exception as e:  # trafilatura raises assorted lxml errors on broken markup
        return InputError(name, f"could not parse HTML ({type(e).__name__}: {e})")
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or not body.strip():
        return InputError(name, "HTML has no extractable article text")
    title = (getattr(doc, "title", None) or "").strip() or None
    # trafilatura puts one block per line; detector's layout is one paragraph per blank-line block
    blocks = [b.strip() for b in body.splitlines() if b.strip()]
    if title and blocks and blocks[0] == title:
        blocks = blocks[1:]
    text = "\n\n".join(([title] if title else []) + blocks)
    return Article(text=text, name=name, title=title, url=url or getattr(doc, "url", None))


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _record_to_article(rec: object, name: str, where: str, max_bytes: int) -> Article | InputError:
    if not isinstance(rec, dict):
        return InputError(where, f"expected a JSON object with a 'text' field, got {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str):
        return InputError(where, "record has no string 'text' field")
    rid = rec.get("id")
    rid = str(rid) if rid is not None else None
    display = f"{name}#{rid}" if rid is not None else where
    bad = _SURROGATE_RE.search(json.dumps(rec, ensure_ascii=False))
    if bad:
        return InputError(
            display, f"not valid Unicode: unpaired surrogate \\u{ord(bad.group()):04x} (a broken JSON escape)"
        )
    if len(text.encode("utf-8")) > max_bytes:
        return InputError(display, f"text too large ({_human(len(text.encode()))} > {_human(max_bytes)} limit)")
    err = _check_text(text, display)
    if err:
        return err
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    meta = {k: v for k, v in rec.items() if k not in ("text", "title", "id", "url")}
    return Article(text=text, name=display, title=title, id=rid, url=url, meta=meta)


def parse_bytes(
    data: bytes,
    name: str,
    kind: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[LoadResult]:
    """Parse one input's bytes. ``kind`` is ``text``, ``html``, ``json``, ``jsonl`` or ``auto``."""
    if not data.strip():
        yield InputError(name, "empty: no text to check")
        return
    decoded = decode_text(data, name)
    if isinstance(decoded, InputError):
        yield decoded
        return
    text = decoded
    if kind == "auto":
        s = text.lstrip()
        if s.startswith("{") or s.startswith("["):
            first = s.splitlines()[0] if s else ""
            kind = "jsonl" if s.startswith("{") and first.rstrip().endswith("}") and "\n{" in s else "json"
        elif looks_like_html(text):
            kind = "html"
        else:
            kind = "text"
    if kind == "text":
        if len(data) > max_bytes:
            yield InputError(name, f"file too large ({_human(len(data))} > {_human(max_bytes)} limit; see --max-bytes)")
            return
        if looks_like_html(text):
            yield InputError(name, "looks like HTML, not plain text; save it as .html to extract the article")
            return
        err = _check_text(text, name)
        yield err or Article(text=text, name=name)
    elif kind == "html":
        if len(data) > max_bytes * 4:
            yield InputError(name, f"file too large ({_human(len(data))} > {_human(max_bytes * 4)} limit for HTML)")
            return
        res = _html_to_article(text, name)
        if isinstance(res, Article):
            err = _check_text(res.text, name)
            yield err or res
        else:
            yield res
    elif kind == "json":
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            yield InputError(name, f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}")
            return
        recs = obj if isinstance(obj, list) else [obj]
        if not recs:
            yield InputError(name, "JSON list is empty: no articles")
        for i, rec in enumerate(recs):
            where = name if not isinstance(obj, list) else f"{name}#{i}"
            yield _record_to_article(rec, name, where, max_bytes)
    elif kind == "jsonl":
        n = 0
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            n += 1
            where = f"{name}:{lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                yield InputError(where, f"invalid JSON line: {e.msg} (column {e.colno})")
                continue
            yield _record_to_article(rec, name, where, max_bytes)
        if n == 0:
            yield InputError(name, "no JSON lines: no articles")
    else:  # pragma: no cover - guarded by callers
        raise ValueError(kind)


def kind_for_path(path: Path) -> str | None:
    ext = path.suffix.lower()
    if ext in TEXT_EXTS:
        return "text"
    if ext in HTML_EXTS:
        return "html"
    if ext in JSON_EXTS:
        return "json"
    if ext in JSONL_EXTS:
        return "jsonl"
    return None


def load_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None) -> Iterator[LoadResult]:
    name = name or str(path)
    kind = kind_for_path(path) or "auto"
    limit = DEFAULT_MAX_FILE_BYTES if kind in ("json", "jsonl") else (max_bytes * 4 if kind == "html" else max_bytes)
    try:
        size = path.stat().st_size
        if size > limit:
            yield InputError(name, f"file too large ({_human(size)} > {_human(limit)} limit; see --max-bytes)")
            return
        data = path.read_bytes()
    except IsADirectoryError:
        yield InputError(name, "is a directory")
        return
    except OSError as e:
        yield InputError(name, f"cannot read: {e.strerror or e}")
        return
    yield from parse_bytes(data, name, kind, max_bytes=max_bytes)


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
) -> Iterator[LoadResult]:
    """Expand paths, directories, globs and ``-`` into Articles and InputErrors, in order.

    ``notes`` (if given) collects informational lines, e.g. files skipped inside a directory
    because their extension is not supported.
    """
    for spec in specs:
        if spec == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read()
            if isinstance(data, str):
                data = data.encode("utf-8")
            if len(data) > DEFAULT_MAX_FILE_BYTES:
                yield InputError("<stdin>", "input too large")
                continue
            yield from parse_bytes(data, "<stdin>", "auto", max_bytes=max_bytes)
            continue
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
                continue
            for p in files:
                yield from load_path(p, max_bytes=max_bytes)
            continue
        if path.exists():
            yield from load_path(path, max_bytes=max_bytes)
            continue
        if any(ch in spec for ch in "*?["):
            matches = sorted(glob.glob(spec, recursive=True))
            if not matches:
                yield InputError(spec, "glob pattern matched no files")
                continue
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    continue
                yield from load_path(mp, max_bytes=max_bytes)
            continue
        yield InputError(spec, "no such file or directory")


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same directory + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

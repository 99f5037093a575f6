"""Reading one input's bytes or one file into :class:`Article` objects: the input kinds (plain
text, HTML, JSON, JSONL; sniffed for standard input), JSON records, and the per-input failure
boundary (whatever goes wrong with one input is its one-line :class:`InputError`).
See :mod:`detector.io`."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..article import Article
from ..decode import (
    HTML_SNIFF_BYTES,
    InputError,
    LoadResult,
    decode_html,
    decode_text,
    human_size,
    looks_binary,
    looks_like_html,
)

TEXT_EXTS = {".txt", ".text", ".md"}
HTML_EXTS = {".html", ".htm", ".xhtml"}
JSON_EXTS = {".json"}
JSONL_EXTS = {".jsonl", ".ndjson"}
SUPPORTED_EXTS = TEXT_EXTS | HTML_EXTS | JSON_EXTS | JSONL_EXTS

DEFAULT_MAX_BYTES = 5_000_000  # one article; a news article is rarely above 100 kB
DEFAULT_MAX_FILE_BYTES = 500_000_000  # a JSON collection of articles (JSONL files are streamed)


def max_line_bytes(max_bytes: int) -> int:
    """The longest JSONL line read: room for an article of ``max_bytes`` written with JSON's
    escapes (``\\uXXXX`` is six bytes for one character) and its other fields."""
    return 8 * max_bytes + (1 << 16)


def _empty_error(name: str) -> InputError:
    return InputError(name, "empty: no text to check")


def _binary_error(name: str) -> InputError:
    return InputError(name, "binary data, not text (contains NUL or control bytes)")


def check_text(text: str, name: str) -> InputError | None:
    """The error for a text with nothing to check (blank, or no word of two letters), else None."""
    if not text.strip():
        return _empty_error(name)
    if not re.search(r"[^\W\d_]{2,}", text):
        return InputError(name, "no words found: not article text")
    return None


def html_to_article(html: str, name: str, url: str | None = None) -> Article | InputError:
    """The article text of an HTML page (trafilatura; title first, one paragraph per block)."""
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


def record_to_article(rec: object, name: str, where: str, max_bytes: int) -> Article | InputError:
    """One JSON record (``text``; optional ``id``, ``title``, ``url``, other keys kept as meta) as
    an article, or the one-line error naming ``where`` (or ``name#id``)."""
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
        return InputError(display, f"text too large ({human_size(len(text.encode()))} > {human_size(max_bytes)} limit)")
    err = check_text(text, display)
    if err:
        return err
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    meta = {k: v for k, v in rec.items() if k not in ("text", "title", "id", "url")}
    return Article(text=text, name=display, title=title, id=rid, url=url, meta=meta)


def json_problem(e: Exception) -> str:
    """One line saying why ``json.loads`` refused a document (any exception it raised)."""
    if isinstance(e, json.JSONDecodeError):
        return f"invalid JSON at line {e.lineno} column {e.colno}: {e.msg}"
    if isinstance(e, RecursionError):
        return "invalid JSON: nested too deeply to read"
    if isinstance(e, ValueError) and "integer string conversion" in str(e):
        return "invalid JSON: a number with more than 4,300 digits"
    return f"invalid JSON: {type(e).__name__}: {e}"


def failure_reason(e: BaseException) -> str:
    """One line for an unexpected exception raised while reading one input."""
    if isinstance(e, RecursionError):
        return "could not be read: nested too deeply (RecursionError)"
    if isinstance(e, MemoryError):
        return "could not be read: out of memory"
    return f"could not be read ({type(e).__name__}: {e})"


def _guard(results: Iterator[LoadResult], name: str) -> Iterator[LoadResult]:
    """The per-input failure boundary: whatever one input's reader raises becomes that input's
    one-line :class:`InputError` (records it already produced stand); the batch goes on."""
    try:
        yield from results
    except Exception as e:
        yield InputError(name, failure_reason(e))


def sniff_kind(data: bytes) -> str:
    """``json``, ``jsonl``, ``html`` or ``text`` for input of unknown type (standard input)."""
    s = data.removeprefix(codecs.BOM_UTF8).lstrip()
    if s.startswith((b"{", b"[")):
        first = s.split(b"\n", 1)[0]
        return "jsonl" if s.startswith(b"{") and first.rstrip().endswith(b"}") and b"\n{" in s else "json"
    if looks_like_html(data[:HTML_SNIFF_BYTES].decode("utf-8", "replace")):
        return "html"
    return "text"


def _safe_record(rec: object, name: str, where: str, max_bytes: int) -> Article | InputError:
    """One record of a JSON/JSONL collection; a failure is that record's error only."""
    try:
        return record_to_article(rec, name, where, max_bytes)
    except Exception as e:
        return InputError(where, failure_reason(e))


def parse_bytes(
    data: bytes,
    name: str,
    kind: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    encoding: str | None = None,
) -> Iterator[LoadResult]:
    """Parse one input's bytes. ``kind`` is ``text``, ``html``, ``json``, ``jsonl`` or ``auto``.

    ``encoding`` names the codec of plain text (default strict UTF-8) and overrides the
    ``<meta>`` declaration of HTML; JSON and JSONL are always UTF-8. Never raises: any failure
    becomes an :class:`InputError` for this input.
    """
    return _guard(_parse_bytes(data, name, kind, max_bytes, encoding), name)


def _parse_bytes(data: bytes, name: str, kind: str, max_bytes: int, encoding: str | None) -> Iterator[LoadResult]:
    if not data.strip():
        yield _empty_error(name)
        return
    if kind == "auto":
        kind = sniff_kind(data)
    if kind == "text":
        if len(data) > max_bytes:
            yield InputError(name, f"file too large ({human_size(len(data))} > {human_size(max_bytes)} limit; see --max-bytes)")
            return
        text = decode_text(data, name, encoding)
        if isinstance(text, InputError):
            yield text
            return
        if looks_like_html(text):
            yield InputError(name, "looks like HTML, not plain text; save it as .html to extract the article")
            return
        err = check_text(text, name)
        yield err or Article(text=text, name=name)
    elif kind == "html":
        if len(data) > max_bytes * 4:
            yield InputError(name, f"file too large ({human_size(len(data))} > {human_size(max_bytes * 4)} limit for HTML)")
            return
        html = decode_html(data, name, override=encoding)
        if isinstance(html, InputError):
            yield html
            return
        res = html_to_article(html, name)
        if isinstance(res, Article):
            err = check_text(res.text, name)
            yield err or res
        else:
            yield res
    elif kind == "json":
        text = decode_text(data, name)
        if isinstance(text, InputError):
            yield text
            return
        try:
            obj = json.loads(text)
        except Exception as e:  # JSONDecodeError, ValueError (huge int), RecursionError (deep nesting)
            yield InputError(name, json_problem(e))
            return
        recs = obj if isinstance(obj, list) else [obj]
        if not recs:
            yield InputError(name, "JSON list is empty: no articles")
        for i, rec in enumerate(recs):
            where = name if not isinstance(obj, list) else f"{name}#{i}"
            yield _safe_record(rec, name, where, max_bytes)
    elif kind == "jsonl":
        if looks_binary(data):
            yield _binary_error(name)
            return
        # "\n" only: str.splitlines() would also cut at U+2028, U+2029, U+0085, \x1c-\x1e, \v, \f,
        # which JSON allows raw inside strings.
        yield from _jsonl_records(iter(data.split(b"\n")), name, max_bytes)
    else:  # pragma: no cover - guarded by callers
        raise ValueError(kind)


def _jsonl_records(lines: Iterator[bytes | None], name: str, max_bytes: int) -> Iterator[LoadResult]:
    """The records of a JSONL input, one line at a time (nothing but the line in memory): each
    line decoded as UTF-8 on its own (a leading BOM dropped), so an undecodable, invalid or
    over-long line (``None`` from the reader) is that line's error and the others are read."""
    n = 0
    for lineno, raw in enumerate(lines, 1):
        where = f"{name}:{lineno}"
        if raw is None:
            n += 1
            yield InputError(where, f"line too long (> {human_size(max_line_bytes(max_bytes))}; see --max-bytes)")
            continue
        if lineno == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            n += 1
            yield InputError(where, f"invalid UTF-8 at byte {e.start} of the line (0x{raw[e.start]:02x}); "
                             "JSON Lines are UTF-8")
            continue
        if not line.strip():
            continue
        n += 1
        try:
            rec = json.loads(line)
        except Exception as e:
            msg = json_problem(e)
            if isinstance(e, json.JSONDecodeError):
                msg = f"invalid JSON line: {e.msg} (column {e.colno})"
            yield InputError(where, msg)
            continue
        yield _safe_record(rec, name, where, max_bytes)
    if n == 0:
        yield InputError(name, "no JSON lines: no articles")


def _file_lines(fh, limit: int) -> Iterator[bytes | None]:
    """A binary file's lines without their ``\\n``; ``None`` for a line longer than ``limit``
    bytes (skipped, never held whole)."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # the rest of the over-long line
                line = fh.readline(1 << 20)
            yield None
            continue
        yield line.removesuffix(b"\n")


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


def load_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None, encoding: str | None = None
) -> Iterator[LoadResult]:
    """One file's Articles and InputErrors; never raises (see :func:`parse_bytes`)."""
    name = name or str(path)
    return _guard(_load_path(path, max_bytes, name, encoding), name)


def _read_error(name: str, e: OSError) -> InputError:
    if isinstance(e, IsADirectoryError):
        return InputError(name, "is a directory")
    return InputError(name, f"cannot read: {e.strerror or e}")


def _load_path(path: Path, max_bytes: int, name: str, encoding: str | None) -> Iterator[LoadResult]:
    kind = kind_for_path(path) or "auto"
    if kind == "jsonl":  # streamed: a corpus file of any size, a line at a time
        yield from _load_jsonl(path, max_bytes, name)
        return
    limit = DEFAULT_MAX_FILE_BYTES if kind == "json" else (max_bytes * 4 if kind == "html" else max_bytes)
    try:
        size = path.stat().st_size
        if size > limit:
            yield InputError(name, f"file too large ({human_size(size)} > {human_size(limit)} limit; see --max-bytes)")
            return
        data = path.read_bytes()
    except OSError as e:
        yield _read_error(name, e)
        return
    yield from _parse_bytes(data, name, kind, max_bytes, encoding)


def _load_jsonl(path: Path, max_bytes: int, name: str) -> Iterator[LoadResult]:
    """A JSONL file read a line at a time (memory bounded by the longest line, not the file);
    the same records and errors as :func:`parse_bytes` of its bytes but for a line longer than
    :func:`max_line_bytes`."""
    try:
        fh = open(path, "rb")
    except OSError as e:
        yield _read_error(name, e)
        return
    with fh:
        try:
            head = fh.read(8192)
            blank = not head.strip()
            while blank:  # all whitespace so far: is the whole file?
                more = fh.read(1 << 20)
                if not more:
                    break
                blank = not more.strip()
            fh.seek(0)
        except OSError as e:
            yield _read_error(name, e)
            return
        if blank or looks_binary(head):  # the same refusals as parse_bytes
            yield (_empty_error if blank else _binary_error)(name)
            return
        yield from _jsonl_records(_file_lines(fh, max_line_bytes(max_bytes)), name, max_bytes)



"""Reading user input into :class:`Article` objects, and writing outputs atomically.

Every problem with one input becomes an :class:`InputError` naming that input; loading never
stops the rest of the batch. Supported inputs: ``.txt``/``.text``/``.md``, ``.html``/``.htm``
(main text via trafilatura, title kept), ``.json`` (an object or a list of objects),
``.jsonl``/``.ndjson`` (one object per line), directories (recursively), glob patterns and
``-`` for standard input (format sniffed).

Decoding: plain text and JSON are strict UTF-8 (a BOM is tolerated; ``encoding=`` / ``--encoding``
names another codec for plain text). HTML is read the way a browser reads it: a byte-order mark
first, then the encoding named by the caller (``--encoding``, or the HTTP ``Content-Type`` charset
of a fetched page), then a ``<meta charset>`` / ``http-equiv`` declaration in the first 4 kB, then
UTF-8 if the bytes are valid UTF-8, then detection (charset-normalizer). JSONL is split on
``\n`` only, so raw U+2028/U+2029/U+0085 inside JSON strings stay inside their record.
"""

from __future__ import annotations

import codecs
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

    def __post_init__(self) -> None:
        self.message = " ".join(str(self.message).split())  # always one line

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


def _looks_binary_text(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    if not sample:
        return False
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\x0c\r\x1b")
    return ctrl / len(sample) > 0.05


def check_encoding(name: str) -> str:
    """The canonical Python codec name for ``name`` (``--encoding``); ValueError if unknown or not
    a text encoding (e.g. ``base64``)."""
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        raise ValueError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True):
        raise ValueError(f"{name!r} is not a text encoding")
    return info.name


def _is_wide(codec: str) -> bool:
    return codec.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str | InputError:
    """Decode bytes as UTF-8 text (BOM tolerated), or as ``encoding`` when given, or explain why not."""
    codec = check_encoding(encoding) if encoding else "utf-8"
    if codec == "utf-8":
        codec = "utf-8-sig"
    if not _is_wide(codec) and looks_binary(data):
        return InputError(name, "binary data, not text (contains NUL or control bytes)")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        if encoding is None:
            return InputError(
                name,
                f"invalid UTF-8 at byte {e.start} (0x{data[e.start]:02x}); re-encode the file as UTF-8 "
                "or name its encoding with --encoding",
            )
        return InputError(name, f"invalid {codec} at byte {e.start} (0x{data[e.start]:02x}); check --encoding")
    if text.startswith("\ufeff"):
        text = text[1:]
    if _is_wide(codec) and _looks_binary_text(text):
        return InputError(name, "binary data, not text (contains NUL or control characters)")
    return text


# --------------------------------------------------------------------------------------------
# HTML decoding, as a browser does it (WHATWG "encoding sniffing", simplified)

# Labels whose WHATWG meaning differs from Python's codec of the same name: browsers read
# ISO-8859-1 and ASCII pages as windows-1252, Shift_JIS as windows-31j, GBK/GB2312 as GB18030, ...
_WHATWG_LABELS = {
    **dict.fromkeys(
        ("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
         "iso-ir-100", "csisolatin1", "us-ascii", "ascii", "ansi_x3.4-1968", "windows-1252",
         "cp1252", "x-cp1252"),
        "cp1252",
    ),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254", "cp1254"), "cp1254"),
    **dict.fromkeys(("iso-8859-11", "tis-620", "windows-874", "cp874"), "cp874"),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "ms932", "cp932"),
        "cp932",
    ),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb18030"), "gb18030"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "windows-949", "cp949", "korean"), "cp949"),
    **dict.fromkeys(("big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5"), "big5hkscs"),
}
_SINGLE_BYTE_WINDOWS = {"cp1252", "cp1254", "cp874"}
_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
HTML_SNIFF_BYTES = 4096


def _c1_controls(e: UnicodeError):
    """windows-125x bytes Python leaves undefined (0x81, 0x8d, ...) are C1 controls in a browser."""
    if isinstance(e, UnicodeDecodeError):
        return "".join(chr(b) for b in e.object[e.start : e.end]), e.end
    raise e


codecs.register_error("detector-c1", _c1_controls)


def html_codec(label: str | None, *, from_meta: bool = False) -> str | None:
    """The Python codec a browser would use for an encoding label (None if unknown)."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    codec = _WHATWG_LABELS.get(key)
    if codec is None:
        try:
            codec = check_encoding(key)
        except ValueError:
            return None
    if from_meta and _is_wide(codec):
        return "utf-8"  # a <meta> we could read in ASCII cannot be UTF-16: browsers take UTF-8
    return codec


def sniff_meta_charset(data: bytes) -> str | None:
    """The charset label of the first ``<meta charset>``/``http-equiv`` tag in the first 4 kB."""
    m = _META_CHARSET_RE.search(data[:HTML_SNIFF_BYTES])
    return m.group(1).decode("ascii", "ignore") if m else None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    results = from_bytes(data[:200_000])
    best = results.best()
    if best is None:
        return None
    # charset-normalizer ranks by "chaos" then "coherence"; on a tie among single-byte code pages
    # (cp1250/cp1252/cp1257 all read most English pages alike) take what a Western browser
    # falls back to, windows-1252.
    ties = [m.encoding for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return "cp1252" if "cp1252" in ties else html_codec(best.encoding)


def html_encoding(data: bytes, *, declared: str | None = None, override: str | None = None) -> tuple[str, str]:
    """``(codec, how)`` for HTML bytes: BOM, then ``override`` (``--encoding``), then ``declared``
    (the HTTP charset), then ``<meta>``, then UTF-8 if valid, then detection; ``how`` says which."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, "BOM"
    for how, label, from_meta in (
        ("--encoding", override, False),
        ("HTTP charset", declared, False),
        ("<meta> charset", sniff_meta_charset(data), True),
    ):
        codec = html_codec(label, from_meta=from_meta)
        if codec:
            return codec, how
    try:
        data.decode("utf-8")
        return "utf-8", "valid UTF-8"
    except UnicodeDecodeError:
        pass
    codec = _detect(data)
    return (codec, "detected") if codec else ("", "undetermined")


def decode_html(
    data: bytes, name: str, *, declared: str | None = None, override: str | None = None
) -> str | InputError:
    """Decode an HTML page the way a browser would (see :func:`html_encoding`); bytes invalid
    in the chosen encoding become U+FFFD, as in a browser."""
    codec, how = html_encoding(data, declared=declared, override=override)
    if not _is_wide(codec) and looks_binary(data):
        return InputError(name, "binary data, not HTML (contains NUL or control bytes)")
    if not codec:
        return InputError(
            name, "cannot tell the page's character encoding (no BOM, no <meta charset>, not UTF-8); pass --encoding"
        )
    body = data
    for bom, c in _BOMS:
        if how == "BOM" and c == codec:
            body = data[len(bom) :]
    text = body.decode(codec, "detector-c1" if codec in _SINGLE_BYTE_WINDOWS else "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    if _looks_binary_text(text):
        return InputError(name, "binary data, not HTML (contains NUL or control characters)")
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
        return _record_to_article(rec, name, where, max_bytes)
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
        yield InputError(name, "empty: no text to check")
        return
    if kind == "auto":
        kind = sniff_kind(data)
    if kind == "text":
        if len(data) > max_bytes:
            yield InputError(name, f"file too large ({_human(len(data))} > {_human(max_bytes)} limit; see --max-bytes)")
            return
        text = decode_text(data, name, encoding)
        if isinstance(text, InputError):
            yield text
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
        html = decode_html(data, name, override=encoding)
        if isinstance(html, InputError):
            yield html
            return
        res = _html_to_article(html, name)
        if isinstance(res, Article):
            err = _check_text(res.text, name)
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
        text = decode_text(data, name)
        if isinstance(text, InputError):
            yield text
            return
        n = 0
        # "\n" only: str.splitlines() would also cut at U+2028, U+2029, U+0085, \x1c-\x1e, \v, \f,
        # which JSON allows raw inside strings.
        for lineno, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            n += 1
            where = f"{name}:{lineno}"
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


def load_path(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, name: str | None = None, encoding: str | None = None
) -> Iterator[LoadResult]:
    """One file's Articles and InputErrors; never raises (see :func:`parse_bytes`)."""
    name = name or str(path)
    return _guard(_load_path(path, max_bytes, name, encoding), name)


def _load_path(path: Path, max_bytes: int, name: str, encoding: str | None) -> Iterator[LoadResult]:
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
    yield from _parse_bytes(data, name, kind, max_bytes, encoding)


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


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def current_umask() -> int:
    """The process umask, read without changing it where Linux allows (/proc), else via os.umask."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: str | os.PathLike, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file in the same directory + rename).

    The file gets the mode an ordinary ``open(path, "w")`` would give it (0o666 minus the
    umask; mkstemp alone would leave it 0o600)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
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


class AtomicWriter:
    """Write a file progressively and atomically: rows go to a temporary file in the same
    directory, which replaces ``path`` only when the writer is closed without an error (the
    streaming ``score``/``check`` output). ``with AtomicWriter(path) as w: w.write(text)``."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.fchmod(fd, 0o666 & ~current_umask())
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        self.fh.write(text)

    def flush(self) -> None:
        self.fh.flush()

    def __enter__(self) -> AtomicWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.fh.flush()
                os.fsync(self.fh.fileno())
            self.fh.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
        finally:
            if os.path.exists(self.tmp):
                try:
                    os.unlink(self.tmp)
                except OSError:
                    pass

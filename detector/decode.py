"""From bytes to text: the one-line :class:`InputError` of an input that cannot be read, plain-text
decoding (strict UTF-8, or a codec the user names) and HTML decoding the way a browser does it
(byte-order mark, the caller's charset, ``<meta charset>``, UTF-8, then detection).
:mod:`detector.io` builds on this and re-exports its public names."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .article import Article

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


def human_size(n: int) -> str:
    """``n`` bytes for a message: ``812 B``, ``4.2 MB``."""
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


def detect_charset(data: bytes) -> str | None:
    """The codec of undeclared bytes (charset-normalizer, first 200 kB), or None."""
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
    codec = detect_charset(data)
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

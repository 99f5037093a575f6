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
``\n`` only, so raw U+2028/U+2029/U+0085 inside JSON strings stay inside their record. The
decoding itself (and :class:`InputError`) is in :mod:`detector.decode`, re-exported here.

The package: :mod:`.records` (one input's bytes or file), :mod:`.expand` (paths, directories,
globs, standard input) and :mod:`.files` (hashing, atomic writes); every public name is
importable from here.
"""

from __future__ import annotations

from ..article import Article
from ..decode import (  # re-exported: detector.io stays the one place to read inputs from
    HTML_SNIFF_BYTES,
    InputError,
    LoadResult,
    check_encoding,
    decode_html,
    decode_text,
    detect_charset,
    html_codec,
    html_encoding,
    human_size,
    looks_binary,
    looks_like_html,
    sniff_meta_charset,
)
from .expand import iter_inputs
from .files import AtomicWriter, atomic_write, current_umask, file_sha256
from .records import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_FILE_BYTES,
    HTML_EXTS,
    JSON_EXTS,
    JSONL_EXTS,
    SUPPORTED_EXTS,
    TEXT_EXTS,
    check_text,
    failure_reason,
    html_to_article,
    json_problem,
    kind_for_path,
    load_path,
    parse_bytes,
    record_to_article,
    sniff_kind,
)

__all__ = [
    "DEFAULT_MAX_BYTES", "DEFAULT_MAX_FILE_BYTES", "HTML_EXTS", "HTML_SNIFF_BYTES", "JSONL_EXTS", "JSON_EXTS",
    "SUPPORTED_EXTS", "TEXT_EXTS", "Article", "AtomicWriter", "InputError", "LoadResult", "atomic_write",
    "check_encoding", "check_text", "current_umask", "decode_html", "decode_text", "detect_charset",
    "failure_reason", "file_sha256", "html_codec", "html_encoding", "html_to_article", "human_size",
    "iter_inputs", "json_problem", "kind_for_path", "load_path", "looks_binary", "looks_like_html",
    "parse_bytes", "record_to_article", "sniff_kind", "sniff_meta_charset",
]

"""Triage sources: an RSS/Atom feed (file or URL), a JSON/JSONL file of articles, or a directory.

A source becomes a list of :class:`Item`. An item either already carries its article text
(feed entries with full ``content``, JSON records with ``text``, files) or only a link to the
article page (feed entries with only a summary, JSON records with only ``url``), which
:func:`fetch_article` fetches and extracts.

Feeds are parsed in :mod:`detector.triage.feeds` (safely: defusedxml first); items are
:class:`~detector.triage.items.Item`.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from ..article import Article
from ..io import (
    InputError,
    check_text,
    decode_html,
    failure_reason,
    html_to_article,
    iter_inputs,
    json_problem,
    record_to_article,
)
from .feeds import FEED_EXTS, MAX_FEED_BYTES, check_xml_safe, fragment_to_text, looks_like_feed, parse_feed
from .fetch import HTML_TYPES, Fetcher, FetchError
from .items import Item, SourceError, is_url, item_hash, with_title

__all__ = [
    "FEED_EXTS", "MAX_FEED_BYTES", "RECORD_EXTS", "Item", "SourceError", "check_xml_safe", "fetch_article",
    "first_line_title", "fragment_to_text", "is_url", "load_source", "looks_like_feed", "parse_feed",
    "parse_files", "parse_records",
]

RECORD_EXTS = {".jsonl", ".ndjson", ".json"}

# --------------------------------------------------------------------------------------------
# JSON / JSONL records


def _parse_date(value) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(v)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            dt = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def parse_records(data: bytes, name: str, kind: str, max_bytes: int) -> list[Item]:
    """Items of a JSON (list or object) or JSONL file. A JSON file that cannot be parsed is a
    :class:`SourceError`; in JSONL each line is its own input (a bad line is that item's error)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError(f"{name}: invalid UTF-8 at byte {e.start}") from None
    records: list[tuple[str, object]] = []
    if kind == "json":
        try:
            obj = json.loads(text)
        except Exception as e:  # JSONDecodeError, ValueError (huge int), RecursionError (deep nesting)
            raise SourceError(f"{name}: {json_problem(e)}") from None
        recs = obj if isinstance(obj, list) else [obj]
        records = [(f"{name}#{i}", r) for i, r in enumerate(recs)]
    else:
        # split on "\n" only: JSON strings may hold raw U+2028/U+2029/U+0085 (str.splitlines cuts there)
        for lineno, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                records.append((f"{name}:{lineno}", json.loads(line)))
            except Exception as e:
                msg = f"invalid JSON line: {e.msg}" if isinstance(e, json.JSONDecodeError) else json_problem(e)
                records.append((f"{name}:{lineno}", InputError(f"{name}:{lineno}", msg)))
    items: list[Item] = []
    for where, rec in records:
        try:
            items.append(_record_item(where, rec, name, max_bytes))
        except Exception as e:  # the per-record failure boundary
            items.append(Item(key=where, error=failure_reason(e), fingerprint=item_hash(where, repr(e))))
    return items


def _record_item(where: str, rec: object, name: str, max_bytes: int) -> Item:
    if isinstance(rec, InputError):
        return Item(key=where, error=rec.message, fingerprint=item_hash(where))
    if not isinstance(rec, dict):
        return Item(key=where, error="expected a JSON object", fingerprint=item_hash(where))
    rid = rec.get("id")
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    key = str(rid) if rid is not None else (url or where)
    published = _parse_date(rec.get("published") or rec.get("date") or rec.get("updated"))
    item = Item(key=key, url=url, title=title, published=published, fingerprint=item_hash(rec))
    if isinstance(rec.get("text"), str):
        art = record_to_article(rec, name, where, max_bytes)
        if isinstance(art, InputError):
            item.error = art.message
        else:
            item.article = art
    elif url:
        item.needs_fetch = True
    else:
        item.error = "record has neither a string 'text' nor a 'url' field"
    return item


# --------------------------------------------------------------------------------------------
# Directories / single files


def first_line_title(text: str) -> str | None:
    """A plain-text article's headline: its first non-blank line when that reads as a title
    (at most 150 characters, not ending like a sentence, and more text follows), else None."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        return None
    first = " ".join(lines[0].split())
    if len(first) > 150 or first[-1] in ".,;:!" or len(first.split()) < 2:
        return None
    return first


def parse_files(spec: str, max_bytes: int, encoding: str | None = None) -> list[Item]:
    root = Path(spec)
    items: list[Item] = []
    for res in iter_inputs([spec], max_bytes=max_bytes, encoding=encoding):
        name = res.name
        try:
            key = os.path.relpath(name.split("#", 1)[0], root) if root.is_dir() else name
            if "#" in name:
                key += "#" + name.split("#", 1)[1]
        except ValueError:
            key = name
        try:
            mtime = datetime.fromtimestamp(
                Path(name.split("#", 1)[0].rsplit(":", 1)[0]).stat().st_mtime, tz=UTC
            )
        except (OSError, ValueError):
            mtime = None
        if isinstance(res, InputError):
            items.append(
                Item(key=key, error=res.message, fingerprint=item_hash(name, res.message), published=mtime)
            )
        else:
            items.append(
                Item(
                    key=key,
                    url=res.url,
                    title=res.title or first_line_title(res.text),
                    published=_parse_date(res.meta.get("published") or res.meta.get("date")) or mtime,
                    fingerprint=item_hash(res.text),
                    article=res,
                )
            )
    return items


# --------------------------------------------------------------------------------------------
# Entry point


def load_source(
    spec: str, fetcher: Fetcher, *, max_bytes: int, encoding: str | None = None
) -> tuple[str, str, list[Item]]:
    """``(source_id, kind, items)`` for a feed URL/file, a JSON/JSONL file or a directory.

    Raises :class:`SourceError` (one line) when the source as a whole cannot be read, whatever
    went wrong; a bad item inside a readable source is that item's error. ``encoding``: the
    codec of plain-text files in a directory source (see :func:`detector.io.parse_bytes`).
    """
    try:
        return _load_source(spec, fetcher, max_bytes=max_bytes, encoding=encoding)
    except SourceError:
        raise
    except Exception as e:  # the source's failure boundary: never a traceback
        raise SourceError(f"{spec}: {failure_reason(e)}") from None


def _load_source(spec: str, fetcher: Fetcher, *, max_bytes: int, encoding: str | None) -> tuple[str, str, list[Item]]:
    if is_url(spec):
        try:
            res = fetcher.get(spec, max_bytes=MAX_FEED_BYTES)
        except FetchError as e:
            raise SourceError(f"{spec}: {e}") from None
        if not looks_like_feed(res.content) and res.content_type in HTML_TYPES:
            raise SourceError(f"{spec}: is an HTML page, not an RSS/Atom feed")
        return spec, "feed", parse_feed(res.content, spec, base_url=res.url)
    path = Path(spec)
    if not path.exists():
        raise SourceError(f"{spec}: no such file or directory")
    source_id = str(path.resolve())
    if path.is_dir():
        return source_id, "directory", parse_files(spec, max_bytes, encoding)
    ext = path.suffix.lower()
    size = path.stat().st_size
    limit = MAX_FEED_BYTES if ext not in RECORD_EXTS else 500_000_000
    if size > limit:
        raise SourceError(f"{spec}: file too large ({size} bytes > {limit} byte limit)")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"{spec}: cannot read: {e.strerror or e}") from None
    if ext in FEED_EXTS or (ext not in RECORD_EXTS and looks_like_feed(data)):
        return source_id, "feed", parse_feed(data, spec)
    if ext in RECORD_EXTS:
        return (
            source_id,
            "records",
            parse_records(data, spec, "json" if ext == ".json" else "jsonl", max_bytes),
        )
    return source_id, "files", parse_files(spec, max_bytes, encoding)


def fetch_article(item: Item, fetcher: Fetcher, *, max_bytes: int) -> Article:
    """Fetch ``item.url`` and extract the article's main text (raises :class:`FetchError`)."""
    assert item.url
    res = fetcher.get(item.url, accept=HTML_TYPES + ("text/plain",), max_bytes=max_bytes)
    if res.content_type == "text/plain":
        text = res.text()
        err = check_text(text, item.url)
        if err:
            raise FetchError(err.message)
        return Article(text=with_title(item.title, text), name=item.url, title=item.title, url=item.url)
    html = decode_html(res.content, item.url, declared=res.charset)
    if isinstance(html, InputError):
        raise FetchError(html.message)
    art = html_to_article(html, item.url, url=item.url)
    if isinstance(art, InputError):
        raise FetchError(art.message)
    err = check_text(art.text, item.url)
    if err:
        raise FetchError(err.message)
    art.url = item.url
    art.title = art.title or item.title
    art.meta["final_url"] = res.url
    return art

"""Triage sources: an RSS/Atom feed (file or URL), a JSON/JSONL file of articles, or a directory.

A source becomes a list of :class:`Item`. An item either already carries its article text
(feed entries with full ``content``, JSON records with ``text``, files) or only a link to the
article page (feed entries with only a summary, JSON records with only ``url``), which
:func:`fetch_article` fetches and extracts.

Feeds are parsed safely: the bytes go through :mod:`defusedxml` first (entity declarations and
external entities are refused, so an entity-expansion "XML bomb" never reaches a parser that
would expand it), and only then through feedparser, which is never handed a URL.
"""

from __future__ import annotations

import calendar
import hashlib
import html as html_mod
import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
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
from .fetch import HTML_TYPES, Fetcher, FetchError

FEED_EXTS = {".xml", ".rss", ".atom", ".rdf", ".feed"}
RECORD_EXTS = {".jsonl", ".ndjson", ".json"}
MAX_FEED_BYTES = 20_000_000


class SourceError(Exception):
    """The source as a whole cannot be read (one line saying why)."""


@dataclass(slots=True)
class Item:
    """One entry of a source, before scoring."""

    key: str  # stable identity within the source (entry id, link, record id, relative path)
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    fingerprint: str = ""  # hash of the entry as listed (changes when the listing changes)
    article: Article | None = None  # text known without fetching
    needs_fetch: bool = False  # only a summary/link: fetch ``url`` for the text
    error: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.url or self.key


def _hash(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(json.dumps(p, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


# --------------------------------------------------------------------------------------------
# XML safety


def check_xml_safe(data: bytes, name: str) -> None:
    """Refuse feeds declaring entities (XML bombs, external entities) before any parsing.

    defusedxml raises on entity declarations and external references; a feed that is not
    well-formed XML (feedparser copes with those) is still refused if it so much as declares
    an entity.
    """
    import defusedxml
    from defusedxml import ElementTree as SafeET

    try:
        SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as e:  # pragma: no cover - forbid_dtd is off
        raise SourceError(f"{name}: refused: feed has a DTD ({e})") from None
    except defusedxml.EntitiesForbidden:
        raise SourceError(
            f"{name}: refused: feed declares XML entities (possible entity-expansion 'XML bomb')"
        ) from None
    except defusedxml.ExternalReferenceForbidden:
        raise SourceError(f"{name}: refused: feed references external XML entities") from None
    except defusedxml.DefusedXmlException as e:
        raise SourceError(f"{name}: refused: unsafe XML ({e})") from None
    except Exception:  # not well-formed: let feedparser's lenient parser try, minus entities
        if re.search(rb"<!ENTITY", data, re.IGNORECASE):
            raise SourceError(
                f"{name}: refused: feed declares XML entities (possible entity-expansion 'XML bomb')"
            ) from None


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return bool(re.search(rb"<(rss|feed|rdf:rdf)[\s>]", head)) or (
        head.startswith(b"<?xml") and bool(re.search(rb"<(rss|feed|rdf:rdf)\b", data[:65536].lower()))
    )


# --------------------------------------------------------------------------------------------
# HTML fragments (feed content) -> text


class _FragmentText(HTMLParser):
    BLOCK = {
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "table",
        "tr",
        "figure",
        "figcaption",
        "header",
        "footer",
        "aside",
    }
    SKIP = {"script", "style", "noscript", "template", "iframe", "object"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def fragment_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content/summary): one paragraph per block."""
    if "<" not in fragment:
        text = html_mod.unescape(fragment)
    else:
        p = _FragmentText()
        p.feed(fragment)
        p.close()
        text = "".join(p.parts)
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        lines = [re.sub(r"[ \t\r\f\v\u00a0]+", " ", ln).strip() for ln in block.split("\n")]
        block = "\n".join(ln for ln in lines if ln)
        if block:
            blocks.append(block)
    return "\n\n".join(blocks)


def _with_title(title: str | None, body: str) -> str:
    if title and not body.startswith(title):
        return f"{title}\n\n{body}"
    return body


# --------------------------------------------------------------------------------------------
# Feeds


def _entry_time(entry) -> datetime | None:
    for k in ("published_parsed", "updated_parsed", "created_parsed"):
        t = dict.get(entry, k)  # plain dict access: no feedparser 'updated'->'published' fallback warning
        if t:
            try:
                return datetime.fromtimestamp(calendar.timegm(t), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def parse_feed(data: bytes, name: str, base_url: str | None = None) -> list[Item]:
    check_xml_safe(data, name)
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    d = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    if not d.entries:
        if d.bozo:
            raise SourceError(f"{name}: not a readable RSS/Atom feed ({d.bozo_exception})")
        if not d.version:
            raise SourceError(f"{name}: not an RSS/Atom feed")
        return []
    items: list[Item] = []
    for i, e in enumerate(d.entries):
        try:
            items.append(_feed_item(i, e))
        except Exception as exc:  # one odd entry is that entry's error, never the feed's
            key = f"{name}#entry-{i}"
            items.append(Item(key=key, error=failure_reason(exc), fingerprint=_hash(key, repr(exc))))
    return items


def _feed_item(i: int, e) -> Item:
    link = e.get("link") or None
    if link and not is_url(link):  # an RSS <guid> taken for a permalink, a relative path, ...
        link = None
    title = (e.get("title") or "").strip() or None
    key = e.get("id") or link or f"entry-{_hash(title, e.get('summary'))[:16]}"
    contents = [c.get("value", "") for c in e.get("content", []) if c.get("value")]
    summary = e.get("summary") or ""
    fp = _hash(title, link, summary, contents, dict.get(e, "updated"), dict.get(e, "published"))
    item = Item(key=str(key), url=link, title=title, published=_entry_time(e), fingerprint=fp)
    item.meta["entry"] = i
    if contents:
        body = fragment_to_text(max(contents, key=len))
        item.article = Article(
            text=_with_title(title, body), name=link or str(key), title=title, url=link
        )
    elif link:
        item.needs_fetch = True
    elif summary:
        body = fragment_to_text(summary)
        item.article = Article(text=_with_title(title, body), name=str(key), title=title)
    else:
        item.error = "feed entry has neither content, summary nor link"
    if item.article is not None:
        err = check_text(item.article.text, item.label)
        if err:
            item.article, item.error = None, err.message
    return item


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
            items.append(Item(key=where, error=failure_reason(e), fingerprint=_hash(where, repr(e))))
    return items


def _record_item(where: str, rec: object, name: str, max_bytes: int) -> Item:
    if isinstance(rec, InputError):
        return Item(key=where, error=rec.message, fingerprint=_hash(where))
    if not isinstance(rec, dict):
        return Item(key=where, error="expected a JSON object", fingerprint=_hash(where))
    rid = rec.get("id")
    url = rec.get("url") if isinstance(rec.get("url"), str) else None
    title = rec.get("title") if isinstance(rec.get("title"), str) else None
    key = str(rid) if rid is not None else (url or where)
    published = _parse_date(rec.get("published") or rec.get("date") or rec.get("updated"))
    item = Item(key=key, url=url, title=title, published=published, fingerprint=_hash(rec))
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
                Item(key=key, error=res.message, fingerprint=_hash(name, res.message), published=mtime)
            )
        else:
            items.append(
                Item(
                    key=key,
                    url=res.url,
                    title=res.title or first_line_title(res.text),
                    published=_parse_date(res.meta.get("published") or res.meta.get("date")) or mtime,
                    fingerprint=_hash(res.text),
                    article=res,
                )
            )
    return items


# --------------------------------------------------------------------------------------------
# Entry point


def is_url(spec: str) -> bool:
    return bool(re.match(r"^https?://", spec, re.IGNORECASE))


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
        return Article(text=_with_title(item.title, text), name=item.url, title=item.title, url=item.url)
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

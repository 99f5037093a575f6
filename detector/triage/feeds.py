"""RSS/Atom feeds as triage items, parsed safely: the bytes go through :mod:`defusedxml` first
(entity declarations and external entities are refused, so an entity-expansion "XML bomb" never
reaches a parser that would expand it), and only then through feedparser, which is never handed
a URL. Entry content (HTML fragments) becomes plain text here."""

from __future__ import annotations

import calendar
import html as html_mod
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from ..article import Article
from ..io import check_text, failure_reason
from .items import Item, SourceError, is_url, item_hash, with_title

FEED_EXTS = {".xml", ".rss", ".atom", ".rdf", ".feed"}
MAX_FEED_BYTES = 20_000_000


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
            items.append(Item(key=key, error=failure_reason(exc), fingerprint=item_hash(key, repr(exc))))
    return items


def _feed_item(i: int, e) -> Item:
    link = e.get("link") or None
    if link and not is_url(link):  # an RSS <guid> taken for a permalink, a relative path, ...
        link = None
    title = (e.get("title") or "").strip() or None
    key = e.get("id") or link or f"entry-{item_hash(title, e.get('summary'))[:16]}"
    contents = [c.get("value", "") for c in e.get("content", []) if c.get("value")]
    summary = e.get("summary") or ""
    fp = item_hash(title, link, summary, contents, dict.get(e, "updated"), dict.get(e, "published"))
    item = Item(key=str(key), url=link, title=title, published=_entry_time(e), fingerprint=fp)
    item.meta["entry"] = i
    if contents:
        body = fragment_to_text(max(contents, key=len))
        item.article = Article(
            text=with_title(title, body), name=link or str(key), title=title, url=link
        )
    elif link:
        item.needs_fetch = True
    elif summary:
        body = fragment_to_text(summary)
        item.article = Article(text=with_title(title, body), name=str(key), title=title)
    else:
        item.error = "feed entry has neither content, summary nor link"
    if item.article is not None:
        err = check_text(item.article.text, item.label)
        if err:
            item.article, item.error = None, err.message
    return item

"""boilerplate family: page furniture and inserted material in the article body.

Everything is line-based (``Document.lines``): scrapers keep furniture as lines of its own, so a
pattern only has to recognise a short line, never search prose. Patterns describe the *kind* of
line (a prompt verb plus a page object, an agency credit after a slash, a teaser header) rather
than literal strings.

- BOI001 "See also" / "Read more" / "Related:" link lines.
- BOI002 share / comment / reply / subscribe / newsletter / "follow us" / "download our app"
  prompts and comment-form text.
- BOI003 syndication and editing disclaimers (incl. "automatically generated from a wire feed"),
  republication and copyright notes. Agency datelines ("LONDON (Reuters) -") are copy, not notes.
- BOI004 (info) a stray short heading between body paragraphs: a short line without final
  punctuation in Title Case, quotes or dashes ("US Defense", "‘Hard Questions’",
  "- Strong message -"), or a Title-Case fragment glued to the end of a paragraph
  ("... the region. Hostages and the Humanitarian Crisis."). Sentence-case subheadings and
  the headline (first line) are left alone. A lone capitalised word ("Background",
  "Analysis", "Timeline") between body paragraphs counts as a heading too.
- BOI005 a teaser block of other stories: a header such as "More from ...", "Latest from ...",
  "Trending on ...", "Most read" or "Related stories" and the items after it, as one finding;
  the block ends at three body paragraphs in a row or at other furniture (prompts, disclaimers).
- BOI006 navigation and media furniture ("Skip to main content", "Thumbnail", "Advertisement",
  "Scroll to continue", "Media playback is unsupported on your device") and cookie/consent
  notices (warning), photo credit lines ("AFP / Name", "Photo by Name/AGENCY", "Name/Sipa, via
  Reuters"; info) and timestamp lines ("Published 3 hours ago"; info).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import settings
from ..findings import Finding
from ..text import Document, as_document
from .boilerplate_patterns import (
    _BULLET_START_RE,
    _DASHED_RE,
    _DIGIT_RE,
    _LABEL_ONLY_RE,
    _ONE_WORD_HEADING_RE,
    _QUOTED_RE,
    _SMALL,
    _TERMINAL_RE,
    _WORD_RE,
    COOKIE_RE,
    COOKIE_WORDS,
    CREDIT_LINE_RE,
    CREDIT_RE,
    DISCLAIMER_RE,
    DISCLAIMER_WORDS,
    NAV_LINE_RE,
    PROMPT_ANY_RE,
    PROMPT_ANY_WORDS,
    PROMPT_LINE_RE,
    QUOTE_CHARS,
    SEE_ALSO_RE,
    TEASER_HEADER_RE,
    TIMESTAMP_RE,
    may_search,
)

FAMILY = "boilerplate"


@settings.register("boilerplate")
@dataclass(frozen=True, slots=True)
class BoilerplateSettings:
    """Knobs of the boilerplate family (``[settings.boilerplate]`` in the configuration)."""

    max_heading_words: int = settings.knob(8, "a stray heading (BOI004) is a short title-case line; longer lines are body text")
    body_min_words: int = settings.knob(12, "a line this long ending in terminal punctuation counts as body text around a stray heading")
    max_furniture_words: int = settings.knob(30, "page furniture (share, see-also, credit lines) is short; longer lines are left alone")
    max_cookie_words: int = settings.knob(45, "a consent banner is a sentence or two, not a paragraph about cookies")


def _q(text: str) -> str:
    s = " ".join(text.split())
    return s if len(s) <= QUOTE_CHARS else s[: QUOTE_CHARS - 1].rstrip() + "…"


def _title_case(words: list[str], min_caps: int = 1) -> bool:
    caps = 0
    for w in words:
        if w[0].isupper():
            caps += 1
        elif w.lower() not in _SMALL:
            return False
    return caps >= min_caps


def _is_heading_style(line: str, words: list[str]) -> bool:
    if _QUOTED_RE.match(line) or _DASHED_RE.match(line):
        return True
    if line.isupper() and len(words) >= 1:
        return True
    if len(words) == 1:
        # a lone capitalised word ("Background", "Analysis", "Timeline") on a line of its own
        return bool(_ONE_WORD_HEADING_RE.fullmatch(line))
    return _title_case(words, min_caps=1)


def detect(text: str | Document) -> list[Finding]:
    cfg = settings.get(BoilerplateSettings)
    doc = as_document(text)
    src = doc.text
    lines = doc.lines
    n = len(lines)
    if not n:
        return []

    # kind per line: None (body / unknown) or (code, message, severity)
    kinds: list[tuple[str, str, str] | None] = [None] * n
    nwords: list[int] = []
    body: list[bool] = []
    for k, (s, e) in enumerate(lines):
        line = src[s:e]
        nw = len(line.split())
        nwords.append(nw)
        body.append(nw >= cfg.body_min_words and bool(_TERMINAL_RE.search(line)))
        kinds[k] = _classify(line, nw, k)

    out: list[Finding] = []
    # teaser blocks first: one finding per block, swallowing link/credit/heading lines inside it
    in_block = [False] * n
    k = 0
    while k < n:
        if not kinds[k] or kinds[k][0] != "BOI005":
            k += 1
            continue
        end = n - 1
        run = 0
        for m in range(k + 1, n):
            kind = kinds[m]
            if kind and kind[0] in ("BOI002", "BOI003"):
                end = m - 1
                break
            if body[m] and not _BULLET_START_RE.match(src[lines[m][0] : lines[m][1]]):
                run += 1
                if run >= 3:  # the article resumes: the block ended before this run
                    end = m - 3
                    break
            else:
                run = 0
        items = end - k
        s, e = lines[k][0], lines[end][1]
        header = src[lines[k][0] : lines[k][1]]
        msg = f"teaser block of other stories: “{_q(header)}”"
        if items:
            msg += f" and {items} line{'s' if items != 1 else ''} after it"
        out.append(Finding(FAMILY, "BOI005", s, e, msg, suggestion="delete the block", severity="warning"))
        for j in range(k, end + 1):
            in_block[j] = True
        k = end + 1

    for k, kind in enumerate(kinds):
        if kind is None or in_block[k] or kind[0] == "BOI005":
            continue
        code, msg, sev = kind
        s, e = lines[k]
        out.append(Finding(FAMILY, code, s, e, msg, suggestion="delete the line", severity=sev))

    out.extend(_stray_headings(doc, kinds, body, nwords, in_block))
    return out


def _classify(line: str, nw: int, k: int) -> tuple[str, str, str] | None:
    cfg = settings.get(BoilerplateSettings)
    if nw > cfg.max_furniture_words * 2:
        return None
    if nw <= cfg.max_furniture_words:
        if NAV_LINE_RE.fullmatch(line):
            return ("BOI006", f"navigation furniture: “{_q(line)}”", "warning")
        if nw <= 10 and TIMESTAMP_RE.fullmatch(line):
            return ("BOI006", f"timestamp line: “{_q(line)}”", "info")
        if SEE_ALSO_RE.match(line) and not _LABEL_ONLY_RE.match(line.lstrip("-•*·▪►»>–— ")):
            return ("BOI001", f"link line: “{_q(line)}”", "warning")
        if nw <= 15 and PROMPT_LINE_RE.fullmatch(line):
            return ("BOI002", f"share/comment prompt: “{_q(line)}”", "warning")
        if nw <= 12 and TEASER_HEADER_RE.fullmatch(line) and not _TERMINAL_RE.search(line.rstrip(":")):
            return ("BOI005", "", "warning")
        if nw <= 14 and CREDIT_RE.match(line) and not line.endswith((". ", "!", "?")):
            if not (nw > 6 and line.endswith(".") and not line.endswith((".COM", ".com"))):
                return ("BOI006", f"photo credit line: “{_q(line)}”", "info")
    low = line.lower()  # the searches below only run where a word they need is in the line
    if nw <= cfg.max_cookie_words and may_search(COOKIE_WORDS, line, low) and COOKIE_RE.search(line):
        return ("BOI006", f"cookie/consent notice: “{_q(line)}”", "warning")
    if may_search(PROMPT_ANY_WORDS, line, low) and PROMPT_ANY_RE.search(line):
        return ("BOI002", f"comment-form text: “{_q(line)}”", "warning")
    if may_search(DISCLAIMER_WORDS, line, low) and DISCLAIMER_RE.search(line):
        return ("BOI003", f"syndication/editing note: “{_q(line)}”", "warning")
    if nw <= cfg.max_furniture_words and CREDIT_LINE_RE.match(line):
        return ("BOI003", f"reporting/editing credit: “{_q(line)}”", "info")
    return None


def _stray_headings(doc: Document, kinds, body, nwords, in_block) -> list[Finding]:
    cfg = settings.get(BoilerplateSettings)
    src = doc.text
    lines = doc.lines
    n = len(lines)
    out = []
    seen_body = False
    for k in range(n):
        s, e = lines[k]
        if body[k]:
            seen_body = True
            # a Title-Case fragment glued to the end of a body paragraph
            f = _glued_heading(doc, s, e)
            if f is not None and not in_block[k]:
                out.append(f)
            continue
        if k == 0 or not seen_body or kinds[k] is not None or in_block[k]:
            continue
        if nwords[k] > cfg.max_heading_words:
            continue
        line = src[s:e]
        if _TERMINAL_RE.search(line) or _BULLET_START_RE.match(line):
            continue
        if any(c in line for c in ",()[]") or _DIGIT_RE.search(line):
            continue  # lists, credits, scores and game titles rather than headings
        words = _WORD_RE.findall(line)
        if not words or not _is_heading_style(line, words):
            continue
        # the next line that is not furniture must be a body paragraph
        m = k + 1
        while m < n and kinds[m] is not None:
            m += 1
        if m >= n or not body[m]:
            continue
        out.append(
            Finding(
                FAMILY,
                "BOI004",
                s,
                e,
                f"stray heading between body paragraphs: “{_q(line)}”",
                suggestion="delete the heading",
                severity="info",
            )
        )
    return out


_LAST_SENT_RE = re.compile(r"[.!?][\"'”’)]*\s+([A-Z][^.!?]{3,60}\.)$")


def _glued_heading(doc: Document, s: int, e: int) -> Finding | None:
    src = doc.text
    m = _LAST_SENT_RE.search(src, max(s, e - 70), e)
    if not m:
        return None
    frag = m.group(1)
    if any(c in frag for c in ",:;()") or _DIGIT_RE.search(frag):
        return None
    words = _WORD_RE.findall(frag)
    if any(w[0].isupper() and w.lower() in _SMALL for w in words[1:]):
        return None  # "Get Me Out Of Here": a proper title, not a stray heading
    if not 3 <= len(words) <= 7:
        return None
    caps = sum(1 for w in words if w[0].isupper())
    if caps < 3 or not _title_case(words, min_caps=3):
        return None
    if not any(w.lower() in _SMALL for w in words) and caps == len(words) and len(words) < 4:
        return None  # a bare name ("Tony Blair Jr.")
    fs = m.start(1)
    return Finding(
        FAMILY,
        "BOI004",
        fs,
        e,
        f"heading glued to the end of a paragraph: “{_q(frag)}”",
        suggestion="delete the heading",
        severity="info",
    )

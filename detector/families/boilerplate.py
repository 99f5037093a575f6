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

FAMILY = "boilerplate"

QUOTE_CHARS = 60
_BULLET = r"(?:[-•*·▪►»>–—]\s*)?"

SEE_ALSO_RE = re.compile(
    _BULLET
    + r"""(?:
        (?:see|read)\s+also | also\s+(?:read|see|watch) | read\s+more | read\s+next | watch\s+next
      | read\s+the\s+full\s+(?:story|article|report) | continue\s+reading | further\s+reading
      | click\s+here\s+to\s+(?:read|watch|see) | more\s+on\s+this\s+(?:story|topic)
      | you\s+(?:may|might)\s+also\s+(?:like|want\s+to\s+read|be\s+interested\s+in)
      | related(?:\s+(?:stories|story|articles?|coverage|content|news|reading|links?|topics?))?
      | recommended(?:\s+(?:reading|stories|articles))?
    )(?=\s*[:\-–—|»>\u00a0]|\s*$|\s+\S)""",
    re.I | re.X,
)
# "Related" / "Recommended" alone must be a label (colon or nothing after), not a sentence start.
_LABEL_ONLY_RE = re.compile(
    r"(?:related|recommended)\b(?!\s*[:\-–—|»>]|\s*$"
    r"|\s+(?:stories|story|articles?|coverage|content|news|reading|links?|topics?)\b)",
    re.I,
)

PROMPT_LINE_RE = re.compile(
    _BULLET
    + r"""(?:
        (?:share|tweet|email|e-mail|print|save|pin|bookmark|like|comment\s+on|comment)
          (?:\s+(?:this|the|our)\s+(?:post|article|story|page|video|photo|gallery|item|report))?
          (?:\s+(?:on|via|to|with|by)\s+[\w.+]+(?:\s+[\w.+]+)?)?
      | (?:share|follow|like|find|join)\s+(?:us|this|it)\s+on\b.*
      | (?:share|post|follow\s+\S+(?:\s+\S+){0,3}?)\s+on\s+(?:x|twitter|facebook|instagram|linkedin|telegram|whatsapp
          |youtube|tiktok|threads|bluesky|reddit|pinterest|mastodon)\b.*
      | (?:download|get|install)\s+(?:our|the)\s+(?:free\s+)?(?:\S+\s+){0,3}?apps?\b.*
      | (?:leave|post|add|write|submit)\s+(?:a|your)\s+(?:reply|comment|response)\b.*
      | (?:\d+\s+)?comments?(?:\s*\(\d+\))?
      | (?:view|show|read|load|see)\s+(?:all\s+)?(?:\d+\s+)?(?:comments|replies)\b.*
      | (?:subscribe|sign\s+up|register|log\s*in|sign\s+in)\b.{0,60}?\b
          (?:newsletters?|updates|to\s+comment|to\s+continue|alerts|for\s+free|now|today|account
          |briefings?|digest|bulletin|e-?mails?|inbox)\b.*
      | reply | report | cancel\s+reply | click\s+here\b.*
      | join\s+the\s+(?:conversation|discussion)\b.*
    )[\s:.!*]*""",
    re.I | re.X,
)
PROMPT_ANY_RE = re.compile(
    r"""your\s+email\s+address\s+will\s+not\s+be\s+published
      | required\s+fields\s+are\s+marked
      | you\s+must\s+be\s+(?:logged|signed)\s+in\s+to\s+(?:post|comment|reply)
      | notify\s+me\s+of\s+(?:new|follow-up)\s+(?:comments|posts)
      | save\s+my\s+name,\s+email
      | this\s+site\s+uses\s+akismet""",
    re.I | re.X,
)

DISCLAIMER_RE = re.compile(
    r"""(?:this|the)\s+(?:story|article|report|content|copy)\s+(?:has|was|had)\s+not\s+(?:been\s+)?edited\s+by
      | not\s+(?:been\s+)?edited\s+by\s+\S+(?:\s+\S+)?\s+staff
      | (?:published|generated|taken|sourced)\s+from\s+a\s+syndicated\s+feed
      | auto-?generated\s+from
      | ^\(?\s*(?:this|the)\s+(?:story|article|report|content|copy|piece|post)\s+(?:was|has\s+been|is)\s+
          (?:automatically|auto-?(?:generated|published))
      | (?:from|via|through|off)\s+(?:an?\s+|the\s+)?(?:wire|agency|syndicated|rss)\s+(?:news\s+)?feed
      | \bsyndicated\s+(?:feed|content|news\s+feed)\b
      | ^\(?\s*(?:this\s+(?:story|article|piece|post|report|column|content)\s+(?:was\s+|has\s+been\s+)?
          (?:originally\s+|first\s+)?(?:appeared|published|posted|produced)|originally\s+(?:appeared|published|posted))
          \s+(?:on|in|at|by)\b
      | \brepublished\s+(?:from|with\s+permission|under)
      | under\s+a\s+creative\s+commons\s+licen[cs]e
      | with\s+inputs\s+from\s+(?:agencies|\w+)
      | \(with\s+(?:agency\s+)?inputs?\b
      | all\s+rights\s+reserved
      | may\s+not\s+be\s+(?:published|reproduced|redistributed|rewritten|broadcast)
      | ^(?:\(?c\)|©|copyright)\s*\d{4}
      | ^disclaimer\s*:
      | the\s+views\s+(?:and\s+opinions\s+)?expressed\s+(?:in\s+this\s+(?:article|piece)\s+)?(?:are|do\s+not)""",
    re.I | re.X,
)
CREDIT_LINE_RE = re.compile(
    r"^\(?(?:(?:additional\s+)?reporting|writing|editing|compiled|edited)\s+by\s+[A-Z][^\n]{0,120}"
    r"(?:;|\band\b)\s*(?:editing|writing)\s+by\b",
    re.I,
)

TEASER_HEADER_RE = re.compile(
    _BULLET
    + r"""(?:
        more\s+from\b.* | more\s+(?:stories|news|articles|videos|coverage)(?:\s+(?:from|on|in|about)\b.*)?
      | more\s+in\s+[A-Z].* | more\s+on\s+[A-Z].*
      | (?:related|recommended|suggested|popular|trending|other|top|more)\s+(?:stories|articles|news|reads|posts|videos|links)
      | (?:stories|articles)\s+you\s+may\s+(?:like|have\s+missed)
      | you\s+(?:may|might)\s+(?:also\s+)?(?:like|have\s+missed)
      | most\s+(?:read|popular|viewed|shared|watched|commented)
      | editors?'?s?\s+picks? | what\s+to\s+read\s+next | elsewhere\s+on\b.* | (?:from\s+)?around\s+the\s+web
      | in\s+other\s+news | don'?t\s+miss | must\s+reads? | recommended\s+for\s+you
      | (?:latest|trending|popular|most\s+read|top\s+stories|more\s+stories|recommended|editor'?s\s+picks?)
          \s+(?:from|on|in|at)\s+\S.* | trending(?:\s+now|\s+stories|\s+news)? | popular\s+now
      | recommended | more\s+to\s+(?:read|explore|watch) | (?:read|watch)\s+more\s+from\b.*
      | (?:promoted|sponsored|partner)\s+(?:stories|content|links)
    )[\s:.»>]*""",
    re.I | re.X,
)

NAV_LINE_RE = re.compile(
    _BULLET
    + r"""(?:
        skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|search|footer|article)
      | thumbnails? | advertisements? | advert | sponsored(?:\s+content)? | ad | ads
      | latest(?:\s+(?:news|stories|headlines|updates))? | breaking\s+news | top\s+stories
      | toggle\s+(?:navigation|menu) | (?:main\s+)?menu | home | search | close | back\s+to\s+top
      | loading\.* | (?:play|watch)\s+(?:the\s+)?video | listen(?:\s+to\s+(?:this\s+)?article)?
      | click\s+to\s+(?:enlarge|expand|play) | enlarge\s+(?:this\s+)?image | expand | collapse
      | image | photo | video | gallery | (?:photo|image)\s+gallery | embed | copy\s+link | link\s+copied
      | open\s+in\s+(?:a\s+)?new\s+(?:window|tab) | next | previous | prev | (?:next|previous)\s+(?:article|story|post)
      | cookie\s+(?:settings|policy|preferences) | accept(?:\s+all)?(?:\s+cookies)? | (?:-\s*)?youtube
      | (?:image|media)\s+(?:source|caption)\b.* | getty\s+images | (?:\d+\s+)?min(?:ute)?s?\s+read
      | scroll\s+(?:down\s+)?(?:to|for)\s+(?:continue|more|the\s+next\s+(?:article|story))(?:\s+reading)?
      | (?:story|article|text)\s+continues\s+(?:below|after\s+(?:the\s+)?(?:advert(?:isement)?|ad))(?:\s+advert(?:isement)?)?
      | media\s+playback\s+is\s+(?:unsupported|not\s+supported)\s+on\s+your\s+device
      | (?:this\s+)?(?:video|content|media)\s+(?:is\s+)?(?:unavailable|not\s+available)\b.*
      | your\s+browser\s+(?:does\s+not|doesn'?t)\s+support\b.* | please\s+enable\s+javascript\b.*
      | (?:manage|cookie|privacy)\s+(?:cookies|preferences|settings|consent|choices)
    )[\s:.]*""",
    re.I | re.X,
)

# Cookie and consent notices: furniture wherever they sit in a line.
COOKIE_RE = re.compile(
    r"""\b(?:we|this\s+(?:site|website)|our\s+(?:site|website|partners))\s+uses?\s+cookies\b
      | by\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+(?:this|our)\s+(?:site|website)\b.{0,40}\b(?:agree|accept|consent)
      | \b(?:accept|reject|manage)\s+(?:all\s+)?cookies\b
      | \byour\s+(?:cookie|privacy)\s+(?:choices|preferences|settings)\b""",
    re.I | re.X,
)

_AGENCY = (
    r"(?:AFP|Reuters|REUTERS|AP|EPA|EPA-EFE|Getty(?:\s+Images)?|GETTY|Sipa(?:\s+USA)?|SIPA|"
    r"ABACA(?:PRESS(?:\.COM)?)?|Anadolu(?:\s+Agency)?|ANADOLU|Xinhua|XINHUA|NurPhoto|Shutterstock|"
    r"Alamy|Bloomberg|dpa|DPA|PA(?:\s+Images|\s+Wire)?|ANSA|Pool|POOL|Zuma|ZUMA|IANS|PTI|ANI|"
    r"AAP|Kyodo|KCNA|TASS|Sputnik|SOPA\s+Images|LightRocket|WireImage|Bloomberg\s+via\s+Getty\s+Images)"
)
CREDIT_RE = re.compile(
    r"""^(?:
        (?i:\(?(?:photo|photograph|image|picture|pic|credit|photo\s+credit|image\s+credit|file\s+photo|source)s?
          \s*(?:by\b|:|©|-|–|credit\b))
      | ©\s*\S
      | .{0,60}?\S\s*/\s*AGENCY\b
      | AGENCY\s*/\s*[A-Z]
      | .{0,60},\s*via\s+AGENCY\b
      | .{0,60}\(AGENCY(?:\s+Photo)?(?:\s*/[^)]*)?\)\s*$
    )""".replace("AGENCY", _AGENCY),
    re.X,
)

_DIGIT_RE = re.compile(r"\d")
# "Published 3 hours ago", "Updated: 12 May 2024, 10:30 GMT", "Last updated on 4 June"
TIMESTAMP_RE = re.compile(
    r"(?:first\s+)?(?:published|updated|last\s+(?:updated|modified)|posted|modified)(?:\s+on|\s+at)?\s*:?\s*"
    r"(?=.{0,50}(?:\d|\bago\b))[\w ,:./+\-]{1,50}",
    re.I,
)
_TERMINAL_RE = re.compile(r"""[.!?…:;,]["'”’)\]]*$""")
_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")
_SMALL = frozenset(
    """a an the and or but nor of in on at to for from by with as vs v via into over under per
    about after before up off out is are was be its their his her our""".split()
)
_BULLET_START_RE = re.compile(r"^(?:[•*·▪►»>]|\d+[.)]\s)")
_QUOTED_RE = re.compile(r"""^["'“‘].+["'”’]$""")
_DASHED_RE = re.compile(r"^[-–—]\s+.+\s+[-–—]$")
_ONE_WORD_HEADING_RE = re.compile(r"[A-Z][a-z]{3,}")


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
    if nw <= cfg.max_cookie_words and COOKIE_RE.search(line):
        return ("BOI006", f"cookie/consent notice: “{_q(line)}”", "warning")
    if PROMPT_ANY_RE.search(line):
        return ("BOI002", f"comment-form text: “{_q(line)}”", "warning")
    if DISCLAIMER_RE.search(line):
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

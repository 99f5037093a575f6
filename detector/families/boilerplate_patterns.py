"""The line patterns of the boilerplate family: what share prompts, see-also links, disclaimers,
credits, teaser headers, navigation, cookie banners and timestamps look like, and the shape of
a heading (see :mod:`detector.families.boilerplate`)."""

from __future__ import annotations

import re

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

# Words every match of COOKIE_RE, PROMPT_ANY_RE and DISCLAIMER_RE holds, case aside (one per
# alternative of the pattern; "site" also in "website", "input" in "inputs", "generated" in
# "autogenerated"): a line with none of them cannot match, and these three patterns are searched
# on most short lines. Looked up in the lower-cased line, which agrees with re.IGNORECASE on
# every character but four that match an ASCII letter under it (İ ı ſ K, see
# ``_IGNORECASE_ODD_RE``): a line that holds one of those is always searched.
COOKIE_WORDS = ("cookie", "site", "privacy")
PROMPT_ANY_WORDS = ("email", "required", "must", "notify", "akismet")
DISCLAIMER_WORDS = (
    "edited", "syndicated", "generated", "auto", "feed", "appeared", "published", "posted", "produced",
    "commons", "input", "reserved", "may", "c)", "©", "copyright", "disclaimer", "expressed",
)
_IGNORECASE_ODD_RE = re.compile("[\u0130\u0131\u017f\u212a]")


def may_search(words: tuple[str, ...], line: str, low: str) -> bool:
    """Can a pattern whose every match holds one of ``words`` (case aside) match ``line``
    (``low``: ``line.lower()``)? False only when it certainly cannot."""
    return any(w in low for w in words) or _IGNORECASE_ODD_RE.search(line) is not None


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

"""Shared fixtures for the triage tests (no tests here): invented articles, a local HTTP server
serving an RSS feed and its article pages, and a CLI runner.

All article texts below are invented for these tests.
"""

from __future__ import annotations

import http.server
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Invented articles. "harbour" is the original story, "harbour-syndicated" a copy with page
# furniture, "harbour-spun" a spun copy; "garbled" is badly machine-mangled; the rest are clean.

HARBOUR = (
    "Ferry workers in Port Alder returned to work on Saturday after a nine-day strike over night "
    "shift pay, the harbour authority said.\n\n"
    "The agreement, reached late on Friday after talks chaired by a retired judge, raises the night "
    "rate by eleven percent and adds a second rest day for crews working the winter timetable.\n\n"
    "Mara Lindqvist, who leads the ferry workers' union, said the deal recognised the risks crews "
    'take in bad weather. "Nobody wanted the boats tied up for this long," she said.\n\n'
    "The strike had cut the island of Keel off from the mainland except for one emergency crossing a "
    "day, and shops on the island reported empty shelves by the middle of the week.\n\n"
    "The harbour authority said the full timetable would run again from Sunday morning and that "
    "tickets bought for cancelled crossings would be refunded until the end of the month."
)

HARBOUR_SYNDICATED_EXTRA = (
    "\n\nRead more: Island shops count the cost of the ferry strike\n\n"
    "Share this article on social media\n\n"
    "This story was provided by a news agency and has not been edited by our staff."
)

HARBOUR_SPUN = (
    "Ferry employees in Port Alder went back to work on Saturday after a nine-day walkout over night "
    "shift wages, the the harbour authority stated.\n\n"
    "The agreement, reached late on Friday after talks chaired by a retired judge, increases the night "
    "rate by eleven percent and adds a second rest day for crews working the winter timetable.\n\n"
    "Mara Lindqvist, who heads the ferry workers' union, said the deal recognised the risks crews "
    'take in bad weather. "Nobody wanted the boats tied up for this long," she said.\n\n'
    "The strike had cut the island of Keel off from the mainland except for one emergency crossing a "
    "day, and stores on the island reported reported empty shelves by the middle of the week.\n\n"
    "The harbour authority said the full timetable would run again from Sunday morning and that "
    "tickets purchased for cancelled crossings would be refunded until the end of the month."
)

GARBLED = (
    "The the council of Brennmoor has has approved the new bridge plan on Monday evening.\n\n"
    "Officials said that the the bridge will will connect the the two halves of the town. "
    "officials said the bridge connect the town.\n\n"
    "The mayor said the the works start in spring spring and and finish in two years. "
    "The mayor said the works start in spring. The mayor said the works start in spring.\n\n"
    "Residents which live near near the river was worried about the the noise of the works, "
    "said a a spokesman for the the council."
)

LIBRARY = (
    "A new public library opened in the old wool mill in Hensford on Tuesday, with reading rooms on "
    "three floors and a café run by volunteers.\n\n"
    "The building stood empty for twenty years before the town bought it. Architects kept the iron "
    "columns and the loading doors, which now open onto a small garden where children's readings "
    "will be held in summer.\n\n"
    "The head librarian, Tomas Vey, said more than four hundred people signed up for library cards "
    "on the first day. The library is open every day except Monday."
)

ORCHARD = (
    "Apple growers in the Sollen valley expect the smallest harvest in a decade after a late frost "
    "in April damaged blossom across most of the orchards.\n\n"
    "The growers' cooperative said early estimates put the crop at about sixty percent of a normal "
    "year. Some farms on higher ground escaped the frost and will pick close to their usual volume.\n\n"
    "Ines Marlow, who manages the cooperative's packing house, said prices for local apples were "
    "likely to rise in the autumn and that the packing house would keep its seasonal staff on "
    "shorter hours rather than let them go."
)


@dataclass
class Story:
    slug: str
    title: str
    body: str
    published: datetime
    summary: str = ""

    def page(self) -> str:
        """The article page as a news site would serve it: navigation, body, footer furniture."""
        paras = "".join(f"<p>{escape(p)}</p>\n" for p in self.body.split("\n\n"))
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(self.title)} | Valley Courier</title></head><body>"
            '<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>'
            f"<main><article><h1>{escape(self.title)}</h1>"
            '<p class="byline">By Courier staff</p>\n'
            f"{paras}</article></main>"
            "<footer><p>Copyright Valley Courier. All rights reserved.</p>"
            "<p>Subscribe to our newsletter.</p></footer></body></html>"
        )


BASE_TIME = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def default_stories() -> list[Story]:
    t = BASE_TIME
    return [
        Story("harbour", "Ferry strike ends in Port Alder", HARBOUR, t),
        Story("library", "Library opens in old wool mill", LIBRARY, t + timedelta(hours=1)),
        Story("garbled", "Council approves Brennmoor bridge", GARBLED, t + timedelta(hours=2)),
        Story(
            "harbour-copy",
            "Ferry strike ends in Port Alder",
            HARBOUR + HARBOUR_SYNDICATED_EXTRA,
            t + timedelta(hours=3),
        ),
        Story("harbour-spun", "Ferry walkout ends in Port Alder", HARBOUR_SPUN, t + timedelta(hours=4)),
        Story("orchard", "Frost cuts Sollen apple harvest", ORCHARD, t + timedelta(hours=5)),
    ]


def rss(base: str, stories: list[Story], extra_items: str = "") -> str:
    """An RSS 2.0 feed whose entries carry only a one-line summary and a link."""
    items = []
    for s in stories:
        summary = s.summary or s.body.split(". ")[0] + "."
        items.append(
            "<item>"
            f"<title>{escape(s.title)}</title>"
            f"<link>{escape(base)}/news/{s.slug}.html</link>"
            f'<guid isPermaLink="false">courier-{s.slug}</guid>'
            f"<pubDate>{format_datetime(s.published)}</pubDate>"
            f"<description>{escape(summary)}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Valley Courier</title><link>{escape(base)}/</link><description>News</description>"
        + "".join(items)
        + extra_items
        + "</channel></rss>\n"
    )


XML_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1:9/x</link><description>&lol9;</description></item>
</channel></rss>
"""


# ---------------------------------------------------------------------------------------------
# A real HTTP server on 127.0.0.1


@dataclass
class Site:
    """Routes served by :class:`LocalServer`: path -> (status, content type, body, headers)."""

    routes: dict[str, tuple[int, str, bytes, dict]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        path: str,
        body: str | bytes,
        ctype: str = "text/html; charset=utf-8",
        status: int = 200,
        **headers,
    ):
        self.routes[path] = (status, ctype, body.encode("utf-8") if isinstance(body, str) else body, headers)

    def hit(self, path: str) -> None:
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1

    def page_hits(self) -> int:
        return sum(n for p, n in self.hits.items() if p.startswith("/news/"))


class LocalServer:
    def __init__(self, site: Site):
        self.site = site
        site_ref = site

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802
                path = self.path.split("?", 1)[0]
                site_ref.hit(path)
                route = site_ref.routes.get(path)
                if route is None:
                    body = b"not found"
                    self.send_response(404)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                status, ctype, body, headers = route
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k.replace("_", "-"), v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def publish(site: Site, base: str, stories: list[Story], extra_items: str = "") -> None:
    site.add("/feed.xml", rss(base, stories, extra_items), "application/rss+xml; charset=utf-8")
    for s in stories:
        site.add(f"/news/{s.slug}.html", s.page())


def closed_port() -> int:
    """A TCP port on 127.0.0.1 with nothing listening."""
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------------------------------------
# Detector availability: the ranking tests need a repetition detector that flags "the the".


def _doubled_word_findings(text):
    from detector.findings import Finding

    t = text if isinstance(text, str) else text.text
    return [
        Finding("repetition", "REP001", m.start(2), m.end(2), f"'{m.group(1)}' twice in a row", m.group(1))
        for m in re.finditer(r"\b(\w+)\s+(\1)\b", t, re.IGNORECASE)
    ]


def ensure_repetition_detector(monkeypatch=None) -> bool:
    """If the repetition family does not flag doubled words yet (it is being written
    concurrently), install a minimal stand-in so the triage tests exercise ranking and
    highlighting. Returns True if the stand-in was installed."""
    from detector import families

    rep = families.load("repetition")
    if rep.detect("It was the the end of the day and the talks failed."):
        return False
    if monkeypatch is not None:
        monkeypatch.setattr(rep, "detect", _doubled_word_findings)
    else:
        rep.detect = _doubled_word_findings
    return True


def use_rule_scorer(monkeypatch=None) -> None:
    """Score with the transparent rule (detector.scoring.RuleScorer) instead of the trained model,
    which is being trained concurrently: the triage tests check the pipeline (ranking follows the
    scores, state, grouping), not the classifier, and need scores that do not move under them."""
    from detector import api
    from detector.scoring import RuleScorer

    def load(model=None, *, grammar_available=True):
        return RuleScorer()

    if monkeypatch is not None:
        monkeypatch.setattr(api, "load_scorer", load)
    else:
        api.load_scorer = load


def cli_main_wrapper(slow_seconds: float = 0.0) -> str:
    """Python source for ``python -c``: run the detector CLI with the stand-in detector (if needed)
    and, optionally, each api.score call slowed down so a test can kill the run midway."""
    tests_dir = str(Path(__file__).parent)
    return (
        "import sys, time\n"
        f"sys.path.insert(0, {tests_dir!r})\n"
        "import test_triage_support as s\n"
        "s.ensure_repetition_detector()\n"
        "s.use_rule_scorer()\n"
        "from detector import api\n"
        "_orig = api.score\n"
        "def _slow(*a, **k):\n"
        f"    time.sleep({slow_seconds!r})\n"
        "    return _orig(*a, **k)\n"
        "api.score = _slow\n"
        "from detector.cli import main\n"
        "sys.argv[0] = 'detector'\n"
        "main()\n"
    )

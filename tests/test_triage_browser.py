"""The HTML triage report opened in a real headless browser (Debian chromium).

Set DETECTOR_TRIAGE_SCREENSHOT=docs/triage-report.png to refresh the README screenshot.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_triage_support import (
    LocalServer,
    Site,
    default_stories,
    ensure_repetition_detector,
    publish,
    use_rule_scorer,
)
from typer.testing import CliRunner

from detector.cli import app

CHROMIUM = next(
    (
        p
        for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
        if p and os.path.exists(p)
    ),
    None,
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install chromium; .ci/run installs it)"
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)}
    )


class DomScan(HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.rows: list[dict] = []
        self.marks: list[dict] = []
        self.bars = 0
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if tag == "tr" and "rank-row" in (a.get("class") or ""):
            self.rows.append(a)
        if tag == "mark":
            self.marks.append(a)
        if tag == "rect" and "bar" in (a.get("class") or ""):
            self.bars += 1
        for attr in ("src", "srcset"):
            if attr in a:
                self.external.append(f"{tag} {attr}={a[attr]}")
        if tag == "link":
            self.external.append(f"link {a}")


def test_report_in_headless_chromium(tmp_path, monkeypatch):
    ensure_repetition_detector(monkeypatch)
    use_rule_scorer(monkeypatch)
    site = Site()
    with LocalServer(site) as srv:
        publish(site, srv.base, default_stories())
        report = tmp_path / "report.html"
        res = CliRunner().invoke(
            app,
            [
                "triage",
                f"{srv.base}/feed.xml",
                "--allow-private",
                "--no-grammar",
                "-q",
                "--state",
                str(tmp_path / "s.db"),
                "--html",
                str(report),
                "-f",
                "json",
            ],
            catch_exceptions=False,
        )
    assert res.exit_code == 0, res.stderr

    dom = chromium(tmp_path, "--dump-dom", report.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    scan = DomScan()
    scan.feed(dom.stdout)
    # the page's own script ran under its Content-Security-Policy
    assert scan.html_attrs.get("data-js") == "ready"
    # ranking: every item, in rank order, least reliable first; the garbled item on top
    ranks = [int(r["data-rank"]) for r in scan.rows]
    assert ranks == list(range(1, 7))
    rel = [float(r["data-reliability"]) for r in scan.rows]
    assert rel == sorted(rel)
    assert scan.rows[0]["data-key"] == "courier-garbled"
    # findings highlighted inline with message (and suggestion) on hover
    assert len(scan.marks) >= 5
    assert all(m.get("title") for m in scan.marks)
    assert any(m["title"].startswith("REP001") and "\u2192" in m["title"] for m in scan.marks)
    garbled_card = re.search(r'<article class="item-card [a-z]+" id="item-1".*?</article>', dom.stdout, re.S)
    assert garbled_card and garbled_card.group(0).count("<mark") >= 5
    # histogram bars drawn; nothing loaded from anywhere
    assert scan.bars >= 1
    assert scan.external == []

    shot = tmp_path / "triage-report.png"
    r = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", report.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    target = os.environ.get("DETECTOR_TRIAGE_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)

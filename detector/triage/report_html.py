"""A self-contained HTML triage report: ranking, score histogram (inline SVG), and every article
with its findings highlighted inline.

Article text, titles, URLs and messages are untrusted and always HTML-escaped; the page loads
nothing from anywhere (inline CSS/JS/SVG only) and says so in its Content-Security-Policy, which
allows exactly the page's own style and script by hash, so even a mistake in escaping could not
run injected script. Links to articles are emitted only for http(s) URLs.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from urllib.parse import urlsplit

from ..findings import Finding
from .render import lowered_by, summary_line
from .run import Row, TriageResult

VERDICT_COLOR = {"reject": "#c62828", "review": "#ef8f00", "ok": "#2e7d32"}

CSS = """
:root{--fg:#1d1d1f;--muted:#666;--line:#ddd;--bg:#fff;--soft:#f6f6f8}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:17px;margin:0 0 4px}
.meta{color:var(--muted);font-size:13px;margin:2px 0;overflow-wrap:anywhere}
.reasons{font-size:13px;margin:4px 0 6px 18px;padding:0}.reasons li.lowers{color:#8a1c1c}.reasons li.raises{color:#1b5e20}.reasons .eff{color:var(--muted)}
.summary{font-weight:600}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);font-size:13px}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.item{overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:3px;padding:0 6px;color:#fff;font-size:12px;font-weight:600}
.badge.reject{background:#c62828}.badge.review{background:#ef8f00}.badge.ok{background:#2e7d32}.badge.error{background:#6a1b9a}
.badge.unsupported{background:#546e7a}.item-card.unsupported{border-left:5px solid #546e7a}
.dup{font-size:12px;color:#37474f;white-space:nowrap}.best{color:#2e7d32;font-weight:600}
.status{font-size:12px;color:var(--muted)}
.item-card{border:1px solid var(--line);border-radius:6px;padding:14px 16px;margin:14px 0}
.item-card.reject{border-left:5px solid #c62828}.item-card.review{border-left:5px solid #ef8f00}.item-card.ok{border-left:5px solid #2e7d32}
.text{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);padding:10px 12px;border-radius:4px;max-height:32em;overflow:auto;font-size:14px}
mark.f{background:#ffe082;border-bottom:2px solid #ef8f00;cursor:pointer;padding:0 1px;border-radius:2px}
mark.f.fam-name{background:#f8bbd0;border-color:#c2185b}
mark.f.fam-repetition{background:#ffcc80;border-color:#e65100}
mark.f.fam-duplicate-block{background:#d1c4e9;border-color:#5e35b1}
mark.f.fam-broken-sentence{background:#ffab91;border-color:#bf360c}
mark.f.fam-boilerplate{background:#cfd8dc;border-color:#455a64}
mark.f.fam-fluency{background:#b3e5fc;border-color:#0277bd}
mark.f.fam-grammar,mark.f.fam-spelling{background:#c8e6c9;border-color:#2e7d32}
mark.f.fam-foreign-language{background:#eceff1;border-color:#78909c}
mark.f.multi{outline:1px dashed #333}
mark.f.point::after{content:"\\2038";color:#c62828;font-weight:700}
mark.f.active{outline:2px solid #000}
ol.findings{font-size:13px;margin:8px 0 0;padding-left:22px}
ol.findings li.active{background:#fff3c4}
ol.findings code{font-size:12px}
.sugg{color:#2e7d32}
#detail{position:fixed;right:16px;bottom:16px;max-width:440px;background:#263238;color:#fff;padding:10px 14px;border-radius:6px;font-size:13px;white-space:pre-wrap;box-shadow:0 4px 18px rgba(0,0,0,.3)}
#detail[hidden]{display:none}
svg text{font:11px system-ui,sans-serif;fill:#444}
.legend span{display:inline-block;margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
.legend i.reject{background:#c62828}.legend i.review{background:#ef8f00}.legend i.ok{background:#2e7d32}
"""

JS = """
(function(){
  document.documentElement.setAttribute('data-js','ready');
  var panel=document.getElementById('detail');
  function clear(){document.querySelectorAll('.active').forEach(function(e){e.classList.remove('active');});}
  document.addEventListener('click',function(ev){
    var m=ev.target.closest?ev.target.closest('mark.f'):null;
    if(!m){clear();panel.hidden=true;return;}
    clear();m.classList.add('active');
    var card=m.closest('.item-card');
    (m.getAttribute('data-f')||'').split(' ').forEach(function(i){
      var li=card?card.querySelector('li[data-i="'+i+'"]'):null;if(li){li.classList.add('active');}
    });
    panel.textContent=m.getAttribute('title')||'';panel.hidden=false;
  });
  document.addEventListener('keydown',function(ev){if(ev.key==='Escape'){clear();panel.hidden=true;}});
})();
"""


def _csp_hash(s: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii") + "'"


def _e(s: object) -> str:
    return escape("" if s is None else str(s), quote=True)


def safe_href(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def _link(url: str | None, text: str | None = None) -> str:
    href = safe_href(url)
    label = _e(text if text is not None else url)
    if not href:
        return label
    return f'<a href="{_e(href)}" rel="noopener noreferrer nofollow" target="_blank">{label}</a>'


def _fam_class(family: str) -> str:
    return "fam-" + re.sub(r"[^a-z0-9-]", "", family.lower())


def finding_label(f: Finding) -> str:
    s = f"{f.code} {f.message}"
    if f.suggestion:
        s += f" \u2192 {f.suggestion}"
    return s


def highlight(text: str, findings: list[Finding]) -> str:
    """``text`` HTML-escaped, with each finding's span wrapped in ``<mark>`` (overlaps split into
    segments; a segment covered by several findings lists them all in its title)."""
    n = len(text)
    spans = []
    for i, f in enumerate(findings):
        s, e = max(0, min(n, f.start)), max(0, min(n, f.end))
        spans.append((s, max(s, e), i))
    bounds = sorted({0, n, *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    points: dict[int, list[int]] = {}
    for s, e, i in spans:
        if s == e:
            points.setdefault(s, []).append(i)
    out: list[str] = []

    def mark(idx: list[int], inner: str, extra: str = "") -> str:
        fams = {findings[i].family for i in idx}
        cls = ["f", _fam_class(findings[idx[0]].family)] + (
            ["multi"] if len(fams) > 1 or len(idx) > 1 else []
        )
        if extra:
            cls.append(extra)
        title = "\n".join(finding_label(findings[i]) for i in idx)
        return (
            f'<mark class="{" ".join(cls)}" data-f="{" ".join(map(str, idx))}" '
            f'title="{_e(title)}">{inner}</mark>'
        )

    for a, b in zip(bounds, bounds[1:] + [None], strict=False):
        if a in points:
            out.append(mark(points[a], "", "point"))
        if b is None:
            break
        seg = text[a:b]
        active = [i for s, e, i in spans if s <= a and e >= b and s < e]
        out.append(mark(active, _e(seg)) if active else _e(seg))
    return "".join(out)


def histogram_svg(rows: list[Row], bins: int = 10, width: int = 640, height: int = 210) -> str:
    scored = [r for r in rows if r.reliability is not None]
    counts = [{"reject": 0, "review": 0, "ok": 0} for _ in range(bins)]
    for r in scored:
        b = min(bins - 1, max(0, int(r.reliability * bins)))
        v = r.verdict if r.verdict in counts[b] else "review"
        counts[b][v] += 1
    top = max([sum(c.values()) for c in counts] + [1])
    left, right, bottom, ttop = 36, 10, 34, 14
    pw, ph = width - left - right, height - bottom - ttop
    bw = pw / bins
    parts = [
        f'<svg id="histogram" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Histogram of reliability scores">',
        f"<title>Reliability of {len(scored)} scored item(s), 0 = least reliable</title>",
        f'<line x1="{left}" y1="{ttop + ph}" x2="{left + pw}" y2="{ttop + ph}" stroke="#888"/>',
        f'<line x1="{left}" y1="{ttop}" x2="{left}" y2="{ttop + ph}" stroke="#888"/>',
    ]
    for k in range(bins + 1):
        x = left + k * bw
        parts.append(f'<text x="{x:.1f}" y="{ttop + ph + 14}" text-anchor="middle">{k / bins:.1f}</text>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 3}" text-anchor="middle">reliability</text>')
    parts.append(f'<text x="{left - 6}" y="{ttop + 4}" text-anchor="end">{top}</text>')
    parts.append(f'<text x="{left - 6}" y="{ttop + ph}" text-anchor="end">0</text>')
    for b, c in enumerate(counts):
        y = ttop + ph
        x = left + b * bw + 2
        total = sum(c.values())
        for v in ("reject", "review", "ok"):
            if not c[v]:
                continue
            h = ph * c[v] / top
            y -= h
            parts.append(
                f'<rect class="bar {v}" x="{x:.1f}" y="{y:.1f}" width="{bw - 4:.1f}" height="{h:.1f}" '
                f'fill="{VERDICT_COLOR[v]}"><title>{b / bins:.1f}\u2013{(b + 1) / bins:.1f}: {c[v]} {v}</title></rect>'
            )
        if total:
            parts.append(
                f'<text x="{x + (bw - 4) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{total}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _bar(rel: float, verdict: str | None) -> str:
    """The reliability bar, coloured by the item's verdict (so the colours follow the model's own
    cut-offs, never a separate rule)."""
    w = 70
    color = VERDICT_COLOR.get(verdict or "", "#777")
    return (
        f'<svg width="{w}" height="9" aria-hidden="true"><rect width="{w}" height="9" fill="#eee"/>'
        f'<rect width="{w * max(0.0, min(1.0, rel)):.1f}" height="9" fill="{color}"/></svg>'
    )


def _not_judged(row: Row) -> str:
    """Why an item has no reliability (its language reason, e.g. "the text is German ...")."""
    report = row.report
    for reason in (report.reasons if report else None) or []:
        if reason.get("feature") == "language":
            return str(reason.get("message", ""))
    language = report.language if report and report.language is not None else "?"
    return f"not judged: the text is not English ({language})"


def _counts(row: Row) -> str:
    counts = row.report.counts if row.report else {}
    parts = [f"{_e(f)}&nbsp;{n}" for f, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n]
    return ", ".join(parts) or "&ndash;"


def _dup_cell(row: Row) -> str:
    if row.cluster is None:
        return ""
    best = ' <span class="best">best copy</span>' if row.best_in_cluster else ""
    return f'<a class="dup" href="#cluster-{row.cluster}">group {row.cluster} ({row.cluster_size})</a>{best}'


def render_html(res: TriageResult) -> str:
    rows = res.rows
    head_csp = (
        "default-src 'none'; "
        f"style-src {_csp_hash(CSS)}; script-src {_csp_hash(JS)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    o: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(head_csp)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>detector triage: {_e(res.source)}</title>",
        f"<style>{CSS}</style></head><body>",
        "<header><h1>Triage report</h1>",
        f'<p class="meta">Source: {_link(res.source) if safe_href(res.source) else _e(res.source)}'
        f" &middot; generated {_e(res.generated)}</p>",
        f'<p class="meta">Scoring: {_e(res.config)}</p>',
        f'<p class="summary" id="summary">{_e(summary_line(res))}</p></header>',
    ]
    if res.notes:
        o.append('<ul class="meta">' + "".join(f"<li>{_e(n)}</li>" for n in res.notes) + "</ul>")

    o.append('<section id="scores"><h2>Scores</h2>')
    o.append(histogram_svg(rows))
    o.append(
        '<p class="legend"><span><i class="reject"></i>reject</span><span><i class="review"></i>review</span>'
        '<span><i class="ok"></i>ok</span></p></section>'
    )

    o.append('<section id="ranking"><h2>Ranking: least reliable first</h2>')
    o.append(
        '<table id="ranking-table"><thead><tr><th>#</th><th>reliability</th><th>verdict</th><th>item</th>'
        "<th>lowered by</th><th>findings</th><th>near-duplicates</th><th>status</th></tr></thead><tbody>"
    )
    for r in rows:
        if r.status == "error":
            o.append(
                f'<tr class="rank-row error" data-rank="{r.rank}" data-key="{_e(r.key)}" data-status="error">'
                f'<td class="num">{r.rank}</td><td class="num">&ndash;</td>'
                f'<td><span class="badge error">error</span></td>'
                f'<td class="item">{_link(r.url, r.title or r.label)}<div class="meta">{_e(r.error)}</div></td>'
                f'<td></td><td></td><td></td><td class="status">error</td></tr>'
            )
            continue
        if r.reliability is not None:
            data_rel = f'data-reliability="{r.reliability:.4f}" '
            rel_cell = f'<td class="num">{_bar(r.reliability, r.verdict)} {r.reliability:.3f}</td>'
        else:  # not judged: verdict "unsupported" (the text is not English)
            data_rel = ""
            rel_cell = f'<td class="num" title="{_e(_not_judged(r))}">not judged</td>'
        o.append(
            f'<tr class="rank-row {_e(r.verdict)}" data-rank="{r.rank}" data-key="{_e(r.key)}" '
            f'{data_rel}data-status="{_e(r.status)}">'
            f'<td class="num">{r.rank}</td>{rel_cell}'
            f'<td><span class="badge {_e(r.verdict)}">{_e(r.verdict)}</span></td>'
            f'<td class="item"><a href="#item-{r.rank}">{_e(r.title or r.label)}</a>'
            + (f'<div class="meta">{_e(r.url)}</div>' if r.url and r.title else "")
            + f'</td><td class="why">{_e(lowered_by(r))}</td><td>{_counts(r)}</td><td>{_dup_cell(r)}</td>'
            f'<td class="status">{_e(r.status)}{(" (" + _e(r.reason) + ")") if r.reason else ""}</td></tr>'
        )
    o.append("</tbody></table></section>")

    groups = res.clusters
    if groups:
        o.append('<section id="clusters"><h2>Near-duplicate groups</h2>')
        for cid, members in sorted(groups.items()):
            o.append(
                f'<div class="cluster" id="cluster-{cid}"><h3>Group {cid}: {len(members)} copies</h3><ul>'
            )
            for m in sorted(members, key=lambda m: -(m.reliability if m.reliability is not None else -1.0)):
                best = ' <span class="best">best copy</span>' if m.best_in_cluster else ""
                score = "" if m.reliability is None else f"{m.reliability:.3f} "
                o.append(
                    f'<li><a href="#item-{m.rank}">#{m.rank} {_e(m.title or m.label)}</a> '
                    f"&middot; {score}{_e(m.verdict)}{best}</li>"
                )
            o.append("</ul></div>")
        o.append("</section>")

    errors = res.errors
    if errors:
        o.append('<section id="errors"><h2>Items that could not be read</h2><ul>')
        for r in errors:
            o.append(f'<li class="error-item">{_link(r.url, r.title or r.label)}: {_e(r.error)}</li>')
        o.append("</ul></section>")

    o.append('<section id="articles"><h2>Articles and evidence</h2>')
    for r in rows:
        if r.status == "error":
            continue
        fs = r.findings
        o.append(f'<article class="item-card {_e(r.verdict)}" id="item-{r.rank}" data-rank="{r.rank}">')
        o.append(f"<h3>#{r.rank} &middot; {_e(r.title or r.label)}</h3>")
        if r.reliability is None:
            meta = ["not judged", _e(r.verdict or "")]
        else:
            meta = [f"reliability {r.reliability:.3f}", _e(r.verdict or "")]
        if r.cluster is not None:
            meta.append(_dup_cell(r))
        if r.published:
            meta.append(f"published {_e(r.published)}")
        meta.append(_e(r.status))
        o.append(f'<p class="meta">{" &middot; ".join(meta)}</p>')
        if r.url:
            o.append(f'<p class="meta">{_link(r.url)}</p>')
        if r.reliability is None:
            o.append(f'<p class="meta not-judged">{_e(_not_judged(r))}</p>')
        else:
            why = (r.report.reasons if r.report else None) or []
            if why:
                o.append('<ul class="reasons" title="what moved the score most (effect in log-odds)">')
                for x in why:
                    eff = float(x.get("effect") or 0.0)
                    sign = "lowers" if eff < 0 else "raises"
                    o.append(f'<li class="{sign}">{_e(str(x.get("message", "")))} '
                             f'<span class="eff">({sign} the score, {eff:+.2f})</span></li>')
                o.append("</ul>")
        o.append(f'<div class="text">{highlight(r.text or "", fs)}</div>')
        if fs:
            o.append('<ol class="findings">')
            for i, f in enumerate(fs):
                sugg = f' <span class="sugg">\u2192 {_e(f.suggestion)}</span>' if f.suggestion else ""
                o.append(
                    f'<li data-i="{i}">{f.line}:{f.column} <code>{_e(f.code)}</code> '
                    f'<span class="fam">[{_e(f.family)}]</span> {_e(f.message)}{sugg}</li>'
                )
            o.append("</ol>")
        else:
            o.append('<p class="meta">No findings.</p>')
        o.append("</article>")
    o.append("</section>")
    o.append('<div id="detail" role="status" hidden></div>')
    o.append(f"<script>{JS}</script></body></html>")
    return "\n".join(o) + "\n"

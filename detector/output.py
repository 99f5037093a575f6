"""Rendering findings and reports: ruff-style lines, text table, JSON, JSONL, CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from .findings import FAMILIES, Finding


def finding_line(path: str, f: Finding) -> str:
    """``path:line:col: CODE message (→ suggestion)`` — the ruff/Vale convention."""
    s = f"{path}:{f.line}:{f.column}: {f.code} {f.message}"
    if f.suggestion:
        s += f" (→ {f.suggestion})"
    return s


def render_check(reports) -> str:
    lines = []
    for r in reports:
        for f in r.findings:
            lines.append(finding_line(r.path, f))
    return "\n".join(lines) + ("\n" if lines else "")


def _short(fam: str) -> str:
    return fam


def render_text(reports) -> str:
    if not reports:
        return ""
    width = max(len(r.path) for r in reports)
    fams = list(FAMILIES)
    out = []
    for r in reports:
        c = r.counts()
        counts = " ".join(f"{_short(fam)}={c.get(fam, 0)}" for fam in fams if c.get(fam, 0))
        if r.reliability is None:  # not judged (verdict "unsupported": the text is not English)
            out.append(f"{r.path:<{width}}  {'-':>6}  {r.verdict:<6}  language={getattr(r, 'language', '?')}")
            continue
        out.append(f"{r.path:<{width}}  {r.reliability:6.3f}  {r.verdict:<6}  {counts or '-'}")
        if r.verdict != "ok":  # a flagged article says why (the reasons that lowered its score)
            for x in getattr(r, "reasons", []):
                if x.effect < 0:
                    out.append(f"    why: {x.message}")
    return "\n".join(out) + "\n"


def render_json(reports) -> str:
    return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n"


# U+0085, U+2028 and U+2029 may stand raw in JSON strings, but str.splitlines() and some JSONL
# readers break lines there; escaped, each record is one line by any reader's definition.
LINE_BREAK_ESCAPES = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def render_jsonl(reports) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False).translate(LINE_BREAK_ESCAPES) + "\n" for r in reports)


CSV_COLUMNS = ("path", "reliability", "verdict", "language", "grammar_status", "model", "findings", *FAMILIES,
               "reasons")
"""Score CSV header: every name unique (``grammar_status`` is LanguageTool's ok/unavailable/off;
``grammar`` is the count of grammar findings, like every other family's column; ``reasons``: the
messages of the reasons, most negative first, joined by " | ")."""


def render_csv(reports: Iterable) -> str:
    buf = io.StringIO()
    fams = list(FAMILIES)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in reports:
        c = r.counts()
        rel = "" if r.reliability is None else f"{r.reliability:.4f}"  # empty: not judged (unsupported)
        why = " | ".join(x.message for x in getattr(r, "reasons", []))
        w.writerow([r.path, rel, r.verdict, getattr(r, "language", ""), r.grammar, r.model, len(r.findings),
                    *(c.get(f, 0) for f in fams), why])
    return buf.getvalue()


RENDERERS = {"text": render_text, "json": render_json, "jsonl": render_jsonl, "csv": render_csv}


# ----------------------------------------------------------------------------- check formats


def check_records(reports) -> list[dict]:
    """``check --format json/jsonl``: one object per finding, its input's ``path`` first."""
    return [{"path": r.path, **f.to_dict()} for r in reports for f in r.findings]


def render_check_json(reports) -> str:
    return json.dumps(check_records(reports), ensure_ascii=False, indent=2) + "\n"


def render_check_jsonl(reports) -> str:
    return "".join(
        json.dumps(d, ensure_ascii=False).translate(LINE_BREAK_ESCAPES) + "\n" for d in check_records(reports)
    )


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"info": "note", "warning": "warning", "error": "error"}


def _utf16_position(text: str, line_starts: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` with the column in UTF-16 code units (SARIF's
    default ``columnKind``); lines end at ``\\n``, as in :class:`detector.findings.LineIndex`."""
    import bisect

    offset = max(0, min(offset, len(text)))
    line = bisect.bisect_right(line_starts, offset)
    prefix = text[line_starts[line - 1] : offset]
    return line, len(prefix.encode("utf-16-le", "surrogatepass")) // 2 + 1


def render_sarif(reports, *, tool_version: str = "") -> str:
    """SARIF 2.1.0: one run, the rules that occur (detector codes and LanguageTool rule ids),
    one result per finding. Columns are UTF-16 code units and ``endColumn`` is exclusive, per the
    SARIF default; the artifact URI is the input path as given (percent-encoded, ``/``-separated)."""
    import os
    from urllib.parse import quote

    from .findings import CODES, LineIndex

    rules: dict[str, dict] = {}
    results = []
    for r in reports:
        text = r.article.text
        starts = LineIndex(text).starts if r.findings else []
        uri = quote(r.path.replace(os.sep, "/"), safe="/:@!$&'()*+,;=-._~")
        for f in r.findings:
            if f.code not in rules:
                desc = CODES[f.code][1] if f.code in CODES else f"LanguageTool rule {f.code} ({f.family})"
                rules[f.code] = {
                    "id": f.code,
                    "shortDescription": {"text": desc},
                    "properties": {"family": f.family},
                }
            sl, sc = _utf16_position(text, starts, f.start)
            el, ec = _utf16_position(text, starts, max(f.end, f.start))
            msg = f.message + (f" (→ {f.suggestion})" if f.suggestion else "")
            results.append(
                {
                    "ruleId": f.code,
                    "level": SARIF_LEVELS.get(f.severity, "warning"),
                    "message": {"text": msg},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec},
                            }
                        }
                    ],
                }
            )
    rule_list = list(rules.values())
    index = {rule["id"]: i for i, rule in enumerate(rule_list)}
    for res in results:
        res["ruleIndex"] = index[res["ruleId"]]
    driver: dict = {"name": "detector", "rules": rule_list}
    if tool_version:
        driver["version"] = tool_version
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "columnKind": "utf16CodeUnits", "results": results}],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVELS = {"info": "notice", "warning": "warning", "error": "error"}


def render_github(reports) -> str:
    """GitHub Actions workflow commands, one per finding:
    ``::warning file=P,line=L,col=C,endLine=..,endColumn=..,title=CODE::message``. Columns count
    code points as in the text format; ``endColumn`` is the column just after the span."""
    from .findings import LineIndex

    out = []
    for r in reports:
        index = LineIndex(r.article.text) if r.findings else None
        for f in r.findings:
            el, ec = index.position(max(f.end, f.start))
            msg = f.message + (f" (→ {f.suggestion})" if f.suggestion else "")
            props = (
                f"file={_gh_prop(r.path)},line={f.line},col={f.column},endLine={el},endColumn={ec},"
                f"title={_gh_prop(f.code)}"
            )
            out.append(f"::{GITHUB_LEVELS.get(f.severity, 'warning')} {props}::{_gh_data(msg)}")
    return "\n".join(out) + ("\n" if out else "")


CHECK_RENDERERS = {
    "text": render_check,
    "json": render_check_json,
    "jsonl": render_check_jsonl,
    "sarif": render_sarif,
    "github": render_github,
}

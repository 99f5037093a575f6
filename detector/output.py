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

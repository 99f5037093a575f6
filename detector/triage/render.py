"""Triage outputs for the terminal and machines: rich table, JSON, JSONL, CSV."""

from __future__ import annotations

import csv
import io
import json

from ..findings import FAMILIES
from .run import Row, TriageResult

VERDICT_STYLE = {"reject": "bold red", "review": "yellow", "ok": "green", "unsupported": "dim"}


def summary_line(res: TriageResult) -> str:
    n_clusters = len(res.clusters)
    parts = [
        f"{len(res.rows)} item(s)",
        f"{res.count('scored')} scored",
        f"{res.count('cached')} from state",
        f"{res.count('error')} error(s)",
    ]
    unjudged = sum(1 for r in res.rows if r.status != "error" and r.verdict == "unsupported")
    if unjudged:
        parts.append(f"{unjudged} not in English (unsupported, not judged)")
    if n_clusters:
        parts.append(f"{n_clusters} near-duplicate group(s)")
    return ", ".join(parts)


def _top_counts(row: Row, limit: int = 3) -> str:
    counts = row.report.counts if row.report else {}
    items = sorted(((n, f) for f, n in counts.items() if n), reverse=True)[:limit]
    return ", ".join(f"{f} {n}" for n, f in items) or "-"


def _n(x: float) -> str:
    return f"{int(x)}" if float(x) == int(x) else (f"{x:.1f}" if abs(x) < 100 else f"{x:.0f}")


def short_reason(reason: dict) -> str:
    """A reason in a few words for a table cell: what it is about (a family, a code, a fluency
    statistic) and the article's value, e.g. ``duplicate-block 18 %``, ``name 4.2/1kw``."""
    from ..explain import STAT_WORDS

    feature, v = str(reason.get("feature", "")), reason.get("value")
    kind, _, key = feature.partition(":")
    val = "" if v is None else float(v)

    def with_value(label: str, fmt) -> str:
        return label if val == "" else f"{label} {fmt(val)}"

    if kind in ("fam", "code", "sev"):
        label = key.removesuffix("_per1kw") + ("-level" if kind == "sev" else "")
        return with_value(label, lambda x: f"{_n(x)}/1kw")
    if kind == "frac":
        return with_value(key, lambda x: f"{_n(100 * x)} %")
    if kind == "any":
        return key
    if kind == "count":
        if key == "text_families":
            return with_value("problem kinds", _n)
        return with_value(key, lambda x: f"x{_n(x)}")
    if kind == "stat":
        unit = STAT_WORDS.get(key, ("", ""))[1]
        label = key.removeprefix("flu_").removesuffix("_per1000w").replace("_", " ")
        return with_value(label, (lambda x: f"{_n(100 * x)} %") if unit == "%" else _n)
    if kind == "lt":
        return with_value(f"LT {key.lower().replace('_', ' ')}", lambda x: f"{_n(x)}/100w")
    msg = " ".join(str(reason.get("message") or feature).split())
    return msg if len(msg) <= 40 else msg[:39] + "\u2026"


def lowering_reasons(row: Row, limit: int = 2) -> list[dict]:
    """The reasons that lowered the item's score most (effect < 0), most negative first."""
    reasons = (row.report.reasons if row.report else None) or []
    low = [r for r in reasons if isinstance(r, dict) and float(r.get("effect") or 0.0) < 0]
    return sorted(low, key=lambda r: float(r.get("effect") or 0.0))[:limit]


def lowered_by(row: Row) -> str:
    """The table's "lowered by" cell: the top one or two lowering reasons in short form. A report
    from a state written before reasons existed falls back to the largest finding counts."""
    if row.report is None or row.report.reasons is None:
        return _top_counts(row)
    return ", ".join(short_reason(r) for r in lowering_reasons(row)) or "-"


def _dup(row: Row) -> str:
    if row.cluster is None:
        return ""
    return f"#{row.cluster} ({row.cluster_size}){' best' if row.best_in_cluster else ''}"


def render_table(res: TriageResult, *, width: int | None = None, color: bool | None = None) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"triage: {res.source}", caption=summary_line(res), show_lines=False, expand=False)
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("verdict")
    table.add_column("status")
    table.add_column("dup")
    table.add_column("lowered by")
    table.add_column("item", overflow="fold")
    for r in res.rows:
        label = Text(r.title or r.label)
        if r.title and r.url:
            label.append(f"\n{r.url}", style="dim")
        if r.status == "error":
            table.add_row(
                str(r.rank), "-", Text("error", "bold magenta"), "error", "", Text(r.error or ""), label
            )
            continue
        table.add_row(
            str(r.rank),
            "-" if r.reliability is None else f"{r.reliability:.3f}",
            Text(r.verdict or "", VERDICT_STYLE.get(r.verdict or "", "")),
            r.status,
            _dup(r),
            lowered_by(r),
            label,
        )
    buf = io.StringIO()
    console = Console(file=buf, width=width or 120, force_terminal=color, no_color=not color, highlight=False)
    console.print(table)
    return buf.getvalue()


def render_json(res: TriageResult) -> str:
    return json.dumps([r.to_dict() for r in res.rows], ensure_ascii=False, indent=2) + "\n"


def render_jsonl(res: TriageResult) -> str:
    from ..output import LINE_BREAK_ESCAPES  # raw U+0085/U+2028/U+2029 escaped: one record per line

    return "".join(json.dumps(r.to_dict(), ensure_ascii=False).translate(LINE_BREAK_ESCAPES) + "\n" for r in res.rows)


def render_csv(res: TriageResult) -> str:
    buf = io.StringIO()
    fams = list(FAMILIES)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "rank",
            "reliability",
            "verdict",
            "status",
            "cluster",
            "cluster_size",
            "best_in_cluster",
            "findings",
            *fams,
            "lowered_by",
            "title",
            "url",
            "key",
            "error",
        ]
    )
    for r in res.rows:
        counts = r.report.counts if r.report else {}
        w.writerow(
            [
                r.rank,
                "" if r.reliability is None else f"{r.reliability:.4f}",
                r.verdict or "",
                r.status,
                r.cluster or "",
                r.cluster_size,
                int(r.best_in_cluster),
                len(r.findings),
                *(counts.get(f, 0) for f in fams),
                "; ".join(short_reason(x) for x in lowering_reasons(r)),
                r.title or "",
                r.url or "",
                r.key,
                r.error or "",
            ]
        )
    return buf.getvalue()

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
    counts = (row.report or {}).get("counts", {})
    items = sorted(((n, f) for f, n in counts.items() if n), reverse=True)[:limit]
    return ", ".join(f"{f} {n}" for n, f in items) or "-"


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
    table.add_column("findings")
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
            _top_counts(r),
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
            "title",
            "url",
            "key",
            "error",
        ]
    )
    for r in res.rows:
        counts = (r.report or {}).get("counts", {})
        w.writerow(
            [
                r.rank,
                "" if r.reliability is None else f"{r.reliability:.4f}",
                r.verdict or "",
                r.status,
                r.cluster or "",
                r.cluster_size,
                int(r.best_in_cluster),
                len((r.report or {}).get("findings", [])),
                *(counts.get(f, 0) for f in fams),
                r.title or "",
                r.url or "",
                r.key,
                r.error or "",
            ]
        )
    return buf.getvalue()

"""``detector triage SOURCE``: rank a feed's items least trustworthy first, with evidence.

Registered on the main typer app by :func:`register` (``detector.cli`` imports this module and calls it). Imports of the
triage machinery (httpx, feedparser, datasketch, sqlite) happen only when the command runs.
"""

# No ``from __future__ import annotations``: typer reads the Annotated option types when
# register() runs; they are real objects here.

import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from . import cli_common as c


def parse_since(value: str) -> datetime:
    """``2026-11-01``, an ISO 8601 date-time (UTC unless it says otherwise), or a relative age
    such as ``36h``, ``7d``, ``2w`` (``m`` = minutes)."""
    v = value.strip()
    m = re.fullmatch(r"(\d+)\s*([mhdw])", v, re.IGNORECASE)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        delta = {
            "m": timedelta(minutes=n),
            "h": timedelta(hours=n),
            "d": timedelta(days=n),
            "w": timedelta(weeks=n),
        }
        return datetime.now(UTC) - delta[unit]
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD, an ISO 8601 date-time, or an age like 36h / 7d"
        ) from None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def register(app: typer.Typer) -> None:
    @app.command("triage")
    def triage_cmd(
        source: Annotated[
            str,
            typer.Argument(
                help="An RSS/Atom feed (file or http(s) URL), a JSON/JSONL file of articles "
                "(records with 'text', or only 'url' to fetch), or a directory of articles.",
                show_default=False,
            ),
        ],
        format: Annotated[
            c.Format, typer.Option("--format", "-f", help="Output format for stdout / --output.")
        ] = (c.Format.text),
        output: c.OutputOpt = None,
        html: Annotated[
            str | None,
            typer.Option(
                "--html", help="Also write a self-contained HTML report (ranking, histogram, evidence)."
            ),
        ] = None,
        state: Annotated[
            str | None,
            typer.Option(
                "--state",
                envvar="DETECTOR_TRIAGE_STATE",
                show_envvar=False,  # named in the command's help: the env var cell is cut at 80 columns
                help="SQLite state file (default: see above).",
                show_default=False,
            ),
        ] = None,
        no_state: Annotated[
            bool, typer.Option("--no-state", help="Keep no state: score everything.")
        ] = False,
        rescore: Annotated[
            bool, typer.Option("--rescore", help="Score every item again, even unchanged ones.")
        ] = False,
        refetch: Annotated[
            bool,
            typer.Option(
                "--refetch",
                help="Fetch pages even when the feed entry is unchanged (catches edited pages; "
                "unchanged text is still reported from state).",
            ),
        ] = False,
        since: Annotated[
            str | None,
            typer.Option(
                "--since", help="Only items published/updated at or after DATE (YYYY-MM-DD, ISO, or 36h/7d)."
            ),
        ] = None,
        max_items: Annotated[
            int, typer.Option("--max-items", min=1, help="Triage at most this many items.")
        ] = 200,
        max_page_bytes: Annotated[
            int, typer.Option("--max-page-bytes", min=1000, help="Largest article page fetched, in bytes.")
        ] = 5_000_000,
        timeout: Annotated[
            float, typer.Option("--timeout", min=0.1, help="Seconds allowed per page fetch.")
        ] = 20.0,
        max_redirects: Annotated[
            int, typer.Option("--max-redirects", min=0, help="Redirects followed per fetch.")
        ] = 5,
        allow_private: Annotated[
            bool,
            typer.Option(
                "--allow-private",
                help="Allow fetching from loopback, private, link-local and reserved addresses (refused by default).",
            ),
        ] = False,
        jobs: Annotated[
            int, typer.Option("--jobs", "-j", min=1, max=32, help="Pages fetched in parallel.")
        ] = 4,
        batch_size: Annotated[
            int,
            typer.Option("--batch-size", min=1, help="Items scored (and saved to state) per transaction."),
        ] = 25,
        dup_threshold: Annotated[
            float,
            typer.Option(
                "--dup-threshold",
                min=0.05,
                max=1.0,
                help="Shingle similarity that makes two items near-duplicates.",
            ),
        ] = 0.4,
        fail_on: Annotated[
            c.FailOn, typer.Option("--fail-on", help="Exit 1 if any item gets this verdict (or worse).")
        ] = c.FailOn.never,
        model: Annotated[
            str | None, typer.Option("--model", "-m", help="A model file from `detector train` (.skops).")
        ] = None,
        grammar: c.GrammarOpt = True,
        require_grammar: c.RequireGrammarOpt = False,
        languagetool_url: c.LtUrlOpt = None,
        names: c.NamesOpt = None,
        encoding: c.EncodingOpt = None,
        quiet: c.QuietOpt = False,
    ) -> None:
        """Triage a feed: score all items as one batch, least reliable first, near-duplicates grouped.

        Only new or changed items are scored; the rest are reported from the state file ($DETECTOR_TRIAGE_STATE, or triage.sqlite3 in the user data directory).

        Exit codes: 0 done; 1 --fail-on hit; 2 usage error; 3 the source or an item could not be read (the others are still reported); 4 grammar required but unavailable.
        """  # one line per paragraph: rich keeps a docstring's line breaks
        from .families import grammar as grammar_family
        from .triage import FetchPolicy, SourceError, State, StateError, default_state_path, triage
        from .triage.render import render_csv, render_json, render_jsonl, render_table, summary_line
        from .triage.report_html import render_html

        since_dt = parse_since(since) if since else None
        encoding = c.check_encoding_option(encoding)
        c.check_writable(output, "--output")  # before fetching and scoring, not after
        c.check_writable(html, "--html")
        c.apply_names(names)
        if model is not None:  # refuse a bad model file before fetching anything
            from .model import ModelError, load_scorer

            try:
                load_scorer(model)
            except (ModelError, OSError, ValueError) as e:
                c.err(f"error: --model: {e}")
                raise typer.Exit(c.EXIT_USAGE) from None
        st = None
        if not no_state:
            path = state or str(default_state_path())
            try:
                st = State(path)
            except StateError as e:
                c.err(f"error: --state: {e}")
                raise typer.Exit(c.EXIT_USAGE) from None

        def on_error(row) -> None:
            c.err(f"{row.label}: error: {row.error}")

        def on_note(msg: str) -> None:
            if not quiet:
                c.err(f"note: {msg}")

        bar = c.Progress("reading", None, quiet)  # one bar on stderr: reading, fetching, scoring
        policy = FetchPolicy(
            allow_private=allow_private,
            max_bytes=max_page_bytes,
            max_redirects=max_redirects,
            timeout=min(timeout, 10.0),
            total_timeout=timeout,
        )
        try:
            bar.__enter__()  # stopped in `finally` (stopping twice is harmless)
            res = triage(
                source,
                state=st,
                grammar=c.grammar_mode(grammar, require_grammar),
                languagetool_url=languagetool_url,
                model=model,
                names=names,
                rescore=rescore,
                refetch=refetch,
                since=since_dt,
                max_items=max_items,
                policy=policy,
                batch_size=batch_size,
                dup_threshold=dup_threshold,
                jobs=jobs,
                on_error=on_error,
                on_note=on_note,
                progress=bar.phase,
                encoding=encoding,
            )
        except SourceError as e:
            c.err(f"error: {e}")
            raise typer.Exit(c.EXIT_INPUT) from None
        except grammar_family.GrammarUnavailable as e:
            c.err(f"error: grammar required but LanguageTool is unavailable: {e}")
            raise typer.Exit(c.EXIT_GRAMMAR) from None
        except KeyboardInterrupt:
            bar.__exit__(None, None, None)
            c.err("interrupted: items scored so far are saved in the state; run again to resume")
            raise typer.Exit(130) from None
        finally:
            bar.__exit__(None, None, None)
            if st is not None:
                st.close()

        if not quiet and any(
            r.report.grammar == "unavailable" for r in res.rows if r.status == "scored" and r.report
        ):
            c.err("note: grammar: LanguageTool unavailable; scored without grammar/spelling")

        if format == c.Format.text:
            to_tty = output is None and sys.stdout.isatty()
            width = None
            if to_tty:
                import shutil

                width = shutil.get_terminal_size((120, 40)).columns
            text = render_table(res, width=width, color=to_tty)
        else:
            text = {c.Format.json: render_json, c.Format.jsonl: render_jsonl, c.Format.csv: render_csv}[
                format
            ](res)
        c.emit(text, output)
        if html:
            c.write_file(html, render_html(res), "--html")
        if c.show_progress(quiet) and (output or format != c.Format.text):  # a terminal only, like progress
            c.err(summary_line(res))

        if res.errors:
            raise typer.Exit(c.EXIT_INPUT)
        bad = {"reject": {"reject"}, "review": {"reject", "review"}, "never": set()}[fail_on.value]
        if any(r.verdict in bad for r in res.rows):
            raise typer.Exit(c.EXIT_FAIL)
        raise typer.Exit(c.EXIT_OK)

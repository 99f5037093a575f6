"""Command-line interface (typer). A thin layer over :mod:`detector.api`.

Exit codes (stable):
  0  done
  1  score: some article got the --fail-on verdict (--fail-on review also counts "unsupported", a
     text not in English; --fail-on reject does not); check: some finding at or above --fail-on
     (default warning)
  2  usage error
  3  some input could not be read (the others were still processed)
  4  --require-grammar given and LanguageTool could not be had
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from . import cli_languagetool, cli_model, cli_triage
from .cli_common import (
    EXIT_FAIL,
    EXIT_GRAMMAR,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    CheckFailOn,
    CheckFormat,
    ConfigOpt,
    FailOn,
    FilesArg,
    Format,
    IsolatedOpt,
    Progress,
    RunOptions,
    apply_names,
    check_encoding_option,
    run_options,
)
from .cli_common import err as _err

__all__ = ["EXIT_FAIL", "EXIT_GRAMMAR", "EXIT_INPUT", "EXIT_OK", "EXIT_USAGE", "app", "main"]

app = typer.Typer(
    name="detector",
    help="Judge how far to trust the text of a news article, with evidence.\n\n"
    "Exit codes: 0 done; 1 --fail-on hit; 2 usage error; 3 some input unreadable "
    "(the rest still processed); 4 grammar required but LanguageTool unavailable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from .cli_common import version_text

        sys.stdout.write(version_text())
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True,
                     help="Show the version, models and LanguageTool version, and exit."),
    ] = False,
) -> None:
    """Judge how far to trust the text of a news article, with evidence."""


_SELECTION_OPTIONS = (("select", "--select"), ("ignore", "--ignore"), ("extend-select", "--extend-select"))


def resolve_settings(files: list[str], cli_values: dict, *, config: str | None, isolated: bool):
    """Defaults < configuration file < command line; a bad value anywhere is a usage error."""
    from .config import ConfigError, resolve
    from .selection import Selection, SelectionError

    for key, flag in _SELECTION_OPTIONS:
        if cli_values.get(key) is not None:
            try:
                Selection.build(**{key.replace("-", "_"): cli_values[key]})
            except SelectionError as e:
                _err(f"error: {flag}: {e}")
                raise typer.Exit(EXIT_USAGE) from None
    sources = {}
    env_url = os.environ.get("DETECTOR_LT_URL")
    if env_url and cli_values.get("languagetool-url") == env_url:  # typer took it from the environment
        sources["languagetool-url"] = "$DETECTOR_LT_URL"
    try:
        return resolve(cli_values, inputs=files, config=config, isolated=isolated, cli_sources=sources)
    except ConfigError as e:
        _err(f"error: config: {e}")
        raise typer.Exit(EXIT_USAGE) from None


def _cli_values(o: RunOptions, **more) -> dict:
    """The command line's settings (None: not given) for :func:`resolve_settings`."""
    g = "require" if o.require_grammar else (None if o.grammar is None else ("auto" if o.grammar else "off"))
    return {
        "grammar": g,
        "languagetool-url": o.languagetool_url,
        "names": [os.path.abspath(n) for n in o.names] if o.names else None,
        "max-bytes": o.max_bytes,
        "encoding": o.encoding,
        "select": o.select,
        "ignore": o.ignore,
        "extend-select": o.extend_select,
        "min-severity": None if o.min_severity is None else o.min_severity.value,
        **{k: (None if v is None else getattr(v, "value", v)) for k, v in more.items()},
    }


class _Inputs:
    """The inputs as a re-readable source of Articles (the streaming commands read them twice:
    the batch index, then the analysis). The first reading prints each unreadable input's
    one-line error (and the notes) and counts the articles; later readings skip both. Standard
    input ('-') is spooled to a temporary file on first reading, so it can be read again."""

    def __init__(self, files: list[str], max_bytes: int, quiet: bool, encoding: str | None):
        self.files, self.max_bytes, self.quiet, self.encoding = files, max_bytes, quiet, encoding
        self.errors: list = []
        self.count = 0
        self.readings = 0
        self.spool = None

    def _stdin(self):
        if "-" not in self.files:
            return None
        if self.spool is None:
            import shutil
            import tempfile

            self.spool = tempfile.TemporaryFile(prefix="detector-stdin-")
            shutil.copyfileobj(sys.stdin.buffer, self.spool, 1 << 20)
        self.spool.seek(0)
        return self.spool

    def __call__(self):
        from .io import Article, iter_inputs

        first = self.readings == 0
        self.readings += 1
        notes: list[str] = []
        for item in iter_inputs(self.files, max_bytes=self.max_bytes, stdin=self._stdin(), notes=notes,
                                encoding=self.encoding):
            if isinstance(item, Article):
                if first:
                    self.count += 1
                yield item
            elif first:
                self.errors.append(item)
                _err(str(item))
        if first and not self.quiet:
            for n in notes:
                _err(f"note: {n}")

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def _open_stream(files: list[str], settings, *, quiet: bool, model: str | None, no_cache: bool, jobs: int | None,
                 dask: str | None, window: int):
    """Validate the settings and return ``(inputs, reports)``: the re-readable inputs (their
    errors are known once the first pass is done) and an iterator of reports in input order."""
    if not files:
        _err("error: no input given (pass files, directories, globs or '-')")
        raise typer.Exit(EXIT_USAGE)
    encoding = check_encoding_option(settings["encoding"])
    apply_names(settings["names"] or None)
    selection = settings.selection()  # validated when resolved
    scorer = None
    if model is not None:  # a user model: refuse a bad file before any work is done
        from .model import ModelError, load_scorer

        try:
            scorer = load_scorer(model)
        except Exception as e:  # ModelError, OSError, ...: one line, exit 2, never a traceback
            reason = str(e) if isinstance(e, (ModelError, OSError, ValueError)) else f"{type(e).__name__}: {e}"
            _err(f"error: --model: {' '.join(reason.split())}")
            raise typer.Exit(EXIT_USAGE) from None
    inputs = _Inputs(files, settings["max-bytes"], quiet, encoding)
    options = dict(
        grammar=settings["grammar"],
        languagetool_url=settings["languagetool-url"],
        model=model,
        scorer=scorer,
        select=selection.select,
        ignore=selection.ignore,
        min_severity=selection.min_severity,
        thresholds=None if settings["ok-threshold"] is None
        else (settings["ok-threshold"], settings["reject-threshold"]),
    )
    if dask is not None:
        try:
            from . import dask as detector_dask

            reports = detector_dask.score_cli(inputs, address=dask, window=window, **options)
        except detector_dask.DaskUnavailable as e:
            _err(f"error: --dask: {e}")
            raise typer.Exit(EXIT_USAGE) from None
        return inputs, reports
    from . import stream

    return inputs, stream.score_stream(inputs, cache=False if no_cache else None, jobs=jobs, window=window, **options)


# formats written row by row as articles are done (the others need every report first)
def _streaming_renderer(command: str, fmt: str):
    """``(header, row)`` for a format written as articles are done, or None."""
    from . import output

    if command == "score" and fmt == "jsonl":
        return "", lambda r: output.render_jsonl([r])
    if command == "score" and fmt == "csv":
        return output.render_csv([]), lambda r: output.render_csv([r]).split("\n", 1)[1]
    if command == "check" and fmt in ("text", "jsonl", "github"):
        render = output.CHECK_RENDERERS[fmt]
        return "", lambda r: render([r])
    return None


def _write_reports(command: str, fmt: str, reports, output: str | None, render_all, on_report, stdout) -> None:
    """Write the reports as they come (streaming formats) or all at the end (the others), to
    ``stdout`` or atomically to ``output``. ``on_report(r)`` sees every report (exit status)."""
    import contextlib

    streaming = _streaming_renderer(command, fmt)
    if output:
        from .io import AtomicWriter

        sink = AtomicWriter(output)
    else:
        sink = contextlib.nullcontext(stdout)
    with sink as out:
        if streaming is not None:
            header, row = streaming
            if header:
                out.write(header)
            for r in reports:
                on_report(r)
                text = row(r)
                if text:
                    out.write(text)
                    if not output:
                        out.flush()
        else:
            kept = []
            for r in reports:
                on_report(r)
                kept.append(r)
            out.write(render_all(kept))
        if not output:
            out.flush()


def _stream_command(command: str, files, settings, *, fmt: str, opts: RunOptions, model, render_all):
    """Run ``score``/``check`` streaming; returns ``(summary, errors)``: ``summary`` stands for
    the reports in the exit status (one entry per verdict and severity seen; the reports
    themselves are not kept)."""
    from . import settings as rule_settings

    # the rule settings (validated when resolved) hold for the whole, lazily consumed, stream
    with rule_settings.using(settings["settings"]):
        return _run_stream(command, files, settings, fmt=fmt, opts=opts, model=model, render_all=render_all)


def _run_stream(command: str, files, settings, *, fmt: str, opts: RunOptions, model, render_all):
    from .families import grammar as grammar_family

    quiet, output = opts.quiet, opts.output
    inputs, reports = _open_stream(files, settings, quiet=quiet, model=model, no_cache=opts.no_cache,
                                   jobs=opts.jobs, dask=opts.dask, window=opts.window)
    verdicts: set[str] = set()
    severities: set[str] = set()
    unavailable = False

    def on_report(r):
        nonlocal unavailable
        verdicts.add(r.verdict)
        severities.update(f.severity for f in r.findings)
        unavailable = unavailable or r.grammar == "unavailable"
        bar.advance(1)

    bar = Progress("scoring", None, quiet)
    stdout = sys.stdout  # the real one: the progress bar redirects sys.stdout while it runs
    try:
        with bar:
            _write_reports(command, fmt, reports, output, render_all, on_report, stdout)
    except grammar_family.GrammarUnavailable as e:
        _err(f"error: grammar required but LanguageTool is unavailable: {e}")
        raise typer.Exit(EXIT_GRAMMAR) from None
    finally:
        if hasattr(reports, "close"):
            reports.close()  # stops the workers (and LanguageTool checks) of an unfinished stream
        inputs.close()
    if not quiet and unavailable:
        _err(
            "note: grammar: LanguageTool unavailable; scored without grammar/spelling "
            "(run `detector languagetool status`, or pass --require-grammar to make this an error)"
        )
    summary = [_Seen(v, ()) for v in sorted(verdicts)] + [_Seen("", tuple(sorted(severities)))]
    return summary, inputs.errors


class _Seen:
    """What the exit status needs of one report (the report itself is not kept)."""

    __slots__ = ("verdict", "findings")

    def __init__(self, verdict: str, severities: tuple[str, ...]):
        self.verdict = verdict
        self.findings = [_Sev(s) for s in severities]


class _Sev:
    __slots__ = ("severity",)

    def __init__(self, severity: str):
        self.severity = severity


def _exit_code(reports, errors, fail_on: str) -> int:
    """Precedence: 3 (an input could not be read) over 1 (the --fail-on verdict) over 0; usage
    errors (2) and grammar required (4) end the command before this."""
    if errors:
        return EXIT_INPUT
    # "unsupported" (not English, not judged) is a status, not an error: only --fail-on review,
    # which fails everything that is not "ok", counts it
    bad = {"reject": {"reject"}, "review": {"reject", "review", "unsupported"}, "never": set()}[fail_on]
    if any(r.verdict in bad for r in reports):
        return EXIT_FAIL
    return EXIT_OK


def _check_exit_code(reports, errors, fail_on: str) -> int:
    """``check``: 3 (unreadable input) over 1 (a finding at or above --fail-on) over 0."""
    from .findings import SEVERITIES

    if errors:
        return EXIT_INPUT
    if fail_on == "never":
        return EXIT_OK
    least = SEVERITIES.index(fail_on)
    for r in reports:
        for f in r.findings:
            if f.severity in SEVERITIES and SEVERITIES.index(f.severity) >= least:
                return EXIT_FAIL
    return EXIT_OK


@app.command()
@run_options
def check(
    files: FilesArg = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    fail_on: Annotated[
        CheckFailOn | None,
        typer.Option("--fail-on", help="Exit 1 on a finding of this severity or worse (default: warning).",
                     show_default=False),
    ] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")] = False,
    *,
    opts: RunOptions,
) -> None:
    """Print every finding (default: path:line:col: CODE message (→ suggestion))."""
    from . import __version__
    from .output import CHECK_RENDERERS, render_sarif

    files = files or []
    settings = resolve_settings(files, _cli_values(opts, **{"check-fail-on": fail_on}), config=opts.config,
                                isolated=opts.isolated)

    def render_all(reports):
        if format == CheckFormat.sarif:
            return render_sarif(reports, tool_version=__version__)
        return CHECK_RENDERERS[format.value](reports)

    reports, errors = _stream_command("check", files, settings, fmt=format.value, opts=opts, model=None,
                                      render_all=render_all)
    fail = "never" if exit_zero else settings["check-fail-on"]
    raise typer.Exit(_check_exit_code(reports, errors, fail))


@app.command()
@run_options
def score(
    files: FilesArg = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Exit 1 if an article gets this verdict or worse (default: never).",
                     show_default=False),
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="A model file from `detector train` (.skops).")
    ] = None,
    *,
    opts: RunOptions,
) -> None:
    """Score articles: reliability (0-1, higher = more trustworthy), verdict, findings per family.

    All files of one call form one batch (a name spelled differently in a few files is flagged):
    the inputs are read twice (a names index first; standard input is spooled to a temporary
    file), then analysed --window articles at a time on --jobs processes, and JSONL/CSV rows are
    written as they are done, in input order. Findings left out by --select/--ignore/--min-severity do not count in the score.
    """
    from .output import RENDERERS

    files = files or []
    settings = resolve_settings(files, _cli_values(opts, **{"fail-on": fail_on}), config=opts.config,
                                isolated=opts.isolated)
    reports, errors = _stream_command("score", files, settings, fmt=format.value, opts=opts, model=model,
                                      render_all=RENDERERS[format.value])
    raise typer.Exit(_exit_code(reports, errors, settings["fail-on"]))


@app.command("config")
def config_cmd(
    path: Annotated[
        str | None,
        typer.Argument(help="Resolve as for an input here (default: the current folder).", show_default=False),
    ] = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Print the resolved settings and where each came from."""
    import json

    settings = resolve_settings([path or "."], {}, config=config, isolated=isolated)
    where = str(settings.config_file) if settings.config_file else "none"
    lines = [f"# configuration file: {where}"]
    for key, value in settings.values.items():
        shown = "(not set)" if value is None else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key} = {shown}  # {settings.sources[key]}")
    typer.echo("\n".join(lines))


@app.command()
def codes(
    show_settings: Annotated[
        bool, typer.Option("--settings", help="List the rule settings (thresholds) instead: value, default, source.")
    ] = False,
    config: Annotated[str | None, typer.Option("--config", help="Configuration file whose settings apply.")] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore configuration files.")] = False,
) -> None:
    """List the stable finding codes (or, with --settings, every rule setting)."""
    if not show_settings:
        from .findings import CODES

        for code, (fam, desc) in CODES.items():
            typer.echo(f"{code}  {fam:<16} {desc}")
        return
    from . import settings as rule_settings

    resolved = resolve_settings([], {}, config=config, isolated=isolated)
    with rule_settings.using(resolved["settings"]):
        rows = rule_settings.describe()
    for r in rows:
        changed = "" if r["value"] == r["default"] else f" (default {r['default']})"
        typer.echo(f"{r['family']}.{r['name']} = {r['value']}{changed}  # {r['source']}")


# the sub-command groups live in their own modules (each light to import), registered after the
# commands above so `--help` lists them in this order
for _register in (cli_languagetool.register, cli_model.register, cli_triage.register):
    _register(app)


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()

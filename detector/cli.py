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
    RunOptions,
    run_options,
)
from .cli_common import err as _err
from .cli_stream import check_exit_code, exit_code, stream_command

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

    reports, errors = stream_command("check", files, settings, fmt=format.value, opts=opts, model=None,
                                     render_all=render_all)
    fail = "never" if exit_zero else settings["check-fail-on"]
    raise typer.Exit(check_exit_code(reports, errors, fail))


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
    the inputs are read twice: a first pass analyses every article on --jobs processes and
    builds the batch's names index (the evidence is kept in a temporary file; standard input is
    spooled to one), then a second pass scores --window articles at a time and writes JSONL/CSV
    rows as they are done, in input order. Findings left out by --select/--ignore/--min-severity do not count in the score.
    """
    from .output import RENDERERS

    files = files or []
    settings = resolve_settings(files, _cli_values(opts, **{"fail-on": fail_on}), config=opts.config,
                                isolated=opts.isolated)
    reports, errors = stream_command("score", files, settings, fmt=format.value, opts=opts, model=model,
                                     render_all=RENDERERS[format.value])
    raise typer.Exit(exit_code(reports, errors, settings["fail-on"]))


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

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
from enum import StrEnum
from typing import Annotated

import typer

from .cli_common import EXIT_FAIL, EXIT_GRAMMAR, EXIT_INPUT, EXIT_OK, EXIT_USAGE
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


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class FailOn(StrEnum):
    reject = "reject"
    review = "review"
    never = "never"


FilesArg = Annotated[
    list[str],
    typer.Argument(
        help="Files (.txt .html .json .jsonl), folders, globs, or '-' (stdin).",
        show_default=False,
    ),
]
GrammarOpt = Annotated[
    bool,
    typer.Option("--grammar/--no-grammar", help="Check grammar and spelling with LanguageTool when available."),
]
RequireGrammarOpt = Annotated[
    bool,
    typer.Option("--require-grammar", help="Exit 4 if LanguageTool cannot be used."),
]
LtUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--languagetool-url",
        envvar="DETECTOR_LT_URL",
        help="URL of a running LanguageTool server to use.",
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Do not reuse cached per-article evidence.",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or notes on stderr.")]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Largest article accepted, in bytes.", show_default=True)
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to this file (atomically), not stdout."),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Encoding of .txt (and .html) inputs (default: UTF-8).",
        show_default=False,
    ),
]
NamesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--names",
        help="Extra gazetteer file of person names (repeatable).",
    ),
]


def check_encoding_option(encoding: str | None) -> str | None:
    """Validate --encoding: an unknown name (or a non-text codec) is a usage error (exit 2)."""
    if encoding is None:
        return None
    from .io import check_encoding

    try:
        return check_encoding(encoding)
    except ValueError as e:
        _err(f"error: --encoding: {e}")
        raise typer.Exit(EXIT_USAGE) from None


def _load(files: list[str], max_bytes: int, quiet: bool, encoding: str | None = None):
    from .cli_common import Progress
    from .io import Article, iter_inputs

    notes: list[str] = []
    articles, errors = [], []
    with Progress("reading", None, quiet) as advance:  # the total is not known before the walk
        for item in iter_inputs(files, max_bytes=max_bytes, notes=notes, encoding=encoding):
            advance(1)
            if isinstance(item, Article):
                articles.append(item)
            else:
                errors.append(item)
                _err(str(item))
    if not quiet:
        for n in notes:
            _err(f"note: {n}")
    return articles, errors


def apply_names(names: list[str] | None) -> None:
    """Use the --names gazetteer files; a missing or unreadable file there or in
    $DETECTOR_NAMES is a usage error (exit 2), never silently ignored."""
    if not names and not os.environ.get("DETECTOR_NAMES"):
        return
    from . import gazetteer

    for label, paths in (("$DETECTOR_NAMES", gazetteer._env_paths()), ("--names", names or [])):
        try:
            for p in paths:
                gazetteer.check_user_file(p)
        except (OSError, ValueError) as e:
            _err(f"error: {label}: {e}")
            raise typer.Exit(EXIT_USAGE) from None
    if names:
        gazetteer.set_user_gazetteer(names)


def _grammar_mode(grammar: bool, require: bool) -> str:
    if require:
        return "require"
    return "auto" if grammar else "off"


class CheckFailOn(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"
    never = "never"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    sarif = "sarif"
    github = "github"


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


# check/score options default to None: "not given", so a configuration file can set them
GrammarFlag = Annotated[
    bool | None,
    typer.Option("--grammar/--no-grammar", help="Use LanguageTool when available (default: on).",
                 show_default=False),
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Report only these codes, prefixes or families.",
                 show_default=False),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="Leave out these codes, prefixes or families.", show_default=False),
]
ExtendSelectOpt = Annotated[
    list[str] | None,
    typer.Option("--extend-select", help="Add codes, prefixes or families to the selection.", show_default=False),
]
MinSeverityOpt = Annotated[
    Severity | None,
    typer.Option("--min-severity", help="Leave out findings below this severity.", show_default=False),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option("--config", help="Use this detector.toml / pyproject.toml.", show_default=False),
]
IsolatedOpt = Annotated[bool, typer.Option("--isolated", help="Ignore configuration files.")]
SettingsMaxBytesOpt = Annotated[
    int | None,
    typer.Option("--max-bytes", help="Largest article accepted, in bytes (default: 5000000).", show_default=False),
]

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


def _cli_values(
    *, grammar, require_grammar, languagetool_url, names, max_bytes, encoding, select, ignore, extend_select,
    min_severity, **more,
) -> dict:
    g = "require" if require_grammar else (None if grammar is None else ("auto" if grammar else "off"))
    return {
        "grammar": g,
        "languagetool-url": languagetool_url,
        "names": [os.path.abspath(n) for n in names] if names else None,
        "max-bytes": max_bytes,
        "encoding": encoding,
        "select": select,
        "ignore": ignore,
        "extend-select": extend_select,
        "min-severity": None if min_severity is None else min_severity.value,
        **{k: (None if v is None else getattr(v, "value", v)) for k, v in more.items()},
    }


def _run(files: list[str], settings, *, quiet: bool, model: str | None, no_cache: bool = False):
    from . import api
    from .cli_common import Progress
    from .families import grammar as grammar_family

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
    articles, errors = _load(files, settings["max-bytes"], quiet, encoding)
    reports = []
    if articles:
        try:
            with Progress("scoring", len(articles), quiet or len(articles) < 2) as advance:
                reports = api.score(
                    articles,
                    grammar=settings["grammar"],
                    languagetool_url=settings["languagetool-url"],
                    model=model,
                    scorer=scorer,
                    progress=advance,
                    cache=False if no_cache else None,
                    select=selection.select,
                    ignore=selection.ignore,
                    min_severity=selection.min_severity,
                    thresholds=None if settings["ok-threshold"] is None
                    else (settings["ok-threshold"], settings["reject-threshold"]),
                )
        except grammar_family.GrammarUnavailable as e:
            _err(f"error: grammar required but LanguageTool is unavailable: {e}")
            raise typer.Exit(EXIT_GRAMMAR) from None
        if not quiet and any(r.grammar == "unavailable" for r in reports):
            _err(
                "note: grammar: LanguageTool unavailable; scored without grammar/spelling "
                "(run `detector languagetool status`, or pass --require-grammar to make this an error)"
            )
    return reports, errors


def _emit(text: str, output: str | None) -> None:
    if output:
        from .io import atomic_write

        atomic_write(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


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
def check(
    files: FilesArg = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.text,
    fail_on: Annotated[
        CheckFailOn | None,
        typer.Option("--fail-on", help="Exit 1 on a finding of this severity or worse (default: warning).",
                     show_default=False),
    ] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")] = False,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendSelectOpt = None,
    min_severity: MinSeverityOpt = None,
    grammar: GrammarFlag = None,
    require_grammar: RequireGrammarOpt = False,
    languagetool_url: LtUrlOpt = None,
    names: NamesOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    max_bytes: SettingsMaxBytesOpt = None,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Print every finding (default: path:line:col: CODE message (→ suggestion))."""
    from . import __version__
    from .output import CHECK_RENDERERS, render_sarif

    files = files or []
    cli_values = _cli_values(
        grammar=grammar, require_grammar=require_grammar, languagetool_url=languagetool_url, names=names,
        max_bytes=max_bytes, encoding=encoding, select=select, ignore=ignore, extend_select=extend_select,
        min_severity=min_severity, **{"check-fail-on": fail_on},
    )
    settings = resolve_settings(files, cli_values, config=config, isolated=isolated)
    reports, errors = _run(files, settings, quiet=quiet, model=None, no_cache=no_cache)
    if format == CheckFormat.sarif:
        text = render_sarif(reports, tool_version=__version__)
    else:
        text = CHECK_RENDERERS[format.value](reports)
    _emit(text, output)
    fail = "never" if exit_zero else settings["check-fail-on"]
    raise typer.Exit(_check_exit_code(reports, errors, fail))


@app.command()
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
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    extend_select: ExtendSelectOpt = None,
    min_severity: MinSeverityOpt = None,
    grammar: GrammarFlag = None,
    require_grammar: RequireGrammarOpt = False,
    languagetool_url: LtUrlOpt = None,
    names: NamesOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    max_bytes: SettingsMaxBytesOpt = None,
    encoding: EncodingOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Score articles: reliability (0-1, higher = more trustworthy), verdict, findings per family.

    All files of one call form one batch (a name spelled differently in a few files is flagged).
    Findings left out by --select/--ignore/--min-severity do not count in the score.
    """
    from .output import RENDERERS

    files = files or []
    cli_values = _cli_values(
        grammar=grammar, require_grammar=require_grammar, languagetool_url=languagetool_url, names=names,
        max_bytes=max_bytes, encoding=encoding, select=select, ignore=ignore, extend_select=extend_select,
        min_severity=min_severity, **{"fail-on": fail_on},
    )
    settings = resolve_settings(files, cli_values, config=config, isolated=isolated)
    reports, errors = _run(files, settings, quiet=quiet, model=model, no_cache=no_cache)
    _emit(RENDERERS[format.value](reports), output)
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
def codes() -> None:
    """List the stable finding codes."""
    from .findings import CODES

    for code, (fam, desc) in CODES.items():
        typer.echo(f"{code}  {fam:<16} {desc}")


def _register_subcommands() -> None:
    """Sub-command groups live in their own modules (each light to import)."""
    import importlib

    for modname in ("detector.cli_languagetool", "detector.cli_model", "detector.cli_triage"):
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as e:
            if e.name == modname:
                continue
            raise
        mod.register(app)


_register_subcommands()


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        app()
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()

"""Command-line interface (typer). A thin layer over :mod:`detector.api`.

Exit codes (stable):
  0  done
  1  some article scored at or below the --fail-on verdict (--fail-on review also counts
     "unsupported", a text not in English; --fail-on reject does not)
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

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INPUT, EXIT_GRAMMAR = 0, 1, 2, 3, 4

app = typer.Typer(
    name="detector",
    help="Judge how far to trust the text of a news article, with evidence.\n\n"
    "Exit codes: 0 done; 1 an article hit --fail-on; 2 usage error; 3 some input unreadable "
    "(the rest still processed); 4 grammar required but LanguageTool unavailable.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class FailOn(StrEnum):
    reject = "reject"
    review = "review"
    never = "never"


def _err(msg: str) -> None:
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()


FilesArg = Annotated[
    list[str],
    typer.Argument(
        help="Files (.txt, .html, .json, .jsonl), directories (searched recursively), glob patterns, "
        "or '-' for standard input.",
        show_default=False,
    ),
]
GrammarOpt = Annotated[
    bool,
    typer.Option("--grammar/--no-grammar", help="Check grammar and spelling with LanguageTool when available."),
]
RequireGrammarOpt = Annotated[
    bool,
    typer.Option("--require-grammar", help="Fail with exit code 4 if LanguageTool cannot be used."),
]
LtUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--languagetool-url",
        envvar="DETECTOR_LT_URL",
        help="Use this running LanguageTool server (e.g. http://localhost:8081) instead of a local one.",
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Recompute every article's evidence instead of reusing the per-article evidence cache "
        "(also $DETECTOR_EVIDENCE_CACHE=off). LanguageTool results are still cached ($DETECTOR_LT_CACHE=off).",
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or notes on stderr.")]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", help="Largest article accepted, in bytes.", show_default=True)
]
OutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write the result to this file (atomically) instead of stdout."),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Character encoding of plain-text inputs (default: strict UTF-8); for HTML it overrides "
        "the page's <meta charset> (a byte-order mark still wins). JSON/JSONL are always UTF-8.",
        show_default=False,
    ),
]
NamesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--names",
        help="Extra gazetteer file(s) of correct person-name spellings (one name per line; "
        "'Canonical | variant | variant' for attested variants). Also $DETECTOR_NAMES.",
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
    from .io import Article, iter_inputs

    notes: list[str] = []
    articles, errors = [], []
    for item in iter_inputs(files, max_bytes=max_bytes, notes=notes, encoding=encoding):
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


def _run(
    files: list[str],
    *,
    grammar: bool,
    require_grammar: bool,
    languagetool_url: str | None,
    quiet: bool,
    max_bytes: int,
    model: str | None,
    names: list[str] | None,
    no_cache: bool = False,
    encoding: str | None = None,
):
    from . import api
    from .families import grammar as grammar_family

    if not files:
        _err("error: no input given (pass files, directories, globs or '-')")
        raise typer.Exit(EXIT_USAGE)
    encoding = check_encoding_option(encoding)
    apply_names(names)
    scorer = None
    if model is not None:  # a user model: refuse a bad file before any work is done
        from .model import ModelError, load_scorer

        try:
            scorer = load_scorer(model)
        except Exception as e:  # ModelError, OSError, ...: one line, exit 2, never a traceback
            reason = str(e) if isinstance(e, (ModelError, OSError, ValueError)) else f"{type(e).__name__}: {e}"
            _err(f"error: --model: {' '.join(reason.split())}")
            raise typer.Exit(EXIT_USAGE) from None
    articles, errors = _load(files, max_bytes, quiet, encoding)
    reports = []
    if articles:
        show_progress = not quiet and sys.stdout.isatty() and sys.stderr.isatty() and len(articles) > 1
        progress_cb, progress_ctx = None, None
        if show_progress:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            progress_ctx = Progress(
                TextColumn("scoring"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            task = progress_ctx.add_task("score", total=len(articles))
            progress_ctx.start()
            progress_cb = lambda n: progress_ctx.advance(task, n)  # noqa: E731
        try:
            reports = api.score(
                articles,
                grammar=_grammar_mode(grammar, require_grammar),
                languagetool_url=languagetool_url,
                model=model,
                scorer=scorer,
                progress=progress_cb,
                cache=False if no_cache else None,
            )
        except grammar_family.GrammarUnavailable as e:
            _err(f"error: grammar required but LanguageTool is unavailable: {e}")
            raise typer.Exit(EXIT_GRAMMAR) from None
        finally:
            if progress_ctx is not None:
                progress_ctx.stop()
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


def _exit_code(reports, errors, fail_on: FailOn) -> int:
    if errors:
        return EXIT_INPUT
    # "unsupported" (not English, not judged) is a status, not an error: only --fail-on review,
    # which fails everything that is not "ok", counts it
    bad = {"reject": {"reject"}, "review": {"reject", "review", "unsupported"}, "never": set()}[fail_on.value]
    if any(r.verdict in bad for r in reports):
        return EXIT_FAIL
    return EXIT_OK


@app.command()
def check(
    files: FilesArg = None,
    grammar: GrammarOpt = True,
    require_grammar: RequireGrammarOpt = False,
    languagetool_url: LtUrlOpt = None,
    names: NamesOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    max_bytes: MaxBytesOpt = 5_000_000,
    encoding: EncodingOpt = None,
) -> None:
    """Print every finding, one per line: path:line:col: CODE message (→ suggestion)."""
    from .output import render_check

    reports, errors = _run(
        files or [],
        grammar=grammar,
        require_grammar=require_grammar,
        languagetool_url=languagetool_url,
        quiet=quiet,
        max_bytes=max_bytes,
        model=None,
        names=names,
        no_cache=no_cache,
        encoding=encoding,
    )
    _emit(render_check(reports), output)
    raise typer.Exit(EXIT_INPUT if errors else EXIT_OK)


@app.command()
def score(
    files: FilesArg = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 if any article gets this verdict (or worse).")
    ] = FailOn.never,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="A model file from `detector train` (.skops).")
    ] = None,
    grammar: GrammarOpt = True,
    require_grammar: RequireGrammarOpt = False,
    languagetool_url: LtUrlOpt = None,
    names: NamesOpt = None,
    output: OutputOpt = None,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    max_bytes: MaxBytesOpt = 5_000_000,
    encoding: EncodingOpt = None,
) -> None:
    """Score articles: reliability (0-1, higher = more trustworthy), verdict, findings per family.

    All files of one call form one batch, so a name spelled one way in most files and another way in a few is flagged in the few.
    """
    from .output import RENDERERS

    reports, errors = _run(
        files or [],
        grammar=grammar,
        require_grammar=require_grammar,
        languagetool_url=languagetool_url,
        quiet=quiet,
        max_bytes=max_bytes,
        model=model,
        names=names,
        no_cache=no_cache,
        encoding=encoding,
    )
    _emit(RENDERERS[format.value](reports), output)
    raise typer.Exit(_exit_code(reports, errors, fail_on))


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

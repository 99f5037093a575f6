"""Pieces every ``detector`` command shares: exit codes, error lines and output, ``--version``,
progress, the option types and enums, and the input/names/encoding helpers.

Light to import (typer, no scikit-learn, no JVM): ``detector --version`` and the cold start of
every command go through this module. It imports no ``cli*`` module, so every ``cli*`` module
may import it (``tests/test_layers.py`` holds that).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Annotated

import typer

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INPUT, EXIT_GRAMMAR = 0, 1, 2, 3, 4


def err(msg: str) -> None:
    """One line on stderr (errors and notes; never buffered)."""
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()


def version_text() -> str:
    """``detector --version``: the package, the embedded default models, LanguageTool, and
    whether the fluency family's compiled loops run."""
    from . import __version__
    from .families import kernels
    from .languagetool import LT_VERSION, is_installed
    from .model import DEFAULT_GRAMMAR, DEFAULT_NOGRAMMAR, RESOURCES

    models = [
        f"{name} ({use})"
        for name, use in ((DEFAULT_NOGRAMMAR, "without LanguageTool"), (DEFAULT_GRAMMAR, "with LanguageTool"))
        if (RESOURCES / f"{name}.skops").exists()
    ]
    lt = f"{LT_VERSION}" if is_installed() else f"not installed (detector uses {LT_VERSION})"
    return (
        f"detector {__version__}\n"
        f"models: {', '.join(models) or 'none (rule-based scorer)'}\n"
        f"LanguageTool: {lt}\n"
        f"fluency loops: {kernels.describe()}\n"
    )


def show_progress(quiet: bool) -> bool:
    """Progress is drawn on stderr whenever stderr is a terminal, unless --quiet; where stdout
    goes does not matter (``detector score big/ > out.jsonl`` still shows it)."""
    return not quiet and sys.stderr.isatty()


class Progress:
    """A rich progress bar on stderr (transient), or nothing when :func:`show_progress` says no.

    ``with Progress("scoring", total, quiet) as advance: ... advance(n)``. A command with several
    phases keeps the instance and switches its one bar with :meth:`phase`:
    ``bar = Progress("reading", None, quiet); with bar: ... bar.phase("scoring", done, total)``."""

    def __init__(self, label: str, total: int | None, quiet: bool):
        self.label, self.total, self.enabled = label, total, show_progress(quiet)
        self._bar = None
        self._task = None

    def __enter__(self) -> Callable[[int], None]:
        if not self.enabled:
            return lambda n: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task(self.label, total=self.total)
        self._bar.start()
        return self.advance

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def phase(self, label: str, done: int = 0, total: int | None = None) -> None:
        """Show ``label`` with ``done`` of ``total`` (None: no known total) on the bar; a new
        label replaces the previous phase, so a finished phase never lingers at ``n/n``. A total
        of 0 counts as not known."""
        if self._bar is not None:
            task = next(t for t in self._bar.tasks if t.id == self._task)
            new = label != task.description
            self._bar.update(self._task, description=label, completed=done)
            task.total = total or None  # rich's update() reads total=None as "unchanged"
            if new:  # draw a new phase at once: a short phase would otherwise never be seen
                self._bar.refresh()

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def check_writable(path: str | None, option: str) -> None:
    """Refuse, before any work, an output path that cannot be written: a directory, or one whose
    nearest existing folder is not a writable directory (one line, exit 2). What this cannot
    foresee is reported when the file is written (:func:`write_file`)."""
    if not path:
        return
    import os

    full = os.path.abspath(path)
    folder = os.path.dirname(full)
    while not os.path.exists(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    reason = None
    if os.path.isdir(full):
        reason = "Is a directory"
    elif not os.path.isdir(folder):
        reason = f"{folder} is not a directory"
    elif not os.access(folder, os.W_OK | os.X_OK):
        reason = f"{folder} is not writable"
    if reason is not None:
        err(f"error: cannot write {option} {path}: {reason}")
        raise typer.Exit(EXIT_USAGE)


def write_file(path: str, text: str, option: str = "--output") -> None:
    """Write ``text`` to ``path`` atomically; a path that cannot be written is a one-line error
    naming the option, exit 2 (never a traceback)."""
    from .io import atomic_write

    try:
        atomic_write(path, text)
    except OSError as e:
        err(f"error: cannot write {option} {path}: {e.strerror or e}")
        raise typer.Exit(EXIT_USAGE) from None


def emit(text: str, output: str | None) -> None:
    """Write a command's output: to ``output`` atomically, else to stdout."""
    if output:
        write_file(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


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
        err(f"error: --encoding: {e}")
        raise typer.Exit(EXIT_USAGE) from None


def load_inputs(files: list[str], max_bytes: int, quiet: bool, encoding: str | None = None):
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
                err(str(item))
    if not quiet:
        for n in notes:
            err(f"note: {n}")
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
            err(f"error: {label}: {e}")
            raise typer.Exit(EXIT_USAGE) from None
    if names:
        gazetteer.set_user_gazetteer(names)


def grammar_mode(grammar: bool, require: bool) -> str:
    """The ``grammar`` argument of :func:`detector.api.score` for --grammar/--require-grammar."""
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
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1,
                 help="Worker processes for the detector families (default: the machine's cores; 1: in-process).",
                 show_default=False),
]
DaskOpt = Annotated[
    str | None,
    typer.Option("--dask", help="Run on a Dask cluster: its scheduler address (tcp://host:8786) or local:N "
                 "(a local cluster of N worker processes). Needs the dask extra (pip install detector\\[dask]).",
                 show_default=False),
]
WindowOpt = Annotated[
    int,
    typer.Option("--window", min=1, help="Articles scored and written together (and a chunk of it analysed per worker task); bounds memory (streaming).",
                 show_default=True),
]
SettingsMaxBytesOpt = Annotated[
    int | None,
    typer.Option("--max-bytes", help="Largest article accepted, in bytes (default: 5000000).", show_default=False),
]


# --------------------------------------------------------------------------------------------
# the options `check` and `score` share, defined once
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RunOptions:
    """The options ``detector check`` and ``detector score`` share, as one value (see
    :func:`run_options`). ``None``: not given (a configuration file may set it)."""

    select: list[str] | None = None
    ignore: list[str] | None = None
    extend_select: list[str] | None = None
    min_severity: Severity | None = None
    grammar: bool | None = None
    require_grammar: bool = False
    languagetool_url: str | None = None
    names: list[str] | None = None
    output: str | None = None
    no_cache: bool = False
    quiet: bool = False
    max_bytes: int | None = None
    encoding: str | None = None
    config: str | None = None
    isolated: bool = False
    jobs: int | None = None
    dask: str | None = None
    window: int = 256


# (parameter, option type) in the order `--help` lists them, after the command's own options
_RUN_OPTIONS = (
    ("select", SelectOpt),
    ("ignore", IgnoreOpt),
    ("extend_select", ExtendSelectOpt),
    ("min_severity", MinSeverityOpt),
    ("grammar", GrammarFlag),
    ("require_grammar", RequireGrammarOpt),
    ("languagetool_url", LtUrlOpt),
    ("names", NamesOpt),
    ("output", OutputOpt),
    ("no_cache", NoCacheOpt),
    ("quiet", QuietOpt),
    ("max_bytes", SettingsMaxBytesOpt),
    ("encoding", EncodingOpt),
    ("config", ConfigOpt),
    ("isolated", IsolatedOpt),
    ("jobs", JobsOpt),
    ("dask", DaskOpt),
    ("window", WindowOpt),
)


def run_options(command: Callable) -> Callable:
    """Give a command the shared options of :class:`RunOptions`: typer sees them as parameters of
    the command (listed after its own), the command receives them as one keyword ``opts``.

    ``@app.command()`` then ``@run_options`` on ``def score(files, format, ..., *, opts: RunOptions)``."""
    sig = inspect.signature(command, eval_str=True)
    own = [p for name, p in sig.parameters.items() if name != "opts"]
    defaults = {f.name: f.default for f in fields(RunOptions)}
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=defaults[name], annotation=kind)
        for name, kind in _RUN_OPTIONS
    ]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        opts = RunOptions(**{name: kwargs.pop(name) for name, _ in _RUN_OPTIONS if name in kwargs})
        return command(*args, opts=opts, **kwargs)

    wrapper.__signature__ = sig.replace(parameters=own + shared)
    wrapper.__annotations__ = {p.name: p.annotation for p in own + shared} | {"return": sig.return_annotation}
    return wrapper

"""Pieces every ``detector`` command shares: exit codes, error lines, ``--version``, progress.

Light to import (no typer types built here beyond what callers pass in, no scikit-learn, no
JVM): ``detector --version`` and the cold start of every command go through this module.
It imports nothing from :mod:`detector.cli`, so any ``cli_*`` module may import it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INPUT, EXIT_GRAMMAR = 0, 1, 2, 3, 4


def err(msg: str) -> None:
    """One line on stderr (errors and notes; never buffered)."""
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()


def version_text() -> str:
    """``detector --version``: the package, the embedded default models, LanguageTool."""
    from . import __version__
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

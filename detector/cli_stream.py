"""How ``score`` and ``check`` run: the re-readable inputs (:class:`Inputs`), the stream of
reports (:func:`open_stream`, local processes or a Dask cluster), writing them as they are done
or all at the end (atomically with ``--output``), and the exit status. The command definitions
are in :mod:`detector.cli`."""

from __future__ import annotations

import os
import sys

import typer

from .cli_common import (
    EXIT_FAIL,
    EXIT_GRAMMAR,
    EXIT_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    Progress,
    RunOptions,
    apply_names,
    check_encoding_option,
)
from .cli_common import err as _err

__all__ = ["Inputs", "check_exit_code", "exit_code", "open_stream", "stream_command"]


class Inputs:
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


def open_stream(files: list[str], settings, *, quiet: bool, model: str | None, no_cache: bool, jobs: int | None,
                dask: str | None, window: int, analysed=None):
    """Validate the settings and return ``(inputs, reports)``: the re-readable inputs (their
    errors are known once the first pass is done) and an iterator of reports in input order.
    ``analysed(n)``: n more articles through the first pass (not on Dask)."""
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
    inputs = Inputs(files, settings["max-bytes"], quiet, encoding)
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

    return inputs, stream.score_stream(inputs, cache=False if no_cache else None, jobs=jobs, window=window,
                                       analysed=analysed, **options)


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


def stream_command(command: str, files, settings, *, fmt: str, opts: RunOptions, model, render_all):
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
    # one bar, two phases: the first pass analyses every article, the second scores and writes
    bar = Progress("analysing", None, quiet)
    inputs, reports = open_stream(files, settings, quiet=quiet, model=model, no_cache=opts.no_cache,
                                   jobs=opts.jobs, dask=opts.dask, window=opts.window, analysed=bar.advance)
    verdicts: set[str] = set()
    severities: set[str] = set()
    unavailable = False
    written = 0

    def on_report(r):
        nonlocal unavailable, written
        if written == 0:
            bar.phase("scoring", 0, inputs.count)
        written += 1
        verdicts.add(r.verdict)
        severities.update(f.severity for f in r.findings)
        unavailable = unavailable or r.grammar == "unavailable"
        bar.advance(1)

    stdout = sys.stdout  # the real one: the progress bar redirects sys.stdout while it runs
    try:
        with bar:
            _write_reports(command, fmt, reports, output, render_all, on_report, stdout)
    except grammar_family.GrammarUnavailable as e:
        _err(f"error: grammar required but LanguageTool is unavailable: {e}")
        raise typer.Exit(EXIT_GRAMMAR) from None
    except BrokenPipeError:
        raise  # stdout closed by the reader (`| head`): click's convention, a quiet exit 1
    except OSError as e:  # the output (or a temporary file) cannot be written: one line, never a traceback
        where = str(e.filename or "")
        if output and (not where or where.startswith(os.path.dirname(os.path.abspath(output)))):
            where = f"--output {output}"  # its folder, or the temporary file beside it
        where = where or "standard output"
        _err(f"error: cannot write {where}: {e.strerror or e}")
        raise typer.Exit(EXIT_USAGE) from None
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


def exit_code(reports, errors, fail_on: str) -> int:
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


def check_exit_code(reports, errors, fail_on: str) -> int:
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

"""``detector train`` and ``detector evaluate`` (registered on the main typer app by cli.py).

Heavy imports (scikit-learn, skops, matplotlib) happen inside the commands, so registering them
costs nothing on the ``detector score`` cold-start path.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from .cli_common import check_writable, show_progress

EXIT_USAGE = 2
EXIT_INPUT = 3  # some rows could not be read: each named on stderr, the rest were used


def _err(msg: str) -> None:
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()


def _read(data: str, quiet: bool):
    """Read the labelled data. A row that cannot be read is skipped, never silently: it gets its
    one-line ``DATA:LINE: error: reason`` on stderr and the command ends with exit 3 after doing
    its work on the other rows (a model is still written by ``train``)."""
    import re

    from . import training as T

    try:
        ds = T.read_dataset(data)
    except (OSError, ValueError, UnicodeDecodeError) as e:
        _err(f"error: {data}: {' '.join(str(e).split())}")
        raise typer.Exit(EXIT_USAGE) from None
    except Exception as e:  # whatever else: one line, never a traceback
        _err(f"error: {data}: could not be read ({type(e).__name__}: {' '.join(str(e).split())})")
        raise typer.Exit(EXIT_USAGE) from None
    for p in ds.problems:
        m = re.match(r"line (\d+): (.*)", p, re.DOTALL)
        where, why = (f"{data}:{m.group(1)}", m.group(2)) if m else (data, p)
        _err(f"{where}: error: {' '.join(why.split())} (row skipped)")
    if not ds.labels:
        _err(f"error: {data}: no usable rows (need 'text' or 'path', and 'label' in reliable/unreliable/0/1)")
        raise typer.Exit(EXIT_USAGE)
    if not quiet:
        for w in T.data_warnings(ds):
            _err(f"warning: {w}")
    return ds


def _progress(total: int, label: str, quiet: bool):
    """``(bar, advance)``: the shared stderr progress bar (:class:`detector.cli_common.Progress`),
    started; ``bar.phase`` switches it to the next phase; ``(None, None)`` when not shown."""
    from .cli_common import Progress

    bar = Progress(label, total, quiet)
    if not bar.enabled:
        return None, None
    return bar, bar.__enter__()


def render_table(res: dict, title: str) -> None:
    """Print metrics as rich tables on stdout."""
    from rich.console import Console
    from rich.table import Table

    from .training import fmt

    con = Console()
    t = Table(title=title, show_header=True)
    for c in ("n", "unreliable", "ROC-AUC", "PR-AUC", "Brier", "thresholds ok / reject"):
        t.add_column(c, justify="right")
    th = res["thresholds"]
    t.add_row(
        str(res["n"]), str(res["n_unreliable"]), fmt(res["roc_auc"]), fmt(res["pr_auc"]), fmt(res["brier"]),
        f"{th['ok']:.2f} / {th['reject']:.2f}",
    )
    con.print(t)
    c = Table(title="confusion at the verdict thresholds", show_header=True)
    c.add_column("true label")
    for v in ("ok", "review", "reject"):
        c.add_column(v, justify="right")
    for lab, row in res["confusion"].items():
        c.add_row(lab, *(str(row[v]) for v in ("ok", "review", "reject")))
    con.print(c)
    if res.get("per_source"):
        s = Table(title="per source", show_header=True)
        s.add_column("source", no_wrap=True)
        for col in ("n", "unreliable", "mean reliability", "ok", "review", "reject", "ROC-AUC"):
            s.add_column(col, justify="right")
        marked = False
        for name, r in res["per_source"].items():
            auc = fmt(r["roc_auc"])
            if r["roc_auc"] is None and r.get("roc_auc_vs_reliable") is not None:
                auc, marked = fmt(r["roc_auc_vs_reliable"]) + "*", True
            s.add_row(
                name, str(r["n"]), f"{r['unreliable_share']:.0%}", f"{r['mean_reliability']:.3f}",
                str(r["ok"]), str(r["review"]), str(r["reject"]), auc,
            )
        if marked:
            s.caption = "* an all-unreliable source against every reliable row of its corpus"
        con.print(s)
    if res.get("per_corpus"):
        pc = Table(title="ROC-AUC per corpus (source prefix before '/')", show_header=True)
        pc.add_column("corpus", no_wrap=True)
        pc.add_column("n", justify="right")
        pc.add_column("ROC-AUC", justify="right")
        for name, r in res["per_corpus"].items():
            pc.add_row(name, str(r["n"]), fmt(r["roc_auc"]))
        con.print(pc)
    fa = res.get("false_alarms")
    if fa and fa.get("n"):
        t2 = Table(title="false alarms on the reliable rows", show_header=True)
        for col in ("rows", "n", "flagged", "rejected", "flagged w/o evidence", "findings/1kw", "top codes /1kw"):
            t2.add_column(col, justify="right" if col not in ("rows", "top codes /1kw") else "left")
        entries = [("all", fa)] + list((fa.get("per_source") or {}).items())
        for name, r in entries:
            if not r["n"]:
                continue
            top = ", ".join(f"{k} {v:.2f}" for k, v in list(r["by_code_per_1000w"].items())[:3])
            t2.add_row(name, str(r["n"]), f"{r['flagged_share']:.1%}", f"{r['rejected_share']:.1%}",
                       str(r["flagged_without_evidence"]), f"{r['findings_per_1000w']:.2f}", top or "-")
        con.print(t2)
    if res.get("top_features"):
        f = Table(title="top features", show_header=True)
        f.add_column("feature")
        key = "weight" if "weight" in res["top_features"][0] else "auc_drop"
        f.add_column("mean std. coefficient (+ = unreliable)" if key == "weight" else "ROC-AUC drop when permuted",
                     justify="right")
        for r in res["top_features"]:
            f.add_row(r["feature"], f"{r[key]:+.3f}")
        con.print(f)


def register(app: typer.Typer) -> None:
    @app.command()
    def train(
        data: Annotated[str, typer.Argument(help="Labelled JSONL or CSV: 'text' (or 'path') and 'label' "
                                            "(reliable/unreliable/0/1); optional 'source', 'group'.")],
        model: Annotated[str, typer.Option("--model", "-m", help="Write the model here (.skops); "
                                           "a model card goes beside it (.card.json).")] = "detector-model.skops",
        grammar: Annotated[bool, typer.Option("--grammar/--no-grammar",
                                              help="Use LanguageTool features (needs LanguageTool).")] = False,
        estimator: Annotated[str, typer.Option("--estimator", help="auto | logreg | hgb (auto: chosen by "
                                               "group-aware cross-validation).")] = "auto",
        seed: Annotated[int, typer.Option("--seed", help="Random seed (CV folds, boosting).")] = 0,
        name: Annotated[str | None, typer.Option("--name", help="Model name shown in score output.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the model card as JSON.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")] = False,
    ) -> None:
        """Train a calibrated classifier on labelled articles; prints the cross-validated evaluation."""
        if estimator not in ("auto", "logreg", "hgb"):
            _err("error: --estimator must be auto, logreg or hgb")
            raise typer.Exit(EXIT_USAGE)
        check_writable(model, "--model")
        ds = _read(data, quiet)
        from . import training as T

        prog, cb = _progress(len(ds.texts), "features", quiet)
        try:
            card = T.train(
                ds, model, grammar=grammar, estimator=estimator, seed=seed, name=name, progress=cb,
                phase=None if prog is None else prog.phase,
                # training notes are progress-like: on a terminal only (warnings and errors always)
                log=(lambda s: _err(f"note: {s}")) if show_progress(quiet) else (lambda s: None),
            )
        except (ValueError, RuntimeError) as e:
            _err(f"error: {e}")
            raise typer.Exit(EXIT_USAGE) from None
        except OSError as e:  # the model (or its card) could not be written
            _err(f"error: cannot write --model {model}: {e.strerror or e}")
            raise typer.Exit(EXIT_USAGE) from None
        finally:
            if prog is not None:
                prog.__exit__(None, None, None)
        card.pop("_bundle", None)
        if as_json:
            sys.stdout.write(json.dumps(card, indent=2) + "\n")
            raise typer.Exit(EXIT_INPUT if ds.problems else 0)
        res = dict(card["cv"])
        res["top_features"] = card["top_features"]
        render_table(res, f"{card['name']}: out-of-fold (group-aware {card['estimator']['chosen']}) evaluation")
        typer.echo(f"saved {model} and {model.rsplit('.', 1)[0]}.card.json ({card['train_seconds']}s)")
        if ds.problems:
            raise typer.Exit(EXIT_INPUT)

    @app.command()
    def evaluate(
        data: Annotated[str, typer.Argument(help="Labelled JSONL or CSV (as for `detector train`).")],
        model: Annotated[str | None, typer.Option("--model", "-m", help="Model file (.skops); "
                                                     "default: the embedded model.")] = None,
        grammar: Annotated[bool | None, typer.Option("--grammar/--no-grammar",
                                                        help="Default: what the model was trained with.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print metrics as JSON.")] = False,
        plot: Annotated[str | None, typer.Option("--plot", help="Write ROC and calibration curves (PNG).")] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or notes on stderr.")] = False,
    ) -> None:
        """ROC-AUC, PR-AUC, Brier, confusion at the verdict thresholds, per-source breakdown, top features."""
        ds = _read(data, quiet)
        from . import training as T
        from .model import ModelError

        prog, cb = _progress(len(ds.texts), "features", quiet)
        try:
            res = T.evaluate(ds, model, grammar=grammar, progress=cb)
        except (ModelError, RuntimeError) as e:
            _err(f"error: {e}")
            raise typer.Exit(EXIT_USAGE) from None
        finally:
            if prog is not None:
                prog.__exit__(None, None, None)
        if plot:
            T.plot(res, ds.labels, plot)
        res.pop("_p", None)
        if as_json:
            sys.stdout.write(json.dumps(res, indent=2) + "\n")
        else:
            render_table(res, f"{res['model']} on {data}")
            if plot:
                typer.echo(f"wrote {plot}")
        if ds.problems:
            raise typer.Exit(EXIT_INPUT)

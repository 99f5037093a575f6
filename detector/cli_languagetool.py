"""``detector languagetool ...``: install, status, serve."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

lt_app = typer.Typer(
    name="languagetool",
    help="Provision and inspect the LanguageTool used for grammar/spelling findings.",
    no_args_is_help=True,
)


def _err(msg: str) -> None:
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()


@lt_app.command()
def install(
    force: Annotated[bool, typer.Option("--force", help="Reinstall even if already present.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
) -> None:
    """Obtain the pinned LanguageTool release (Maven Central via mvn; checksum verified)."""
    from . import languagetool as lt

    log = (lambda m: None) if quiet else (lambda m: _err(m))
    try:
        path = lt.install(force=force, log=log)
    except lt.ProvisionError as e:
        _err(f"error: could not install LanguageTool {lt.LT_VERSION}: {e}")
        raise typer.Exit(1) from None
    jv = lt.java_version()
    if jv is None:
        _err("warning: Java not found; LanguageTool needs Java 17+ to run")
    elif jv[0] < lt.MIN_JAVA:
        _err(f"warning: {jv[1]}: LanguageTool {lt.LT_VERSION} needs Java {lt.MIN_JAVA}+")
    typer.echo(str(path))


@lt_app.command()
def status(
    languagetool_url: Annotated[
        str | None, typer.Option("--languagetool-url", envvar="DETECTOR_LT_URL", help="Server to probe.")
    ] = None,
    start: Annotated[
        bool, typer.Option("--start", help="Also start a local server to prove it works.")
    ] = False,
) -> None:
    """Java version, installed LanguageTool version and path, and whether a server is reachable."""
    from . import languagetool as lt

    jv = lt.java_version()
    ok = True
    if jv is None:
        typer.echo("java:          not found (LanguageTool needs Java 17+)")
        ok = False
    else:
        flag = "" if jv[0] >= lt.MIN_JAVA else f"  (too old: need {lt.MIN_JAVA}+)"
        typer.echo(f"java:          {jv[1]}{flag}")
        ok = ok and jv[0] >= lt.MIN_JAVA
    if lt.is_installed():
        typer.echo(f"languagetool:  {lt.LT_VERSION} at {lt.install_dir()}")
    else:
        typer.echo(f"languagetool:  not installed in {lt.lt_home()} (run `detector languagetool install`)")
        ok = False
    from .grammar_cache import default_path

    typer.echo(f"cache:         {default_path() or 'off'}")
    typer.echo(f"jvm memory:    -Xmx{lt.jvm_mem()}  (DETECTOR_LT_JVM_MEM)")
    if languagetool_url:
        up = lt.health(languagetool_url, timeout=5.0)
        ver = lt.server_version(languagetool_url) if up else None
        typer.echo(
            f"server:        {languagetool_url} {'reachable' if up else 'NOT reachable'}"
            + (f" (LanguageTool {ver})" if ver else "")
        )
        ok = up  # a reachable server is all that is needed
    else:
        found = lt.discover_server()
        if found:
            typer.echo(f"server:        {found} reachable (from `detector languagetool serve`)")
        elif start and ok:
            srv = lt.LocalServer()
            try:
                srv.start()
                typer.echo(
                    f"server:        started a local one at {srv.url}: reachable (pid {srv.pid}, RSS {srv.rss_kib()} KiB)"
                )
            except lt.ProvisionError as e:
                typer.echo(f"server:        could not start: {e}")
                ok = False
            finally:
                srv.stop()
        else:
            typer.echo(
                "server:        none running; a local one is started on demand"
                + ("" if ok else " (once the above is fixed)")
            )
    raise typer.Exit(0 if ok else 1)


@lt_app.command()
def serve(
    port: Annotated[int, typer.Option("--port", "-p", help="Port (0 = any free port).")] = 0,
) -> None:
    """Keep one LanguageTool server running for many `detector` invocations (Ctrl-C stops it).

    Other invocations find it through a port file in the cache dir (or pass --languagetool-url).
    """
    import os
    import signal
    import threading

    from . import languagetool as lt

    srv = lt.LocalServer(port=port or None)
    try:
        srv.start()
    except lt.ProvisionError as e:
        _err(f"error: {e}")
        raise typer.Exit(4) from None
    lt.record_server(srv.url, os.getpid())
    _err(f"LanguageTool {lt.LT_VERSION} serving at {srv.url} (pid {srv.pid}); Ctrl-C to stop")
    typer.echo(srv.url)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda *_: stop.set())
    try:
        while not stop.wait(2.0):
            if not srv.alive():
                _err("LanguageTool server died; restarting")
                srv.start()
                lt.record_server(srv.url, os.getpid())
    except KeyboardInterrupt:
        pass
    finally:
        lt.forget_server(os.getpid())
        srv.stop()


def register(app: typer.Typer) -> None:
    app.add_typer(lt_app, name="languagetool")

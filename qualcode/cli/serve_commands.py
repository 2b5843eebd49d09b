"""`qualcode serve`: the workbench in a web browser (qualcode/serve.py does the work)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_project


@click.command("serve")
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address lets other machines in.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--coder",
    help="Record every tab's codings as NAME. Without it each browser tab asks who is coding "
    "in it (escape keeps the project's default coder), and shows the name in its header.",
)
def serve_command(project: Path | None, host: str, port: int, coder: str | None) -> None:
    """Serve the workbench on PROJECT (or the start screen) to a web browser.

    Each browser tab is its own workbench on the project; ctrl+c stops the server. For a
    project on another machine, keep the default host and tunnel over SSH:
    `ssh -N -L 8000:127.0.0.1:8000 SERVER`, then open http://127.0.0.1:8000.
    """
    from qualcode.serve import exposure_warning, serve

    if coder is not None and not coder.strip():
        raise click.BadParameter("cannot be empty", param_hint="--coder")
    if project is not None:
        open_project(project).close()  # a missing or foreign file: one line now, not per tab
    warning = exposure_warning(host, port)
    if warning:
        click.echo(warning, err=True)
    serve(project, host, port, coder.strip() if coder else None)


COMMANDS = [serve_command]

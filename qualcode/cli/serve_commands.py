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
def serve_command(project: Path | None, host: str, port: int) -> None:
    """Serve the workbench on PROJECT (or the start screen) to a web browser.

    Each browser tab is its own workbench on the project; ctrl+c stops the server. For a
    project on another machine, keep the default host and tunnel over SSH:
    `ssh -N -L 8000:127.0.0.1:8000 SERVER`, then open http://127.0.0.1:8000.
    """
    from qualcode.serve import exposure_warning, serve

    if project is not None:
        open_project(project).close()  # a missing or foreign file: one line now, not per tab
    warning = exposure_warning(host, port)
    if warning:
        click.echo(warning, err=True)
    serve(project, host, port)


COMMANDS = [serve_command]

"""`qualcode demo`, `qualcode import-codings`, `qualcode export-codings`."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_project, project_argument
from qualcode.plural import plural


@click.command("demo")
@click.argument(
    "project",
    required=False,
    default="demo.qualcode",
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option("--force", is_flag=True, help="Replace PROJECT if it exists.")
def demo_command(project, force) -> None:
    """Build the PIF sample project (23 participants, 39 documents, coded) at PROJECT."""
    from qualcode.demo import build_demo

    with build_demo(project, force=force) as p:
        s = p.summary()
    click.echo(
        f"created {project}: {s['participants']} participants, {s['documents']} documents, "
        f"{s['codes']} codes, {s['codings']} codings by {s['coders']} coders"
    )
    click.echo(f"try: qualcode freq {project}   or   qualcode {project}")


@click.command("import-codings")
@project_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_codings_command(project, file) -> None:
    """Add the codings of a CSV file (participant, document, start, end, code, coder, text).

    Every row is checked first; nothing is added unless all of them are valid."""
    with open_project(project) as p:
        result = p.import_codings_csv(file)
    click.echo(
        f"imported {plural(result.added, 'coding')} into {plural(result.documents, 'document')} "
        f"of {plural(result.participants, 'participant')}"
        + (f"; {result.skipped} already present, skipped" if result.skipped else "")
    )


@click.command("export-codings")
@project_argument
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_codings_command(project, file) -> None:
    """Write every coding to a CSV file that import-codings reads back."""
    with open_project(project) as p:
        count = p.export_codings_csv(file)
    click.echo(f"wrote {plural(count, 'coding')} to {file}")


COMMANDS = [demo_command, import_codings_command, export_codings_command]

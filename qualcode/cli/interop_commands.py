"""REFI-QDA commands: export to QDC/QDPX and import a codebook. A .qdpx project is
imported by `qualcode import PROJECT FILE.qdpx` (import_commands.py), which uses
open_or_create from here.

`import-codebook` and `import FILE.qdpx` create the project when it does not exist
yet (a project started from another tool's work); if that import then fails, the new
file is removed again so that a failed import leaves nothing behind.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from qualcode.cli.common import project_argument
from qualcode.plural import plural

_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@contextmanager
def open_or_create(path: Path):
    """The project at `path`, created if missing; a created project is deleted if the
    block fails, so an all-or-nothing import into a new project leaves no file."""
    from qualcode.project import Project

    created = not path.exists()
    project = Project.create(path) if created else Project.open(path)
    try:
        yield project, created
    except BaseException:
        project.close()
        if created:
            for leftover in (
                path,
                path.with_name(path.name + "-wal"),
                path.with_name(path.name + "-shm"),
            ):
                leftover.unlink(missing_ok=True)
        raise
    project.close()


@click.command("export")
@project_argument
@click.option(
    "--qdc",
    "qdc",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the codebook as a REFI-QDA codebook (.qdc).",
)
@click.option(
    "--qdpx",
    "qdpx",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the whole project as a REFI-QDA project (.qdpx) for NVivo, MAXQDA, ATLAS.ti...",
)
def export_command(project: Path, qdc: Path | None, qdpx: Path | None) -> None:
    """Export PROJECT for other QDA tools (REFI-QDA standard)."""
    from qualcode.cli.common import open_project

    if not qdc and not qdpx:
        raise click.UsageError("give --qdc FILE and/or --qdpx FILE")
    with open_project(project) as p:
        if qdc:
            count = p.export_qdc(qdc)
            click.echo(f"wrote {qdc}: {plural(count, 'code')}")
        if qdpx:
            refi = p.export_qdpx(qdpx)
            click.echo(
                f"wrote {qdpx}: {len(refi.sources)} sources, {refi.coding_count()} codings, "
                f"{len(refi.cases)} cases, {len(refi.users)} users, {len(refi.notes)} notes"
            )


@click.command("import-codebook")
@project_argument
@click.argument("codebook", type=_file)
def import_codebook_command(project: Path, codebook: Path) -> None:
    """Add the codes of CODEBOOK (.qdc, .yaml or .yml) to PROJECT (created if missing)."""
    with open_or_create(project) as (p, created):
        added = p.import_codebook(codebook)
        total = len(p.codes())
        notes = p.codebook_notes
    verb = "created" if created else "updated"
    click.echo(
        f"{verb} {project}: {plural(added, 'code')} added from {codebook.name} "
        f"({total} in the codebook)"
    )
    for note in notes:
        click.echo(f"  note: {note}")


COMMANDS = [export_command, import_codebook_command]

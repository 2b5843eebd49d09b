"""REFI-QDA commands: export to QDC/QDPX, import a codebook, import a QDPX project.

`import-codebook` and `import-qdpx` create the project when it does not exist yet
(a project started from another tool's work); if that import then fails, the new
file is removed again so that a failed import leaves nothing behind.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click

from qualcode.cli.common import project_argument

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
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise
    project.close()


def import_qdpx_lines(project_path: Path, qdpx: Path, sentences: bool = True) -> list[str]:
    """Import `qdpx` into the project (created if missing); the summary to print.
    Also the entry point for `qualcode import` when it is given a .qdpx file."""
    with open_or_create(project_path) as (project, created):
        summary = project.import_qdpx(qdpx, sentences=sentences, on_notice=_notice)
    head = f"created {project_path}" if created else f"updated {project_path}"
    hint = [f"next: qualcode segment {project_path}  (sentences for autocoding and the workbench)"]
    return [head, *summary.lines(), *(hint if summary.sources and not sentences else [])]


def _notice(message: str) -> None:
    click.echo(f"note: {message}", err=True)


@click.command("export")
@project_argument
@click.option("--qdc", "qdc", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the codebook as a REFI-QDA codebook (.qdc).")
@click.option("--qdpx", "qdpx", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the whole project as a REFI-QDA project (.qdpx) for NVivo, MAXQDA, ATLAS.ti...")
def export_command(project: Path, qdc: Path | None, qdpx: Path | None) -> None:
    """Export PROJECT for other QDA tools (REFI-QDA standard)."""
    from qualcode.cli.common import open_project

    if not qdc and not qdpx:
        raise click.UsageError("give --qdc FILE and/or --qdpx FILE")
    with open_project(project) as p:
        if qdc:
            count = p.export_qdc(qdc)
            click.echo(f"wrote {qdc}: {count} codes")
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
    """Add the codes of CODEBOOK (.qdc or .yaml) to PROJECT (created if missing)."""
    with open_or_create(project) as (p, created):
        added = p.import_codebook(codebook)
        total = len(p.codes())
    verb = "created" if created else "updated"
    click.echo(f"{verb} {project}: {added} codes added from {codebook.name} ({total} in the codebook)")


@click.command("import-qdpx")
@project_argument
@click.argument("qdpx", type=_file)
@click.option("--no-sentences", is_flag=True,
              help="Skip sentence segmentation (faster; run `qualcode segment` later).")
def import_qdpx_command(project: Path, qdpx: Path, no_sentences: bool) -> None:
    """Import a REFI-QDA project (.qdpx) into PROJECT (created if missing), all or nothing."""
    for line in import_qdpx_lines(project, qdpx, sentences=not no_sentences):
        click.echo(line)


COMMANDS = [export_command, import_codebook_command, import_qdpx_command]

"""`qualcode backup`, `qualcode backups` and `qualcode restore-backup`: a thin layer over
the facade's BackupOps and Project.restore_backup (file work in qualcode/backups.py)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import confirm_or_abort, open_project, project_argument
from qualcode.plural import plural


@click.command("backup")
@project_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the backup to this file (default: the backups/ folder beside PROJECT).",
)
def backup_command(project, output) -> None:
    """Write a consistent backup of PROJECT now (SQLite's backup API, WAL included)."""
    if output is not None and output.exists():
        raise click.UsageError(f"{output} already exists; choose another file")
    with open_project(project, daily_backup=False) as p:
        path = p.backup("manual", output)
    click.echo(f"backed up to {path}")


@click.command("backups")
@project_argument
def backups_command(project) -> None:
    """List PROJECT's backups, oldest first: time (UTC), reason, counts, file."""
    with open_project(project, daily_backup=False) as p:
        found = p.backups()
        keep = p.backups_keep
    if not found:
        click.echo(f"no backups yet in {project.parent / 'backups'} (keeping the last {keep})")
        return
    click.echo(f"{'time (UTC)':<26}{'reason':<22}{'documents':>10}{'codes':>7}{'codings':>9}  file")
    for b in found:
        n = [("?" if v is None else str(v)) for v in (b.documents, b.codes, b.codings)]
        click.echo(f"{b.time:<26}{b.reason:<22}{n[0]:>10}{n[1]:>7}{n[2]:>9}  {b.name}")
    click.echo(f"{plural(len(found), 'backup')} in {found[0].path.parent}; keeping the last {keep}")


@click.command("restore-backup")
@project_argument
@click.argument("name")
@click.option("--yes", is_flag=True, help="Restore without asking.")
def restore_backup_command(project, name, yes) -> None:
    """Replace PROJECT with its backup NAME (a file name from `qualcode backups`, or
    its unique start). The current state is backed up first."""
    from qualcode.project import Project

    confirm_or_abort(yes, f"Replace {project} with the backup {name}?")
    before, restored = Project.restore_backup(project, name)
    if before is not None:
        click.echo(f"backed up the current state to {before}")
    click.echo(f"restored {project} from {restored}")


COMMANDS = [backup_command, backups_command, restore_backup_command]

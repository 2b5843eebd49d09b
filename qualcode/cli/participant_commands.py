"""Participants after import: list them, set or remove attributes, rename an id, and
import an attribute sheet (one row per participant, a column per attribute)."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_project, project_argument
from qualcode.plural import noun, plural


@click.command("participants")
@project_argument
@click.argument("assignments", nargs=-1, metavar="[ATTR=VALUE]...")
@click.option(
    "--set",
    "set_pid",
    metavar="PID",
    help="Set attributes of participant PID: ATTR=VALUE after it (ATTR= removes one).",
)
@click.option(
    "--remove",
    "remove",
    multiple=True,
    metavar="ATTR",
    help="With --set: remove this attribute (repeatable).",
)
@click.option(
    "--rename",
    nargs=2,
    metavar="OLD NEW",
    help="Give participant OLD the id NEW (refused if NEW exists).",
)
def participants_command(project, assignments, set_pid, remove, rename) -> None:
    """List participants with their documents and attributes, or change them.

    \b
    qualcode participants P.qualcode
    qualcode participants P.qualcode --set R7 sex=F host_income=LMIC
    qualcode participants P.qualcode --set R7 host_income=      (removes host_income)
    qualcode participants P.qualcode --rename R7 R07
    """
    if (assignments or remove) and not set_pid:
        raise click.UsageError("ATTR=VALUE and --remove need --set PID")
    if set_pid and rename:
        raise click.UsageError("--set and --rename are separate commands")
    values: dict[str, str | None] = {}
    for item in assignments:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise click.UsageError(f"{item!r} is not ATTR=VALUE")
        values[name] = value or None
    for name in remove:
        if values.get(name):
            raise click.UsageError(f"{name!r} is both set and removed; give one of them")
        values[name] = None
    with open_project(project) as p:
        if set_pid:
            if not values:
                raise click.UsageError("--set PID needs at least one ATTR=VALUE or --remove ATTR")
            change = p.set_attributes(set_pid, values)
            for note in change.respelled:
                click.echo(f"note: {note}")
            for verb, names in (
                ("added", change.added),
                ("changed", change.changed),
                ("removed", change.removed),
                ("unchanged", change.unchanged),
            ):
                if names:
                    click.echo(f"{change.pid}: {verb} {', '.join(names)}")
            return
        if rename:
            done = p.rename_participant(*rename)
            click.echo(
                f"renamed participant {done.old} to {done.new} ({plural(done.documents, 'document')}"
                + (f", {done.trash_entries} in the trash" if done.trash_entries else "")
                + ")"
            )
            if done.forgot_old:
                click.echo(
                    "  pseudonymised project: the old id was also replaced in the audit "
                    "trail and the file rewritten"
                )
            if done.titles_with_old:
                click.echo(
                    f"  note: {done.titles_with_old} document {noun(done.titles_with_old, 'title')} or "
                    f"file {noun(done.titles_with_old, 'name')} still "
                    f"{noun(done.titles_with_old, 'holds', 'hold')} {done.old!r}: they keep their names (`qualcode set-document` "
                    "renames one; in a pseudonymised project, `qualcode pseudonymise` with it "
                    "in the names file)"
                )
            return
        rows = p.participant_rows()
        if not rows:
            click.echo("no participants")
        width = max((len(r.pid) for r in rows), default=0)
        for row in rows:
            attrs = ", ".join(f"{k}={v}" for k, v in row.attributes.items())
            docs = f"{row.documents:>3} {noun(row.documents, 'doc'):<4}"  # counts aligned
            click.echo(f"{row.pid:<{max(width, 8)}} {docs}  {attrs}".rstrip())


@click.command("import-attributes")
@project_argument
@click.argument("sheet", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--create",
    is_flag=True,
    help="Add participants the project does not have (default: skip and list them).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--encoding", help="Read the sheet in this encoding (default: detected).")
def import_attributes_command(project, sheet, create, dry_run, encoding) -> None:
    """Set participants' attributes from a CSV: one row per participant, a column per
    attribute (QualCoder's cases CSV: case,Age,gender,...).

    The participant id column is `participant`, `case`, `id` or `pid`, else the first.
    Empty cells leave the attribute as it was. Participants not in the project are
    skipped and listed unless --create.
    """
    with open_project(project) as p:
        result = p.import_attributes(sheet, create=create, dry_run=dry_run, encoding=encoding)
        for line in result.lines():
            click.echo(line)


COMMANDS = [participants_command, import_attributes_command]

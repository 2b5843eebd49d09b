"""`qualcode codebook ...`: show and edit the hierarchy; every edit keeps the codings."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import confirm_or_abort, open_project, project_argument
from qualcode.plural import plural


@click.group("codebook")
def codebook_group() -> None:
    """Show and edit a project's codebook (or show a codebook file)."""


def _load_tree(source: Path):
    """Codes of a project or of a codebook file (any format `new --codebook` takes:
    facade.interop.read_codebook_file), as (path, name, description, shortcut, depth)."""
    if not _is_sqlite(source):
        from qualcode.facade.interop import read_codebook_file

        book, _notes = read_codebook_file(source)
        return (
            book.name,
            [(path, c.name, c.description, c.shortcut, d) for path, c, d in book.walk()],
            None,
        )
    with open_project(source) as p:
        counts = p.code_usage()
        rows = [(c.path, c.name, c.description, c.shortcut, c.depth) for c in p.codes()]
        return p.codebook().name, rows, {c.path: counts.get(c.id, (0, 0)) for c in p.codes()}


def _is_sqlite(path: Path) -> bool:
    """Whether the file is a SQLite database (a project) rather than a codebook file."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


@codebook_group.command("show")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--descriptions", "-d", is_flag=True, help="Show each code's description.")
def show(source: Path, descriptions: bool) -> None:
    """Print the code tree of a project or of a codebook file (.yaml or REFI-QDA .qdc)."""
    name, rows, counts = _load_tree(source)
    top = sum(1 for r in rows if r[4] == 0)
    click.echo(f"{name}: {plural(len(rows), 'code')}, {top} at top level")
    for path, code_name, desc, shortcut, depth in rows:
        key = f"[{shortcut}] " if shortcut else ""
        usage = ""
        if counts is not None:
            n_codings, n_people = counts[path]
            usage = f"  ({plural(n_codings, 'coding')}, {plural(n_people, 'participant')})"
        click.echo(f"{'  ' * depth}{key}{code_name}{usage}")
        if descriptions and desc:
            click.echo(f"{'  ' * depth}    {desc}")


@codebook_group.command("add")
@project_argument
@click.argument("path")
@click.option("--description", default="", help="What the code means (shown in the codebook).")
@click.option("--colour", "--color", "colour", help="Highlight colour as #rrggbb, e.g. #e6194b.")
@click.option("--shortcut", help="One letter or digit that applies the code in the workbench.")
def add(project, path, description, colour, shortcut) -> None:
    """Add a code by its path (Theme/Subtheme); its parent must exist."""
    with open_project(project) as p:
        code = p.add_code(path, description=description, colour=colour, shortcut=shortcut)
        click.echo(f"added {code.path}")


@codebook_group.command("rename")
@project_argument
@click.argument("code")
@click.argument("new_name")
def rename(project, code, new_name) -> None:
    """Rename a code (its codings stay)."""
    with open_project(project) as p:
        old = p.code(code).path
        click.echo(f"renamed {old} -> {p.rename_code(code, new_name).path}")


@codebook_group.command("move")
@project_argument
@click.argument("code")
@click.argument("new_parent", required=False)
def move(project, code, new_parent) -> None:
    """Move a code under NEW_PARENT (omit it to move to the top level)."""
    with open_project(project) as p:
        old = p.code(code).path
        click.echo(f"moved {old} -> {p.move_code(code, new_parent).path}")


@codebook_group.command("merge")
@project_argument
@click.argument("source")
@click.argument("target")
def merge(project, source, target) -> None:
    """Merge SOURCE into TARGET: its codings and children move to TARGET."""
    with open_project(project) as p:
        old = p.code(source).path
        click.echo(f"merged {old} into {p.merge_codes(source, target).path}")


@codebook_group.command("delete")
@project_argument
@click.argument("code")
@click.option("--force", is_flag=True, help="Also delete its codings (backed up to the trash).")
@click.option("--yes", is_flag=True, help="Do not ask.")
def delete(project, code, force, yes) -> None:
    """Delete a code and its children (refused while codings exist, unless --force)."""
    with open_project(project) as p:
        target = p.code(code)
        if force:
            confirm_or_abort(yes, f"Delete {target.path!r}, its children and all their codings?")
        trash_id = p.delete_code(code, force=force)
        click.echo(f"deleted {target.path}; restore with `qualcode restore {project} {trash_id}`")


@codebook_group.command("export")
@project_argument
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
def export(project, output: Path) -> None:
    """Write the codebook to a .yaml file, or a REFI-QDA .qdc file (by the suffix)."""
    with open_project(project) as p:
        count = p.export_codebook(output)
        click.echo(f"wrote {plural(count, 'code')} to {output}")

"""Helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path

import click

project_argument = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))


def open_project(path: Path):
    """Open an existing project; a missing or foreign file is a one-line error."""
    from qualcode.project import Project

    return Project.open(path)


def confirm_or_abort(yes: bool, question: str) -> None:
    """Ask before a destructive action; without a terminal, refuse unless --yes."""
    if yes:
        return
    if not click.get_text_stream("stdin").isatty():
        raise click.UsageError(f"{question} Not asking without a terminal: pass --yes.")
    click.confirm(question, abort=True)

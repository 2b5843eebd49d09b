"""Team coding: `qualcode log` (the audit trail); merging coders' projects and
member-checking reports live beside it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcode.cli.common import open_project, project_argument
from qualcode.export import FORMATS


@click.command("log")
@project_argument
@click.option("--since", metavar="DATE", help="Only changes at or after this date (YYYY-MM-DD).")
@click.option("--coder", help="Only changes made by this coder.")
@click.option("--changes", is_flag=True, help="Show each changed row, before and after (JSON).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
def log_command(project, since, coder, changes, fmt, output) -> None:
    """The audit trail: every change to codings, codes, documents, participants and
    memos, oldest first: when (UTC), which coder, what, and (with --changes or
    --format json) each row before and after."""
    from qualcode.cli.common import emit_table

    with open_project(project) as p:
        entries = p.log(since=since, coder=coder, changes=changes or fmt == "json")
    if fmt == "json" and output is None:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    import pandas as pd

    columns = ["id", "at", "coder", "action", "summary"]
    df = pd.DataFrame(entries, columns=columns + (["changes"] if changes else []))
    if "changes" in df:
        df["changes"] = df["changes"].map(lambda c: json.dumps(c, ensure_ascii=False))
    emit_table(df, fmt, output, lambda: _log_text(entries, changes))


def _log_text(entries: list[dict], changes: bool) -> str:
    if not entries:
        return "no changes logged\n"
    lines = []
    for e in entries:
        lines.append(
            f"{e['id']:>5}  {e['at'][:19].replace('T', ' ')}  {e['coder'] or '-'}  "
            f"{e['action']}: {e['summary']}"
        )
        for c in e.get("changes", []) if changes else []:
            lines.append(
                f"       {c['table']} {c['row_id']}: "
                f"{json.dumps(c['before'], ensure_ascii=False)} -> "
                f"{json.dumps(c['after'], ensure_ascii=False)}"
            )
    return "\n".join(lines) + "\n"


@click.command("undo")
@project_argument
@click.option("--entry", type=int, help="The log entry to undo (default: the last one).")
def undo_command(project, entry) -> None:
    """Undo the last change in the audit log (e.g. a merge), exactly; the undo is logged."""
    with open_project(project) as p:
        done = p.undo_logged(entry)
    click.echo(f"undid log entry {done['id']}: {done['action']} ({done['summary']})")


@click.command("merge")
@project_argument
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be merged; change nothing.")
def merge_command(project, other, dry_run) -> None:
    """Merge another coder's project OTHER into PROJECT: its coders, codings, codes,
    memos and participant attributes, for documents matched by their text (documents
    only in OTHER are added). Merging twice adds nothing; conflicts keep PROJECT's
    values and are listed. Undo with `qualcode undo PROJECT`."""
    with open_project(project) as p:
        report = p.merge_project(other, dry_run=dry_run)
    for line in report.lines():
        click.echo(line)
    if not dry_run:
        click.echo(f"undo with: qualcode undo {project}")


COMMANDS = [log_command, undo_command, merge_command]

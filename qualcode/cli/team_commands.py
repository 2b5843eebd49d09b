"""Team coding: `qualcode log` (the audit trail); merging coders' projects and
member-checking reports live beside it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qualcode.cli.common import open_project, project_argument
from qualcode.export import FORMATS
from qualcode.plural import plural


@click.command("log")
@project_argument
@click.option("--since", metavar="DATE", help="Only changes at or after this date (YYYY-MM-DD).")
@click.option(
    "--coder",
    help="Only changes made by this coder, or to their codings (a merge that brought them in).",
)
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
@click.option(
    "--as-coder",
    "as_coder",
    multiple=True,
    metavar="NAME|OLD=NEW",
    help="Credit OTHER's codings and memos to NAME (OTHER with one coder), or coder OLD's "
    "to NEW (repeatable): for two coders who both coded as the default 'lead'.",
)
@click.option(
    "--add-changed",
    is_flag=True,
    help="Add a document whose text differs from the same document here (same GUID, or "
    "participant and title) as a second document, instead of refusing the merge.",
)
@click.option(
    "--take-renames",
    is_flag=True,
    help="A code renamed in OTHER (same GUID) takes OTHER's name (default: keep PROJECT's).",
)
def merge_command(project, other, dry_run, as_coder, add_changed, take_renames) -> None:
    """Merge another coder's project OTHER into PROJECT: its coders, codings, codes,
    memos and participant attributes. Documents match by their text. The same document
    (same GUID, or participant and title) with other text in OTHER stops the merge,
    saying where the texts differ, since its codings would land on other words; or
    --add-changed adds it as a second document. Codes match by GUID (a code renamed in
    one copy stays one code), then by path. Codings by a coder name PROJECT also has
    are pooled, with a warning (--as-coder keeps two people apart). Merging twice adds
    nothing; conflicts keep PROJECT's values and are listed. Undo with `qualcode undo
    PROJECT`."""
    with open_project(project) as p:
        report = p.merge_project(
            other,
            dry_run=dry_run,
            add_changed=add_changed,
            rename_coders=_coder_renames(as_coder),
            take_renames=take_renames,
        )
    for line in report.lines():
        click.echo(line)
    if not dry_run:
        click.echo(f"undo with: qualcode undo {project}")


def _coder_renames(given: tuple[str, ...]) -> str | dict[str, str] | None:
    """--as-coder values: None, one NAME (a str), or {OLD: NEW}."""
    if not given:
        return None
    pairs = [g.split("=", 1) for g in given]
    if len(given) == 1 and len(pairs[0]) == 1:
        name = pairs[0][0].strip()
        if not name:
            raise click.BadParameter("give a coder name", param_hint="--as-coder")
        return name
    out: dict[str, str] = {}
    for g, pair in zip(given, pairs):
        if len(pair) != 2 or not pair[0].strip() or not pair[1].strip():
            raise click.BadParameter(
                f"expected OLD=NEW with several --as-coder (got {g!r})", param_hint="--as-coder"
            )
        out[pair[0].strip()] = pair[1].strip()
    return out


@click.command("member-check")
@project_argument
@click.option("--participant", help="The participant whose report to write (e.g. R7).")
@click.option("--all", "every", is_flag=True, help="One report per participant, into -o DIR.")
@click.option(
    "--coder",
    help="Only this coder's codings (default: every coder's; passages of one code that "
    "overlap are shown once, as their union).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "md"]), default=None,
    help="docx (Word, LibreOffice) or md; default: from -o's suffix, else docx.",
)  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file to write (with --all: the folder).")  # fmt: skip
def member_check_command(project, participant, every, coder, fmt, output) -> None:
    """Member-checking report: a participant's coded passages grouped by theme and
    subtheme, with the codebook's descriptions and space for their comments; no
    other participant's data: in a focus group, codings are clipped to the
    participant's own turns (set-speaker). --all writes one per participant into a
    folder."""
    from qualcode import member_check

    if bool(participant) == bool(every):
        raise click.UsageError("give --participant ID or --all")
    with open_project(project) as p:
        if participant:
            report = p.member_check(participant, coder)
            used = member_check.write(report, output, fmt)
            click.echo(f"wrote {output} ({used}): {plural(report.passages, 'passage')} in "
                       f"{plural(len(report.themes), 'theme')}")  # fmt: skip
            _notes(report)
            return
        if output.exists() and not output.is_dir():
            raise click.UsageError(f"{output} is a file; --all writes into a folder")
        output.mkdir(parents=True, exist_ok=True)
        fmt = fmt or "docx"
        for pid in p.participant_ids():
            report = p.member_check(pid, coder)
            target = output / f"member-check-{_safe(pid)}.{fmt}"
            member_check.write(report, target, fmt)
            click.echo(f"wrote {target}: {plural(report.passages, 'passage')}")
            _notes(report)


def _notes(report) -> None:
    """What was decided for the researcher (never written into the report itself)."""
    for note in report.notes:
        click.echo(f"note: {note}", err=True)


def _safe(pid: str) -> str:
    """A participant id as a file name part (no path separators or odd characters)."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in pid).strip(".") or "_"


COMMANDS = [log_command, undo_command, merge_command, member_check_command]

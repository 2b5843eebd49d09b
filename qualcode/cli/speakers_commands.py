"""`qualcode speakers`: speaker labels with their turns and words; merge labels that are
the same person; mark the interviewer's labels."""

from __future__ import annotations

import click

from qualcode.cli.common import open_project, project_argument
from qualcode.plural import plural


@click.command("speakers")
@project_argument
@click.option("--doc", "document", help="Only this document (id or title).")
@click.option(
    "--merge",
    "merge",
    multiple=True,
    metavar="LABEL",
    help="A label to merge (repeatable), e.g. --merge 'Interviewer 1' --merge Interviewer1.",
)
@click.option("--into", help="With --merge: the label they become, e.g. Interviewer.")
@click.option(
    "--interviewer",
    "interviewer",
    multiple=True,
    metavar="LABEL",
    help="Mark a label as the interviewer's (repeatable): autocode --skip-interviewer and "
    "the workbench's suggestions then leave its turns out.",
)
@click.option(
    "--not-interviewer", "not_interviewer", multiple=True, metavar="LABEL", help="Unmark a label."
)
def speakers_command(project, document, merge, into, interviewer, not_interviewer) -> None:
    """Every speaker label with its turns and words per document; merge labels that are the
    same person (the text is not changed: only the turns' label); mark interviewers."""
    if bool(merge) != bool(into):
        raise click.UsageError("--merge and --into go together")
    with open_project(project) as p:
        if merge:
            n = p.merge_speakers(list(merge), into)
            click.echo(f"merged {', '.join(merge)} into {into} ({plural(n, 'segment')})", err=True)
        if interviewer:
            p.mark_interviewer(list(interviewer), True)
        if not_interviewer:
            p.mark_interviewer(list(not_interviewer), False)
        if interviewer or not_interviewer:
            marked = p.interviewer_speakers()
            click.echo(f"interviewer labels: {', '.join(marked) or 'none'}", err=True)
        rows = p.speakers(document)
    if not rows:
        click.echo("no speaker labels found (turns are found at import and by `qualcode segment`)")
        return
    # Columns as wide as their header or widest value, in terminal cells (a Japanese
    # label's characters take two each).
    from rich.cells import cell_len

    def pad(text: str, width: int) -> str:
        return text + " " * (width - cell_len(text))

    wheres = [f"{r.participant or '-'} · {r.document}" for r in rows]
    width = max([len("speaker"), *(cell_len(r.speaker) for r in rows)])
    doc_width = max([len("document"), *map(cell_len, wheres)])
    click.echo(f"{pad('document', doc_width)}  {pad('speaker', width)}  turns   words  role")
    for r, where in zip(rows, wheres, strict=True):
        role = "interviewer" if r.interviewer else ""
        click.echo(
            f"{pad(where, doc_width)}  {pad(r.speaker, width)}  {r.turns:>5}  {r.words:>6}  {role}".rstrip()
        )


COMMANDS = [speakers_command]

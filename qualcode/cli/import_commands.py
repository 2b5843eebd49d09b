"""`qualcode import`: bring transcripts and reports into a project.

What happens to each source is chosen by its suffix in `_import_sources`, the one
place to add whole-project formats (such as a REFI-QDA .qdpx importer).
"""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import open_project, project_argument

# The facade's copy of ingest.formats.DEFAULT_MAX_SOURCE_BYTES (tests/test_startup.py checks
# they agree): the file importers are not loaded to import a .qdpx.
from qualcode.facade.ingest import DEFAULT_MAX_SOURCE_BYTES
from qualcode.plural import plural


def expand_sources(sources: tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder becomes the supported files inside it (recursively, in
    natural order; qualcode.ingest.folders). Other files in a folder are named in a
    note, so that none is left out unseen."""
    from qualcode.ingest.folders import choose_files

    choice = choose_files(sources)
    for note in choice.notes:
        _notice(note)
    return choice.files


def _parse_attributes(values: tuple[str, ...]) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not NAME=VALUE", param_hint="--attr")
        attributes[name.strip()] = setting.strip()
    return attributes


def _notice(message: str) -> None:
    click.echo(f"note: {message}", err=True)


def _is_qdpx(files: list[Path]) -> bool:
    return any(f.suffix.lower() == ".qdpx" for f in files)


def _import_sources(
    project,
    files: list[Path],
    participant,
    kind,
    attributes,
    manifest,
    sentences,
    participant_of=None,
    max_bytes=DEFAULT_MAX_SOURCE_BYTES,
    encoding=None,
):
    """Decide how the sources are imported; return a report with .lines() to print.

    A manifest brings its own list of files. Otherwise every file is a document
    for import_files (.txt .md .docx .vtt .srt; other suffixes are refused there,
    with the file named). A whole-project format recognised by its suffix, such as
    REFI-QDA .qdpx, takes its own branch here, before the document import.
    """
    if manifest is not None:
        return project.import_manifest(
            manifest, sentences=sentences, on_notice=_notice, max_bytes=max_bytes
        )
    if _is_qdpx(files):
        if len(files) != 1 or participant or attributes:
            raise click.UsageError(
                "a .qdpx file is a whole project: import it on its own "
                "(no other files, --participant or --attr)"
            )
        return project.import_qdpx(files[0], sentences=sentences, on_notice=_notice)
    return project.import_files(
        files,
        participant=participant,
        kind=kind,
        attributes=attributes,
        sentences=sentences,
        on_notice=_notice,
        participant_of=participant_of,
        max_bytes=max_bytes,
        encoding=encoding,
    )


@click.command("import")
@project_argument
@click.argument(
    "sources", nargs=-1, metavar="[FILES_OR_FOLDERS]...", type=click.Path(path_type=Path)
)
@click.option("--participant", help="Participant id for these files (e.g. R7).")
@click.option(
    "--kind", default="interview", show_default=True, help="Document kind (interview, report...)."
)
@click.option(
    "--attr",
    "attrs",
    multiple=True,
    metavar="NAME=VALUE",
    help="Participant attribute, repeatable (--attr sex=F --attr host_income=LMIC).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with columns participant,file,kind[,attributes...]; paths relative to it.",
)
@click.option(
    "--encoding",
    metavar="NAME",
    help="Read text and subtitle files in this encoding (cp1251, koi8-r, big5...) "
    "instead of detecting it.",
)
@click.option(
    "--participant-from",
    "participant_from",
    metavar="REGEX",
    help="Take each file's participant from its name by this regular expression (its group "
    "'participant', else its first group, else the match). Default without --participant: "
    "a leading id such as R7 in R7_interview.txt or BSR01 in BSR01_transcript.docx.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print which participant each file would get, and import nothing.",
)
@click.option(
    "--sentences",
    type=click.Choice(["later", "now", "no"]),
    default="later",
    show_default=True,
    help="Segment sentences when first needed (later), during the import (now), or not "
    "at all (no; `qualcode segment` adds them).",
)
@click.option("--no-sentences", is_flag=True, help="The same as --sentences no.")
@click.option(
    "--max-size",
    "max_size",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_SOURCE_BYTES // (1024 * 1024),
    show_default=True,
    metavar="MB",
    help="Refuse a source file larger than this many megabytes (a .docx: decompressed).",
)
def import_command(
    project,
    sources,
    participant,
    kind,
    attrs,
    manifest,
    encoding,
    participant_from,
    dry_run,
    sentences,
    no_sentences,
    max_size,
) -> None:
    """Import FILES_OR_FOLDERS (.txt .md .docx .vtt .srt) or a .qdpx project into PROJECT.

    A folder brings in every supported file inside it. The batch is all-or-nothing:
    if any file cannot be imported, nothing is, and every failed file is listed.
    A REFI-QDA project (.qdpx from NVivo, MAXQDA, ATLAS.ti...) is imported whole,
    into PROJECT or into a new project if PROJECT does not exist yet.
    """
    if manifest is not None and (sources or participant or attrs):
        raise click.UsageError(
            "--manifest names the files, participants and attributes itself; "
            "give no files, --participant or --attr with it"
        )
    if manifest is None and not sources:
        raise click.UsageError("give files or folders to import, or --manifest CSV")
    if encoding and (manifest is not None or any(s.suffix.lower() == ".qdpx" for s in sources)):
        raise click.UsageError(
            "--encoding applies to text and subtitle files, not to a manifest or .qdpx"
        )
    if participant and participant_from:
        raise click.UsageError("give --participant or --participant-from, not both")
    attributes = _parse_attributes(attrs)
    max_bytes = max_size * 1024 * 1024
    files = expand_sources(sources)
    mode = "no" if no_sentences else sentences
    participant_of = None
    if manifest is None and not _is_qdpx(files):
        from qualcode.ingest.participant_names import participants_for

        participant_of = participants_for(files, participant, participant_from)
    if dry_run:
        _print_plan(files, participant_of, participant, participant_from)
        return
    if manifest is None and _is_qdpx(files):
        # A REFI-QDA project may also start a new qualcode project (removed again if
        # the import fails, see interop_commands.open_or_create).
        from qualcode.cli.interop_commands import open_or_create

        with open_or_create(project) as (p, created):
            before = set(p.documents_without_participant())
            report = _import_sources(
                p, files, participant, kind, attributes, manifest, mode, None, max_bytes
            )
            nobody = [t for t in p.documents_without_participant() if t not in before]
        if created:
            click.echo(f"created {project}")
    else:
        with open_project(project) as p:
            before = set(p.documents_without_participant())
            report = _import_sources(
                p,
                files,
                participant,
                kind,
                attributes,
                manifest,
                mode,
                participant_of,
                max_bytes,
                encoding,
            )
            nobody = [t for t in p.documents_without_participant() if t not in before]
    for line in report.lines():
        click.echo(line)
    for line in nobody_note(nobody, project):
        click.echo(line)


def nobody_note(titles: list[str], project) -> list[str]:
    """The import summary's lines about new documents that belong to no participant
    (the frequency tables count participants, so these count for nobody)."""
    if not titles:
        return []
    shown = ", ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
    example = shlex_quote(titles[0])
    return [
        f"note: {plural(len(titles), 'document')} with no participant ({shown}): the "
        "frequency tables count participants, so these count for nobody",
        f"  give each its participant: qualcode set-document {shlex_quote(str(project))} "
        f"{example} --participant ID",
    ]


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _print_plan(files, participant_of, participant, participant_from) -> None:
    """--dry-run: the participant of every file, and nothing written."""
    if participant_of is None:
        raise click.UsageError("--dry-run shows the participants of files and folders to import")
    how = (
        "given by --participant"
        if participant
        else f"from the file name by {participant_from!r}"
        if participant_from
        else "from the file name by the default rule (a leading id such as R7 or BSR01)"
    )
    click.echo(f"participants {how}:")
    for path in files:
        click.echo(f"{participant_of[path] or '-':<10} {path}")
    missing = sum(1 for p in files if not participant_of[p])
    people = len({v for v in participant_of.values() if v})
    click.echo(
        f"dry run: nothing imported ({plural(len(files), 'file')}, "
        f"{plural(people, 'participant')}"
        + (f", {plural(missing, 'file')} without a participant" if missing else "")
        + ")"
    )


COMMANDS = [import_command]

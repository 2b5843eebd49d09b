"""Core commands: projects, codebook editing, coding without the TUI, excerpts, trash."""

from __future__ import annotations

from pathlib import Path

import click

from qualcode.cli.common import (
    confirm_or_abort,
    emit_rows,
    filter_options,
    filters_from_options,
    open_project,
    project_argument,
    rows_format,
    rows_output_options,
)
from qualcode.plural import plural


@click.command("open")
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--coder",
    help="Record this session's codings as NAME (default: your own name, `qualcode config "
    "--coder`, else the project's default coder).",
)
@click.option(
    "--ask-coder",
    is_flag=True,
    hidden=True,
    help="Ask who codes on opening (each browser tab of `qualcode serve`).",
)
def open_command(project: Path | None, coder: str | None, ask_coder: bool) -> None:
    """Open the coding workbench (TUI) on PROJECT, or a start screen without one."""
    if coder is not None and not coder.strip():
        raise click.BadParameter("cannot be empty", param_hint="--coder")
    try:
        from qualcode.tui.app import run
    except ModuleNotFoundError as exc:
        if exc.name and not exc.name.startswith("qualcode.tui"):
            raise
        if project is None:
            raise click.UsageError("give a project file (the workbench is not installed)") from None
        with open_project(project) as p:
            _print_summary(p)
        return
    if project is not None:
        open_project(project).close()  # fail here, with a one-line error, if it is not a project
    run(project, coder=coder, ask_coder=ask_coder)


@click.command("new")
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--codebook",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Codebook file to start from: YAML (e.g. codebooks/pif.yaml) or REFI-QDA .qdc.",
)
@click.option("--name", help="Project name (default: the file name).")
@click.option(
    "--language",
    help="Language of the documents (spaCy code, e.g. en, hu, ja). Default: read from the "
    "documents at the first import (else en); the import summary says so.",
)
@click.option("--coder", help="Default coder name for codings made in this project.")
def new_command(project, codebook, name, language, coder) -> None:
    """Create a new, empty project."""
    from qualcode.facade.interop import read_codebook_file
    from qualcode.project import Project

    book, notes = read_codebook_file(codebook) if codebook else (None, [])
    with Project.create(project, name=name, codebook=book, language=language, coder=coder) as p:
        click.echo(f"created {project} ({plural(len(p.codes()), 'code')})")
        for note in notes + list(p.codebook_notes):
            click.echo(f"  note: {note}")


@click.command("info")
@project_argument
def info_command(project) -> None:
    """Show what a project holds."""
    with open_project(project) as p:
        _print_summary(p)


def _print_summary(p) -> None:
    s = p.summary()
    click.echo(f"{s['name']} ({s['path']})")
    for key in ("participants", "documents", "words", "codes", "codings", "coders", "segments"):
        click.echo(f"  {key:<13}{s[key]:>10,}")
    click.echo(f"  code suggestions by {p.suggestion_models()}")
    click.echo(f"  sentences by the {p.pipeline_description()}")
    pending = p.sentences_pending()
    if pending:
        click.echo(
            f"  sentences of {plural(pending, 'document')} are segmented when first needed "
            f"(`qualcode segment {s['path']}` does it now)"
        )


@click.command("documents")
@project_argument
@click.option("--participant", help="Only this participant's documents.")
def documents_command(project, participant) -> None:
    """List documents: id, participant, kind, title, characters (and, for a focus
    group, its other participants)."""
    with open_project(project) as p:
        shared = p.shared_documents()
        for d in p.documents(participant):
            others = [pid for pid in shared.get(d.id, []) if pid != d.participant]
            click.echo(
                f"{d.id:>5}  {d.participant or '-':<8} {d.kind:<10} {d.title:<40} {d.length:>8,}"
                + (f"  also: {', '.join(others)}" if others else "")
            )


@click.command("code")
@project_argument
@click.option("--doc", "doc", required=True, help="Document id, title or file name.")
@click.option("--start", type=int, required=True, help="Start offset (code points, from 0).")
@click.option("--end", type=int, required=True, help="End offset (exclusive).")
@click.option("--code", "code", required=True, help="Code path (Theme/Subtheme) or unique name.")
@click.option(
    "--coder", help="Coder name (default: your own name, else the project's default coder)."
)
@click.option("--memo", help="A memo on this coding.")
def code_command(project, doc, start, end, code, coder, memo) -> None:
    """Code a span of a document."""
    with open_project(project) as p:
        c = p.add_coding(doc, start, end, code, coder=coder, memo=memo)
        text = p.document(c.document_id).text[c.start : c.end]
        click.echo(f"coding {c.id}: {p.code(c.code_id).path} [{c.start}-{c.end}] {_clip(text)}")


@click.command("uncode")
@project_argument
@click.option("--doc", "doc", required=True, help="Document id, title or file name.")
@click.option("--start", type=int, required=True, help="Start offset of the coded span.")
@click.option("--end", type=int, required=True, help="End offset (exclusive) of the coded span.")
@click.option("--code", "code", help="Only codings of this code.")
@click.option("--coder", help="Only codings by this coder.")
def uncode_command(project, doc, start, end, code, coder) -> None:
    """Remove the codings with exactly this span."""
    with open_project(project) as p:
        removed = p.uncode(doc, start, end, code, coder)
        click.echo(f"removed {plural(len(removed), 'coding')}")


@click.command("autocode")
@project_argument
@click.option("--pattern", required=True, help="Regular expression (case-insensitive).")
@click.option(
    "--code", "code", required=True, help="Code to apply: path (Theme/Subtheme) or unique name."
)
@click.option(
    "--unit",
    type=click.Choice(["sentence", "turn", "paragraph"]),
    default="sentence",
    show_default=True,
    help="What is coded when it matches.",
)
@click.option("--speaker", help="Only units spoken by this speaker (e.g. R7).")
@click.option(
    "--skip-interviewer",
    is_flag=True,
    help="Leave out the turns of the labels marked as the interviewer's (qualcode speakers).",
)
@click.option(
    "--coder", help="Coder name (default: your own name, else the project's default coder)."
)
@click.option("--dry-run", is_flag=True, help="List the matches, code nothing.")
def autocode_command(
    project, pattern, code, unit, speaker, skip_interviewer, coder, dry_run
) -> None:
    """Code every unit whose text matches a pattern."""
    with open_project(project) as p:
        matches = p.autocode(
            pattern,
            code,
            unit=unit,
            speaker=speaker,
            coder=coder,
            dry_run=dry_run,
            skip_interviewer=skip_interviewer,
        )
        for m in matches:
            flag = " (already coded)" if m.already_coded else ""
            click.echo(
                f"{m.participant or '-':<6} {m.document} [{m.start}-{m.end}]{flag}: {_clip(m.text)}"
            )
        new = sum(not m.already_coded for m in matches)
        verb = "would code" if dry_run else "coded"
        click.echo(
            f"{verb} {plural(new, unit)} with {p.code(code).path}; {len(matches) - new} already coded"
        )


@click.command("excerpts")
@project_argument
@click.option("--code", "code", required=True, help="Code path (Theme/Subtheme) or unique name.")
@click.option("--with-children", is_flag=True, help="Include codings of the code's descendants.")
@filter_options
@rows_output_options("excerpts")
def excerpts_command(
    project, code, with_children, kinds, where, coders, participants, fmt, output
) -> None:
    """Print the coded text of a code with participant, document and position
    (filtered like the analysis tables: --kind, --where, --coder, --participants)."""
    fmt = rows_format(fmt, output, "excerpts")
    filters = filters_from_options(kinds, where, coders, participants)
    with open_project(project) as p:
        excerpts = p.excerpts(code, with_children=with_children, filters=filters)
        # a focus group's excerpt names every participant it counts for: "P20, P21"
        people = {p for e in excerpts if e.participant for p in e.participant.split(", ")}
        summary = f"{plural(len(excerpts), 'excerpt')} from {plural(len(people), 'participant')}"
        if fmt is not None:
            columns = ["coding", "participant", "document", "kind", "code"]
            columns += ["start", "end", "coder", "text", "memo"]
            emit_rows(
                columns,
                (
                    (e.coding_id, e.participant, e.document, e.kind, e.code_path)
                    + (e.start, e.end, e.coder, e.text, e.memo)
                    for e in excerpts
                ),
                fmt,
                output,
            )
            click.echo(summary, err=True)
            return
        for e in excerpts:
            click.echo(
                f"[{e.participant or '-'}: {e.document}, {e.start}-{e.end}, {e.code_path}, {e.coder}]"
            )
            click.echo(f"  {e.text}")
            if e.memo:
                click.echo(f"  memo: {e.memo}")
        click.echo(summary + (f" ({filters.describe()})" if filters.describe() else ""))
        if not excerpts and not with_children:
            below = len(p.excerpts(code, with_children=True, filters=filters))
            if below:
                click.echo(
                    f"note: its subcodes have {plural(below, 'excerpt')}: add --with-children",
                    err=True,
                )


@click.command("trash")
@project_argument
def trash_command(project) -> None:
    """List backups of deleted codes and documents (restore with `qualcode restore`)."""
    with open_project(project) as p:
        for t in p.trash():
            click.echo(f"{t['id']:>4}  {t['kind']:<9} {t['deleted_at']}  {t['label']}")


@click.command("restore")
@project_argument
@click.argument("trash_id", type=int)
def restore_command(project, trash_id) -> None:
    """Restore a deleted code or document from the trash."""
    with open_project(project) as p:
        click.echo(f"restored {p.restore(trash_id)}")


@click.command("set-document")
@project_argument
@click.argument("document")
@click.option("--participant", help="Participant id the document belongs to (created if new).")
@click.option("--kind", help="Document kind, e.g. interview, report, field_note.")
@click.option("--title", help="New title.")
def set_document_command(project, document, participant, kind, title) -> None:
    """Change a document's participant, kind or title (codings stay as they are)."""
    if participant is None and kind is None and title is None:
        raise click.UsageError("give --participant, --kind or --title")
    with open_project(project) as p:
        d = p.update_document(document, participant=participant, kind=kind, title=title)
        click.echo(f"{d.id}: {d.participant or '-'} {d.kind} {d.title!r}")


@click.command("set-speaker")
@project_argument
@click.argument("document")
@click.argument("speaker")
@click.option("--participant", required=True, help="Participant id the speaker is (e.g. P21).")
def set_speaker_command(project, document, speaker, participant) -> None:
    """Map SPEAKER's turns in DOCUMENT (a focus group) to a participant.

    The participant then belongs to the document too. Once a document has a mapped
    speaker, a coding there counts for the participants whose mapped turns it overlaps
    (each once), and a coding in an unmapped turn (the moderator's) for nobody:
    frequencies, crosstabs, the matrix, co-occurrence, saturation and exports follow."""
    from qualcode.analysis.credit import speaker_lines

    with open_project(project) as p:
        before = p.document_participants(document)
        people = p.set_speaker(document, speaker, participant)
        doc = p.document(document)
        click.echo(f"{doc.title}: {speaker} -> {participant}")
        for gone in (pid for pid in before if pid not in people):
            click.echo(f"  {gone} no longer belongs to {doc.title} (no turn of theirs)")
        for line in speaker_lines(p.speaker_map(doc.id), people):
            click.echo(f"  {line}")


@click.command("delete-document")
@project_argument
@click.argument("document")
@click.option("--yes", is_flag=True, help="Do not ask.")
def delete_document_command(project, document, yes) -> None:
    """Delete a document and its codings (a backup goes to the trash)."""
    with open_project(project) as p:
        doc = p.document(document)
        n = len(p.codings(document=doc.id))
        confirm_or_abort(yes, f"Delete {doc.title!r} and its {plural(n, 'coding')}?")
        trash_id = p.delete_document(doc.id)
        click.echo(f"deleted {doc.title!r}; restore with `qualcode restore {project} {trash_id}`")


@click.command("memo")
@project_argument
@click.argument("text", required=False)
@click.option(
    "--on",
    "target",
    type=(click.Choice(["project", "participant", "document", "code", "coding"]), str),
    help="What the memo is about, e.g. --on code Leadership or --on document 3.",
)
@click.option("--title", help="A title for the new memo.")
def memo_command(project, text, target, title) -> None:
    """Add a memo (with TEXT), or list memos (without). A memo on the whole project
    takes no id: `--on project "TEXT"` stores TEXT, as `memo PROJECT "TEXT"` does."""
    kind, ref = target or ("project", None)
    if kind == "project" and ref is not None and not ref.strip():
        ref = None  # --on project "": the project's memos
    if kind == "project" and ref is not None:
        # --on takes two values, so the project's "id" is the text the user meant.
        if text is not None:
            raise click.UsageError(
                f"--on project takes no id ({ref!r}): a project memo is "
                f'`qualcode memo {project} "TEXT"` or `--on project "TEXT"`'
            )
        text, ref = ref, None
    with open_project(project) as p:
        if text is not None:
            m = p.add_memo(text, kind, ref, title=title)
            on = p.memo_targets([m])[m.id]
            click.echo(f"memo {m.id} on {m.target_type} {on}".rstrip())
            return
        memos = p.memos(kind if target else None, ref)
        targets = p.memo_targets(memos)
        width = max([len(t) for t in targets.values()] + [5])
        for m in memos:
            click.echo(
                f"{m.id:>4} {m.target_type:<11} {targets[m.id]:<{width}} {m.author}: {_clip(m.text)}"
            )


@click.command("config")
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--coder",
    help="Without PROJECT: your own coder name, recorded with your codings in every project "
    "you open (kept in $XDG_CONFIG_HOME/qualcode/user.json). With PROJECT: the project's "
    "default coder, used by whoever has not set their own name.",
)
@click.option("--name", help="Project name.")
@click.option(
    "--language",
    help="Language of the documents (spaCy code, e.g. en, ja); imports no longer change it.",
)
@click.option(
    "--backups",
    "keep",
    type=click.IntRange(min=0),
    help="How many backups to keep in backups/ (default 10; 0 turns automatic backups off).",
)
def config_command(project, coder, name, language, keep) -> None:
    """Show or change your coder name (without PROJECT) or a project's settings.

    Codings record, in this order: `--coder` given to a command (or to `open`/`serve`),
    else your own name (`qualcode config --coder NAME`), else the project's default coder,
    else the login name."""
    from qualcode import user_config

    if project is None:
        if name is not None or language is not None or keep is not None:
            raise click.UsageError("--name, --language and --backups need a PROJECT")
        if coder is not None:
            if not coder.strip():
                raise click.BadParameter("cannot be empty", param_hint="--coder")
            user_config.remember_coder(_nfc(coder))
        mine = user_config.remembered_coder()
        where = user_config.user_file()
        click.echo(
            f"your coder name: {mine} (kept in {where})"
            if mine
            else f"no coder name set for you ({where}): `qualcode config --coder NAME` sets it"
        )
        return
    with open_project(project) as p:
        if language is not None:
            p.set_language(language)
        if keep is not None:
            p.set_backups_keep(keep)
        for key, value in (("coder", coder), ("name", name)):
            if value is not None:
                if not value.strip():
                    raise click.BadParameter("cannot be empty", param_hint=f"--{key}")
                p.set_meta(key, _nfc(value) if key == "coder" else value.strip())
        default = p.get_meta("coder")
        shown, source = p.coder_and_source()
        mine = f" (your name; the project's default is {default})" if source == "user" else ""
        click.echo(
            f"name={p.name} coder={shown}{mine} language={p.language} backups={p.backups_keep}"
        )


def _nfc(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", name.strip())


def _clip(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


from qualcode.cli.codebook_commands import codebook_group  # noqa: E402

COMMANDS = [
    open_command,
    new_command,
    info_command,
    documents_command,
    code_command,
    uncode_command,
    autocode_command,
    excerpts_command,
    trash_command,
    restore_command,
    set_document_command,
    set_speaker_command,
    delete_document_command,
    memo_command,
    config_command,
    codebook_group,
]

"""Import dialog: pick files, a folder or a manifest CSV and import them into the project.

Files (or the supported files of a folder) are one all-or-nothing batch for the
participant, kind and attributes given, as `qualcode import` does: if any file fails,
nothing is imported and each failed file is listed with its reason. A manifest CSV is
one batch too. The encoding field forces the codec of text files (`--encoding`).
A REFI-QDA .qdpx project is imported on its own, and its import summary (what was
decided on the user's behalf: positions, renames, documents of several participants,
what was not imported) is listed under it. The status line counts the last run only. The worker thread opens its own Project on the same
file (an SQLite connection belongs to the thread that made it) and only posts messages;
the @on handlers below own the dialog's state.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, DirectoryTree, Input, Label, OptionList, ProgressBar, Static
from textual.worker import Worker, WorkerState

from qualcode.errors import QualcodeError
from qualcode.ingest.folders import FileChoice
from qualcode.plural import plural
from qualcode.project import Project
from qualcode.tui.screens.dialog import Dialog

DEFAULT_KINDS = ["interview", "report", "focus group", "field notes"]


def parse_attributes(text: str) -> dict[str, str]:
    """'sex=F; host_income=HIC' -> {'sex': 'F', 'host_income': 'HIC'} (values may hold commas)."""
    out: dict[str, str] = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        if not eq or not name.strip():
            raise QualcodeError(f"attribute {part.strip()!r}: write name=value, separated by ';'")
        out[name.strip()] = value.strip()
    return out


def expand_sources(text: str) -> FileChoice:
    """The files named in the path box ('; ' separated); a folder gives its supported
    files, and a note names the others (qualcode.ingest.folders, as in the CLI)."""
    from qualcode.ingest.folders import choose_files

    parts = [Path(p.strip()).expanduser() for p in text.split(";") if p.strip()]
    if not parts:
        raise QualcodeError("choose files, a folder or a manifest .csv to import")
    return choose_files(parts)


class ImportDialog(Dialog[int]):
    """Dismisses with the number of documents imported."""

    HELP_TITLE = "Import dialog"
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+d", "use_folder", "Use highlighted folder"),
        Binding("ctrl+r", "start", "Import"),
    ]

    class Started(Message):
        def __init__(self, total: int | None) -> None:
            super().__init__()
            self.total = total

    class FileDone(Message):
        def __init__(self, name: str, ok: bool, detail: str) -> None:
            super().__init__()
            self.name = name
            self.ok = ok
            self.detail = detail

    class Note(Message):
        """A line of an import summary (a .qdpx import's, or the language lines of a
        file import's), listed under the files."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Finished(Message):
        def __init__(self, batch: int = 0) -> None:
            super().__init__()
            self.batch = batch  # files in the batch (for "nothing imported: 1 of 3 failed")

    def __init__(self, project_path: Path, start_dir: Path | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.start_dir = Path(start_dir or self.project_path.parent)
        self.imported = 0  # documents imported while the dialog was open (all runs)
        self.run_imported = 0  # this run's counts, for the status line
        self.run_failed = 0
        self.running = False
        # The running or last import (the tree has its own loader worker).
        self.worker: Worker[Any] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            yield Static(
                Content(
                    "Import sources · enter on a file adds it · ctrl+d: the highlighted folder · ctrl+r: import · esc: close"
                ),
                id="import-title",
            )
            with Horizontal(id="import-top"):
                yield DirectoryTree(self.start_dir, id="import-tree")
                with Vertical(id="import-form"):
                    yield Label("Files, folder, manifest .csv or .qdpx (separate with ;)")
                    yield Input(
                        id="import-paths", placeholder="transcripts/R1.txt; transcripts/R1.docx"
                    )
                    yield Label("Participant")
                    yield Input(id="import-participant", placeholder="R1")
                    yield Label("Kind")
                    yield Input(
                        "interview", id="import-kind", suggester=SuggestFromList(DEFAULT_KINDS)
                    )
                    yield Label("Attributes (name=value; ...)")
                    yield Input(id="import-attributes", placeholder="sex=F; host_income=HIC")
                    yield Label("Encoding (empty: detect)")
                    yield Input(id="import-encoding", placeholder="cp1251, koi8-r, big5…")
                    with Horizontal(id="import-buttons"):
                        yield Button("Import", id="import-start", variant="primary")
                        yield Button("Close", id="import-close")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(Content(""), id="import-status")
            yield OptionList(id="import-results")

    # --- picking ----------------------------------------------------------------------
    @on(DirectoryTree.FileSelected)
    def _file_picked(self, event: DirectoryTree.FileSelected) -> None:
        box = self.query_one("#import-paths", Input)
        paths = [p.strip() for p in box.value.split(";") if p.strip()]
        if str(event.path) not in paths:
            paths.append(str(event.path))
        box.value = "; ".join(paths)

    def action_use_folder(self) -> None:
        node = self.query_one(DirectoryTree).cursor_node
        if node is not None and node.data is not None:
            path = Path(node.data.path)
            self.query_one("#import-paths", Input).value = str(
                path if path.is_dir() else path.parent
            )

    # --- running ----------------------------------------------------------------------
    @on(Button.Pressed, "#import-start")
    def action_start(self) -> None:
        if self.running:
            return
        try:
            choice = expand_sources(self.query_one("#import-paths", Input).value)
            sources = choice.files
            attributes = parse_attributes(self.query_one("#import-attributes", Input).value)
        except QualcodeError as exc:
            self._status(str(exc), error=True)
            return
        participant = self.query_one("#import-participant", Input).value.strip() or None
        kind = self.query_one("#import-kind", Input).value.strip()
        manifest = sources[0] if len(sources) == 1 and sources[0].suffix.lower() == ".csv" else None
        if len(sources) == 1 and sources[0].suffix.lower() == ".qdpx":
            if participant or attributes:
                self._status(
                    "a .qdpx brings its own cases: leave participant and attributes empty",
                    error=True,
                )
                return
            self._begin([], None, kind, {}, None, None, qdpx=sources[0])
            return
        if any(p.suffix.lower() == ".qdpx" for p in sources):
            self._status("a .qdpx project is imported on its own", error=True)
            return
        if manifest is None and any(p.suffix.lower() == ".csv" for p in sources):
            self._status("a manifest .csv is imported on its own (it names its files)", error=True)
            return
        if manifest is None and attributes and not participant:
            self._status("attributes need a participant", error=True)
            return
        encoding = self.query_one("#import-encoding", Input).value.strip() or None
        if encoding and manifest is not None:
            self._status("the encoding applies to files, not to a manifest", error=True)
            return
        participant_of = None
        if manifest is None and not participant:
            # As the CLI: the participant from each file's name (R7_interview.txt -> R7).
            from qualcode.ingest.participant_names import participants_for

            participant_of = participants_for(sources, None, None)
        self._begin(
            sources, participant, kind, attributes, manifest, encoding, participant_of, choice.notes
        )

    def _begin(
        self,
        sources: list[Path],
        participant: str | None,
        kind: str,
        attributes: dict[str, str],
        manifest: Path | None,
        encoding: str | None,
        participant_of: dict[Path, str | None] | None = None,
        notes: Sequence[str] = (),
        qdpx: Path | None = None,
    ) -> None:
        self.running = True
        self.run_imported = self.run_failed = 0
        results = self.query_one("#import-results", OptionList)
        results.clear_options()
        for note in notes:  # files of the folder that are not imported, named
            results.add_option(Content.assemble(("note ", "bold yellow"), note))
        self.worker = self.run_import(
            sources, participant, kind, attributes, manifest, encoding, participant_of, qdpx
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(
        self,
        sources: list[Path],
        participant,
        kind: str,
        attributes: dict,
        manifest,
        encoding: str | None = None,
        participant_of: dict[Path, str | None] | None = None,
        qdpx: Path | None = None,
    ) -> None:
        batch = 1 if manifest is not None or qdpx is not None else len(sources)
        try:
            with Project.open(self.project_path, daily_backup=False) as project:
                self.post_message(self.Started(None if manifest is not None else batch))
                try:
                    if qdpx is not None:
                        summary = project.import_qdpx(qdpx, sentences="later")
                        self.post_message(
                            self.FileDone(
                                qdpx.name,
                                True,
                                f"{plural(summary.sources, 'source')}, "
                                f"{plural(summary.codings, 'coding')}, "
                                f"{plural(summary.cases, 'case')}",
                            )
                        )
                        for line in summary.lines()[1:]:
                            self.post_message(self.Note(line))
                        return
                    if manifest is not None:
                        report = project.import_manifest(manifest)
                    else:
                        report = project.import_files(
                            sources,
                            participant,
                            kind,
                            attributes,
                            encoding=encoding,
                            participant_of=participant_of,
                        )
                except (QualcodeError, OSError) as exc:  # nothing of the batch is stored
                    for name, why in _failures(str(exc), manifest or sources[0]):
                        self.post_message(self.FileDone(name, False, why))
                else:
                    for f in report.files:
                        self.post_message(self.FileDone(f.source_name, True, _summary(f)))
                    for line in report.language:  # the summary's lines on the language
                        self.post_message(self.Note(line))
        except QualcodeError as exc:  # the project itself cannot be opened
            self.post_message(self.FileDone(self.project_path.name, False, str(exc)))
        finally:
            self.post_message(self.Finished(batch))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "import" and event.state == WorkerState.ERROR:
            self._status(f"import stopped: {event.worker.error}", error=True)

    @on(Started)
    def _started(self, event: Started) -> None:
        self.query_one(ProgressBar).update(total=event.total, progress=0)
        self._status("importing…")

    @on(FileDone)
    def _file_done(self, event: FileDone) -> None:
        if event.ok:
            self.imported += 1
            self.run_imported += 1
        else:
            self.run_failed += 1
        mark, style = ("✓", "bold green") if event.ok else ("✗", "bold red")
        self.query_one("#import-results", OptionList).add_option(
            Content.assemble((mark + " ", style), (event.name, "bold"), "  ", event.detail)
        )
        bar = self.query_one(ProgressBar)
        if bar.total is not None:
            bar.advance(1)

    @on(Note)
    def _note(self, event: Note) -> None:
        self.query_one("#import-results", OptionList).add_option(Content.styled(event.text, "dim"))

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        self.running = False
        bar = self.query_one(ProgressBar)
        done = max(1, self.run_imported + self.run_failed)
        bar.update(total=bar.total or done, progress=bar.total or done)
        if self.worker is not None and self.worker.state == WorkerState.ERROR:
            return
        if self.run_failed:
            self._status(
                f"nothing imported: {self.run_failed} of "
                f"{plural(max(event.batch, self.run_failed), 'file')} failed; fix or remove "
                "them and import again",
                error=True,
            )
        else:
            self._status(f"{self.run_imported} imported")

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#import-status", Static).update(
            Content.styled(text, "bold red" if error else "bold")
        )

    @on(Button.Pressed, "#import-close")
    def action_close(self) -> None:
        if self.running and self.worker is not None:
            self.worker.cancel()
        self.dismiss(self.imported)


def _summary(f) -> str:
    who = f.participant or "-"
    notes = "".join(f" · {note}" for note in f.notes)
    return (
        f"document {f.document_id} · {who} {f.kind} · {f.encoding} · {f.characters:,} chars "
        f"· {f.turns} turns{notes}"
    )


def _failures(message: str, first: Path) -> list[tuple[str, str]]:
    """(file name, reason) per failed file of a batch error: 'NAME: why (nothing
    imported)' for one file, or 'nothing imported: ...' then '  NAME: why' lines."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) > 1:
        lines = lines[1:]
    out = []
    for line in lines:
        line = line.removesuffix(" (nothing imported)")
        name, sep, why = line.partition(": ")
        out.append((name, why) if sep and "/" not in name else (first.name, line))
    return out

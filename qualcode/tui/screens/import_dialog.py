"""Import dialog: pick files, a folder or a manifest CSV and import them into the project.

Files (or the supported files of a folder) are imported one by one for the participant,
kind and attributes given, so the progress bar moves per file and a bad file is listed
with its reason while the others go in. A manifest CSV is one all-or-nothing batch, as
`qualcode import --manifest` does. The worker thread opens its own Project on the same
file (an SQLite connection belongs to the thread that made it) and only posts messages;
the @on handlers below own the dialog's state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, DirectoryTree, Input, Label, OptionList, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from qualcode.errors import QualcodeError
from qualcode.ingest import SUPPORTED_SUFFIXES
from qualcode.project import Project

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


def expand_sources(text: str) -> list[Path]:
    """The files named in the path box ('; ' separated); a folder gives its supported files."""
    files: list[Path] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        path = Path(part).expanduser()
        if path.is_dir():
            found = sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not found:
                raise QualcodeError(
                    f"{path}: no {', '.join(SUPPORTED_SUFFIXES)} files in this folder"
                )
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise QualcodeError(f"{path}: no such file or folder")
    if not files:
        raise QualcodeError("choose files, a folder or a manifest .csv to import")
    return files


class ImportDialog(ModalScreen[int]):
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

    class Finished(Message):
        pass

    def __init__(self, project_path: Path, start_dir: Path | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.start_dir = Path(start_dir or self.project_path.parent)
        self.imported = 0
        self.failed = 0
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
                    yield Label("Files, folder or manifest .csv (separate with ;)")
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
            sources = expand_sources(self.query_one("#import-paths", Input).value)
            attributes = parse_attributes(self.query_one("#import-attributes", Input).value)
        except QualcodeError as exc:
            self._status(str(exc), error=True)
            return
        participant = self.query_one("#import-participant", Input).value.strip() or None
        kind = self.query_one("#import-kind", Input).value.strip()
        manifest = sources[0] if len(sources) == 1 and sources[0].suffix.lower() == ".csv" else None
        if manifest is None and any(p.suffix.lower() == ".csv" for p in sources):
            self._status("a manifest .csv is imported on its own (it names its files)", error=True)
            return
        if manifest is None and attributes and not participant:
            self._status("attributes need a participant", error=True)
            return
        self.running = True
        self.query_one("#import-results", OptionList).clear_options()
        self.worker = self.run_import(sources, participant, kind, attributes, manifest)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def run_import(
        self, sources: list[Path], participant, kind: str, attributes: dict, manifest
    ) -> None:
        worker = get_current_worker()
        try:
            with Project.open(self.project_path) as project:
                if manifest is not None:
                    self.post_message(self.Started(None))
                    try:
                        report = project.import_manifest(manifest)
                    except QualcodeError as exc:
                        self.post_message(self.FileDone(manifest.name, False, str(exc)))
                    else:
                        for f in report.files:
                            self.post_message(self.FileDone(f.source_name, True, _summary(f)))
                    return
                self.post_message(self.Started(len(sources)))
                for path in sources:
                    if worker.is_cancelled:
                        break
                    try:
                        [f] = project.import_files([path], participant, kind, attributes).files
                    except (QualcodeError, OSError) as exc:  # this file fails; the next may not
                        self.post_message(self.FileDone(path.name, False, _reason(str(exc))))
                    else:
                        self.post_message(self.FileDone(path.name, True, _summary(f)))
        except QualcodeError as exc:  # the project itself cannot be opened
            self.post_message(self.FileDone(self.project_path.name, False, str(exc)))
        finally:
            self.post_message(self.Finished())

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
        else:
            self.failed += 1
        mark, style = ("✓", "bold green") if event.ok else ("✗", "bold red")
        self.query_one("#import-results", OptionList).add_option(
            Content.assemble((mark + " ", style), (event.name, "bold"), "  ", event.detail)
        )
        bar = self.query_one(ProgressBar)
        if bar.total is not None:
            bar.advance(1)

    @on(Finished)
    def _finished(self) -> None:
        self.running = False
        bar = self.query_one(ProgressBar)
        if bar.total is None:
            bar.update(
                total=max(1, self.imported + self.failed), progress=self.imported + self.failed
            )
        if self.worker is None or self.worker.state != WorkerState.ERROR:
            self._status(f"{self.imported} imported, {self.failed} failed", error=bool(self.failed))

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
    return f"document {f.document_id} · {who} {f.kind} · {f.encoding} · {f.characters:,} chars · {f.turns} turns"


def _reason(message: str) -> str:
    """The per-file line of a one-file batch error ('nothing imported: ...\\n  name: why')."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    return lines[-1] if len(lines) > 1 else message

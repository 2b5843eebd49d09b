"""Speakers of a document (a focus group): map a speaker label of its turns to a
participant, as `qualcode set-speaker` does. Writes through the Project facade."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from qualcode.analysis.credit import speaker_lines
from qualcode.errors import QualcodeError
from qualcode.tui.screens.dialog import Dialog


class SpeakerDialog(Dialog[bool]):
    """Dismisses with True when a mapping was saved (the caller then reloads its lists)."""

    HELP_TITLE = "Speakers of a document"
    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(self, project, document_id: int) -> None:
        super().__init__(classes="dialog-screen")
        self.project = project
        self.document_id = document_id
        self.changed = False

    def compose(self) -> ComposeResult:
        doc = self.project.document(self.document_id)
        speakers = self.project.speaker_map(self.document_id)
        with Vertical(classes="dialog", id="speaker-box"):
            yield Static(Content(f"Speakers of {doc.title}"), classes="dialog-text")
            yield Static(id="speaker-state")
            if not speakers:
                yield Static(Content("This document has no speaker turns to map."))
                yield Button("Close", id="speaker-close")
                return
            yield Label("Speaker")
            yield Select(
                [(Content(s), s) for s in speakers],
                value=next(iter(speakers)),
                allow_blank=False,
                id="speaker-label",
            )
            yield Label("Participant (e.g. P21)")
            yield Input(speakers[next(iter(speakers))] or "", id="speaker-participant")
            with Horizontal():
                yield Button("Map", id="speaker-map", variant="primary")
                yield Button("Close", id="speaker-close")

    def on_mount(self) -> None:
        self._show_state()
        inputs = self.query("#speaker-participant")
        if inputs:
            inputs.first().focus()

    def _show_state(self) -> None:
        lines = speaker_lines(
            self.project.speaker_map(self.document_id),
            self.project.document_participants(self.document_id),
        )
        self.query_one("#speaker-state", Static).update(Content("\n".join(lines)))

    @on(Select.Changed, "#speaker-label")
    def _speaker_chosen(self, event: Select.Changed) -> None:
        mapped = self.project.speaker_map(self.document_id).get(str(event.value))
        self.query_one("#speaker-participant", Input).value = mapped or ""

    @on(Input.Submitted, "#speaker-participant")
    @on(Button.Pressed, "#speaker-map")
    def _map(self) -> None:
        speaker = str(self.query_one("#speaker-label", Select).value)
        participant = self.query_one("#speaker-participant", Input).value.strip()
        if not participant:
            self.notify("give the participant id this speaker is", severity="error")
            return
        try:
            self.project.set_speaker(self.document_id, speaker, participant)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        self.changed = True
        self._show_state()
        self.notify(f"{speaker} -> {participant}")

    @on(Button.Pressed, "#speaker-close")
    def action_close(self) -> None:
        self.dismiss(self.changed)

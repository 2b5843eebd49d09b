"""Speakers: every speaker label with its turns and words per document; `i` marks the
highlighted label as the interviewer's (or unmarks it), `m` merges it into another label.

The same as `qualcode speakers` (Project.speakers, mark_interviewer, merge_speakers).
"""

from __future__ import annotations

import unicodedata

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from qualcode.errors import QualcodeError
from qualcode.plural import plural
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.screens.prompt import PromptScreen


class SpeakersScreen(Screen):
    """Speaker labels per document; mark interviewers, merge labels of one person."""

    HELP_TITLE = "Speakers"
    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("i", "toggle_interviewer", "Interviewer on/off"),
        Binding("m", "merge", "Merge into…"),
    ]

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project
        self.rows: list = []

    def compose(self) -> ComposeResult:
        yield Static("", id="speakers-title")
        yield DataTable(id="speakers-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Document", "Speaker", "Turns", "Words", "Role")
        self.reload()
        table.focus()

    def reload(self, keep: tuple[int, str] | None = None) -> None:
        """List the speakers again (after a change), the cursor on `keep` (document id,
        label) if given, else on the same row number."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        self.rows = self.project.speakers()
        table.clear()
        for r in self.rows:
            table.add_row(
                Text(f"{r.participant or '-'} · {r.document}"),
                Text(r.speaker, style="bold" if r.interviewer else ""),
                Text(str(r.turns), justify="right"),
                Text(str(r.words), justify="right"),
                Text("interviewer" if r.interviewer else ""),
            )
        labels = sorted({r.speaker for r in self.rows})
        marked = self.project.interviewer_speakers()
        self.query_one("#speakers-title", Static).update(
            Content(
                f"Speakers — {len(labels)} labels in {len({r.document_id for r in self.rows})} "
                f"documents; interviewer: {', '.join(marked) or 'none marked (i)'}"
            )
        )
        if keep is not None:
            row = next(
                (n for n, r in enumerate(self.rows) if (r.document_id, r.speaker) == keep), row
            )
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))

    @property
    def highlighted(self):
        table = self.query_one(DataTable)
        return self.rows[table.cursor_row] if self.rows else None

    def action_close(self) -> None:
        self.dismiss()

    def action_toggle_interviewer(self) -> None:
        row = self.highlighted
        if row is None:
            return
        self.project.mark_interviewer([row.speaker], not row.interviewer)
        self.notify(
            f"{row.speaker}: {'not ' if row.interviewer else ''}the interviewer",
            timeout=3,
            markup=False,
        )
        self.reload(keep=(row.document_id, row.speaker))

    def action_merge(self) -> None:
        row = self.highlighted
        if row is None:
            return

        def merge(into: str | None) -> None:
            if not into or not into.strip():
                return
            if into.strip() == row.speaker:
                self.notify(f"{row.speaker} is already called that.", markup=False)
                return
            try:
                n = self.project.merge_speakers([row.speaker], into)
            except QualcodeError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(
                f"{row.speaker} is now {into.strip()} ({plural(n, 'segment')})", markup=False
            )
            self.reload(keep=(row.document_id, unicodedata.normalize("NFC", into.strip())))

        self.app.push_screen(
            PromptScreen(
                f"Merge every turn of {row.speaker!r} (in any case) into the label:",
                placeholder="e.g. Interviewer",
            ),
            merge,
        )

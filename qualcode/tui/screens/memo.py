"""Edit the memo of a coding (multi-line)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from qualcode.tui.screens.dialog import Dialog


class MemoScreen(Dialog[str | None]):
    """ctrl+s saves, Escape cancels; dismisses with the memo text or None."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save memo"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, heading: str, memo: str) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = heading
        self.memo = memo

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.heading), classes="dialog-text")
            yield TextArea(self.memo, id="memo-text", soft_wrap=True)
            yield Static("ctrl+s save · esc cancel", classes="dialog-hint")

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

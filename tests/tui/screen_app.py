"""A bare app that pushes one of the analysis screens over a project, for Pilot tests."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

import qualcode.tui

CSS = Path(qualcode.tui.__file__).parent / "qualcode.tcss"


class ScreenApp(App):
    """Shows a placeholder main screen, then pushes `make_screen()` on mount."""

    CSS_PATH = CSS
    BINDINGS = [("ctrl+o", "noop", "Open project")]

    def __init__(self, make_screen):
        super().__init__()
        self.make_screen = make_screen
        self.opened: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        yield Static("main", id="main")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())

    def open_document_at(self, document_id: int, offset: int) -> None:
        self.opened.append((document_id, offset))

    def action_noop(self) -> None:
        pass

"""The help screen: every key of the workbench."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from qualcode.tui.keys import KEY_TABLE


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static("Keys (esc closes) — every change is saved at once", classes="dialog-text")
            table = DataTable(cursor_type="row", zebra_stripes=True)
            table.add_columns("Keys", "Where", "What")
            table.add_rows([tuple(Text(cell) for cell in row) for row in KEY_TABLE])  # no markup: '[' is a key
            yield table

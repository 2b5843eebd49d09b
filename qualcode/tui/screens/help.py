"""The help screen: every key of the workbench."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from qualcode.tui.keys import KEY_TABLE


def key_table() -> Table:
    table = Table(expand=True, box=None, pad_edge=False, show_edge=False)
    table.add_column("Keys", style="bold", no_wrap=True)
    table.add_column("Where", style="dim", no_wrap=True)
    table.add_column("What", ratio=1)
    for row in KEY_TABLE:
        table.add_row(*(Text(cell) for cell in row))  # Text, not markup: '[' is a key here
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close")]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static("Keys (esc closes) — every change is saved at once", classes="dialog-text")
            with VerticalScroll():
                yield Static(key_table())

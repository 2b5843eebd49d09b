"""A question with a few answers, one per line: enter picks one, escape cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.tui.screens.dialog import Dialog


class ChoiceScreen(Dialog[str | None]):
    """Dismisses with the id of the answer picked, or None (escape)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, answers: list[tuple[str, str]]) -> None:
        """`question` may span lines; `answers` are (id, label) pairs, the first highlighted."""
        super().__init__(classes="dialog-screen")
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-text")
            yield OptionList(*(Option(Text(label), id=key) for key, label in self.answers))
            yield Static("enter chooses · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

"""A fuzzy code picker: type part of a code's path, Enter codes with it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.models import Code
from qualcode.tui.screens.dialog import Dialog


class CodePickerScreen(Dialog[int | None]):
    """Dismisses with the chosen code id or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "cursor(1)", show=False),
        Binding("up", "cursor(-1)", show=False),
    ]

    def __init__(
        self, codes: list[Code], heading: str = "Code the selection with…", top_level: bool = False
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.codes = codes
        self.top_level = top_level  # offer "(top level)" as id 0, for moving a code
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.heading), classes="dialog-text")
            yield Input(placeholder="type to filter codes", id="filter")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        matcher = Matcher(query) if query else None
        scored = []
        for code in self.codes:
            score = matcher.match(code.path) if matcher else 1.0
            if score > 0:
                scored.append((score, code))
        if matcher:  # with nothing typed, the codebook's own order (themes, then their subthemes)
            scored.sort(key=lambda pair: (-pair[0], len(pair[1].path)))
        if self.top_level and (not matcher or matcher.match("(top level)") > 0):
            options.add_option(Option(Text("(top level)", style="italic"), id="0"))
        for _, code in scored:
            label = Text("■ ", style=code.colour or "white")
            label.append(code.path)
            if code.shortcut:
                label.append(f"  [{code.shortcut}]", style="dim")
            options.add_option(Option(label, id=str(code.id)))
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    def on_input_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.option_count:
            self.dismiss(int(options.get_option_at_index(options.highlighted).id or 0))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

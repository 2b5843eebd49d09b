"""Side panel: the codings at the cursor, with their memos (up/down choose, Enter edits the memo).

Drawn as one Text in a fixed-size box, so that an update repaints the panel only and never
triggers a layout pass of the whole screen (which would cost a coding keystroke ~20 ms).
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from qualcode.models import Code, Coding


class CodingsPanel(Widget, can_focus=True):
    BINDINGS = [
        Binding("down,j", "step(1)", "Next", show=False),
        Binding("up,k", "step(-1)", "Previous", show=False),
        Binding("enter", "edit", "Edit memo"),
    ]

    class MemoRequested(Message):
        def __init__(self, coding_id: int) -> None:
            super().__init__()
            self.coding_id = coding_id

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._shown: tuple | None = None
        self.codings: list[Coding] = []
        self._codes: dict[int, Code] = {}
        self.highlighted = 0

    def show(self, codings: list[Coding], codes: dict[int, Code]) -> None:
        key = tuple((c, codes.get(c.code_id)) for c in codings)
        if key == self._shown:
            return  # moving within the same codings: nothing to redraw
        self._shown = key
        self.codings, self._codes = list(codings), codes
        self.highlighted = 0
        self.refresh()

    def entry_text(self, index: int) -> Text:
        coding = self.codings[index]
        code = self._codes.get(coding.code_id)
        label = Text()
        label.append("■ ", style=(code.colour if code and code.colour else "white"))
        label.append(code.name if code else f"code {coding.code_id}", style="bold")
        label.append(f"  {coding.start}-{coding.end} {coding.coder}", style="dim")
        label.append(
            "\n  " + (coding.memo or "no memo (m)"), style="italic" if coding.memo else "dim italic"
        )
        return label

    def render(self) -> Text:
        if not self.codings:
            return Text("no coding at the cursor", style="dim")
        text = Text(no_wrap=False, overflow="ellipsis")
        for index in range(len(self.codings)):
            entry = self.entry_text(index)
            if index == self.highlighted and self.has_focus:
                entry.stylize("reverse")
            text.append_text(entry)
            text.append("\n")
        return text

    def action_step(self, step: int) -> None:
        if self.codings:
            self.highlighted = (self.highlighted + step) % len(self.codings)
            self.refresh()

    def action_edit(self) -> None:
        if self.codings:
            self.post_message(self.MemoRequested(self.codings[self.highlighted].id))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

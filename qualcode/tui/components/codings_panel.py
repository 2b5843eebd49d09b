"""Side panel: the codings at the cursor, with their memos (Enter edits the memo)."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from qualcode.models import Code, Coding


class CodingsPanel(OptionList):
    class MemoRequested(Message):
        def __init__(self, coding_id: int) -> None:
            super().__init__()
            self.coding_id = coding_id

    def show(self, codings: list[Coding], codes: dict[int, Code]) -> None:
        self.clear_options()
        if not codings:
            self.add_option(Option(Text("no coding at the cursor", style="dim"), disabled=True))
            return
        for coding in codings:
            code = codes.get(coding.code_id)
            label = Text()
            label.append("■ ", style=(code.colour if code and code.colour else "white"))
            label.append(code.name if code else f"code {coding.code_id}", style="bold")
            if code and code.path != code.name:
                label.append(f"  {code.path.rsplit('/', 1)[0]}", style="dim")
            label.append(f"\n  {coding.start}-{coding.end} · {coding.coder}", style="dim")
            label.append("\n  " + (coding.memo or "(no memo: Enter to write one)"),
                         style="italic" if coding.memo else "dim italic")
            self.add_option(Option(label, id=str(coding.id)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.MemoRequested(int(event.option.id)))

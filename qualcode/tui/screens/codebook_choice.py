"""What a new project starts with: the PIF codebook, an empty codebook, or a codebook
file (.yaml, or a REFI-QDA .qdc from another QDA tool)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.tui.screens.dialog import Dialog

PIF, EMPTY, FILE = "pif", "empty", "file"


def pif_codebook() -> Path | None:
    """The bundled PIF codebook (codebooks/pif.yaml beside the package), if installed."""
    from qualcode.demo import CODEBOOK

    return CODEBOOK if CODEBOOK.exists() else None


def pif_label() -> str:
    """The PIF choice, with its size counted from the file (codes, themes, subthemes)."""
    from qualcode.codebook import load_codebook
    from qualcode.errors import QualcodeError

    path = pif_codebook()
    if path is None:
        return "PIF codebook (not in this install)"
    try:
        depths = [depth for _, _, depth in load_codebook(path).walk()]
    except QualcodeError:
        return "PIF codebook (unreadable in this install)"
    return (
        f"PIF codebook: {len(depths)} codes ({depths.count(0)} themes, "
        f"{depths.count(1)} subthemes), the study's"
    )


class CodebookChoiceScreen(Dialog[str | None]):
    """Dismisses with PIF, EMPTY or FILE (enter), or None (escape)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, project: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.project = project

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content(f"Start {self.project.name} with which codebook?"), classes="dialog-text"
            )
            yield OptionList(
                Option(Text(pif_label()), id=PIF, disabled=pif_codebook() is None),
                Option(Text("An empty codebook (add codes as you go)"), id=EMPTY),
                Option(Text("A codebook file… (.yaml, or .qdc from another QDA tool)"), id=FILE),
                id="codebook-choices",
            )
            yield Static("enter chooses · escape cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if pif_codebook() is not None else 1
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

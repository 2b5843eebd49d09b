"""Export dialog: where to write a table and in which format. The caller does the writing."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, Static

from qualcode.tui.screens.dialog import Dialog

EXPORT_FORMATS = {
    "csv": ".csv",
    "xlsx": ".xlsx",
    "docx": ".docx",
    "md": ".md",
    "latex": ".tex",
    "json": ".json",
    "png": ".png",
    "svg": ".svg",
}
IMAGE_FORMATS = ("png", "svg")
_BY_SUFFIX = {suffix: name for name, suffix in EXPORT_FORMATS.items()}


class ExportDialog(Dialog[tuple[Path, str] | None]):
    """Dismisses with (path, format), or None when cancelled."""

    HELP_TITLE = "Export dialog"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_path: Path, what: str = "table") -> None:
        super().__init__()
        self.default_path = Path(default_path)
        self.what = what

    def compose(self) -> ComposeResult:
        fmt = self.default_path.suffix.lstrip(".").replace("tex", "latex") or "csv"
        with Vertical(id="export-box"):
            yield Static(Content(f"Export the {self.what}"), id="export-title")
            yield Label("File")
            yield Input(str(self.default_path), id="export-path")
            yield Label("Format")
            yield Select(
                [(Content(name), name) for name in EXPORT_FORMATS],
                value=fmt if fmt in EXPORT_FORMATS else "csv",
                allow_blank=False,
                id="export-format",
            )
            with Horizontal(id="export-buttons"):
                yield Button("Export", id="export-ok", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """Keep the file's suffix in step with the format."""
        box = self.query_one("#export-path", Input)
        suffix = EXPORT_FORMATS[str(event.value)]
        if box.value.strip() and Path(box.value.strip()).suffix.lower() != suffix:
            box.value = str(Path(box.value.strip()).with_suffix(EXPORT_FORMATS[str(event.value)]))

    @on(Input.Changed, "#export-path")
    def _path_typed(self, event: Input.Changed) -> None:
        """The format box follows a known suffix typed in the file name."""
        typed = _BY_SUFFIX.get(Path(event.value.strip()).suffix.lower())
        box = self.query_one("#export-format", Select)
        if typed and box.value != typed:
            box.value = typed

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def _ok(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.notify("give a file name to export to", severity="error")
            return
        # A known suffix typed in the file name wins over the format box: "table.xlsx" left
        # on csv would otherwise be CSV text in a file that Excel refuses to open.
        typed = _BY_SUFFIX.get(Path(path).suffix.lower())
        self.dismiss(
            (Path(path).expanduser(), typed or str(self.query_one("#export-format", Select).value))
        )

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

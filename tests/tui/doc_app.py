"""A bare app around one DocumentView, for widget tests and the widget bench."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

import qualcode.tui
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.span_index import DocSpan

CSS = Path(qualcode.tui.__file__).parent / "qualcode.tcss"


class DocApp(App):
    CSS_PATH = CSS
    BINDINGS = [("1", "code", "Code")]

    def __init__(self, text: str, spans: list[DocSpan] | None = None, units=None):
        super().__init__()
        self.text = text
        self.spans = spans or []
        self.units = units
        self.next_id = 100000

    def compose(self) -> ComposeResult:
        view = DocumentView()
        view.load(self.text, self.units)
        view.set_spans(self.spans)
        yield view

    def action_code(self) -> None:
        view = self.query_one(DocumentView)
        start, end = view.selection
        self.next_id += 1
        view.add_span(DocSpan(self.next_id, start, end, "#aa3355", 1))

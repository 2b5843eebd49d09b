"""The workbench's status line under the document, fitted to its width.

One row (the screen updates it on every cursor move without a layout pass), so a line
wider than the column is not wrapped but shortened: the longest of these forms that fits,
parts left out from the least needed (the offsets, then "in document"), and at the last
the shortest form cut with "…".
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static


def status_text(unit: str, start: int, end: int, words: int, codings: int, width: int) -> str:
    """The status for the selection [start, end) of `unit`, `words` long, in a document
    with `codings` codings, in at most `width` cells (no limit when width <= 0)."""
    word_s = f"{words} word{'' if words == 1 else 's'}"
    coding_s = f"{codings} coding{'' if codings == 1 else 's'}"
    forms = [
        f"{unit} · {start}-{end} · {word_s} · {coding_s} in document",
        f"{unit} · {word_s} · {coding_s} in document",
        f"{unit} · {word_s} · {coding_s}",
        f"{word_s} · {coding_s}",
    ]
    if width <= 0:
        return forms[0]
    for form in forms:
        if cell_len(form) <= width:
            return form
    return forms[-1][: max(width - 1, 0)] + "…"


class StatusLine(Static):
    """The status row: show() it the selection's figures; it fits them to its width again
    when its width changes (the codebook column is sized after the first layout)."""

    _figures: tuple[str, int, int, int, int] | None = None

    def show(self, unit: str, start: int, end: int, words: int, codings: int) -> None:
        self._figures = (unit, start, end, words, codings)
        self._render_figures()

    def on_resize(self) -> None:
        self._render_figures()

    def _render_figures(self) -> None:
        if self._figures is not None:
            text = status_text(*self._figures, width=self.content_region.width)
            self.update(Content(text), layout=False)  # one fixed-size row: no layout pass

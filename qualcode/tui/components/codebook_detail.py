"""The line under the codebook tree: the highlighted code in full (its path, shortcut
key and counts), wrapped, for when the panel is too narrow for the name."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class CodebookDetail(Static):
    """Shows CodebookTree.detail() of the highlighted code; empty when there is none."""

    def show(self, text: str) -> None:
        self.update(Content(text))

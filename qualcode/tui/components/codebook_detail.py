"""The line under the codebook tree: the highlighted code in full (its path, shortcut
key and counts), wrapped, for when the panel is too narrow for the name."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.css.styles import RulesMap


class CodebookDetail(Static):
    """Shows CodebookTree.detail() of the highlighted code; empty when there is none."""

    _shown: Content | None = None

    def show(self, text: str) -> None:
        """Show `text`. Every coding changes the counts in it, so the screen is laid out
        again only when the wrapped text's height changes: a relayout of the whole screen
        took about 25 ms of each coding keystroke."""
        content = Content(text)
        if self._shown is not None and content.plain == self._shown.plain:
            return
        width = self.content_region.width
        rules = cast("RulesMap", self.styles)  # as Widget does: its styles answer rules.get
        same_height = (
            self._shown is not None
            and width > 0
            and content.get_height(rules, width) == self._shown.get_height(rules, width)
        )
        self._shown = content
        self.update(content, layout=not same_height)

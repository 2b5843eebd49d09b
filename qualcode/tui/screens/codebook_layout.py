"""The codebook panel laid out by content: a part of MainScreen (kept apart to keep each
file short).

The right-hand column is as wide as the codebook's longest line needs (every name in
full, CodebookTree.needed_width), up to SIDE_SHARE of the screen: at 120 columns the PIF
codebook's names all show; at 80 the longest are shortened with "…", and the line under
the tree (CodebookDetail) shows the highlighted code in full. Counts always show.
"""

from __future__ import annotations

from textual import events
from textual.containers import Vertical
from textual.widgets import Tree

from qualcode.tui.components.codebook_detail import CodebookDetail
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.screens.main_part import MainScreenPart

SIDE_SHARE = 0.4  # at most this share of the screen's width for the codebook column
SIDE_MIN = 26  # columns, as the stylesheet's min-width of #side
PANEL_CHROME = 4  # the panel's round border (2) and the tree's vertical scrollbar (2)


class CodebookLayout(MainScreenPart):
    # A plain mixin: Textual finds handlers here by name (its @on only registers in widget classes).
    def on_resize(self, event: events.Resize) -> None:
        self.fit_codebook()

    def on_codebook_tree_needed_width_changed(self, event: CodebookTree.NeededWidthChanged) -> None:
        self.fit_codebook()

    def on_codebook_tree_counts_changed(self, event: CodebookTree.CountsChanged) -> None:
        self.show_code_detail()

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[int]) -> None:
        if isinstance(event.control, CodebookTree):
            self.show_code_detail()

    def fit_codebook(self) -> None:
        """Give the codebook column the width its lines need, within SIDE_MIN and
        SIDE_SHARE of the screen (the stylesheet's max-width still applies)."""
        wanted = self.query_one(CodebookTree).needed_width() + PANEL_CHROME
        most = max(SIDE_MIN, int(self.size.width * SIDE_SHARE))
        self.query_one("#side", Vertical).styles.width = max(SIDE_MIN, min(wanted, most))

    def show_code_detail(self) -> None:
        tree = self.query_one(CodebookTree)
        self.query_one(CodebookDetail).show(tree.detail(tree.selected_code_id))

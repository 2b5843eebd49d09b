"""Right panel: the codebook tree with each code's counts and shortcut key.

Editing keys live here (they act on the highlighted code); the screen does the facade
calls through the undo stack and then calls `populate` or `set_counts`.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.models import Code

COMPACT_BELOW = 30  # columns of tree content under which the counts column is left out


class CodebookTree(Tree[int]):
    BINDINGS = [
        Binding("a", "request('add')", "Add code"),
        Binding("A", "request('add_child')", "Add child", show=False),
        Binding("r", "request('rename')", "Rename"),
        Binding("e", "request('edit')", "Edit"),
        Binding("m", "request('move')", "Move"),
        Binding("M", "request('merge')", "Merge"),
        Binding("delete,d", "request('delete')", "Delete"),
    ]

    class EditRequested(Message):
        """The user asked to edit the codebook: `what` is add, add_child, rename, edit, move, merge or delete."""

        def __init__(self, what: str, code_id: int | None) -> None:
            super().__init__()
            self.what = what
            self.code_id = code_id

    def __init__(self, **kwargs) -> None:
        super().__init__("Codebook", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self._code_nodes: dict[int, TreeNode[int]] = {}
        self._codes: dict[int, Code] = {}
        self._usage: dict[int, tuple[int, int]] = {}
        self._wanted: int | None = None  # code to put the cursor on once the tree is laid out
        self._compact = False  # counts column dropped in a narrow panel

    @property
    def selected_code_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def populate(self, codes: list[Code], usage: dict[int, tuple[int, int]]) -> None:
        """Rebuild, keeping which codes were collapsed and where the cursor was."""
        collapsed = {
            cid
            for cid, node in self._code_nodes.items()
            if node.allow_expand and not node.is_expanded
        }
        cursor = self._wanted if self._wanted is not None else self.selected_code_id
        self.clear()
        self._code_nodes.clear()
        self._codes = {c.id: c for c in codes}
        self._usage = dict(usage)
        has_children = {c.parent_id for c in codes}
        for code in codes:  # depth-first: parents come first
            parent = self._code_nodes[code.parent_id] if code.parent_id else self.root
            node = parent.add(
                self._label(code),
                data=code.id,
                expand=code.id not in collapsed,
                allow_expand=code.id in has_children,
            )
            self._code_nodes[code.id] = node
        if cursor is not None:
            self._move_to(cursor)

    def _move_to(self, code_id: int) -> None:
        # Node lines are laid out on refresh, and a later rebuild replaces the nodes:
        # remember the code id and look its node up only when moving.
        self._wanted = code_id
        self.call_after_refresh(self._apply_wanted)

    def _apply_wanted(self) -> None:
        node = self._code_nodes.get(self._wanted) if self._wanted is not None else None
        self._wanted = None
        if node is not None:
            self.move_cursor(node)

    def on_resize(self) -> None:
        # In a narrow panel (an 80-column terminal) the counts column leaves the names about
        # eight letters ("Perspect", "Self-rel"): drop it there, the names matter more.
        compact = self.scrollable_content_region.width < COMPACT_BELOW
        if compact != self._compact:
            self._compact = compact
            for code_id, node in self._code_nodes.items():
                node.set_label(self._label(self._codes[code_id]))
        # The panel shrinks when suggestions appear below it: keep the highlighted code in view.
        cursor = self.cursor_node
        if cursor is not None:
            self.call_after_refresh(self.scroll_to_node, cursor, animate=False)

    def _label(self, code: Code) -> Text:
        # Fixed-width columns before the name, so a narrow panel cuts the name, not the counts.
        label = Text()
        label.append("■ ", style=code.colour or "white")
        label.append(
            f"{code.shortcut} " if code.shortcut else "  ",
            style="bold reverse" if code.shortcut else "",
        )
        if not self._compact:
            n, people = self._usage.get(code.id, (0, 0))
            label.append(f"{n:>4}·{people:<3}" if n else "        ", style="dim")
        label.append(code.name)
        return label

    def set_all_counts(self, usage: dict[int, tuple[int, int]]) -> None:
        for code_id in self._code_nodes:
            self.set_counts(code_id, usage.get(code_id, (0, 0)))

    def set_counts(self, code_id: int, counts: tuple[int, int]) -> None:
        self._usage[code_id] = counts
        if code_id in self._code_nodes:
            self._code_nodes[code_id].set_label(self._label(self._codes[code_id]))

    def select_code(self, code_id: int) -> None:
        if code_id in self._code_nodes:
            node = self._code_nodes[code_id]
            parent = node.parent
            while parent is not None:
                parent.expand()
                parent = parent.parent
            self._move_to(code_id)

    def action_request(self, what: str) -> None:
        self.post_message(self.EditRequested(what, self.selected_code_id))

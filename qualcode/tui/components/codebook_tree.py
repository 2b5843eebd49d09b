"""Right panel: the codebook tree with each code's counts and shortcut key.

Each line is laid out by content: colour, shortcut key, counts (codings·participants,
as wide as the largest count needs) and then the name, so that a narrow panel shortens
the name (ending it with "…"), never the counts. A code with subcodes shows the counts
of its whole subtree (a participant once, as in the frequency table). `needed_width`
tells the screen how wide the panel must be for every name to show in full; the line
under the tree (CodebookDetail) shows the highlighted code's whole path and counts.

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

NAME_AT_LEAST = 8  # letters of a name kept however narrow the panel (then "…")
NOT_COUNTED = "…"  # in place of counts the counting worker has not posted yet


class CodebookTree(Tree[int]):
    # Priority bindings (acting only while the tree has the focus): the key opens its
    # dialog as it arrives, so letters typed right after it (a fast typist, a paste, a
    # slow link) are already the dialog's; as ordinary bindings they acted only after
    # bubbling up, and the letters behind "a" reached this tree, where "e" edits and "d"
    # deletes the highlighted code.
    BINDINGS = [
        Binding("a", "request('add')", "Add code", priority=True),
        Binding("A", "request('add_child')", "Add child", show=False, priority=True),
        Binding("r", "request('rename')", "Rename", priority=True),
        Binding("e", "request('edit')", "Edit", priority=True),
        Binding("m", "request('move')", "Move", priority=True),
        Binding("M", "request('merge')", "Merge", priority=True),
        Binding("delete,d", "request('delete')", "Delete", priority=True),
    ]

    class CountsChanged(Message):
        """Counts shown in the tree changed (the detail line may need them)."""

    class NeededWidthChanged(Message):
        """needed_width() changed (other names or wider counts): the screen may resize
        the panel."""

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
        self._usage: dict[int, tuple[int, int]] = {}  # the code's own (codings, participants)
        self._themes: dict[int, tuple[int, int]] = {}  # with subcodes: the whole subtree's
        self._children: dict[int | None, list[int]] = {}
        self._wanted: int | None = None  # code to put the cursor on once the tree is laid out
        self._width = 0  # content width the labels were laid out for
        self._needed = 0  # needed_width() when the screen was last told
        # False until the first corpus-wide count arrives (set_all_counts): until then the
        # counts show NOT_COUNTED, not blanks or "0 codings" that would read as real figures.
        self.counted = False

    @property
    def selected_code_id(self) -> int | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def populate(
        self,
        codes: list[Code],
        usage: dict[int, tuple[int, int]],
        themes: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        """Rebuild, keeping which codes were collapsed and where the cursor was.
        usage: code id -> its own (codings, participants); themes: code id -> the same for
        the code and its descendants, for codes with subcodes (Project.theme_usage)."""
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
        if themes is not None:
            self._themes = dict(themes)
        self._children = {}
        for c in codes:
            self._children.setdefault(c.parent_id, []).append(c.id)
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
        self._tell_needed_width()

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
        if self.scrollable_content_region.width != self._width:
            self._relabel()
        # The panel shrinks when suggestions appear below it: keep the highlighted code in view.
        cursor = self.cursor_node
        if cursor is not None:
            self.call_after_refresh(self.scroll_to_node, cursor, animate=False)

    # --- layout by content -------------------------------------------------------------
    def counts_of(self, code_id: int) -> tuple[int, int]:
        """(codings, participants) shown for a code: its subtree's when it has subcodes."""
        if code_id in self._themes:
            return self._themes[code_id]
        return self._usage.get(code_id, (0, 0))

    def is_counted(self, code_id: int) -> bool:
        """Whether the code's counts are known: after the first full count, or once a
        keystroke set this code's own (set_counts) and it has no subcodes."""
        return self.counted or (code_id in self._usage and code_id not in self._children)

    def _count_widths(self) -> tuple[int, int]:
        shown = [self.counts_of(c) for c in self._codes]
        return (
            max([len(str(n)) for n, _ in shown] + [1]),
            max([len(str(people)) for _, people in shown] + [1]),
        )

    def _lead(self, code: Code) -> int:
        """Cells before the label's name: the tree's guides and expand icon, then colour,
        shortcut and counts."""
        guides = self.guide_depth * code.depth
        icon = len(self.ICON_NODE_EXPANDED) if code.id in self._children else 0
        codings, people = self._count_widths()
        return guides + icon + 2 + 2 + codings + 1 + people + 1

    def needed_width(self) -> int:
        """Cells of tree content for every name in full (the panel adds its border and
        scrollbar)."""
        return max([self._lead(c) + len(c.name) for c in self._codes.values()] + [0])

    def _relabel(self) -> None:
        self._width = self.scrollable_content_region.width
        for code_id, node in self._code_nodes.items():
            node.set_label(self._label(self._codes[code_id]))
        self._tell_needed_width()

    def _tell_needed_width(self) -> None:
        needed = self.needed_width()
        if needed != self._needed:
            self._needed = needed
            self.post_message(self.NeededWidthChanged())

    def _label(self, code: Code) -> Text:
        # Fixed-width columns before the name, so a narrow panel cuts the name, not the counts.
        label = Text(no_wrap=True)
        label.append("■ ", style=code.colour or "white")
        label.append(
            f"{code.shortcut} " if code.shortcut else "  ",
            style="bold reverse" if code.shortcut else "",
        )
        codings, people = self._count_widths()
        n, who = self.counts_of(code.id)
        if not self.is_counted(code.id):
            counts = f"{NOT_COUNTED:>{codings}} {'':<{people}} "
        else:
            counts = f"{n:>{codings}}·{who:<{people}} " if n else " " * (codings + people + 2)
        label.append(counts, style="dim")
        room = max(NAME_AT_LEAST, self.scrollable_content_region.width - self._lead(code))
        name = code.name if len(code.name) <= room else code.name[: room - 1] + "…"
        label.append(name, style="bold" if code.id in self._children else "")
        return label

    def detail(self, code_id: int | None) -> str:
        """The highlighted code in full, for the line under the tree: its path, key and
        counts (those of its subtree for a code with subcodes); with no code highlighted,
        what the counts are."""
        code = self._codes.get(code_id) if code_id is not None else None
        if code is None:  # nothing highlighted yet: say what the numbers are
            return "codings·participants; a theme counts its subcodes' too"
        n, people = self.counts_of(code.id)
        parts = [code.path]
        if code.shortcut:
            parts.append(f"key {code.shortcut}")
        if not self.is_counted(code.id):
            return " · ".join([*parts, "counting codings…"])
        with_sub = " with its subcodes" if code.id in self._themes else ""
        parts.append(
            f"{n} coding{'' if n == 1 else 's'}, "
            f"{people} participant{'' if people == 1 else 's'}{with_sub}"
        )
        return " · ".join(parts)

    def set_all_counts(
        self, usage: dict[int, tuple[int, int]], themes: dict[int, tuple[int, int]] | None = None
    ) -> None:
        self._usage = dict(usage)
        if themes is not None:
            self._themes = dict(themes)
        self.counted = True
        self._relabel()
        self.post_message(self.CountsChanged())

    def set_counts(self, code_id: int, counts: tuple[int, int]) -> None:
        """One code's own counts after a keystroke (its ancestors' follow from the next
        full count, which the screen starts)."""
        widths = self._count_widths()
        self._usage[code_id] = counts
        if self._count_widths() != widths:
            self._relabel()  # a count gained a digit: every line's columns move
        elif code_id in self._code_nodes:
            self._code_nodes[code_id].set_label(self._label(self._codes[code_id]))
        self.post_message(self.CountsChanged())

    def select_code(self, code_id: int) -> None:
        if code_id in self._code_nodes:
            node = self._code_nodes[code_id]
            parent = node.parent
            while parent is not None:
                parent.expand()
                parent = parent.parent
            self._move_to(code_id)

    def action_request(self, what: str) -> None:
        """Ask the screen for an edit of the highlighted code. The screen's handler runs
        now, while the key is being handled, so that its dialog is on the screen before
        the next key is forwarded (a message would reach it only after those keys); a
        screen without one gets the message."""
        event = self.EditRequested(what, self.selected_code_id)
        edit_now = getattr(self.screen, "on_codebook_tree_edit_requested", None)
        if edit_now is not None:
            edit_now(event)
        else:
            self.post_message(event)

"""Left panel: participants with their documents (kind, attributes, share of text coded).

The shares come from a worker after the first paint; until then a document shows "…",
not 0%, which would read as "nothing coded".

A big corpus (thousands of documents) opens with participants collapsed and their
document leaves made only when a participant is expanded: Textual's Tree lays out every
node it holds, so this keeps the first paint fast. The tree's width is the widest line,
which Textual finds by rendering every label; get_label_width measures the plain label
text instead (about 20x cheaper on 2,300 participants), so only the rows on screen are
ever rendered.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from qualcode.models import DocumentInfo, Participant

EAGER_LIMIT = 200  # up to this many documents, every participant opens expanded
NOT_COUNTED = "…"  # in place of a figure the counting worker has not posted yet


class ParticipantsTree(Tree[int]):
    """Participant nodes hold no data; document leaves hold the document id."""

    _adding = False  # populate() adds many nodes: invalidate once, at the end (class
    # level: Tree's __init__ invalidates before ours runs)

    class DocumentChosen(Message):
        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    def __init__(self, **kwargs) -> None:
        super().__init__("Participants", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._leaves: dict[int, TreeNode[int]] = {}
        self._titles: dict[int, Text] = {}
        self._coverage: dict[int, float] = {}
        # participant node -> leaves not made yet
        self._pending: dict[TreeNode[int], list[DocumentInfo]] = {}
        self._parent_of: dict[int, TreeNode[int]] = {}
        self._order: list[int] = []

    def _invalidate(self) -> None:
        # Tree invalidates (resetting every node) after each add: quadratic on 2,300
        # participants. populate() adds them all, then invalidates once.
        if not self._adding:
            super()._invalidate()

    def get_label_width(self, node) -> int:
        """The label's width in cells without rendering it: the expand icon (for a
        participant) and the label text, as Tree.render_label draws them."""
        icon = self.ICON_NODE if node.allow_expand else ""
        return len(icon) + node.label.cell_len

    def populate(
        self,
        participants: list[Participant],
        documents: list[DocumentInfo],
        coverage: dict[int, float],
    ) -> None:
        self.clear()
        self._leaves.clear()
        self._pending.clear()
        self._parent_of.clear()
        self._coverage = dict(coverage)
        self._order = [d.id for d in documents]
        by_pid: dict[str | None, list[DocumentInfo]] = {}
        for doc in documents:
            by_pid.setdefault(doc.participant, []).append(doc)
        groups: list[tuple[str | None, dict[str, str]]] = [
            (p.pid, p.attributes) for p in participants if p.pid in by_pid
        ]
        if None in by_pid:
            groups.append((None, {}))
        eager = len(documents) <= EAGER_LIMIT
        self._adding = True
        try:
            self._add_groups(groups, by_pid, eager)
        finally:
            self._adding = False
            self._invalidate()

    def _add_groups(self, groups, by_pid, eager: bool) -> None:
        for pid, attributes in groups:
            label = Text(pid or "(no participant)", style="bold")
            if attributes:
                label.append("  " + " · ".join(attributes.values()), style="dim")
            node = self.root.add(label, expand=eager, allow_expand=True)
            for doc in by_pid[pid]:
                self._titles[doc.id] = Text(f"{doc.kind}" if pid else doc.title)
                self._parent_of[doc.id] = node
            if eager:
                self._make_leaves(node, by_pid[pid])
            else:
                self._pending[node] = by_pid[pid]

    def _make_leaves(self, node, docs: list[DocumentInfo]) -> None:
        for doc in docs:
            self._leaves[doc.id] = node.add_leaf(self._doc_label(doc.id), data=doc.id)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        docs = self._pending.pop(event.node, None)
        if docs is not None:
            self._make_leaves(event.node, docs)

    def _doc_label(self, doc_id: int) -> Text:
        # The share first, so a narrow panel cuts the title rather than the number.
        share = self._coverage.get(doc_id)
        if share is None:  # not counted yet (the worker posts it): not a real 0%
            label = Text(f"{NOT_COUNTED:>4} ", style="dim")
        else:
            label = Text(f"{share:4.0%} ", style="dim" if share == 0 else "green")
        label.append_text(self._titles[doc_id])
        return label

    def set_coverage(self, doc_id: int, share: float) -> None:
        self._coverage[doc_id] = share
        leaf = self._leaves.get(doc_id)
        if leaf is not None:
            leaf.set_label(self._doc_label(doc_id))

    def first_document(self) -> int | None:
        return self._order[0] if self._order else None

    def highlight_document(self, doc_id: int) -> None:
        parent = self._parent_of.get(doc_id)
        if parent is None:
            return
        docs = self._pending.pop(parent, None)
        if docs is not None:
            self._make_leaves(parent, docs)
        parent.expand()
        self.call_after_refresh(self.move_cursor, self._leaves[doc_id])

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            event.stop()
            self.post_message(self.DocumentChosen(event.node.data))

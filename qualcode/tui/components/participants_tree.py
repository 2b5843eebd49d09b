"""Left panel: participants with their documents (kind, attributes, share of text coded)."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

from qualcode.models import DocumentInfo, Participant


class ParticipantsTree(Tree[int]):
    """Participant nodes hold no data; document leaves hold the document id."""

    class DocumentChosen(Message):
        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    def __init__(self, **kwargs) -> None:
        super().__init__("Participants", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._leaves: dict[int, object] = {}
        self._titles: dict[int, Text] = {}

    def populate(self, participants: list[Participant], documents: list[DocumentInfo], coverage: dict[int, float]) -> None:
        self.clear()
        self._leaves.clear()
        by_pid: dict[str | None, list[DocumentInfo]] = {}
        for doc in documents:
            by_pid.setdefault(doc.participant, []).append(doc)
        groups = [(p.pid, p.attributes) for p in participants if p.pid in by_pid]
        if None in by_pid:
            groups.append((None, {}))
        for pid, attributes in groups:
            label = Text(pid or "(no participant)", style="bold")
            if attributes:
                label.append("  " + " · ".join(attributes.values()), style="dim")
            node = self.root.add(label, expand=True)
            for doc in by_pid[pid]:
                self._titles[doc.id] = Text(f"{doc.kind}" if pid else doc.title)
                leaf = node.add_leaf(self._doc_label(doc.id, coverage.get(doc.id, 0.0)), data=doc.id)
                self._leaves[doc.id] = leaf

    def _doc_label(self, doc_id: int, share: float) -> Text:
        # The share first, so a narrow panel cuts the title rather than the number.
        label = Text(f"{share:4.0%} ", style="dim" if share == 0 else "green")
        label.append_text(self._titles[doc_id])
        return label

    def set_coverage(self, doc_id: int, share: float) -> None:
        leaf = self._leaves.get(doc_id)
        if leaf is not None:
            leaf.set_label(self._doc_label(doc_id, share))

    def first_document(self) -> int | None:
        return next(iter(self._leaves), None)

    def highlight_document(self, doc_id: int) -> None:
        leaf = self._leaves.get(doc_id)
        if leaf is not None:
            self.move_cursor(leaf)

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            event.stop()
            self.post_message(self.DocumentChosen(event.node.data))

"""Disagreement review: walk the passages two coders disagree on, code by code, and
resolve each one as a consensus coder.

The list holds every passage of one code coded by one coder and not the other
(project.disagreement_queue); the panel below shows the highlighted one in its context.
`a` keeps coder A's codings over it (A's own boundaries), `b` B's, `k` both (their
union), `d` drops it (no consensus coding). Each decision is written at once as codings
by the consensus coder (counted in every table like any coder) and can be undone with
`u` or ctrl+z; the cursor then moves to the next open passage. Only the documents both
coders coded in are reviewed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.facade.agreement import CONSENSUS, Disagreement
from qualcode.tui.components.footer import KeyFooter
from qualcode.undo import AddCodings, UndoStack

CHOICES = {"a": "kept A's", "b": "kept B's", "both": "kept both", "drop": "dropped"}


class ReviewScreen(Screen):
    """Resolve the disagreements between coder_a and coder_b."""

    DEFAULT_CSS = """
    ReviewScreen #review-list { height: 1fr; }
    ReviewScreen #review-passage {
        height: auto; max-height: 14; padding: 0 1; border-top: solid $primary;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("a", "resolve('a')", "Keep A's"),
        Binding("b", "resolve('b')", "Keep B's"),
        Binding("k", "resolve('both')", "Keep both"),
        Binding("d", "resolve('drop')", "Drop"),
        Binding("u,ctrl+z", "undo", "Undo"),
    ]

    def __init__(self, project, coder_a: str, coder_b: str, consensus: str = CONSENSUS) -> None:
        super().__init__()
        self.project = project
        self.coder_a, self.coder_b, self.consensus = coder_a, coder_b, consensus
        self.items: list[Disagreement] = []
        self.decisions: dict[int, str] = {}  # item index -> how it was resolved
        self.undo_stack = UndoStack()
        self._undo_items: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(id="review-title", markup=False)
        yield OptionList(id="review-list")
        yield Static(id="review-passage", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        try:
            self.items = self.project.disagreement_queue(self.coder_a, self.coder_b, self.consensus)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
        self.decisions = {i: "consensus" for i, item in enumerate(self.items) if item.resolved}
        listing = self.query_one(OptionList)
        listing.add_options([Option(self._label(i), id=str(i)) for i in range(len(self.items))])
        self._update_title()
        listing.focus()
        if self.items:
            listing.highlighted = self._next_open(0)
        self._show_passage()

    # --- display ---------------------------------------------------------------------
    def _label(self, i: int) -> Content:
        item = self.items[i]
        done = self.decisions.get(i)
        mark = f"[{CHOICES.get(done, done)}] " if done else ""
        who = "A" if item.who == self.coder_a else "B"
        return Content.from_markup(
            "$mark$code  $who $doc $span  [dim]$coder only[/]",
            mark=mark,
            code=item.code,
            who=item.participant,
            doc=item.document,
            span=f"{item.start}-{item.end}",
            coder=f"{who} ({item.who})",
        )

    def _update_title(self) -> None:
        done = len(self.decisions)
        self.query_one("#review-title", Static).update(
            f"Disagreements: {self.coder_a} (A) and {self.coder_b} (B) -> {self.consensus} · "
            f"{done} of {len(self.items)} resolved · a: keep A's  b: keep B's  k: keep both  "
            "d: drop  u: undo"
        )

    def _show_passage(self) -> None:
        panel = self.query_one("#review-passage", Static)
        i = self.query_one(OptionList).highlighted
        if i is None or not self.items:
            panel.update("No disagreements between these coders." if not self.items else "")
            return
        item = self.items[i]
        panel.update(
            Content.assemble(
                (
                    f"{item.code} · {item.participant} {item.document} {item.start}-{item.end} · "
                    f"coded by {item.who} only\n",
                    "bold",
                ),  # fmt: skip
                ("…" + " ".join(item.before.split()) + " ", "dim"),
                (" ".join(item.text.split()), "reverse"),
                (" " + " ".join(item.after.split()) + "…", "dim"),
            )
        )

    def on_option_list_option_highlighted(self, _event) -> None:
        self._show_passage()

    def _refresh_row(self, i: int) -> None:
        self.query_one(OptionList).replace_option_prompt_at_index(i, self._label(i))
        self._update_title()

    def _next_open(self, start: int) -> int:
        for j in list(range(start, len(self.items))) + list(range(0, start)):
            if j not in self.decisions:
                return j
        return min(start, max(len(self.items) - 1, 0))

    # --- actions ---------------------------------------------------------------------
    def action_resolve(self, choice: str) -> None:
        listing = self.query_one(OptionList)
        i = listing.highlighted
        if i is None or not self.items:
            return
        if i in self.decisions:
            self.notify("Already resolved (u undoes the last decision).", severity="warning")
            return
        item = self.items[i]
        try:
            spans = self.project.resolution_spans(item, choice, self.coder_a, self.coder_b)
            rows = [(item.document_id, s, e, item.code_id) for s, e in spans]
            existing = {
                (c.start, c.end)
                for c in self.project.codings(item.document_id, item.code_id)
                if c.coder == self.consensus
            }
            rows = [r for r in rows if (r[1], r[2]) not in existing]
            self.undo_stack.run(
                AddCodings(rows, self.consensus, label="resolve disagreement"), self.project
            )
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.decisions[i] = choice
        self._undo_items.append(i)
        self._refresh_row(i)
        listing.highlighted = self._next_open(i)
        self._show_passage()

    def action_undo(self) -> None:
        if not self._undo_items:
            self.notify("Nothing to undo.", severity="warning")
            return
        try:
            self.undo_stack.undo(self.project)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        i = self._undo_items.pop()
        del self.decisions[i]
        self._refresh_row(i)
        self.query_one(OptionList).highlighted = i
        self._show_passage()

    def action_close(self) -> None:
        self.app.pop_screen()

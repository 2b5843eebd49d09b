"""Corpus-wide counts of the main screen: codings and participants per code, coverage per
document.

A mixin of MainScreen (kept apart to keep each file short). The full counts run in a worker
thread with its own Project (SQLite connections stay in their thread); after one coding
keystroke only the changed code's row is updated, from the loaded counts (what other
sessions change is picked up by qualcode/tui/screens/other_sessions.py).
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.screens.main_part import MainScreenPart


class CountsReady(Message):
    """Corpus-wide counts from the worker thread."""

    def __init__(
        self,
        usage: dict[int, tuple[int, int]],
        coverage: dict[int, float],
        version: int,
        themes: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        super().__init__()
        self.version = version  # the screen's change counter when the counting started
        self.usage = usage
        self.coverage = coverage
        self.themes = themes or {}  # codes with subcodes: the whole subtree's counts


class CorpusCounts(MainScreenPart):
    # A plain mixin: Textual finds handlers here by name (its @on only registers in widget classes).
    def load_counts(self) -> None:
        self._count_in_thread(self._version)

    @work(thread=True, exclusive=True, exit_on_error=False, group="counts")
    def _count_in_thread(self, version: int) -> None:
        with self.project.another_connection() as project:  # this thread's own connection
            usage, coverage = project.code_usage(), project.coverage()
            themes = project.theme_usage()
        self.post_message(CountsReady(usage, coverage, version, themes))

    def on_counts_ready(self, event: CountsReady) -> None:
        if event.version != self._version:
            self.load_counts()  # something changed while counting: count again
            return
        self._usage = event.usage
        self.query_one(CodebookTree).set_all_counts(event.usage, event.themes)
        tree = self.query_one(ParticipantsTree)
        for doc_id, share in event.coverage.items():
            tree.set_coverage(doc_id, share)

    def _counts_after(self, code_id: int, coding_id: int | None, step: int) -> tuple[int, int]:
        """A code's (codings, participants) after adding (+1) or removing (-1) one coding: updated
        from the loaded counts with one indexed lookup, not recounted over the whole corpus."""
        if not step or self.document_id is None or self.workers_running():
            return self.project.code_usage_of(code_id)
        n, people = self._usage.get(code_id, (0, 0))  # loaded counts leave out unused codes
        others = self.project.participant_has_code(self.document_id, code_id, besides=coding_id)
        if others is None and self.project.document_participants(self.document_id):
            # a focus group's: the coding counts for the participants of its turns
            self._usage[code_id] = self.project.code_usage_of(code_id)
            return self._usage[code_id]
        if others is False:
            people += step
        self._usage[code_id] = (n + step, people)
        return self._usage[code_id]

    def workers_running(self) -> bool:
        return any(w.group == "counts" and w.node is self and w.is_running for w in self.workers)

"""Corpus-wide counts of the main screen: codings and participants per code, coverage per
document.

A mixin of MainScreen (kept apart to keep each file short). The full counts run in a worker
thread with its own Project (SQLite connections stay in their thread); after one coding
keystroke only the changed code's row is updated, from the loaded counts.

Other sessions on the same project (another browser tab of `qualcode serve`, a second
terminal, the CLI) commit through their own connections: every OUTSIDE_POLL_SECONDS the
screen asks the project whether anyone else has committed (one PRAGMA read) and, if so,
reloads the codebook, the open document's codings and the counts.
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from qualcode.errors import QualcodeError
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.screens.main_part import MainScreenPart

OUTSIDE_POLL_SECONDS = 2.0


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
    def watch_other_sessions(self) -> None:
        """Start picking up what other sessions commit (called once the screen is mounted)."""
        self.project.changed_elsewhere()  # takes note of the current state
        self.set_interval(OUTSIDE_POLL_SECONDS, self.pick_up_other_sessions)

    def pick_up_other_sessions(self) -> bool:
        """Reload what another connection may have changed; False if nothing was committed."""
        if getattr(self.app, "project", self.project) is not self.project:
            return False  # this project is being closed (another one opened): leave it be
        try:
            if not self.project.changed_elsewhere():
                return False
        except QualcodeError:  # busy or damaged: said when it matters (a write), not here
            return False
        self._version += 1  # counts being loaded now may predate the change
        if list(self.codes_by_id.values()) != self.project.codes():
            self.refresh_codebook()
        if [d.id for d in self.documents] != [d.id for d in self.project.documents()]:
            self.reload_documents()
        view = self.query_one(DocumentView)
        before = {(s.id, s.start, s.end, s.code_id) for s in view.spans}
        self.reload_spans()
        if {(s.id, s.start, s.end, s.code_id) for s in view.spans} != before:
            self.update_cursor_panels()  # only then: it would also reset the suggestions
        self.load_counts()
        return True

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

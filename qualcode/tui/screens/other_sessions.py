"""What other sessions change in the open project, followed on the main screen.

A mixin of MainScreen. Other sessions (another browser tab of `qualcode serve`, a second
terminal, the CLI: pseudonymise, delete-document, merge...) commit through their own
connections. Every OUTSIDE_POLL_SECONDS the screen asks the project whether anyone else has
committed (Project.changed_elsewhere: one PRAGMA read, then the audit log's new rows) and, if
so, compares what it shows with what is stored and reloads what differs: the codebook, the
participants and documents, the open document's text (keeping the cursor near the same
words, qualcode/tui/text_follow.py) and codings, and the counts. The open document deleted
elsewhere: the next one is shown (or an empty view), with a notice.

Codings carry the revision of the text the screen shows (models.text_revision), so that one
made in the moment before a change is picked up is refused by the facade (StaleTextError),
not saved on other words; the refusal reloads the text at once (`follow_stored`).
"""

from __future__ import annotations

import re

from textual.content import Content
from textual.widgets import Static

from qualcode.errors import NotFoundError, QualcodeError
from qualcode.models import Document, DocumentInfo
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.screens.main_part import MainScreenPart
from qualcode.tui.text_follow import follow_selection

OUTSIDE_POLL_SECONDS = 2.0
NO_DOCUMENTS = "No documents: ctrl+l imports"


class OtherSessions(MainScreenPart):
    # A plain mixin: Textual finds handlers here by name (its @on only registers in widget classes).
    def watch_other_sessions(self) -> None:
        """Start picking up what other sessions commit (called once the screen is mounted)."""
        self.project.changed_elsewhere()  # takes note of the current state
        self._participants_shown = self.project.participants()
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
        try:
            self.follow_stored()
        except NotFoundError:  # deleted between two of its reads: read it all again
            self.follow_stored()
        self.load_counts()
        return True

    def follow_stored(self) -> None:
        """Make the screen show what is stored: the codebook, the listing, the open
        document's text and codings (each reloaded only if it differs)."""
        if list(self.codes_by_id.values()) != self.project.codes():
            self.refresh_codebook()
        documents, participants = self.project.documents(), self.project.participants()
        doc = self._stored_open_document()
        if self.document_id is not None and doc is None:
            self._document_deleted(documents)
            return
        if documents != self.documents or participants != self._participants_shown:
            self.reload_documents()  # keeps the open document
            self._participants_shown = participants
            if doc is not None:
                self.show_title(doc)  # retitled, or its participant renamed
        view = self.query_one(DocumentView)
        if doc is not None and doc.text != view.text:
            self._reload_text(doc)
            return
        before = {(s.id, s.start, s.end, s.code_id) for s in view.spans}
        self.reload_spans()
        if {(s.id, s.start, s.end, s.code_id) for s in view.spans} != before:
            self.update_cursor_panels()  # only then: it would also reset the suggestions

    def _stored_open_document(self) -> Document | None:
        if self.document_id is None:
            return None
        try:
            return self.project.document(self.document_id)
        except NotFoundError:
            return None

    def _reload_text(self, doc: Document) -> None:
        """The open document's text changed elsewhere: show the stored one, the selection
        moved to the same words, the last search found again, and say so."""
        view = self.query_one(DocumentView)
        selection = follow_selection(view.text, doc.text, *view.selection)
        pattern = self._last_search
        self.show_document(doc.id, selection, doc)
        if pattern:
            try:
                view.search(pattern)
                self._last_search = pattern
            except re.error:
                pass
        self.notify(
            f"{doc.title} was changed by another session: its text and codings are reloaded",
            severity="warning",
            timeout=8,
            markup=False,
        )

    def _document_deleted(self, documents: list[DocumentInfo]) -> None:
        """The open document is gone: show the one after it in the old order (else the one
        before, else an empty view) and say so."""
        gone = self.document_id
        order = [d.id for d in self.documents]
        title = next((d.title for d in self.documents if d.id == gone), f"document {gone}")
        left = {d.id for d in documents}
        at = order.index(gone) if gone in order else len(order)
        after = [d for d in order[at + 1 :] + order[:at][::-1] if d in left]
        nearest = after[0] if after else (documents[0].id if documents else None)
        self.document_id = None
        self.documents = documents
        self._participants_shown = self.project.participants()
        self.query_one(ParticipantsTree).populate(self._participants_shown, documents, {})
        if nearest is not None:
            self.show_document(nearest)
        else:
            self.show_no_document()
        self.notify(f"{title} was deleted by another session", severity="warning", timeout=8)

    def show_no_document(self) -> None:
        """An empty view: no document is left to show."""
        self.document_id = None
        self._last_search = None
        self._revision = None
        view = self.query_one(DocumentView)
        view.load("")
        view.set_spans([])
        self.query_one("#doc-title", Static).update(Content(NO_DOCUMENTS), layout=False)
        self.update_cursor_panels()

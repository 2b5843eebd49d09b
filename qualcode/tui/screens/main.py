"""The main screen: participants and documents, the document, the codebook and codings.

Every change goes through the undo stack (qualcode.undo), which calls the facade and so
saves at once. Counts over the whole corpus (coverage per document, usage per code) are
kept by the CorpusCounts mixin (qualcode/tui/screens/corpus_counts.py); what other sessions
change is followed by the OtherSessions mixin (qualcode/tui/screens/other_sessions.py).
"""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Static

from qualcode.errors import QualcodeError, StaleTextError
from qualcode.models import Document, text_revision
from qualcode.plural import plural
from qualcode.project import Project
from qualcode.tui.coding_feedback import coding_place, removed_message
from qualcode.tui.components.codebook_detail import CodebookDetail
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.codings_panel import CodingsPanel
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.components.status_line import StatusLine
from qualcode.tui.components.suggestions import SuggestionsPanel
from qualcode.tui.keys import RESERVED_KEYS
from qualcode.tui.last_place import save_place, saved_place
from qualcode.tui.screens.busy_saving import BusySaving
from qualcode.tui.screens.code_picker import CodePickerScreen
from qualcode.tui.screens.codebook_editing import CodebookEditing
from qualcode.tui.screens.codebook_layout import CodebookLayout
from qualcode.tui.screens.corpus_counts import CorpusCounts
from qualcode.tui.screens.lazy_sentences import LazySentences
from qualcode.tui.screens.memo import MemoScreen
from qualcode.tui.screens.other_sessions import NO_DOCUMENTS, OtherSessions
from qualcode.tui.screens.prompt import PromptScreen
from qualcode.tui.span_index import DocSpan
from qualcode.undo import AddCoding, RemoveCoding, SetCodingMemo, UndoStack
from qualcode.words import count_words

PLACE_REST_SECONDS = 1.0  # the cursor at rest this long: the place is saved


class MainScreen(
    BusySaving,
    CodebookEditing,
    CodebookLayout,
    CorpusCounts,
    LazySentences,
    OtherSessions,
    Screen,
):
    BINDINGS = [
        Binding("c", "pick_code", "Code…"),
        # The single-letter keys that delete or accept act only where they belong (the
        # document, the suggestions): pressed in the participants or codebook panel they do
        # nothing (check_action). The command palette runs the unchecked actions.
        Binding("x", "key_remove_coding", "Uncode"),
        Binding("m", "edit_memo", "Memo"),
        Binding("right_square_bracket", "jump(1)", "Next coding", key_display="]"),
        Binding("left_square_bracket", "jump(-1)", "Prev coding", show=False),
        Binding("right_curly_bracket", "jump_code(1)", "Next of code", show=False),
        Binding("left_curly_bracket", "jump_code(-1)", "Prev of code", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("n", "match(1)", "Next match", show=False),
        Binding("N", "match(-1)", "Prev match", show=False),
        Binding("a", "key_accept_suggestion", "Accept suggestion"),
        Binding("d", "key_dismiss_suggestions", "Dismiss", show=False),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.undo_stack = UndoStack()
        self.document_id: int | None = None
        self._revision: str | None = None  # models.text_revision of the text shown
        self._usage: dict[int, tuple[int, int]] = {}
        self._version = 0  # bumped by every change, so stale corpus counts can be told apart
        self._last_search: str | None = None  # in the open document
        self._selection = (0, 0)  # the document view's, as last shown in the panels
        self._place_timer: Timer | None = None
        self.init_busy_saving()

    # ---- layout and loading --------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield ParticipantsTree(id="participants")
            with Vertical(id="centre"):
                yield Static("", id="doc-title")
                yield DocumentView(id="document")
                yield StatusLine("", id="status")
            with Vertical(id="side"):
                yield CodebookTree(id="codebook")
                yield CodebookDetail(id="codebook-detail")
                yield Static("Codings at the cursor", classes="panel-title")
                yield CodingsPanel(id="codings")
                yield SuggestionsPanel(id="suggestions")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.project.name
        self.sub_title = f"coder: {self.project.coder}"
        self.query_one("#participants", ParticipantsTree).border_title = "Participants"
        self.query_one("#codebook", CodebookTree).border_title = "Codebook"
        participants = self.query_one(ParticipantsTree)
        self.documents = self.project.documents()  # also offered by the command palette
        participants.populate(self.project.participants(), self.documents, {})
        self.refresh_codebook()
        place = saved_place(self.project, self.documents)  # where this coder left off, else R1
        first = place[0] if place else participants.first_document()
        if first is not None:
            self.show_document(first, place[1:] if place else None)
        else:
            self.query_one("#doc-title", Static).update(Content(NO_DOCUMENTS), layout=False)
        self.query_one(DocumentView).focus()
        # The corpus-wide counts come from a worker thread: started after the first frame,
        # which would otherwise share the interpreter with it.
        self.call_after_refresh(self.load_counts)
        self.watch_other_sessions()
        ask_coder = getattr(self.app, "ask_coder", None)
        if ask_coder is not None:  # says who codes, asking when nobody has said
            ask_coder(self.project)

    def remember_place(self) -> None:
        """Save the open document and selection for the next launch (the app calls this
        before closing the project; unmounting calls it too)."""
        save_place(self.project, self.document_id, self._selection)

    def on_unmount(self) -> None:
        self.remember_place()

    def close_suggestions(self) -> None:
        """Close the suggestions' own connection now (the app does before closing the project)."""
        for panel in self.query(SuggestionsPanel):
            panel.close_session()

    def reload_documents(self) -> None:
        """Documents were added (by the import dialog's own connection): list them, keeping the
        open document, the cursor and the undo history."""
        participants = self.query_one(ParticipantsTree)
        self.documents = self.project.documents()
        participants.populate(self.project.participants(), self.documents, {})
        if self.document_id is None:
            first = participants.first_document()
            if first is not None:
                self.open_document(first)
        else:
            participants.highlight_document(self.document_id)
        self.load_counts()
        self.segment_pending(self.document_id)

    def refresh_codebook(self) -> None:
        self.codes_by_id = {c.id: c for c in self.project.codes()}
        # A shortcut on a workbench key (from an imported codebook) would shadow that key: skip it.
        self.shortcuts = {
            c.shortcut: c.id
            for c in self.codes_by_id.values()
            if c.shortcut and c.shortcut not in RESERVED_KEYS
        }
        self.query_one(CodebookTree).populate(list(self.codes_by_id.values()), self._usage)

    def show_document(
        self, doc_id: int, selection: tuple[int, int] | None = None, doc: Document | None = None
    ) -> None:
        """Open the document (`doc` if already read), at `selection` (start, end) if given,
        else at its first unit; that place is saved at once."""
        if doc is None:
            doc = self.project.document(doc_id)
        self.document_id = doc_id
        self._revision = text_revision(doc.text)
        self._last_search = None  # loading a document clears its matches
        view = self.query_one(DocumentView)
        view.load(doc.text, self.project.segment_units(doc_id, ensure=False))
        if selection is not None:
            view.select(*selection)
        else:  # at the top, not at the last document's scroll offset
            view.scroll_home(animate=False)
        self.segment_pending(doc_id)  # sentences an import left for later, in a worker
        self.reload_spans()
        self.show_title(doc)
        self.query_one(ParticipantsTree).highlight_document(doc_id)
        self.update_cursor_panels()
        save_place(self.project, doc_id, view.selection)

    def show_title(self, doc: Document) -> None:
        title = " · ".join(x for x in (doc.participant, doc.kind, doc.title) if x)
        self.query_one("#doc-title", Static).update(Content(title), layout=False)

    def reload_spans(self) -> None:
        if self.document_id is None:
            return
        view = self.query_one(DocumentView)
        view.set_spans([self._span(c) for c in self.project.codings(document=self.document_id)])

    def _span(self, coding) -> DocSpan:
        code = self.codes_by_id.get(coding.code_id)
        return DocSpan(
            coding.id,
            coding.start,
            coding.end,
            (code.colour if code and code.colour else "#808080"),
            coding.code_id,
        )

    @on(ParticipantsTree.DocumentChosen)
    def _document_chosen(self, event: ParticipantsTree.DocumentChosen) -> None:
        self.open_document(event.document_id)

    def open_document(self, doc_id: int) -> None:
        self.show_document(doc_id)
        self.query_one(DocumentView).focus()

    # ---- cursor panels -------------------------------------------------------------
    @on(DocumentView.SelectionChanged)
    def _selection_changed(self, event: DocumentView.SelectionChanged) -> None:
        self.update_cursor_panels()

    def update_cursor_panels(self) -> None:
        view = self.query_one(DocumentView)
        start, end = self._selection = view.selection  # kept for saving after the view is gone
        # The place is saved once the cursor rests, so that a killed terminal or a power
        # cut reopens where the coder was (one small write per rest, none per keystroke).
        if self._place_timer is not None:
            self._place_timer.stop()
        self._place_timer = self.set_timer(PLACE_REST_SECONDS, self.remember_place)
        codings = [
            self.project.coding(s.id) for s in view.spans_at(start, end if end > start else None)
        ]
        self.query_one(CodingsPanel).show(codings, self.codes_by_id)
        self.show_status()
        if getattr(self.app, "suggestions", True):
            present = frozenset(c.code_id for c in codings if c.start <= start and c.end >= end)
            self.query_one(SuggestionsPanel).selection_moved(
                self.project, self.document_id, start, end, self.codes_by_id, present
            )

    def show_status(self) -> None:
        """The selection's unit, offsets and words and the document's codings."""
        view = self.query_one(DocumentView)
        start, end = view.selection
        words = count_words(view.text[start:end])
        self.query_one(StatusLine).show(view.unit, start, end, words, len(view.spans))

    # ---- coding ----------------------------------------------------------------------
    def on_key(self, event) -> None:
        # Code shortcuts (1-9, letters) act only while the document has the focus.
        if not isinstance(self.focused, DocumentView) or not event.character:
            return
        code_id = self.shortcuts.get(event.character)
        if code_id is not None:
            event.stop()
            event.prevent_default()
            # Queued behind the keys before it: a key binding (j, ], ...) acts only when its key
            # bubbles back up to the app, so keys arriving together ("j1" over a slow link or
            # from a browser) would otherwise code the selection before it moved.
            self.app.call_later(self.code_selection, code_id)

    def code_selection(self, code_id: int, revision: str | None = None) -> None:
        """Code the selection; `revision`: of the text the coder chose it on, when that was
        before now (a dialog was open), else the text shown now."""
        view = self.query_one(DocumentView)
        start, end = view.selection
        if self.document_id is None or start >= end:
            self.notify("Select some text first.", severity="warning")
            return
        document_id = self.document_id

        def saved(coding) -> None:  # at once, or when a busy project is free again
            if self.document_id == document_id:
                view.add_span(self._span(coding))
            self.after_coding_change(code_id, coding.id, +1)

        # The revision of the text shown: refused, not saved on other words, if another
        # session changed the text in the moment before the screen picked that up.
        action = AddCoding(document_id, start, end, code_id, revision=revision or self._revision)
        self.run_undoable(action, saved)

    def after_coding_change(
        self, code_id: int | None, coding_id: int | None = None, step: int = 0
    ) -> None:
        self._version += 1
        if code_id is not None and code_id in self.codes_by_id:
            self.query_one(CodebookTree).set_counts(
                code_id, self._counts_after(code_id, coding_id, step)
            )
            if self.codes_by_id[code_id].parent_id is not None:
                # Its themes count the subtree's participants: recount in the background.
                self.load_counts()
        if self.document_id is not None:
            share = self.project.coverage(self.document_id).get(self.document_id, 0.0)
            self.query_one(ParticipantsTree).set_coverage(self.document_id, share)
        self.update_cursor_panels()

    def action_pick_code(self) -> None:
        shown = self._revision  # the text may be reloaded while the picker is open

        def chosen(code_id: int | None) -> None:
            if code_id is not None:
                self.code_selection(code_id, shown)

        self.app.push_screen(CodePickerScreen(list(self.codes_by_id.values())), chosen)

    def action_remove_coding(self) -> None:
        view = self.query_one(DocumentView)
        start, end = view.selection
        spans = view.spans_at(start, end if end > start else None)
        if not spans:
            self.notify("No coding under the cursor.", severity="warning")
            return
        span = spans[0]

        def removed(coding) -> None:
            view.remove_span(span.id)
            self.after_coding_change(span.code_id, span.id, -1)
            self.notify(removed_message(coding, self.codes_by_id), timeout=4, markup=False)

        self.run_undoable(RemoveCoding(span.id, revision=self._revision), removed)

    def action_edit_memo(self, coding_id: int | None = None) -> None:
        if coding_id is None:
            view = self.query_one(DocumentView)
            spans = view.spans_at(
                view.selection[0],
                view.selection[1] if view.selection[1] > view.selection[0] else None,
            )
            if not spans:
                self.notify("No coding under the cursor.", severity="warning")
                return
            coding_id = spans[0].id
        coding = self.project.coding(coding_id)
        code = self.codes_by_id.get(coding.code_id)
        heading = f"Memo on {code.path if code else coding.code_id} ({coding.start}-{coding.end})"

        current = self.project.coding_memo(coding_id)

        def saved(memo: str | None) -> None:
            if memo is not None and memo != current:
                self.run_undoable(
                    SetCodingMemo(coding_id, memo), lambda _: self.update_cursor_panels()
                )

        self.app.push_screen(MemoScreen(heading, current), saved)

    @on(CodingsPanel.MemoRequested)
    def _memo_requested(self, event: CodingsPanel.MemoRequested) -> None:
        self.action_edit_memo(event.coding_id)

    # ---- navigation ------------------------------------------------------------------
    def action_jump(self, direction: int, code_id: int | None = None) -> None:
        view = self.query_one(DocumentView)
        span = view.next_span(direction, code_id)
        if span is None:
            self.notify("No more codings that way.", timeout=2)
            return
        view.select(span.start, span.end)

    def action_jump_code(self, direction: int) -> None:
        code_id = self.query_one(CodebookTree).selected_code_id
        if code_id is None:
            self.notify("Highlight a code in the codebook first.", severity="warning")
            return
        self.action_jump(direction, code_id)

    def action_search(self) -> None:
        def searched(pattern: str | None) -> None:
            if pattern is None:
                return
            view = self.query_one(DocumentView)
            try:
                count = view.search(pattern)
            except re.error as exc:
                self.notify(f"Not a regular expression: {exc}", severity="error", markup=False)
                return
            self._last_search = pattern
            self.notify(plural(count, "match"), timeout=2, markup=False)
            if count:
                view.next_match(1)

        self.app.push_screen(
            PromptScreen("Search (regular expression):", placeholder=r"e.g. \bICU\b"), searched
        )

    def action_match(self, direction: int) -> None:
        if not self.query_one(DocumentView).next_match(direction):
            searched = self._last_search
            self.notify(
                f"No match for {searched!r} (/ searches again)."
                if searched
                else "No search (press /).",
                timeout=2,
                markup=False,
            )

    def action_cycle_unit(self) -> None:
        self.query_one(DocumentView).action_cycle_unit()

    def action_codebook(self, what: str) -> None:
        """Codebook edits from the command palette act on the highlighted code; with none
        highlighted (the codebook never focused) they ask which code first."""
        code_id = self.query_one(CodebookTree).selected_code_id
        if code_id is None and what != "add":
            verb = "Add a code under" if what == "add_child" else what.capitalize()

            def chosen(picked: int | None) -> None:
                if picked is not None:
                    self.on_codebook_tree_edit_requested(CodebookTree.EditRequested(what, picked))

            self.app.push_screen(
                CodePickerScreen(list(self.codes_by_id.values()), f"{verb} which code?"), chosen
            )
            return
        self.on_codebook_tree_edit_requested(CodebookTree.EditRequested(what, code_id))

    # ---- suggestions -----------------------------------------------------------------
    # Where each single-letter key may act: the widget with the focus must be one of these.
    KEY_PLACES: dict[str, tuple[type, ...]] = {
        "key_remove_coding": (DocumentView,),
        "key_accept_suggestion": (DocumentView, SuggestionsPanel),
        "key_dismiss_suggestions": (DocumentView, SuggestionsPanel),
    }

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        places = self.KEY_PLACES.get(action)
        if places is not None and not isinstance(self.focused, places):
            return False  # not here: the key does nothing (and is not shown in the footer)
        if action.removeprefix("key_") in ("accept_suggestion", "dismiss_suggestions"):
            return self.query_one(SuggestionsPanel).has_suggestions
        return True

    def action_key_remove_coding(self) -> None:
        self.action_remove_coding()

    def action_key_accept_suggestion(self) -> None:
        self.action_accept_suggestion()

    def action_key_dismiss_suggestions(self) -> None:
        self.action_dismiss_suggestions()

    def action_accept_suggestion(self) -> None:
        panel = self.query_one(SuggestionsPanel)
        code_id = panel.take_top()
        if code_id is not None:
            self.code_selection(code_id)
        elif panel.looking:
            self.notify("The suggestions for this selection are still being looked up.", timeout=2)

    def action_dismiss_suggestions(self) -> None:
        self.query_one(SuggestionsPanel).dismiss()
        self.refresh_bindings()

    # ---- undo ------------------------------------------------------------------------
    def action_undo(self) -> None:
        self._undo_redo(self.undo_stack.undo, "Undid")

    def action_redo(self) -> None:
        self._undo_redo(self.undo_stack.redo, "Redid")

    def _undo_redo(self, step, verb: str) -> None:
        if self.pending_changes:
            self.notify(
                f"project busy: {plural(self.pending_changes, 'change')} waiting to be saved first",
                severity="warning",
                markup=False,
            )
            return
        try:
            action = step(self.project)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            if isinstance(exc, StaleTextError):
                self.follow_stored()
            return
        if action is None:
            if verb == "Undid":  # the stack is this session's: say where older changes are
                self.notify(
                    "Nothing to undo in this session: `qualcode undo "
                    f"{self.project.path.name}` undoes earlier changes (`qualcode log` lists them).",
                    timeout=6,
                    markup=False,
                )
            else:
                self.notify("Nothing to redo.", timeout=2)
            return
        self.refresh_codebook()
        place = coding_place(action, self.project)
        if place is not None and place[0] != self.document_id:
            self.show_document(place[0])  # show what was undone, not only the open document
        else:
            self.reload_spans()
        if place is not None:
            self.query_one(DocumentView).select(place[1], place[2])
        self.after_coding_change(None)
        self.load_counts()
        self.notify(f"{verb}: {action.label}", timeout=2, markup=False)

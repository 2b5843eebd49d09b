"""The typed base of MainScreen's parts (BusySaving, CodebookEditing, CorpusCounts).

The parts are plain mixins at run time (Textual finds their handlers by name); for the type
checker they are Screens that also have what MainScreen defines and they call: the open
project, the codes by id, the counts, and the refresh and undo methods declared below
(implemented in qualcode/tui/screens/main.py, where mypy checks them against these).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

    from qualcode.models import Code, Document, DocumentInfo, Participant
    from qualcode.project import Project
    from qualcode.undo import Action, UndoStack

    _ScreenBase = Screen[Any]
else:
    _ScreenBase = object


class MainScreenPart(_ScreenBase):
    """What MainScreen's parts share with it."""

    project: Project
    undo_stack: UndoStack
    codes_by_id: dict[int, Code]
    document_id: int | None
    documents: list[DocumentInfo]
    _usage: dict[int, tuple[int, int]]
    _version: int  # bumped by every change, so stale corpus counts can be told apart
    _revision: str | None  # models.text_revision of the open document's text as shown
    _last_search: str | None
    _participants_shown: list[Participant]

    if TYPE_CHECKING:

        def refresh_codebook(self) -> None: ...
        def reload_spans(self) -> None: ...
        def show_document(
            self,
            doc_id: int,
            selection: tuple[int, int] | None = None,
            doc: Document | None = None,
        ) -> None: ...
        def show_title(self, doc: Document) -> None: ...
        def follow_stored(self) -> None: ...
        def reload_documents(self) -> None: ...
        def update_cursor_panels(self) -> None: ...
        def load_counts(self) -> None: ...
        def after_coding_change(
            self, code_id: int | None, coding_id: int | None = None, step: int = 0
        ) -> None: ...
        def run_undoable(
            self, action: Action, then: Callable[[Any], None] | None = None
        ) -> Any: ...
        def try_action(self, action: Action) -> tuple[Any, str | None]: ...

"""Sentences an import left for later, segmented off the keystroke path.

A mixin of MainScreen. A document opens at once with the sentence units the view
guesses by itself (text_units' fallback); a worker thread with its own Project segments
the open document first, then every other document still waiting, a few at a time so
that each write holds the lock briefly, and the view takes the real sentences as soon as
the open document's are stored. spaCy loads in that thread, never before the first paint.
A trained pipeline is slow (ja_ginza: about 2,400 characters a second on one core, an
hour's interview in about 8 s), so the header shows the worker's progress in characters
until nothing waits, and the segmenting itself runs in a child process
(qualcode.nlp.elsewhere): in this thread it held the interpreter lock, and coding keys
waited up to 3 s (bench/tui_ja.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

from textual import work
from textual.message import Message
from textual.worker import get_current_worker

from qualcode.plural import plural
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.screens.main_part import MainScreenPart

BATCH = 20  # documents segmented per transaction by the background worker


@contextmanager
def _segmenter(project, stop):
    """A SegmenterProcess for the project's pipeline, stopped as soon as `stop()` is
    true, or None (segment in this thread) when no child process can be started."""
    from qualcode.nlp.elsewhere import SegmenterProcess

    try:
        segmenter = SegmenterProcess(
            project.language, project.settings().get("spacy_model"), stop=stop
        )
    except (OSError, ValueError):  # no child process here: segment in this thread
        yield None
        return
    try:
        yield segmenter
    finally:
        segmenter.close()


class SentencesReady(Message):
    """The sentences of these documents are stored now."""

    def __init__(self, document_ids: list[int]) -> None:
        super().__init__()
        self.document_ids = document_ids


class SentencesProgress(Message):
    """`done` of `total` characters of the document(s) in hand are segmented; `left`
    documents wait in all (the open one first when `opened`)."""

    def __init__(self, done: int, total: int, left: int, opened: bool) -> None:
        super().__init__()
        self.done, self.total, self.left, self.opened = done, total, left, opened


class LazySentences(MainScreenPart):
    # A plain mixin: Textual finds handlers here by name.
    _sentences_worker: Any = None  # the running worker, and the document it does first
    _sentences_first: int | None = None

    def segment_pending(self, first: int | None) -> None:
        """Start segmenting what is waiting, the document `first` before the others
        (no-op when nothing waits)."""
        running = self._sentences_worker
        if running is not None and running.is_running and self._sentences_first == first:
            return  # already at it, this document first (a second start would load twice)
        if self.project.sentences_pending():
            self._sentences_first = first
            self._sentences_worker = self._segment_in_thread(first)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sentences")
    def _segment_in_thread(self, first: int | None) -> None:
        from qualcode.nlp.elsewhere import SegmenterStopped

        try:
            self._segment(first, get_current_worker())
        except SegmenterStopped:
            pass  # cancelled (the workbench quits, or another document was opened first)

    def _segment(self, first: int | None, worker) -> None:
        # The child is ended as soon as the worker is cancelled: Textual cancels the
        # workers when the app quits, and quitting waited for a whole batch (28 s).
        with (
            self.project.another_connection() as project,  # this thread's own connection
            _segmenter(project, lambda: worker.is_cancelled) as segmenter,
        ):
            left = project.sentences_pending()

            def report(opened: bool):
                return lambda done, total: self.post_message(
                    SentencesProgress(done, total, left, opened)
                )

            self.post_message(SentencesProgress(0, 1, left, False))
            if first is not None and project.ensure_sentences([first], report(True), segmenter):
                self.post_message(SentencesReady([first]))
            while not worker.is_cancelled:  # another document was opened: a new worker
                left = project.sentences_pending()
                batch = project.pending_documents(BATCH)
                if not batch:
                    break
                project.ensure_sentences(batch, report(False), segmenter)
                self.post_message(SentencesReady(batch))
            self.post_message(SentencesProgress(1, 1, 0, False))

    def on_sentences_progress(self, event: SentencesProgress) -> None:
        coder = f"coder: {self.project.coder}"
        if not event.left:
            self.sub_title = coder
            return
        which = "this document" if event.opened else f"{plural(event.left, 'document')} waiting"
        share = event.done / event.total if event.total else 1.0
        self.sub_title = f"{coder} · segmenting sentences: {share:.0%} of {which}"

    def on_sentences_ready(self, event: SentencesReady) -> None:
        if self.document_id in event.document_ids:
            units = self.project.segment_units(self.document_id, ensure=False)
            self.query_one(DocumentView).set_units("sentence", units.get("sentence", []))

"""A code suggester kept for a whole session, updated as the coder works.

The workbench asks for suggestions on every cursor rest. Refitting each time costs about
a second on a large project, and a Project connection may only be used by the thread
that opened it; so a SuggestionSession owns one project connection in one thread of its
own, keeps the fitted CodeSuggester, and before each answer learns the codings made
since the last one (`CodeSuggester.add`, milliseconds each). A request that is no longer
the newest when its turn comes is skipped (the cursor moved on). A new code, or fewer
codings than learnt (an undo, a merge), means a full refit, still in that thread.

The suggester's discriminative half (qualcode.suggest_linear) cannot learn one coding at
a time: after new codings were learnt, the session refits it in a second background
thread (`_refit_pool`) and the suggester swaps the new fit in when it is ready; asks in
the meantime use the previous fit, plus the centroids that already know the new codings.
A burst of codings queues many refits; all but the newest are skipped.

No Textual here: the TUI calls `ask` from a worker and posts the answer itself.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


class SuggestionSession:
    """One per open project in the workbench. `ask(...)` blocks its caller (a worker
    thread) until the answer; returns None when a newer request superseded it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggest")
        self._refit_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="suggest-refit")
        self._refit_ticket = 0
        self.linear_refits = 0  # background refits of the linear model done so far
        self._lock = threading.Lock()
        self._newest = 0
        self._project = None
        self._suggester: Any = None
        self._seen = 0  # largest coding id learnt
        self._state: tuple = ()
        self._count = 0
        self._version = -1
        self.refits = 0  # full fits so far (for tests and benchmarks)
        self.updates = 0  # codings learnt incrementally

    def ask(self, document_id: int, start: int, end: int, k: int = 3):
        """CodeSuggestions for the span, or None if superseded by a newer `ask`."""
        with self._lock:
            self._newest += 1
            ticket = self._newest
        return self._pool.submit(self._answer, ticket, document_id, start, end, k).result()

    def close(self, wait: bool = True) -> None:
        """Close the session's connection (in its thread) and stop the thread; pending
        requests are dropped. With wait=False this returns at once."""

        def shut() -> None:
            if self._project is not None:
                self._project.close()
                self._project = None

        with self._lock:
            self._newest += 1  # every queued request is now stale
            self._refit_ticket += 1  # and every queued refit
        self._pool.submit(shut)
        self._pool.shutdown(wait=wait)
        self._refit_pool.shutdown(wait=wait)

    def wait_for_refit(self) -> None:
        """Block until the background refits queued so far are done (tests, benchmarks)."""
        self._refit_pool.submit(lambda: None).result()

    # --- in the session's own thread ---------------------------------------------
    def _answer(self, ticket: int, document_id: int, start: int, end: int, k: int):
        if ticket != self._newest:
            return None  # stale: the cursor has moved on
        project, suggester = self._current()
        return project.suggest_codes(document_id, start, end, k, suggester=suggester)

    def _current(self):
        from qualcode.project import Project
        from qualcode.suggest import CodeSuggester

        if self._project is None:
            # The workbench's own open checked the file and made the day's backup.
            self._project = Project.open(self.path, daily_backup=False, check=False)
        project = self._project
        version = project.db.execute("PRAGMA data_version").fetchone()[0]
        if version != self._version:  # another connection (the workbench's) wrote
            project.forget_caches()
            self._version = version
        codes = [(c.id, c.path, c.description) for c in project.codes()]
        count = project.db.execute("SELECT count(*) FROM codings").fetchone()[0]
        state = (tuple(codes), project.language)
        if self._suggester is None or state != self._state or count < self._count:
            examples, self._seen = project.suggestion_examples()
            # the sentence model and the choice of weights come in the background
            self._suggester = CodeSuggester(codes, examples, lang=project.language, defer=True)
            self._state, self._count = state, count
            self.refits += 1
            self._schedule_refit(self._suggester)
        else:
            examples, self._seen = project.suggestion_examples(after=self._seen)
            for code_id, text, context in examples:
                self._suggester.add(code_id, text, context)
            self.updates += len(examples)
            self._count = count
            if examples:
                self._schedule_refit(self._suggester)
        return project, self._suggester

    def _schedule_refit(self, suggester) -> None:
        with self._lock:
            self._refit_ticket += 1
            ticket = self._refit_ticket
        self._refit_pool.submit(self._refit, suggester, ticket)

    # --- in the refit thread ------------------------------------------------------
    def _refit(self, suggester: Any, ticket: int) -> None:
        if ticket != self._refit_ticket or suggester is not self._suggester:
            return  # a newer refit is queued, or the suggester was replaced
        suggester.refit_linear()
        self.linear_refits += 1

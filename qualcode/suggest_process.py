"""The workbench's code suggester in a child process of its own.

A SuggestionSession (qualcode.suggest_session) in a thread of the workbench's process
shares the interpreter lock with the interface: its first fit (seconds of CPU on a large
project: hashing every coded passage, fitting the linear model) and each background
refit held the lock while the coder typed, and coding keys waited up to 0.4 s
(bench/tui.py, 120x40, suggestions on, load 3 on 2 cores). A SuggestionProcess runs the
same session in one child process (multiprocessing "spawn": no fork of a process with
threads, as qualcode.nlp.elsewhere), so fitting competes with the interface for a core
at most, never for the lock. The child opens the project itself (its own connection)
and answers one ask at a time, in order.

A request that is no longer the newest when its turn comes is skipped (answered None):
the parent counts asks in a shared integer that the child reads before answering.

No Textual here: the TUI calls `ask` from a worker and posts the answer itself.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from qualcode.child_process import real_stderr

CLOSE_SECONDS = 1.0  # how long closing waits for a busy child before ending it
_session: Any = None  # the child's SuggestionSession
_newest: Any = None  # the child's view of the parent's ask counter (multiprocessing.Value)


def _start(path: str, newest: Any) -> None:
    """The child's initializer: keep the shared counter, make the session."""
    global _session, _newest
    from qualcode.suggest_session import SuggestionSession

    _newest = newest
    _session = SuggestionSession(path)


def _warm() -> None:
    """Import the suggester's libraries before the first ask needs them."""
    import sklearn.svm  # noqa: F401

    import qualcode.suggest  # noqa: F401
    from qualcode import suggest_embed

    if suggest_embed.installed():  # PyTorch's import is most of the sentence model's start
        suggest_embed.import_library()


def _ask(ticket: int, document_id: int, start: int, end: int, k: int):
    if ticket != _newest.value:
        return None, _stats()  # stale: the cursor has moved on
    answer = _session.ask(document_id, start, end, k)
    return (None if answer is None else list(answer)), _stats()


def _wait_for_refit():
    _session.wait_for_refit()
    return _stats()


def _close() -> None:
    _session.close()


def _stats() -> tuple[int, int, int]:
    return _session.refits, _session.updates, _session.linear_refits


class SuggestionProcess:
    """One per open project in the workbench, with SuggestionSession's interface: `ask`
    blocks its caller (a worker thread) until the answer, a list of CodeSuggestion, or
    None when a newer ask superseded it. `refits`, `updates` and `linear_refits` are
    the child session's counters as of its last answer. Raises OSError or ValueError
    when no process can be started; a child that died is started again by the next ask
    (the ask that found it dead raises BrokenProcessPool). After `close`, asks answer None."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.refits = self.updates = self.linear_refits = 0
        self._closed = False
        self._start()

    def _start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        # The shared Value's lock starts multiprocessing's resource tracker (when no child
        # started it before), which is handed stderr: inside real_stderr too, or under
        # Textual it fails ("bad value(s) in fds_to_keep") and no suggestion ever shows.
        with real_stderr():  # see qualcode.child_process
            self._newest = context.Value("q", 0)
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_start,
                initargs=(str(self.path), self._newest),
            )
            self._pool.submit(_warm)  # starts the child now, not at the first ask

    def ask(self, document_id: int, start: int, end: int, k: int = 3):
        """CodeSuggestions for the span (code points of the document's text), or None
        if superseded by a newer `ask`."""
        with self._newest.get_lock():
            self._newest.value += 1
            ticket = self._newest.value
        if self._closed:
            return None
        try:
            future = self._pool.submit(_ask, ticket, document_id, start, end, k)
            answer, stats = future.result()
        except (BrokenProcessPool, RuntimeError):
            if self._closed:  # ended by `close` while this ask waited
                return None
            # the child died (killed, out of memory): start again for the next ask
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._start()
            raise
        self.refits, self.updates, self.linear_refits = stats
        return answer

    def wait_for_refit(self) -> None:
        """Block until the child's queued background refits are done (tests, benchmarks)."""
        self.refits, self.updates, self.linear_refits = self._pool.submit(_wait_for_refit).result()

    def close(self, wait: bool = True, timeout: float = CLOSE_SECONDS) -> None:
        """Close the child's connection and end it; pending asks are dropped. With
        wait=True this returns when the child has closed the project (its WAL folded
        in), or after `timeout` seconds, when the child is ended as it is (in the
        middle of a long fit, say: quitting must not wait for it; the child only reads,
        so ending it loses nothing)."""
        self._closed = True
        with self._newest.get_lock():
            self._newest.value += 1  # every queued ask is now stale
        try:
            closed = self._pool.submit(_close)
        except (BrokenProcessPool, RuntimeError):  # dead already, or shut down
            closed = None
        if wait and closed is not None:
            try:
                closed.result(timeout=timeout)
            except Exception:  # busy past the timeout, or died meanwhile
                pass
        if wait and (closed is None or not closed.done()):
            # ProcessPoolExecutor has no public way to end its workers before 3.14
            for process in list((self._pool._processes or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=wait, cancel_futures=True)

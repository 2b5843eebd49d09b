"""Saving through a busy project: the main screen never loses a change and never freezes.

A mixin of MainScreen. Every change runs as an undoable action (qualcode.undo). When another
program holds the project's write lock (an import, autocode, a second workbench), the write
waits only WAIT_MS, so the screen stays responsive; the action is then kept in a queue, the
status says "project busy: saving when free", and the queue is retried every RETRY_S seconds
in order. Each action's `then` callback (which shows the change on screen) runs once it is
saved. A change that fails for another reason (disk full, a damaged file, a coding whose
document was deleted meanwhile) is dropped from the queue and reported in one line.
Quitting with changes still queued asks for a second ctrl+q (see QualcodeApp.action_quit).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from qualcode.errors import ProjectBusyError, QualcodeError, StaleTextError
from qualcode.plural import plural
from qualcode.tui.screens.main_part import MainScreenPart

WAIT_MS = 250  # one attempt's wait for the lock, on the UI thread
RETRY_S = 1.0  # between attempts while changes are queued
STILL_BUSY_S = 30.0  # then say again, louder, that changes are waiting
BUSY_MESSAGE = "project busy: saving when free"


class BusySaving(MainScreenPart):
    # A plain mixin of MainScreen at run time (Textual finds nothing to register here).
    _pending: list[tuple[Any, Callable[[Any], None] | None]]
    _busy_since: float | None = None
    _warned_still_busy = False

    def init_busy_saving(self) -> None:
        self._pending = []
        self._busy_since = None
        self.project.set_busy_timeout(WAIT_MS)

    @property
    def pending_changes(self) -> int:
        """How many changes wait for the busy project to be saved."""
        return len(self._pending)

    def run_undoable(self, action, then: Callable[[Any], None] | None = None):
        """Run an undoable action and then `then(result)`. A refusal from the facade becomes a
        notification (returns None); a busy project queues the action (returns None, `then`
        runs when it is saved). Otherwise returns the action's result.
        (Not named run_action: that would shadow Textual's Widget.run_action(action string).)"""
        if self._pending:  # keep the order of the coder's changes
            self._queue(action, then)
            return None
        try:
            result = self.undo_stack.run(action, self.project)
        except ProjectBusyError:
            self._queue(action, then)
            return None
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            if isinstance(exc, StaleTextError):
                self.follow_stored()  # show the text the refusal was about
            return None
        if then is not None:
            then(result)
        return result

    def try_action(self, action):
        """Run an undoable action now: (its result, None), or (None, the reason it was not
        done). Used by forms, which stay open with the reason, so nothing typed is lost."""
        if self._pending:
            return (
                None,
                f"{BUSY_MESSAGE} ({plural(len(self._pending), 'change')} waiting); try again",
            )
        try:
            return self.undo_stack.run(action, self.project), None
        except ProjectBusyError:
            return None, f"{BUSY_MESSAGE}: another program is writing; try again in a moment"
        except QualcodeError as exc:
            return None, str(exc)

    def _queue(self, action, then) -> None:
        self._pending.append((action, then))
        if self._busy_since is None:
            self._busy_since = time.monotonic()
            self._warned_still_busy = False
            self.set_timer(RETRY_S, self.save_pending)
        self.notify(
            f"{BUSY_MESSAGE} ({plural(len(self._pending), 'change')} waiting)",
            severity="warning",
            timeout=3,
            markup=False,
        )

    def save_pending(self, wait_ms: int | None = None) -> int:
        """Try to save the queued changes in order; returns how many are still waiting.
        `wait_ms` overrides the lock wait for this attempt (the app's quit uses a longer one)."""
        if wait_ms is not None:
            self.project.set_busy_timeout(wait_ms)
        try:
            while self._pending:
                action, then = self._pending[0]
                try:
                    result = self.undo_stack.run(action, self.project)
                except ProjectBusyError:
                    break
                except QualcodeError as exc:
                    self._pending.pop(0)
                    self.notify(
                        f"could not save {action.label}: {exc}", severity="error", markup=False
                    )
                    if isinstance(exc, StaleTextError):
                        self.follow_stored()
                    continue
                self._pending.pop(0)
                if then is not None:
                    then(result)
        finally:
            if wait_ms is not None:
                self.project.set_busy_timeout(WAIT_MS)
        if not self._pending:
            if self._busy_since is not None:
                self.notify("project free again: all changes saved", timeout=3)
            self._busy_since = None
            return 0
        waited = time.monotonic() - (self._busy_since or time.monotonic())
        if waited > STILL_BUSY_S and not self._warned_still_busy:
            self._warned_still_busy = True
            self.notify(
                f"project still busy after {waited:.0f} s: {plural(len(self._pending), 'change')} not "
                "saved yet; they are saved as soon as the other program finishes "
                "(quitting now would lose them)",
                severity="error",
                timeout=10,
                markup=False,
            )
        if wait_ms is None:
            self.set_timer(RETRY_S, self.save_pending)
        return len(self._pending)

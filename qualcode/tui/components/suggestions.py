"""Code suggestions for the selection (when the project offers `suggest_codes`).

Shown beside the cursor; nothing is coded until the user presses the accept key. The
lookup waits until the cursor rests (a short timer), then runs in a worker thread that
asks the panel's SuggestionProcess (qualcode.suggest_process): one suggester fitted once
for the session, in a child process of its own with its own connection, that learns each
new coding incrementally. A newer request supersedes an older one (the old worker is
cancelled and its turn skipped), and an answer is shown only if the selection has not
moved meanwhile. Until it comes the old
list stays, dimmed and not acceptable: hiding it made the codebook above it and the
footer jump on every cursor move.

The panel takes the focus (tab / shift+tab, after the codings at the cursor) while it
shows suggestions: up / down (j / k) move its highlight, enter or `a` accepts the
highlighted code and `d` dismisses it (with the document focused, `a` and `d` act on the
first). A weak suggestion (qualcode.facade.suggestions.relative_strengths) is drawn
hollow and dimmed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from qualcode.facade.suggestions import is_weak, relative_strengths

REST_SECONDS = 0.3


def make_session(path):
    """The suggestion session of a project: a SuggestionProcess (the suggester in a child
    process, off the interface's interpreter lock). Tests that fake Project.suggest_codes
    in this process swap in qualcode.suggest_session.SuggestionSession."""
    from qualcode.suggest_process import SuggestionProcess

    return SuggestionProcess(path)


def _code_id(item, codes: dict) -> int | None:
    """Accept the shapes a suggester may return: a Code, an id, a path, a (code, score) pair, a dict."""
    if isinstance(item, (tuple, list)) and item:
        item = item[0]
    if isinstance(item, dict):
        item = item.get("code_id", item.get("code", item.get("id")))
    for attribute in ("code_id", "id"):
        if hasattr(item, attribute) and not isinstance(item, (int, str)):
            item = getattr(item, attribute)
            break
    if isinstance(item, int):
        return item if item in codes else None
    if isinstance(item, str):
        return next((c.id for c in codes.values() if c.path == item or c.name == item), None)
    return None


class SuggestionsReady(Message):
    def __init__(self, request: tuple, raw: list) -> None:
        super().__init__()
        self.request = request
        self.raw = raw


class SuggestionsPanel(Static, can_focus=True):
    HELP_TITLE = "Suggestions"
    # a and d are the screen's (qualcode.tui.screens.main), acting here on the highlighted row
    BINDINGS = [
        Binding("down,j", "step(1)", "Next suggestion", show=False),
        Binding("up,k", "step(-1)", "Previous suggestion", show=False),
        Binding(
            "enter", "screen.accept_suggestion", "Accept the highlighted suggestion", show=False
        ),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._suggested: list[int] = []
        self._weak: set[int] = set()  # suggestions far below the first (relative_strengths)
        self.highlighted = 0  # the row that enter, a and d act on while the panel has focus
        self._timer: Timer | None = None
        self._request: tuple | None = None
        self._codes: dict = {}
        self._present: frozenset = frozenset()
        self._stale = False  # the list on show is for an earlier selection
        self._session = None  # SuggestionProcess, made by the first lookup
        # (document, start, end) -> codes the coder dismissed there, for the session: a
        # dismissed code is not offered again for the same passage.
        self._dismissed: dict[tuple, set[int]] = {}
        self.display = False

    @property
    def has_suggestions(self) -> bool:
        return bool(self._suggested)

    def selection_moved(
        self,
        project,
        document_id,
        start: int,
        end: int,
        codes: dict,
        present: frozenset = frozenset(),
    ) -> None:
        """`present`: codes already on the whole selection, never suggested again."""
        self._codes = codes
        self._present = present
        self._request = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not hasattr(project, "suggest_codes") or document_id is None or start >= end:
            self._set([], codes)
            return
        if self._suggested:
            self._set(self._suggested, codes, stale=True)
        elif self._session is None and not self.display:  # the first ask fits: seconds
            # once: updating a Static lays the screen out again (~6 ms of every key)
            self.update(Text("Suggested · learning from this project's codings…", style="dim"))
            self.display = True
        self._request = (project.path, document_id, start, end)
        self._timer = self.set_timer(REST_SECONDS, lambda: self._lookup(self._request))

    def _session_for(self, path):
        if self._session is None or self._session.path != path:
            if self._session is not None:
                self._session.close(wait=False)
            self._session = make_session(path)
        return self._session

    def on_unmount(self) -> None:
        # Waiting (at most one lookup) lets the project's own connection close last and
        # fold the WAL in, so that the next open can skip the integrity check.
        self.close_session()

    def close_session(self, wait: bool = True) -> None:
        """Close the suggestion session's own connection (waiting for its thread unless
        wait=False); the next lookup opens a new one."""
        if self._session is not None:
            self._session.close(wait=wait)
            self._session = None

    @work(thread=True, exclusive=True, exit_on_error=False, group="suggest")
    def _lookup(self, request: tuple) -> None:
        path, document_id, start, end = request
        # ask for as many more as were dismissed here or are already on the passage, so
        # that three can still be shown
        extra = len(self._dismissed.get((document_id, start, end), ())) + len(self._present)
        try:
            raw = self._session_for(path).ask(document_id, start, end, k=3 + extra)
        except Exception as exc:  # a suggester failure must never block coding
            self.log.warning(f"suggestions failed: {exc}")
            raw = []
        if raw is not None and not get_current_worker().is_cancelled:
            self.post_message(SuggestionsReady(request, list(raw)))

    @on(SuggestionsReady)
    def _ready(self, event: SuggestionsReady) -> None:
        if event.request != self._request:
            return  # the cursor moved on
        dismissed = self._dismissed.get(event.request[1:], set())
        kept = [
            (i, item)
            for i, item in ((_code_id(item, self._codes), item) for item in event.raw)
            if i is not None and i not in self._present and i not in dismissed
        ][:3]
        # strength next to the first one shown (not to a code already on the passage)
        strengths = relative_strengths([item for _, item in kept])
        self._weak = {i for (i, _), strength in zip(kept, strengths) if is_weak(strength)}
        self.highlighted = 0
        self._set([i for i, _ in kept], self._codes)

    def _set(self, ids: list[int], codes: dict, stale: bool = False) -> None:
        changed = bool(ids) != bool(self._suggested)
        rows_changed = len(ids) != len(self._suggested)
        self._suggested = ids
        self._stale = stale
        self.highlighted = min(self.highlighted, max(0, len(ids) - 1))
        if not ids and self.has_focus:  # hidden with the focus: back to the document
            self.screen.query_one("#document").focus()
        self.display = bool(ids)
        if ids:
            self.update(self._text(), layout=rows_changed or changed)
        if changed and self.is_mounted:
            self.screen.refresh_bindings()  # only then: the footer rebuilds itself on this

    def _text(self) -> Text:
        # One row per line, cut with an ellipsis rather than wrapped, so the panel's
        # height is the number of suggestions: the screen is laid out again only when
        # that number changes (a relayout cost ~25 ms of each coding keystroke).
        stale = self._stale
        text = Text("Suggested", style="bold", no_wrap=True, overflow="ellipsis")
        if stale:
            text.append(" · looking…", style="dim")
        elif self.has_focus:  # the same start: at 80 columns the end is cut
            text.append(" · a accept · d dismiss · ↑↓ enter", style="dim")
        else:
            text.append(" · a accept · d dismiss", style="dim")
        for n, code_id in enumerate(self._suggested):
            code = self._codes[code_id]
            weak = code_id in self._weak
            row = Text("\n")
            # hollow and dim: far below the first (relative_strengths), not a peer of it
            row.append("□ " if weak else "■ ", style="dim" if stale else code.colour or "white")
            # the code's own name first: at 80 columns the path ran out of room
            # before it ("Career design/Pursuit of in…")
            style = "dim" if stale or weak else "bold" if n == 0 else ""
            row.append(code.name, style=style)
            if code.path != code.name:
                row.append(f"  {code.path.rsplit('/', 1)[0]}", style="dim")
            if self.has_focus and n == self.highlighted and not stale:
                row.stylize("reverse", 1)  # the row enter, a and d act on
            text.append_text(row)
        return text

    def _redraw(self) -> None:
        if self._suggested:
            self.update(self._text(), layout=False)

    def watch_has_focus(self, has_focus: bool) -> None:
        # here, not in on_focus: that runs before Widget sets has_focus
        super().watch_has_focus(has_focus)
        if not has_focus:
            self.highlighted = 0  # back in the document, a and d act on the first again
        self._redraw()

    def action_step(self, step: int) -> None:
        if self._suggested:
            self.highlighted = (self.highlighted + step) % len(self._suggested)
            self._redraw()

    @property
    def looking(self) -> bool:
        """The list on show is for an earlier selection; this one's is on its way."""
        return self._stale

    @property
    def weak(self) -> list[int]:
        """The code ids on show drawn as weak (hollow, dimmed), in the list's order."""
        return [i for i in self._suggested if i in self._weak]

    def take_top(self) -> int | None:
        """The code that `a` accepts: the highlighted one while the panel has the focus,
        else the first; None while the list is for an earlier selection."""
        if not self._suggested or self._stale:
            return None
        return self._suggested[self.highlighted if self.has_focus else 0]

    def dismiss(self) -> None:
        """Drop the suggestion `take_top` names and keep it out for this passage for the
        session; the others move up, and the suggester is asked again (for one more) so
        that the next code fills the list (the panel hides when none is left)."""
        top = self.take_top()
        if top is None or self._request is None:
            return
        self._dismissed.setdefault(self._request[1:], set()).add(top)
        self._set([i for i in self._suggested if i != top], self._codes)
        if self._timer is not None:
            self._timer.stop()
        request = self._request
        self._timer = self.set_timer(REST_SECONDS, lambda: self._lookup(request))

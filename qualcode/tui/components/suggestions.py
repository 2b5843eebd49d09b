"""Code suggestions for the selection (when the project offers `suggest_codes`).

Shown beside the cursor; nothing is coded until the user presses the accept key. The
lookup waits until the cursor rests (a short timer) so moving fast stays fast.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

REST_SECONDS = 0.3


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


class SuggestionsPanel(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._suggested: list[int] = []
        self._timer = None
        self.display = False

    @property
    def has_suggestions(self) -> bool:
        return bool(self._suggested)

    def selection_moved(self, project, document_id, start: int, end: int, codes: dict) -> None:
        self._set([], codes)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not hasattr(project, "suggest_codes") or document_id is None or start >= end:
            return
        self._timer = self.set_timer(REST_SECONDS, lambda: self._lookup(project, document_id, start, end, codes))

    def _lookup(self, project, document_id, start, end, codes) -> None:
        try:
            raw = project.suggest_codes(document_id, start, end, k=3)
        except Exception as exc:  # a suggester failure must never block coding
            self.log.warning(f"suggest_codes failed: {exc}")
            raw = []
        ids = [i for i in (_code_id(item, codes) for item in raw or []) if i is not None]
        self._set(ids[:3], codes)

    def _set(self, ids: list[int], codes: dict) -> None:
        changed = bool(ids) != bool(self._suggested)
        self._suggested = ids
        self.display = bool(ids)
        if ids:
            text = Text("Suggested  ", style="bold")
            for n, code_id in enumerate(ids):
                code = codes[code_id]
                text.append("■ ", style=code.colour or "white")
                text.append(code.name, style="bold" if n == 0 else "")
                text.append("   ")
            text.append("\na: accept the first · d: dismiss", style="dim")
            self.update(text)
        if changed and self.is_mounted:
            self.screen.refresh_bindings()  # only then: the footer rebuilds itself on this

    def take_top(self) -> int | None:
        top = self._suggested[0] if self._suggested else None
        return top

    def dismiss(self) -> None:
        self._set([], {})

"""The key footer, rebuilt once per burst of binding changes."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys after every `bindings_updated` signal of its
    screen; while the main screen opens, the screen sends five in a row (mount, focus,
    the document and the code list arriving), each rebuild 25-40 ms of the first paint
    of a long transcript. Here one pending rebuild serves every signal sent before it
    runs; a signal sent during a rebuild schedules the next one, so the keys shown are
    always those of the last change."""

    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        # Footer.bindings_changed, coalesced; _bindings_ready is Footer's own flag that
        # lets compose() list the keys (textual 8.x; pyproject asks for >= 8.0).
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    _shown: tuple | None = None  # the keys of the last rebuild

    def _keys(self) -> tuple:
        """What compose() would list: each shown binding's key, description and state."""
        return tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if not self.is_attached or self._pruning or self.screen not in self.app.screen_stack:
            return  # its screen went (a dialog answered, a screen popped) before this ran
        # Most signals while a screen opens (focus moving, widgets mounted) leave the keys
        # as they were: a rebuild then only cost time (8 of them, 0.35 s under a profiler,
        # while the frequencies screen opened).
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await self.recompose()

"""The key footer, rebuilt once per burst of binding changes, fitted to its width.

Where the keys do not fit on one line (the workbench at 80 columns listed ten keys and
the palette in 107 cells, and cut off Undo, Redo and "? Keys"), the footer goes compact
(one space between a key and its label) and, if that is still too wide, leaves out keys
from the right end, never the help key ("? Keys"): it stays last, and the help screen it
opens lists every key of every panel.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTIONS = ("help", "app.help")  # the key kept however narrow the footer


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

    _shown: tuple | None = None  # the keys (and width) of the last rebuild

    def _keys(self) -> tuple:
        """What compose() would list: each shown binding's key, description and state,
        and the width they are fitted to."""
        return (self.size.width,) + tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )

    def on_resize(self) -> None:
        if self._shown is not None and self._shown[0] != self.size.width:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    def _entries(self) -> list[tuple[Binding, bool, str]]:
        """The shown bindings, one per action (as Footer lists them), in footer order."""
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled, tooltip))
        return list(by_action.values())

    def _width(self, entries: list[tuple[Binding, bool, str]], compact: bool) -> int:
        """Cells the keys take in one style (Footer's CSS: a key and its label padded by
        one cell each side; compact, one space between them and one after), with the
        command palette's key docked at the right."""
        extra = 2 if compact else 3
        cells = sum(
            cell_len(self.app.get_key_display(b)) + cell_len(b.description) + extra
            for b, _, _ in entries
        )
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:  # its border, a space between, one after: "▏^p palette "
                cells += cell_len(self.app.get_key_display(palette[1]))
                cells += cell_len(palette[1].description) + 3
        return cells

    def fitted(self) -> tuple[bool, list[tuple[Binding, bool, str]], bool]:
        """(compact, the entries to show, whether some were left out) for the footer's
        width: all of them in the normal style if they fit, else compact, leaving out
        entries from the right end (never the help key) until the rest fit."""
        entries = self._entries()
        width = self.size.width
        if not width or self._width(entries, False) <= width:
            return False, entries, False
        kept = list(entries)
        while self._width(kept, True) > width:
            drop = next(
                (i for i in reversed(range(len(kept))) if kept[i][0].action not in HELP_ACTIONS),
                None,
            )
            if drop is None:
                break
            del kept[drop]
        return True, kept, len(kept) < len(entries)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        compact, entries, left_out = self.fitted()
        if any(b.group is not None for b, _, _ in entries) or (
            not compact and not left_out
        ):  # everything fits (or grouped keys, which Footer lays out): Footer's own
            self.set_reactive(Footer.compact, False)
            self.set_class(False, "-compact")
            yield from super().compose()
            return
        self.set_reactive(Footer.compact, True)
        self.set_class(True, "-compact")
        for binding, enabled, tooltip in entries:
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            _, binding, enabled, tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
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

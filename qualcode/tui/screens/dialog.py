"""The base of every modal dialog: a ModalScreen with its own key footer.

A ModalScreen covers the screen under it but shows that screen's footer through its
translucent background, so a dialog opened over the workbench listed the workbench's keys
(c Code…, x Uncode, ...), none of which act while the dialog is open. A Dialog mounts a
KeyFooter of its own, docked over the one below, listing the dialog's keys.

A dialog opens as its key arrives (the codebook's keys are priority bindings), but its
field takes the focus only once the dialog is mounted: a key that arrives while nothing
has the focus goes to the dialog itself, which types it into the field that has the
focus by the time the dialog handles it.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.screen import ModalScreen
from textual.widgets import Input

from qualcode.tui.components.footer import KeyFooter

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen whose footer lists its own keys (subclasses compose the rest)."""

    @on(events.Mount)
    async def _add_footer(self) -> None:
        # A handler of its own name, so a subclass's on_mount does not replace it; mounted,
        # not composed, so that subclasses keep their compose.
        if not self.query(KeyFooter):
            await self.mount(KeyFooter())
            # The focus may have settled (and the screen announced its keys) before the
            # footer was there to hear it: announce them again.
            self.refresh_bindings()

    def on_key(self, event: events.Key) -> None:
        """A printable key the dialog itself received, not its field (sent before the
        field had the focus, right after the key that opened the dialog): typed into
        the Input that has the focus now. An Input handles its own printable keys, so
        none of those bubbles here."""
        field = self.focused
        if isinstance(field, Input) and event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

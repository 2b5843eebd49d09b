"""All memos of the project in one list (the one memo store): on the project,
participants, documents, codes and codings, whichever way they were written.

`f` cycles the filter by what the memos are on; Enter opens the highlighted memo in the
editor (ctrl+s saves it at once); `n` writes a new memo on the project; `x` deletes the
highlighted memo (after a confirmation).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.facade.memos import TARGETS
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.screens.memo import MemoScreen

FILTERS = (None, *TARGETS)


class MemosScreen(Screen):
    """The project's memos, filtered by what they are on."""

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("f", "cycle_filter", "Filter"),
        Binding("enter", "open", "Open", show=True),
        Binding("n", "new", "New project memo"),
        Binding("x", "delete", "Delete"),
    ]

    def __init__(self, project) -> None:
        super().__init__()
        self.project = project
        self.filter_index = 0
        self.shown: list = []

    def compose(self) -> ComposeResult:
        yield Static(id="memos-title", markup=False)
        yield OptionList(id="memos-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    @property
    def target_filter(self) -> str | None:
        return FILTERS[self.filter_index]

    def reload(self) -> None:
        memos = self.project.memos(self.target_filter)
        names = self.project.memo_targets(memos)
        self.shown = memos
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        listing.clear_options()
        listing.add_options(
            [
                Option(
                    Content.from_markup(
                        "[b]$on[/b] $title[dim]$author[/]\n  $text",
                        on=f"{m.target_type} {names[m.id]}".strip(),
                        title=f"· {m.title} " if m.title else "",
                        author=f"· {m.author or '-'} · {m.created_at[:10]}",
                        text=" ".join(m.text.split())[:200],
                    ),
                    id=str(m.id),
                )
                for m in memos
            ]
        )
        if memos:
            listing.highlighted = min(keep or 0, len(memos) - 1)
        what = self.target_filter or "everything"
        self.query_one("#memos-title", Static).update(
            f"Memos on {what}: {len(memos)} · f: filter  enter: open  n: new  x: delete"
        )

    def _current(self):
        i = self.query_one(OptionList).highlighted
        return self.shown[i] if i is not None and i < len(self.shown) else None

    def on_option_list_option_selected(self, _event) -> None:
        self.action_open()  # Enter on the list

    def action_cycle_filter(self) -> None:
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        self.reload()

    def action_open(self) -> None:
        memo = self._current()
        if memo is None:
            return
        on = self.project.memo_targets([memo])[memo.id]
        heading = f"Memo on {memo.target_type} {on}".strip()

        def saved(text: str | None) -> None:
            if text is None or text == memo.text:
                return
            try:
                if text:
                    self.project.update_memo(memo.id, text)
                else:
                    self.project.delete_memo(memo.id)
            except QualcodeError as exc:
                self.notify(str(exc), severity="error", markup=False)
            self.reload()

        self.app.push_screen(MemoScreen(heading, memo.text), saved)

    def action_new(self) -> None:
        def saved(text: str | None) -> None:
            if text:
                self.project.add_memo(text, "project")
                self.reload()

        self.app.push_screen(MemoScreen("New memo on the project", ""), saved)

    def action_delete(self) -> None:
        from qualcode.tui.screens.confirm import ConfirmScreen

        memo = self._current()
        if memo is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.project.delete_memo(memo.id)
                self.reload()

        self.app.push_screen(ConfirmScreen(f"Delete memo {memo.id}?"), answered)

    def action_close(self) -> None:
        self.app.pop_screen()

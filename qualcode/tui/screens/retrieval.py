"""Retrieval: every excerpt of one code, grouped by participant, in its context.

Each excerpt shows the sentence before and after it (dimmed), the document, the coder
and the memo. Enter closes the screen and asks the app to open the document at the
excerpt (`App.open_document_at(document_id, offset)`, provided by the main screen's
app); `c` adds or removes the excerpts of the code's subcodes.
"""

from __future__ import annotations

import re
from collections import Counter

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.facade.retrieval import ExcerptInContext

_LINE_BREAKS = re.compile(r"\s*\n\s*")
_BLANK_LINES = re.compile(r"\n\s*\n")


class RetrievalScreen(Screen):
    """The excerpts of one code (optionally with its subcodes)."""

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("c", "toggle_children", "With subcodes"),
        Binding("enter", "jump", "Go to document", show=True),
    ]

    class JumpRequested(Message):
        """Posted (to the app) when the user asks to open an excerpt in its document."""

        def __init__(self, document_id: int, offset: int, end: int) -> None:
            super().__init__()
            self.document_id = document_id
            self.offset = offset
            self.end = end

    def __init__(self, project, code, with_children: bool = False) -> None:
        super().__init__()
        self.project = project
        self.code = project.code(code)
        self.with_children = with_children
        self.items: list[ExcerptInContext] = []

    def compose(self) -> ComposeResult:
        yield Static(id="retrieval-title", markup=False)
        yield OptionList(id="retrieval-list")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        try:
            self.items = self.project.excerpts_in_context(self.code.id, self.with_children)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error")
            self.items = []
        options: list[Option | None] = []
        people: list[str] = []
        counts = Counter(_who(i) for i in self.items)
        for index, item in enumerate(self.items):
            who = _who(item)
            if not people or people[-1] != who:
                if people:
                    options.append(None)
                people.append(who)
                count = counts[who]
                options.append(Option(Content.styled(f"{who}  ({count})", "bold"), id=f"p-{len(people)}",
                                      disabled=True))
            options.append(Option(_excerpt_prompt(item, self.with_children), id=f"x-{index}"))
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        first = next((i for i, o in enumerate(options) if o is not None and not o.disabled), None)
        listing.highlighted = first
        scope = "with subcodes" if self.with_children else "this code only"
        self.query_one("#retrieval-title", Static).update(Content(
            f"{self.code.path} — {len(self.items)} excerpts from {len(people)} participants ({scope}; c toggles)"
        ))

    # --- actions --------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss()

    def action_toggle_children(self) -> None:
        self.with_children = not self.with_children
        self.reload()

    def action_jump(self) -> None:
        listing = self.query_one(OptionList)
        option = listing.highlighted_option
        if option is not None and option.id and option.id.startswith("x-"):
            self._jump(self.items[int(option.id[2:])])

    @on(OptionList.OptionSelected, "#retrieval-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id and event.option_id.startswith("x-"):
            self._jump(self.items[int(event.option_id[2:])])

    def _jump(self, item: ExcerptInContext) -> None:
        ex = item.excerpt
        app = self.app
        self.dismiss()
        opener = getattr(app, "open_document_at", None)
        if opener is not None:
            opener(ex.document_id, ex.start)
        else:
            app.post_message(self.JumpRequested(ex.document_id, ex.start, ex.end))


def _who(item: ExcerptInContext) -> str:
    return item.excerpt.participant or "(no participant)"


def _excerpt_prompt(item: ExcerptInContext, with_children: bool) -> Content:
    """Two or more lines: context and excerpt, then where it is, who coded it, the memo."""
    ex = item.excerpt
    before = _LINE_BREAKS.sub(" ", item.before).lstrip()
    after = _LINE_BREAKS.sub(" ", item.after).rstrip()
    text = _BLANK_LINES.sub("\n", ex.text.strip("\n"))
    where = f"{ex.document} · {ex.start}–{ex.end} · coder {ex.coder}"
    if with_children:
        where += f" · {ex.code_path}"
    parts: list = [
        ("… " + before if before else "", "dim"),
        (text, "bold"),
        (after + " …" if after else "", "dim"),
        "\n",
        (where, "italic dim"),
    ]
    if ex.memo:
        parts += ["\n", ("memo: ", "bold dim"), ex.memo]
    return Content.assemble(*parts)

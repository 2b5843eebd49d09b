"""Retrieval: every excerpt of one code, grouped by participant, in its context.

Each excerpt shows the sentence before and after it (dimmed), the document, the coder
and the memo. Enter closes the screen and asks the app to open the document at the
excerpt (`App.open_document_at(document_id, offset)`, which QualcodeApp provides; other
apps get a JumpRequested message); `c` adds or removes the excerpts of the code's
subcodes. A long list is fetched a page at a time as the cursor nears its end.
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
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.facade.retrieval import ExcerptInContext
from qualcode.tui.components.footer import KeyFooter

_LINE_BREAKS = re.compile(r"\s*\n\s*")
_BLANK_LINES = re.compile(r"\n\s*\n")


class RetrievalScreen(Screen):
    """The excerpts of one code (optionally with its subcodes)."""

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("c", "toggle_children", "With subcodes"),
        Binding("enter", "jump", "Go to document", show=True),
    ]

    page_size = 200  # excerpts fetched at a time; more load as the cursor nears the end

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
        self.order: list[tuple[int, str | None]] = []  # every excerpt: (coding id, participant)
        self.items: list[ExcerptInContext] = []  # the ones loaded so far, in that order
        self._counts: Counter = Counter()

    def compose(self) -> ComposeResult:
        yield Static(id="retrieval-title", markup=False)
        yield OptionList(id="retrieval-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self) -> None:
        """Fetch the order of all excerpts (ids only) and show the first page."""
        try:
            self.order = self.project.excerpt_order(self.code.id, self.with_children)
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            self.order = []
        self.items = []
        self._counts = Counter(who or NO_PARTICIPANT for _, who in self.order)
        self.query_one(OptionList).clear_options()
        self.load_more()
        listing = self.query_one(OptionList)
        listing.highlighted = next(
            (i for i in range(listing.option_count) if not listing.get_option_at_index(i).disabled),
            None,
        )
        scope = "with subcodes" if self.with_children else "this code only"
        self.query_one("#retrieval-title", Static).update(
            Content(
                f"{self.code.path} — {len(self.order)} excerpts from {len(self._counts)} participants "
                f"({scope}; c toggles)"
            )
        )

    def load_more(self) -> None:
        """Append the next page of excerpts (a participant's heading before its first one)."""
        start = len(self.items)
        if start >= len(self.order):
            return
        try:
            page = self.project.excerpts_for(
                [cid for cid, _ in self.order[start : start + self.page_size]]
            )
        except QualcodeError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        options: list[Option | None] = []
        previous = _who(self.items[-1]) if self.items else None
        for index, item in enumerate(page, start=start):
            who = _who(item)
            if who != previous:
                if previous is not None:
                    options.append(None)
                options.append(
                    Option(
                        Content.styled(f"{who}  ({self._counts[who]})", "bold"),
                        id=f"p-{index}",
                        disabled=True,
                    )
                )
                previous = who
            options.append(Option(_excerpt_prompt(item, self.with_children), id=f"x-{index}"))
        self.items.extend(page)
        self.query_one(OptionList).add_options(options)

    @on(OptionList.OptionHighlighted, "#retrieval-list")
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= event.option_list.option_count - 3:
            self.load_more()

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


NO_PARTICIPANT = "(no participant)"


def _who(item: ExcerptInContext) -> str:
    return item.excerpt.participant or NO_PARTICIPANT


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

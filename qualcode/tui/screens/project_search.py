"""Project search: every match of a text or regular expression in all documents, with the
text around it, filtered by participant, document kind and code; enter opens the document
with the match selected.

The search runs in a worker thread on its own connection (`Project.search_project`, the
same call as `qualcode search`), so a large project never freezes the screen; at most
SHOWN hits are listed (all are counted).
"""

from __future__ import annotations

import re
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from qualcode.errors import QualcodeError
from qualcode.facade.search import SearchHit, SearchResult
from qualcode.plural import plural
from qualcode.tui.components.footer import KeyFooter

SHOWN = 1000
CONTEXT = 60


class SearchDone(Message):
    def __init__(self, query: tuple, result: SearchResult | None, error: str | None) -> None:
        super().__init__()
        self.query = query
        self.result = result
        self.error = error


class ProjectSearchScreen(Screen):
    """Search the whole project; enter on a hit opens its document with the match selected."""

    HELP_TITLE = "Project search"
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("enter", "jump", "Go to document", show=True),
        Binding("ctrl+r", "toggle_option('regex')", "Regex on/off"),
    ]

    def __init__(self, project, pattern: str = "") -> None:
        super().__init__()
        self.project = project
        self.path = Path(project.path)
        self.initial = pattern
        self.hits: list[SearchHit] = []
        self._query: tuple | None = None
        self._to_results = False

    def compose(self) -> ComposeResult:
        yield Static(Content("Search the project"), id="search-title")
        yield Input(
            self.initial,
            placeholder="text to find (enter searches; ctrl+r: regular expression)",
            id="search-input",
        )
        choices = self.project.filter_choices()
        with Horizontal(id="search-filters"):
            yield Select(
                [(p.pid, p.pid) for p in self.project.participants()],
                prompt="all participants",
                id="search-participant",
            )
            yield Select([(k, k) for k in choices.kinds], prompt="all kinds", id="search-kind")
            yield Select(
                [(c.path, c.id) for c in self.project.codes()],
                prompt="any text (no code)",
                id="search-code",
            )
            yield Checkbox("regex", id="search-regex")
            yield Checkbox("case", id="search-case")
        yield Static("", id="search-summary")
        yield OptionList(id="search-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.run_search()

    # ---- searching -------------------------------------------------------------------
    def current_query(self) -> tuple:
        """(pattern, regex, case, participant, kind, code id) as set on the screen."""

        def value(selector: str):
            chosen = self.query_one(selector, Select).value
            return chosen if isinstance(chosen, str | int) else None  # else: nothing chosen

        return (
            self.query_one(Input).value,
            self.query_one("#search-regex", Checkbox).value,
            self.query_one("#search-case", Checkbox).value,
            value("#search-participant"),
            value("#search-kind"),
            value("#search-code"),
        )

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._to_results = True  # enter: go to the hits once they are in
        self.run_search()

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filter_changed(self, event) -> None:
        if self.query_one(Input).value:
            self.run_search()

    def run_search(self) -> None:
        query = self.current_query()
        if not query[0]:
            return
        self._query = query
        self.query_one("#search-summary", Static).update(Content("searching…"))
        self._search(query)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(self, query: tuple) -> None:
        from qualcode.analysis import Filters

        pattern, regex, case, participant, kind, code = query
        filters = Filters(
            kinds=(kind,) if kind else (), participants=(participant,) if participant else ()
        )
        try:
            with self.project.another_connection() as project:  # this thread's own connection
                result = project.search_project(
                    pattern,
                    regex=regex,
                    case_sensitive=case,
                    filters=filters,
                    code=code,
                    context=CONTEXT,
                    limit=SHOWN,
                )
        except QualcodeError as exc:
            self.post_message(SearchDone(query, None, str(exc)))
            return
        self.post_message(SearchDone(query, result, None))

    def on_search_done(self, event: SearchDone) -> None:
        if event.query != self._query:
            return  # an older search, overtaken
        listing = self.query_one(OptionList)
        listing.clear_options()
        summary = self.query_one("#search-summary", Static)
        if event.result is None:
            self.hits = []
            summary.update(Content.styled(event.error or "", "bold $error"))
            return
        result = event.result
        self.hits = result.hits
        text = (
            f"{plural(result.total, 'hit')} in {result.matched} of "
            f"{plural(result.documents, 'document')}"
        )
        if len(result.hits) < result.total:
            text += f"; the first {len(result.hits)} are listed"
        summary.update(Content(text + " · enter opens the document at the hit"))
        listing.add_options([Option(_prompt(hit), id=f"h-{i}") for i, hit in enumerate(self.hits)])
        if self.hits:
            listing.highlighted = 0
            if self._to_results:
                listing.focus()
        self._to_results = False

    # ---- actions ---------------------------------------------------------------------
    def action_close(self) -> None:
        self.dismiss()

    def action_toggle_option(self, which: str) -> None:
        box = self.query_one(f"#search-{which}", Checkbox)
        box.value = not box.value

    def action_jump(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is not None and self.hits:
            self._jump(self.hits[listing.highlighted])

    @on(OptionList.OptionSelected, "#search-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._jump(self.hits[event.option_index])

    def _jump(self, hit: SearchHit) -> None:
        app = self.app
        self.dismiss()
        opener = getattr(app, "open_document_at", None)
        if opener is not None:
            opener(hit.document_id, hit.start, hit.end)


def _prompt(hit: SearchHit) -> Content:
    """Where the hit is, then the match in bold between its context (one line each)."""
    where = " · ".join(x for x in (hit.participant or "-", hit.kind, hit.title) if x)
    before = _one_line(hit.before).lstrip()
    after = _one_line(hit.after).rstrip()
    return Content.assemble(
        (f"{where} · {hit.start}–{hit.end}", "italic dim"),
        "\n",
        ("… " + before if before else "", "dim"),
        (_one_line(hit.match), "bold reverse"),
        (after + " …" if after else "", "dim"),
    )


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)

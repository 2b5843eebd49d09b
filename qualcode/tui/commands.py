"""The command palette provider: every action of the workbench, by name, and the documents
of the open project. Built on Textual's public command API (Provider, Hit, DiscoveryHit,
Provider.matcher) and textual.fuzzy's FuzzySearch; see
https://textual.textualize.io/guide/command_palette/."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch, Matcher
from textual.markup import escape

# (title, help, action string run on the screen or app)
COMMANDS: list[tuple[str, str, str]] = [
    ("Code selection…", "Code the selection with a code chosen by name", "screen.pick_code"),
    ("Remove coding", "Remove the innermost coding under the cursor", "screen.remove_coding"),
    ("Edit memo", "Edit the memo of the coding under the cursor", "screen.edit_memo"),
    ("Next coding", "Jump to the next coding of any code", "screen.jump(1)"),
    ("Previous coding", "Jump to the previous coding of any code", "screen.jump(-1)"),
    (
        "Next coding of selected code",
        "Jump to the next coding of the highlighted code",
        "screen.jump_code(1)",
    ),
    (
        "Previous coding of selected code",
        "Jump to the previous coding of the highlighted code",
        "screen.jump_code(-1)",
    ),
    ("Search document…", "Search the document with a regular expression", "screen.search"),
    ("Next match", "Jump to the next search match", "screen.match(1)"),
    ("Previous match", "Jump to the previous search match", "screen.match(-1)"),
    ("Cycle cursor unit", "Move by sentence, turn or paragraph", "screen.cycle_unit"),
    ("Add code…", "Add a top-level code", "screen.codebook('add')"),
    ("Add child code…", "Add a code under the highlighted code", "screen.codebook('add_child')"),
    ("Rename code…", "Rename the highlighted code", "screen.codebook('rename')"),
    (
        "Edit code…",
        "Edit description, colour and shortcut of the highlighted code",
        "screen.codebook('edit')",
    ),
    ("Move code…", "Re-parent the highlighted code", "screen.codebook('move')"),
    ("Merge code…", "Merge the highlighted code into another", "screen.codebook('merge')"),
    ("Delete code…", "Delete the highlighted code (asks first)", "screen.codebook('delete')"),
    ("Undo", "Undo the last coding or codebook change", "screen.undo"),
    ("Redo", "Redo what was undone", "screen.redo"),
    (
        "Excerpts of code…",
        "Every excerpt of the highlighted (or a chosen) code, in context",
        "app.retrieval",
    ),
    (
        "Theme frequencies",
        "Participants per theme (n/N), by attribute, chart, export",
        "app.frequencies",
    ),
    (
        "Speakers of this document…",
        "Map a speaker of a focus group's turns to a participant (set-speaker)",
        "app.map_speakers",
    ),
    ("Import files…", "Import transcripts, a folder or a manifest CSV", "app.import_files"),
    (
        "Search project…",
        "Find a text or pattern in every document, with context",
        "app.project_search",
    ),
    ("Speakers…", "Speaker labels: turns, words, interviewer, merge", "app.speakers"),
    (
        "Participants and attributes",
        "List participants with their documents and attributes; edit, rename",
        "app.participants",
    ),
    ("Open project…", "Open another or a new project", "app.open_start"),
    ("Help: keys", "Show every key", "app.help"),
    ("Quit", "Quit (everything is saved)", "app.quit"),
]


# The same fuzzy search as Matcher's (case-insensitive), for the offsets of a match.
_FUZZY = FuzzySearch(case_sensitive=False)


def _highlight(matcher: Matcher, title: str) -> Content:
    """The title as plain text with the matched letters marked: Matcher.highlight reads its
    argument as markup, so a document called "R2 [draft]" lost its brackets or its hit."""
    content = Content(title)
    _, offsets = _FUZZY.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class QualcodeCommands(Provider):
    def _available(self):
        from qualcode.tui.screens.main import MainScreen

        on_main = any(isinstance(s, MainScreen) for s in self.app.screen_stack)
        return [c for c in COMMANDS if on_main or c[2].startswith("app.")]

    async def discover(self) -> Hits:
        for title, help_text, action in self._available():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in self._available():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    help=help_text,
                )
        from qualcode.tui.screens.main import MainScreen

        screen = self.screen  # the screen the palette was opened on
        if not isinstance(screen, MainScreen):  # documents are offered over a project only
            return
        for doc in screen.documents:
            title = f"Open document: {doc.participant + ' ' if doc.participant else ''}{doc.title}"
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, title),
                    partial(screen.open_document, doc.id),
                    help=escape(f"{doc.kind}, {doc.length:,} characters"),
                )  # help is read as markup

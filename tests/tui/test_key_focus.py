"""Single-letter keys that delete or accept (issue 14 item 8) act only where they belong:
`x` (remove the coding) in the document, `a`/`d` (accept, dismiss suggestions) in the
document or the suggestions panel. Pressed with the participants panel focused they do
nothing; the command palette still runs them."""

from __future__ import annotations

import sqlite3

from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.components.suggestions import SuggestionsPanel
from tests.tui.test_suggestions import settle, suggesting  # noqa: F401 (fixture)


def codings(path) -> list[tuple[int, int, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT start, "end", code_id FROM codings ORDER BY id').fetchall()


async def test_x_removes_a_coding_only_from_the_document(r7_path, make_app):
    app = make_app(r7_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        await pilot.press("j", "6")  # code the first sentence with shortcut 6
        await pilot.pause()
        assert len(codings(r7_path)) == 1
        app.screen.query_one(ParticipantsTree).focus()
        await pilot.pause()
        assert not app.screen.check_action("key_remove_coding", ())
        await pilot.press("x")
        await pilot.pause()
        assert len(codings(r7_path)) == 1  # nothing removed from the participants panel
        assert len(view.spans) == 1
        view.focus()
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        assert codings(r7_path) == []
        await pilot.press("6")
        await pilot.pause()
        assert len(codings(r7_path)) == 1
        app.screen.query_one(ParticipantsTree).focus()
        await app.run_action("screen.remove_coding")  # the palette's command acts anywhere
        await pilot.pause()
        assert codings(r7_path) == []


async def test_accept_and_dismiss_only_in_document_or_suggestions(
    r7_path,
    make_app,
    suggesting,  # noqa: F811
):
    app = make_app(r7_path, suggestions=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(SuggestionsPanel)
        await pilot.press("j")
        await settle(pilot)
        assert panel.has_suggestions
        app.screen.query_one(ParticipantsTree).focus()
        await pilot.pause()
        await pilot.press("a", "d")
        await pilot.pause()
        assert codings(r7_path) == [] and panel.has_suggestions  # neither acted
        app.screen.query_one(DocumentView).focus()
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert len(codings(r7_path)) == 1

"""At 80 columns the workbench footer shows whole keys only, and always "? Keys": it
goes compact and leaves keys out from its right end (the help screen lists them all)."""

from __future__ import annotations

from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.footer import KeyFooter
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.screens.help import HelpScreen


def whole_keys(screen) -> list[str]:
    """The keys the footer shows in full on the screen ("c Code…"), left to right."""
    footer = screen.query_one(KeyFooter)
    return [
        f"{key.key_display} {key.description}".strip()
        for key in sorted(footer.query(FooterKey), key=lambda k: k.region.x)
        if key.region.width and footer.region.contains_region(key.region)
    ]


async def test_at_80_columns_every_key_shown_is_whole_and_the_help_key_stays(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        screen = pilot.app.screen
        seen = {}
        for widget in (DocumentView, CodebookTree, ParticipantsTree):
            screen.query_one(widget).focus()
            await pilot.pause()
            await pilot.pause()
            keys = list(screen.query_one(KeyFooter).query(FooterKey))
            whole = whole_keys(screen)
            # every key is inside the 80 columns (it used to run on past "/ Search")
            assert len(whole) == len(keys), (widget.__name__, whole, [k.key for k in keys])
            assert "? Keys" in whole and "^p palette" in whole, whole
            seen[widget.__name__] = whole
        assert seen["DocumentView"][:6] == [
            "↓ Next",
            "u Unit",
            "c Code…",
            "x Uncode",
            "m Memo",
            "] Next coding",
        ]
        assert {"a Add code", "r Rename", "e Edit", "del Delete"} <= set(seen["CodebookTree"])
        # what the footer leaves out, the keys screen lists
        screen.query_one(DocumentView).focus()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        table = pilot.app.screen.query_one(DataTable)
        listed = {
            (str(table.get_row_at(i)[1]), str(table.get_row_at(i)[2]))
            for i in range(table.row_count)
        }
        assert ("ctrl+z", "Undo") in listed or ("^z", "Undo") in listed, sorted(listed)
        assert any(desc == "Redo" for _, desc in listed)


async def test_at_120_columns_the_footer_keeps_its_roomy_style_and_every_key(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        screen = pilot.app.screen
        screen.query_one(DocumentView).focus()
        await pilot.pause()
        footer = screen.query_one(KeyFooter)
        whole = whole_keys(screen)
        assert not footer.has_class("-compact")
        assert whole[-3:] == ["^y Redo", "? Keys", "^p palette"], whole
        await pilot.resize_terminal(80, 24)  # narrowed: fitted again
        await pilot.pause()
        await pilot.pause()
        whole = whole_keys(screen)
        assert footer.has_class("-compact")
        assert len(whole) == len(footer.query(FooterKey)) and whole[-2:] == [
            "? Keys",
            "^p palette",
        ], whole

"""The memos screen lists every memo of the one store, filters by what they are on,
and edits one in place."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static, TextArea

from qualcode.codebook import load_codebook
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.tui.screens.memos import MemosScreen

PIF = Path(__file__).resolve().parents[2] / "codebooks" / "pif.yaml"


async def test_list_filter_and_edit(tmp_path, make_app):
    path = tmp_path / "m.qualcode"
    with Project.create(path, codebook=load_codebook(PIF), coder="ana") as p:
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1 i", "I felt lost at first.")])
        c = p.add_coding(doc, 0, 12, "Empathy", memo="from code --memo")
        p.add_memo("check with R1", "coding", c.id)
        p.add_memo("first week", "project", title="Journal")
        p.add_memo("careful with this one", "code", "Empathy")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MemosScreen)
        assert [m.text for m in screen.shown] == [
            "from code --memo",
            "check with R1",
            "first week",
            "careful with this one",
        ]
        title = screen.query_one("#memos-title", Static)
        assert "Memos on everything: 4" in str(title.render())
        for _ in range(5):  # everything -> project -> participant -> document -> code -> coding
            await pilot.press("f")
        assert screen.target_filter == "coding" and len(screen.shown) == 2
        screen.query_one(OptionList).highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one(TextArea)
        assert editor.text == "check with R1"
        editor.text = "checked with R1: agrees"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [m.text for m in screen.shown] == ["from code --memo", "checked with R1: agrees"]
    with Project.open(path) as p:
        assert p.coding(c.id).memo == "from code --memo\n\ncheck with R1".replace(
            "check with R1", "checked with R1: agrees"
        )
        assert p.log()[-1]["action"] == "edit memo"

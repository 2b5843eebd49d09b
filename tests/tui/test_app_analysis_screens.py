"""The retrieval, frequencies, import and help screens reached from the real app."""

import pytest
from textual.widgets import DataTable, Input

from qualcode.project import Project
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.participants_tree import ParticipantsTree
from qualcode.tui.screens.code_picker import CodePickerScreen
from qualcode.tui.screens.frequencies import FrequenciesScreen
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.import_dialog import ImportDialog
from qualcode.tui.screens.main import MainScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from tests.tui.plan_project import build_plan_project


@pytest.fixture
def plan_path(tmp_path):
    project = build_plan_project(tmp_path / "plan.qualcode")
    path = project.path
    project.close()  # the app opens its own connection
    return path


async def test_frequencies_then_excerpts_then_back_to_the_document(plan_path, make_app):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+t")
        await app.workers.wait_for_complete()  # the tables are computed in a worker
        await pilot.pause()
        assert isinstance(app.screen, FrequenciesScreen)
        table = app.screen.query_one("#freq-table", DataTable)
        assert [str(c) for c in table.get_row_at(0)][:3] == [
            "Perspective transformation",
            "17/23",
            "74%",
        ]
        await pilot.press("enter")  # the theme's excerpts, with its subthemes
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen) and app.screen.with_children
        first = app.screen.items[0].excerpt
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.document_id == first.document_id
        assert app.screen.query_one(DocumentView).selection == (first.start, first.end)


async def test_excerpts_of_the_highlighted_code_or_a_picked_one(plan_path, make_app):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(CodebookTree)
        tree.focus()
        await pilot.press("down")
        highlighted = tree.selected_code_id
        assert highlighted is not None
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen) and app.screen.code.id == highlighted
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+t")  # no codebook on the frequencies screen: ctrl+e asks for a code
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, CodePickerScreen)
        await pilot.press(*"culture shock", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RetrievalScreen)
        assert app.screen.code.path == "Diversity of values/Culture shock"
        with Project.open(plan_path) as p:
            assert (
                len(app.screen.items)
                == len(p.excerpts(code="Diversity of values/Culture shock"))
                > 0
            )


async def test_import_from_the_app_lists_the_new_document_and_keeps_place_and_undo(
    plan_path, make_app, tmp_path
):
    source = tmp_path / "R24_interview.txt"
    source.write_text("Interviewer: Why abroad?\n\nR24: I had read about it.\n", encoding="utf-8")
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("j", "j")
        place = (main.document_id, main.query_one(DocumentView).selection)
        before = len(app.project.codings(document=place[0]))
        await pilot.press("c", *"culture shock", "enter")  # something to undo after the import
        await pilot.pause()
        assert len(app.project.codings(document=place[0])) == before + 1
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        dialog.query_one("#import-paths", Input).value = str(source)
        await pilot.click("#import-participant")
        await pilot.press(*"R24")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([dialog.worker])
        await pilot.pause()
        assert dialog.imported == 1
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main  # the same screen: it used to reopen the project at R1
        assert any(d.participant == "R24" for d in app.project.documents())
        assert (main.document_id, main.query_one(DocumentView).selection) == place
        tree = main.query_one(ParticipantsTree)
        assert any("R24" in str(node.label) for node in tree.root.children)
        await pilot.press("ctrl+z")  # the coding made before the import is still undoable
        await pilot.pause()
        assert len(app.project.codings(document=place[0])) == before
    with Project.open(plan_path) as p:
        assert [d.source_name for d in p.documents(participant="R24")] == ["R24_interview.txt"]


async def test_help_lists_the_app_main_screen_and_these_screens(plan_path, make_app):
    app = make_app(plan_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        pairs = {(k, d) for _, k, d in rows}
        assert {
            ("^e", "Excerpts"),
            ("^t, ^g", "Frequencies"),
            ("^l", "Import"),
            ("?", "Keys"),
        } <= pairs
        assert ("c", "Code…") in pairs  # MainScreen
        assert ("u", "Unit") in pairs  # the document view on it
        assert ("e", "Export") in pairs and ("c", "With subcodes") in pairs
        with Project.open(plan_path) as p:
            shortcuts = [
                (c.shortcut, f"code the selection: {c.path}") for c in p.codes() if c.shortcut
            ]
        assert shortcuts and set(shortcuts) <= pairs


async def test_an_empty_project_points_to_ctrl_l_and_shows_the_first_import(make_app, tmp_path):
    from textual.widgets import Static

    Project.create(tmp_path / "empty.qualcode", coder="t").close()  # not asked who codes
    source = tmp_path / "R1_interview.txt"
    source.write_text("Interviewer: Why abroad?\n\nR1: I had read about it.\n", encoding="utf-8")
    app = make_app(tmp_path / "empty.qualcode")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        assert "ctrl+l imports" in str(main.query_one("#doc-title", Static).render())
        await pilot.press("ctrl+l")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#import-paths", Input).value = str(source)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([dialog.worker])
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and main.document_id is not None
        assert main.query_one(DocumentView).text.startswith("Interviewer: Why abroad?")
        assert isinstance(app.focused, DocumentView)

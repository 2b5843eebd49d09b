"""The import dialog imports a REFI-QDA .qdpx on its own and lists its import summary,
including the documents given to several participants (a focus group in several cases)."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from qualcode.tui.screens.import_dialog import ImportDialog
from tests.test_interop_cases import _coded_archive
from tests.tui.screen_app import ScreenApp


async def test_a_qdpx_focus_group_is_named_in_the_dialogs_summary(project, tmp_path):
    texts = {"focus": "Q0: mine.\nQ1: yours.", "int-Q0": "Q0: own words."}
    cases = {"Q0": ("F", ["focus", "int-Q0"]), "Q1": ("M", ["focus"])}
    path = _coded_archive(tmp_path / "fg.qdpx", cases, texts, [("focus", "yours")])
    app = ScreenApp(lambda: ImportDialog(project.path, start_dir=tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#import-paths", Input).value = str(path)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([app.screen.worker])
        await pilot.pause()
        screen = app.screen
        listing = screen.query_one("#import-results", OptionList)
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert shown[0].startswith("✓ fg.qdpx") and "2 sources, 1 coding, 2 cases" in shown[0]
        assert "documents of several participants (1):" in shown
        assert any(
            line.strip().startswith("- 'focus': Q0, Q1 (speakers not mapped") for line in shown
        )
        assert str(screen.query_one("#import-status", Static).render()) == "1 imported"
    assert project.document_participants("focus") == ["Q0", "Q1"]
    row = project.frequencies().set_index("code").loc["Shifts"]
    assert (row["n"], row["N"]) == (2, 2)


async def test_a_qdpx_is_imported_on_its_own(project, tmp_path):
    path = _coded_archive(tmp_path / "fg.qdpx", {"Q0": ("F", ["a"])}, {"a": "Q0: a."}, [])
    other = tmp_path / "R1.txt"
    other.write_text("R1: hello.", encoding="utf-8")
    app = ScreenApp(lambda: ImportDialog(project.path, start_dir=tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#import-paths", Input).value = f"{path}; {other}"
        await pilot.press("ctrl+r")
        await pilot.pause()
        status = str(app.screen.query_one("#import-status", Static).render())
        assert status == "a .qdpx project is imported on its own"
    assert project.documents() == []

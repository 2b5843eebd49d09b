"""The app shell: start screen with recent projects, new project, help, command palette."""

import pytest
from textual.widgets import OptionList

from qualcode import recent
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.screens.help import HelpScreen
from qualcode.tui.screens.main import MainScreen
from qualcode.tui.screens.prompt import PromptScreen
from qualcode.tui.screens.start import StartScreen


async def test_start_screen_lists_recent_and_opens_one(r7_path, tmp_path):
    recent_file = tmp_path / "recent.json"
    recent.add(r7_path, recent_file)
    recent.add(tmp_path / "gone.qualcode", recent_file)  # missing files are not offered
    app = QualcodeApp(None, recent_file=recent_file, suggestions=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        options = app.screen.query_one(OptionList)
        assert str(options.get_option_at_index(0).prompt) == str(r7_path.resolve())
        assert str(options.get_option_at_index(1).prompt) == "New project…"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(DocumentView).text.startswith("Interviewer: Why did you")


async def test_new_project_from_start_screen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = QualcodeApp(None, recent_file=tmp_path / "recent.json", suggestions=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # no recent projects: "New project…" comes first
        await pilot.press(*"fresh.qualcode", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # the codebook: PIF, empty (this one), a file
        await pilot.pause()
        await pilot.press("escape")  # the coder's name: not now
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert (tmp_path / "fresh.qualcode").exists()
        assert recent.load(tmp_path / "recent.json") == [(tmp_path / "fresh.qualcode").resolve()]
        assert app.project is not None and app.project.codes() == []
        await pilot.press("a")  # nothing to code in an empty project: no crash


async def test_help_and_palette_run_actions(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        view = pilot.app.screen.query_one(DocumentView)
        await pilot.press("ctrl+p")
        await pilot.press(*"cycle cursor unit")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert view.unit == "turn"
        await pilot.press("ctrl+p", *"Code selection")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"empathy", "enter")
        await pilot.pause()
        with Project.open(r7_path) as p:
            [coding] = p.codings()
            assert p.code(coding.code_id).name == "Empathy"
            assert (coding.start, coding.end) == view.selection


async def test_bad_project_path_is_one_line_error(tmp_path):
    bad = tmp_path / "not.qualcode"
    bad.write_text("hello")
    app = QualcodeApp(bad, recent_file=tmp_path / "recent.json", suggestions=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        assert any(str(bad.name) in n.message for n in app._notifications)


async def test_big_corpus_participants_open_collapsed_and_expand_on_demand(
    tmp_path, make_app, monkeypatch
):
    from qualcode.models import NewDocument
    from qualcode.tui.components import participants_tree
    from qualcode.tui.components.participants_tree import ParticipantsTree

    monkeypatch.setattr(participants_tree, "EAGER_LIMIT", 2)
    with Project.create(tmp_path / "many.qualcode", coder="t") as p:
        p.add_documents(
            [
                NewDocument(f"R{i}", "interview", f"R{i} interview", f"R{i}: text {i}.")
                for i in range(1, 5)
            ]
        )
    async with make_app(tmp_path / "many.qualcode").run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tree = pilot.app.screen.query_one(ParticipantsTree)
        nodes = tree.root.children
        assert [n.is_expanded for n in nodes] == [
            True,
            False,
            False,
            False,
        ]  # only the open document's
        assert [len(n.children) for n in nodes] == [1, 0, 0, 0]
        nodes[2].expand()
        await pilot.pause()
        assert len(nodes[2].children) == 1
        tree.select_node(nodes[2].children[0])
        await pilot.pause()
        assert pilot.app.screen.query_one(DocumentView).text == "R3: text 3."


async def test_palette_opens_a_document_by_name(tmp_path, make_app):
    from qualcode.models import NewDocument

    with Project.create(tmp_path / "two.qualcode", coder="t") as p:
        p.add_documents(
            [
                NewDocument("R1", "interview", "R1 interview", "R1: first [laughs]."),
                NewDocument("R2", "report", "R2 report", "R2: second."),
            ]
        )
    async with make_app(tmp_path / "two.qualcode").run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = pilot.app.screen.query_one(DocumentView)
        assert view.text == "R1: first [laughs]."
        await pilot.press("ctrl+p", *"open document r2 report")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert view.text == "R2: second."


async def test_sample_project_from_start_screen(tmp_path, monkeypatch):
    pytest.importorskip("qualcode.demo")
    monkeypatch.chdir(tmp_path)
    app = QualcodeApp(None, recent_file=tmp_path / "recent.json", suggestions=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # New project…, then the sample
        await pilot.press(*"pif.qualcode", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The sample holds coder1's codings: the new user is asked their name first.
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"ana", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.sub_title == "coder: ana"
        assert app.screen.query_one(DocumentView).text.startswith("Interview with R1")
        with Project.open(tmp_path / "pif.qualcode") as p:
            assert len(p.documents()) > 20


async def test_palette_rename_with_no_code_highlighted_asks_which_code(r7_path, make_app):
    from qualcode.tui.screens.code_picker import CodePickerScreen

    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"rename code")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CodePickerScreen)  # it said "Highlight a code first."
        await pilot.press(*"mindset", "enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PromptScreen)
        await pilot.press("ctrl+a", "ctrl+k", *"Growth mindset", "enter")
        await pilot.pause()
        with Project.open(r7_path) as p:
            assert "Career design/Growth mindset" in [c.path for c in p.codes()]


async def test_palette_shows_and_opens_a_document_whose_title_has_brackets(tmp_path, make_app):
    from textual.widgets import OptionList

    from qualcode.models import NewDocument

    with Project.create(tmp_path / "two.qualcode", coder="t") as p:
        p.add_documents(
            [
                NewDocument("R1", "interview", "R1 interview", "R1: first."),
                NewDocument("R2", "report [v2]", "R2 [draft] notes [/i]", "R2: second."),
            ]
        )
    async with make_app(tmp_path / "two.qualcode").run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"open document r2")
        await pilot.pause(0.3)
        options = pilot.app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == ["Open document: R2 R2 [draft] notes [/i]\nreport [v2], 11 characters"]
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen.query_one(DocumentView).text == "R2: second."


async def test_ctrl_o_then_escape_goes_back_to_the_project_and_opening_another_replaces_it(
    r7_path, tmp_path, make_app
):
    Project.create(tmp_path / "other.qualcode", coder="t").close()  # not asked who codes
    recent.add(tmp_path / "other.qualcode", tmp_path / "recent.json")
    app = make_app(r7_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("j")
        selection = main.query_one(DocumentView).selection
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.screen.active_bindings["escape"].binding.description == "Back"
        await pilot.press("escape")  # it used to quit the app
        await pilot.pause()
        assert app.is_running and app.screen is main
        assert main.query_one(DocumentView).selection == selection
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("down", "enter")  # the open project is first, then other.qualcode
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.screen is not main
        assert app.project.path.name == "other.qualcode"
        assert [type(s).__name__ for s in app.screen_stack][1:] == ["MainScreen"]


async def test_escape_on_the_start_screen_at_launch_quits(tmp_path):
    app = QualcodeApp(None, recent_file=tmp_path / "recent.json", suggestions=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.active_bindings["escape"].binding.description == "Quit"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running


async def test_sample_onto_an_existing_file_says_so_in_workbench_terms(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.qualcode").write_bytes(b"keep me")
    app = QualcodeApp(None, recent_file=tmp_path / "recent.json", suggestions=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter", "ctrl+a", "ctrl+k", *"taken.qualcode", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("taken.qualcode: already exists (open it instead" in m for m in messages)
        assert not any("--force" in m for m in messages)  # a command-line flag means nothing here
        assert (tmp_path / "taken.qualcode").read_bytes() == b"keep me"

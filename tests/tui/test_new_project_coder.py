"""A new project made in the workbench offers the PIF codebook, an empty one or a codebook
file; the workbench asks the coder's name on first use instead of recording the login
name, keeps it for later projects, and asks only once (issue 14 item 8)."""

from __future__ import annotations

import sqlite3

from textual.widgets import OptionList

from qualcode import user_config
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.screens.codebook_choice import CodebookChoiceScreen
from qualcode.tui.screens.main import MainScreen
from qualcode.tui.screens.prompt import PromptScreen
from qualcode.tui.screens.start import NEW


def meta(path, key: str) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def code_count(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM codes").fetchone()[0]


async def new_project(pilot, path, *choice: str) -> None:
    await pilot.pause()
    options = pilot.app.screen.query_one(OptionList)  # recent projects first
    options.highlighted = options.get_option_index(NEW)
    await pilot.press("enter")  # "New project…"
    await pilot.press(*str(path), "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CodebookChoiceScreen)
    await pilot.press(*choice)
    await pilot.pause()


async def test_pif_codebook_and_the_coder_asked_once(tmp_path):
    recent_file = tmp_path / "recent.json"
    first = tmp_path / "first.qualcode"
    app = QualcodeApp(None, recent_file=recent_file, suggestions=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_project(pilot, first, "enter")  # the PIF codebook is highlighted first
        assert isinstance(app.screen, PromptScreen)  # who codes?
        await pilot.press(*"Ana Silva", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.sub_title == "coder: Ana Silva"
    assert code_count(first) == 36
    assert meta(first, "coder") == "Ana Silva"
    assert user_config.remembered_coder(recent_file) == "Ana Silva"
    with Project.open(first, daily_backup=False) as p:
        assert p.coder == "Ana Silva"  # what new codings record

    # A second project (made elsewhere, naming no coder) is given the name without asking.
    Project.create(tmp_path / "second.qualcode").close()
    app = QualcodeApp(tmp_path / "second.qualcode", recent_file=recent_file, suggestions=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.sub_title == "coder: Ana Silva"  # (a toast says so; it may be gone)
    assert meta(tmp_path / "second.qualcode", "coder") == "Ana Silva"


async def test_escape_keeps_asking_and_a_named_project_is_not_asked(tmp_path):
    recent_file = tmp_path / "recent.json"
    Project.create(tmp_path / "a.qualcode").close()
    for _ in range(2):
        app = QualcodeApp(tmp_path / "a.qualcode", recent_file=recent_file, suggestions=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PromptScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
    assert meta(tmp_path / "a.qualcode", "coder") is None
    Project.create(tmp_path / "b.qualcode", coder="bo").close()
    app = QualcodeApp(tmp_path / "b.qualcode", recent_file=recent_file, suggestions=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert meta(tmp_path / "b.qualcode", "coder") == "bo"
    assert user_config.remembered_coder(recent_file) is None


async def test_codebook_file_yaml_and_a_bad_file_leaves_nothing(tmp_path):
    recent_file = tmp_path / "recent.json"
    user_config.remember_coder("ana", recent_file)
    book = tmp_path / "mine.yaml"
    book.write_text(
        "name: Mine\ncodes:\n  - name: Trust\n    children:\n      - name: Doubt\n",
        encoding="utf-8",
    )
    made = tmp_path / "made.qualcode"
    app = QualcodeApp(None, recent_file=recent_file, suggestions=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_project(pilot, made, "down", "down", "enter")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*str(book), "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert code_count(made) == 2 and meta(made, "coder") == "ana"

    broken = tmp_path / "broken.yaml"
    broken.write_text("codes: [\n", encoding="utf-8")
    refused = tmp_path / "refused.qualcode"
    app = QualcodeApp(None, recent_file=recent_file, suggestions=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await new_project(pilot, refused, "down", "down", "enter")
        await pilot.press(*str(broken), "enter")
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        assert any("broken.yaml" in n.message for n in app._notifications)
    assert not refused.exists()

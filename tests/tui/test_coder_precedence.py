"""Who codings are recorded as (tester report s24 item 2): `--coder` given for the session,
else the person's own name (user.json, `qualcode config --coder NAME`), else the project's
default coder. A copy of a project coded by another person records that person's name;
each browser tab of `qualcode serve` asks who codes in it."""

from __future__ import annotations

import shutil
import sqlite3

from qualcode import user_config
from qualcode.project import Project
from qualcode.tui.app import QualcodeApp
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.screens.main import MainScreen
from qualcode.tui.screens.prompt import PromptScreen


def stored_coders(path) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT coder, count(*) FROM codings GROUP BY coder ORDER BY coder"
        ).fetchall()


async def code_one_sentence(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app.screen, MainScreen)
    pilot.app.screen.query_one(DocumentView).focus()
    await pilot.press("j", "1")  # next sentence, code 1
    await pilot.pause()


async def test_a_copy_opened_by_another_person_records_their_own_name(r7_path, tmp_path):
    # r7_project's default coder is "tester" (the lead); Ben has named himself.
    copy = tmp_path / "ben.qualcode"
    shutil.copy(r7_path, copy)
    ben_config = tmp_path / "ben" / "recent.json"
    user_config.remember_coder("ben", ben_config)
    app = QualcodeApp(copy, recent_file=ben_config, suggestions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await code_one_sentence(pilot)
        assert app.screen.sub_title == "coder: ben"
        assert any("Coding as ben" in n.message for n in app._notifications)
    assert stored_coders(copy) == [("ben", 1)]


async def test_explicit_coder_wins_over_the_users_name(r7_path, tmp_path):
    config = tmp_path / "me" / "recent.json"
    user_config.remember_coder("ben", config)
    app = QualcodeApp(r7_path, recent_file=config, suggestions=False, coder="cleo")
    async with app.run_test(size=(120, 40)) as pilot:
        await code_one_sentence(pilot)
        assert app.screen.sub_title == "coder: cleo"
    assert stored_coders(r7_path) == [("cleo", 1)]


async def test_without_a_users_name_the_project_default_is_used_and_said(r7_path, tmp_path):
    app = QualcodeApp(r7_path, recent_file=tmp_path / "none" / "recent.json", suggestions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await code_one_sentence(pilot)
        assert app.screen.sub_title == "coder: tester"
    assert stored_coders(r7_path) == [("tester", 1)]


async def test_each_served_tab_asks_who_codes_and_records_it(r7_path, tmp_path):
    # What `qualcode serve` runs per tab (`open --ask-coder`); the server's own user.json
    # names whoever started the server, not the person at this browser.
    config = tmp_path / "server" / "recent.json"
    user_config.remember_coder("owner", config)
    for person in ("ana", "ben"):
        app = QualcodeApp(r7_path, recent_file=config, suggestions=False, ask_coder=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, PromptScreen)
            await pilot.press(*person, "enter")
            await code_one_sentence(pilot)
            assert app.screen.sub_title == f"coder: {person}"
    assert stored_coders(r7_path) == [("ana", 1), ("ben", 1)]
    assert user_config.remembered_coder(config) == "owner"  # a tab's answer is not kept


def coded_by(path, coder: str) -> None:
    """One coding by `coder` in the R7 interview, made outside the workbench."""
    with Project.open(path, daily_backup=False) as p:
        p.add_coding("R7 interview", 0, 20, "Role model", coder=coder)


async def test_a_project_coded_by_someone_asks_a_new_users_name_and_keeps_it(
    r7_path, tmp_path, monkeypatch
):
    # The sample project's case (s25): a default coder ("tester") with codings, opened by
    # someone who has not named themselves. Asked, they code as themselves, not as tester.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    coded_by(r7_path, "tester")
    app = QualcodeApp(r7_path, suggestions=False)  # user.json under $XDG_CONFIG_HOME
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "already holds codings by tester" in app.screen.question
        assert "Escape codes as this project's default coder, tester" in app.screen.question
        await pilot.press(*"Ana Silva", "enter")
        await code_one_sentence(pilot)
        assert app.screen.sub_title == "coder: Ana Silva"
        notice = [n.message for n in app._notifications if "Coding as" in n.message][-1]
        assert notice.startswith("Coding as Ana Silva (the name you gave, kept in ")
        assert "this project's other codings are by tester" in notice
    assert stored_coders(r7_path) == [("Ana Silva", 1), ("tester", 1)]
    assert user_config.user_file() == tmp_path / "config" / "qualcode" / "user.json"
    assert user_config.remembered_coder() == "Ana Silva"
    with Project.open(r7_path, daily_backup=False) as p:
        assert p.get_meta("coder") == "tester"  # the project's default is left as it was


async def test_escape_codes_as_the_projects_default_and_says_their_codings_mix(r7_path, tmp_path):
    coded_by(r7_path, "bo")  # somebody else's codings: asked too
    config = tmp_path / "nobody" / "recent.json"
    app = QualcodeApp(r7_path, recent_file=config, suggestions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert "already holds codings by bo" in app.screen.question
        await pilot.press("escape")
        await code_one_sentence(pilot)
        assert app.screen.sub_title == "coder: tester"
        notice = [n.message for n in app._notifications if "Coding as" in n.message][-1]
        assert "the project's default coder: no name was given" in notice
        assert "this project's other codings are by bo" in notice
    assert stored_coders(r7_path) == [("bo", 1), ("tester", 1)]
    assert user_config.remembered_coder(config) is None  # asked again next time


async def test_a_named_user_opening_a_coded_project_is_not_asked(r7_path, tmp_path):
    coded_by(r7_path, "tester")
    config = tmp_path / "ben" / "recent.json"
    user_config.remember_coder("ben", config)
    app = QualcodeApp(r7_path, recent_file=config, suggestions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await code_one_sentence(pilot)  # asserts the main screen: no question
        assert app.screen.sub_title == "coder: ben"
        notice = [n.message for n in app._notifications if "Coding as" in n.message][-1]
        assert notice.startswith(f"Coding as ben (your name, set in {config.parent}/user.json")
        assert "this project's other codings are by tester" in notice
    assert stored_coders(r7_path) == [("ben", 1), ("tester", 1)]


async def test_a_project_nobody_has_coded_uses_its_default_without_asking(r7_path, tmp_path):
    config = tmp_path / "none" / "recent.json"
    app = QualcodeApp(r7_path, recent_file=config, suggestions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, PromptScreen)
        await code_one_sentence(pilot)
        assert app.screen.sub_title == "coder: tester"
    assert stored_coders(r7_path) == [("tester", 1)]
    assert user_config.remembered_coder(config) is None

    # Once it holds codings, the next opening without a name of one's own asks.
    app = QualcodeApp(r7_path, recent_file=config, suggestions=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)

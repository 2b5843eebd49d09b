"""Who codings are recorded as (tester report s24 item 2): `--coder` given for the session,
else the person's own name (user.json, `qualcode config --coder NAME`), else the project's
default coder. A copy of a project coded by another person records that person's name;
each browser tab of `qualcode serve` asks who codes in it."""

from __future__ import annotations

import shutil
import sqlite3

from qualcode import user_config
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

"""The workbench on a busy project: another connection holds the write lock for longer than
any busy timeout; the coding keystroke is kept, saved when the lock is released, and the app
keeps running (issue 18 item 1b)."""

import asyncio
import sqlite3
import threading
import time

from qualcode.tui.screens.busy_saving import BUSY_MESSAGE
from tests.conftest import R7_TEXT
from tests.tui.test_app_coding import SENTENCE, db_codings, ready


def hold_write_lock(path, seconds: float, started: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO meta(key, value) VALUES ('lock-holder', 'x')")
    started.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def watch_notes(app) -> list[str]:
    notes: list[str] = []
    original = app.notify
    app.notify = lambda message, *a, **k: (notes.append(str(message)), original(message, *a, **k))[
        1
    ]
    return notes


async def test_coding_while_another_program_holds_the_lock_8s_is_saved_after(r7_path, make_app):
    app = make_app(r7_path)
    notes = watch_notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        await pilot.press("j")
        assert view.selected_text == SENTENCE
        started = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(r7_path, 8, started))
        holder.start()
        started.wait(5)
        await pilot.press("1")
        await pilot.pause()
        # Kept, said, not yet written; the screen still answers keys.
        assert app.screen.pending_changes == 1
        assert any(BUSY_MESSAGE in n for n in notes)
        assert db_codings(r7_path) == []
        await pilot.press("j")
        assert view.selected_text == "The ICU in Ohio was loud."
        while holder.is_alive():
            await asyncio.sleep(0.2)
        for _ in range(50):  # the retry timer fires within about a second
            await asyncio.sleep(0.1)
            if not app.screen.pending_changes:
                break
        await pilot.pause()
        start = R7_TEXT.index(SENTENCE)
        assert db_codings(r7_path) == [
            (start, start + len(SENTENCE), "Self-relativisation", SENTENCE, None)
        ]
        assert [(s.start, s.end) for s in view.spans] == [(start, start + len(SENTENCE))]
        assert app.is_running and app.return_code is None
        assert "project free again: all changes saved" in notes


async def test_changes_keep_their_order_while_busy_and_quit_warns(r7_path, make_app):
    app = make_app(r7_path)
    notes = watch_notes(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        started = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(r7_path, 7, started))
        holder.start()
        started.wait(5)
        await pilot.press("1", "x")  # code, then remove the same coding: both wait, in order
        assert app.screen.pending_changes == 1  # x finds no saved coding under the cursor yet
        await pilot.press("ctrl+z")
        assert any("project busy: 1 change waiting to be saved first" in n for n in notes)
        await pilot.press("ctrl+q")  # waits up to 5 s, the lock is held 7 s
        assert app.is_running
        assert any("not saved" in n and "ctrl+q again" in n for n in notes)
        while holder.is_alive():
            await asyncio.sleep(0.2)
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    start = R7_TEXT.index(SENTENCE)
    assert [c[:2] for c in db_codings(r7_path)] == [(start, start + len(SENTENCE))]

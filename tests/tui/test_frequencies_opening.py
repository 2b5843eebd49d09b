"""The frequencies screen paints at once and fills in: its tables come from a worker."""

from __future__ import annotations

import threading

from textual.widgets import DataTable, Static

from qualcode.project import Project
from qualcode.tui.screens.frequencies import FrequenciesScreen


async def test_the_screen_shows_before_its_tables_are_computed(plan_project, make_app, monkeypatch):
    path = plan_project.path
    expected = plan_project.frequencies()
    plan_project.close()
    release = threading.Event()
    real = Project.frequencies

    def held(self, *args, **kwargs):
        # Run on the keystroke path, this wait would hold the screen back and the table
        # would be filled (and the title no longer "computing…") by the asserts below.
        release.wait(timeout=10)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Project, "frequencies", held)
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, FrequenciesScreen)
        table = screen.query_one("#freq-table", DataTable)
        assert table.row_count == 0
        assert "computing…" in str(screen.query_one("#freq-title", Static).render())
        await pilot.press("o")  # the keys still act while the worker computes
        assert screen.order == "codebook"
        release.set()
        for _ in range(3):
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == len(expected)
        assert "computing" not in str(screen.query_one("#freq-title", Static).render())

"""The help (about) screen names the project's last backup."""

from textual.widgets import Static

from qualcode import backups
from qualcode.tui.screens.help import HelpScreen
from tests.tui.test_app_coding import ready


async def test_help_shows_the_last_backup(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        line = str(pilot.app.screen.query_one("#help-project", Static).render())
    last = backups.last_backup(r7_path)  # the daily backup made when the app opened it
    assert last is not None and last.reason == "daily"
    assert f"last backup {last.time.replace('T', ' ')[:16]} UTC (daily)" in line


async def test_the_workbench_makes_the_days_first_backup_after_its_first_screen(r7_path, make_app):
    assert backups.last_backup(r7_path) is None
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.app.workers.wait_for_complete()
        made = backups.list_backups(r7_path)
        summary = pilot.app.project.summary()
    assert [b.reason for b in made] == ["daily"]
    assert (made[0].documents, made[0].codings) == (summary["documents"], summary["codings"])

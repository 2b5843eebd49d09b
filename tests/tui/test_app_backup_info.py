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

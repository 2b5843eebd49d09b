"""The help screen lists the bindings actually declared, by where they apply."""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from qualcode.tui.screens.help import HelpScreen, help_sections


class Panel(Static, can_focus=True):
    BINDINGS = [Binding("x", "explode", "Explode the panel")]


Panel.__module__ = "qualcode.tui.components.fake_panel"  # counts as a qualcode widget


class HelpApp(App):
    BINDINGS = [Binding("question_mark", "help", "Help"), Binding("f,ctrl+f", "find", "Find text")]

    def compose(self) -> ComposeResult:
        yield Panel("panel")

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def _table_rows(screen) -> list[tuple[str, str, str]]:
    table = screen.query_one(DataTable)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_question_mark_shows_bindings_from_app_screens_and_widgets():
    app = HelpApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = _table_rows(app.screen)
        descs = {(keys, desc) for _, keys, desc in rows}
        assert ("f, ^f", "Find text") in descs
        assert ("?", "Help") in descs
        assert ("^q", "Quit") in descs  # inherited from textual's App
        assert ("^p", "Command palette") in descs
        assert ("x", "Explode the panel") in descs  # a qualcode widget on the screen below
        retrieval = [desc for desc in (d for _, _, d in rows)]
        assert "With subcodes" in retrieval  # another qualcode screen, from its BINDINGS
        where = [w for w, _, _ in rows if w]
        assert where[0] == "Everywhere (Help app)"
        assert "Retrieval" in where and "Import dialog" in where
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_new_binding_appears_without_editing_help():
    class Extra(HelpApp):
        BINDINGS = [Binding("z", "zap", "Zap everything")]

    app = Extra()
    async with app.run_test(size=(120, 40)):
        sections = dict(help_sections(app))
        assert ("z", "Zap everything") in sections["Everywhere (Extra)"]
        assert ("?", "Help") in sections["Everywhere (Extra)"]  # inherited from HelpApp
        assert sections["Retrieval"] == [
            ("esc, q", "Back"),
            ("c", "With subcodes"),
            ("⏎", "Go to document"),
        ]

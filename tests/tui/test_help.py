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


class TabApp(App):
    BINDINGS = [
        Binding("ctrl+t,ctrl+f", "table", "Table"),
        Binding("ctrl+w", "close_it", "Close"),
        Binding("ctrl+q", "quit", "Quit"),
    ]


def test_keys_a_browser_takes_are_listed_with_what_to_press_instead():
    from qualcode.tui.browser_keys import browser_rows
    from qualcode.tui.screens.help import all_bindings

    app = TabApp()
    rows = dict(browser_rows(app, all_bindings(app)))
    assert rows["^t"] == "Table: in a browser it opens a new tab; press ^f"
    assert (
        rows["^w"] == "Close: in a browser it closes the tab; no other key: use the command palette"
    )
    assert rows["^q"].startswith("Quit: in a browser it quits Firefox; close the browser tab")
    assert "^f" not in rows


def test_every_workbench_key_a_browser_takes_has_another_key():
    """qualcode serve: no action of the workbench is out of reach in a browser."""
    from qualcode.tui.app import QualcodeApp
    from qualcode.tui.browser_keys import NO_KEY_NEEDED, TAKEN_BY_BROWSER
    from qualcode.tui.screens.help import all_bindings

    app = QualcodeApp()
    pairs = all_bindings(app)
    taken = [(where, b) for where, b in pairs if b.key in TAKEN_BY_BROWSER]
    assert ("Qualcode app", "ctrl+t") in {(w, b.key) for w, b in taken}  # the list is read
    for where, binding in taken:
        others = [b.key for w, b in pairs if w == where and b.action == binding.action]
        assert binding.action in NO_KEY_NEEDED or set(others) - set(TAKEN_BY_BROWSER), (
            f"{where}: {binding.key} ({binding.action}) has no key that works in a browser"
        )

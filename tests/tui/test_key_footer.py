"""KeyFooter: one rebuild per burst of binding changes, and the keys of the last change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from qualcode.tui.components.footer import KeyFooter


class FooterApp(App):
    BINDINGS = [Binding("a", "noop", "Alpha"), Binding("b", "beta", "Beta")]
    beta_shown = False

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield KeyFooter()

    def action_noop(self) -> None:
        pass

    def action_beta(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return False if action == "beta" and not self.beta_shown else True  # False: hidden


async def test_a_burst_of_binding_signals_rebuilds_the_footer_once():
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        rebuilds = []
        original = footer.recompose

        async def counted():
            rebuilds.append(1)
            await original()

        footer.recompose = counted  # type: ignore[method-assign]
        app.beta_shown = True  # the keys change once in the burst
        for _ in range(5):
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert len(rebuilds) == 1
        assert [k.key for k in footer.query(FooterKey)] == ["a", "b", "ctrl+p"]


async def test_a_signal_that_leaves_the_keys_as_they_were_does_not_rebuild():
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        rebuilds = []
        original = footer.recompose

        async def counted():
            rebuilds.append(1)
            await original()

        footer.recompose = counted  # type: ignore[method-assign]
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert rebuilds == []
        assert [k.key for k in footer.query(FooterKey)] == ["a", "ctrl+p"]


async def test_a_binding_shown_later_appears_after_the_rebuild():
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert [k.key for k in footer.query(FooterKey)] == ["a", "ctrl+p"]
        app.beta_shown = True
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert [k.key for k in footer.query(FooterKey)] == ["a", "b", "ctrl+p"]


async def test_a_rebuild_after_the_footer_is_gone_does_nothing():
    """A dialog answered at once: its footer's pending rebuild runs after the footer left."""
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        await footer.remove()
        await footer._rebuild()  # raised NoScreen
        assert not footer.is_attached

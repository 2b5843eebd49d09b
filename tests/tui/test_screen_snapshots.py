"""Snapshots of the retrieval and frequencies screens at 120x40 on the plan project.

Regenerate after a deliberate visual change with
    PYTHONPATH=. python -m pytest tests/tui/test_screen_snapshots.py --snapshot-update
"""

from qualcode.tui.screens.frequencies import FrequenciesScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from tests.tui.screen_app import ScreenApp


def test_retrieval_screen(snap_compare, plan_project):
    app = ScreenApp(lambda: RetrievalScreen(plan_project, "Leadership/Decision making"))
    assert snap_compare(app, terminal_size=(120, 40))


def test_retrieval_screen_with_subcodes(snap_compare, plan_project):
    app = ScreenApp(lambda: RetrievalScreen(plan_project, "Perspective transformation"))
    assert snap_compare(app, terminal_size=(120, 40), press=["c", "down", "down"])


async def settle(pilot) -> None:
    """The frequencies are computed in a worker: wait for it before the picture."""
    # A key can start a chain (tab switch -> TabActivated -> worker -> result message),
    # so deliver messages and wait for workers until nothing is left, then let the
    # tab underline finish its animation.
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_frequencies_screen(snap_compare, plan_project):
    app = ScreenApp(lambda: FrequenciesScreen(plan_project))
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


def test_frequencies_crosstab_tab(snap_compare, plan_project):
    async def crosstab(pilot) -> None:
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)

    app = ScreenApp(lambda: FrequenciesScreen(plan_project))
    assert snap_compare(app, terminal_size=(120, 40), run_before=crosstab)

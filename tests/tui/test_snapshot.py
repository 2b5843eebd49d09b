"""Snapshot of the main screen at 120x40 (deterministic: fixed coder, no clock, no dates)."""

from qualcode.project import Project
from tests.conftest import R7_TEXT


def test_main_screen_120x40(r7_path, make_app, snap_compare):
    with Project.open(r7_path) as p:
        loud = R7_TEXT.index("The ICU in Ohio was loud.")
        p.add_coding("R7 interview", loud, loud + 25, "Self-relativisation")
        p.add_coding("R7 interview", loud - 56, loud + 47, "Role model", memo="first weeks")
        rounds = R7_TEXT.index("Later I led")
        p.add_coding("R7 interview", rounds, rounds + 38, "Career design/Right of choice")

    async def settle(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("j", "j")
        pilot.app.clear_notifications()  # the opening notice ("Coding as tester …")
        await pilot.pause()

    assert snap_compare(make_app(r7_path), terminal_size=(120, 40), run_before=settle)

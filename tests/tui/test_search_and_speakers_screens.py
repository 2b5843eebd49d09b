"""Pilot and snapshot tests of the project search and speakers screens, and selections that
never pull in the next speaker's label."""

from __future__ import annotations

import re

from textual.widgets import DataTable, Input, OptionList

from qualcode.project import Project
from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.screens.project_search import ProjectSearchScreen
from qualcode.tui.screens.speakers import SpeakersScreen
from tests.conftest import R7_TEXT
from tests.tui.screen_app import ScreenApp


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_ctrl_f_searches_the_project_and_enter_selects_the_hit(r7_path, make_app):
    app = make_app(r7_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectSearchScreen)
        await pilot.press(*"later", "enter")
        await settle(pilot)
        spans = [m.span() for m in re.finditer("later", R7_TEXT, re.I)]
        assert [(h.start, h.end) for h in screen.hits] == spans
        assert screen.query_one(OptionList).option_count == len(spans) == 2
        assert "2 hit(s) in 1 of 1 document(s)" in str(screen.query_one("#search-summary").render())
        await pilot.press("down", "enter")
        await settle(pilot)
        view = app.screen.query_one(DocumentView)
        assert view.selection == spans[1] and view.selected_text == "Later"


async def test_regex_toggle_and_a_bad_pattern(r7_path, make_app):
    app = make_app(r7_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        screen = app.screen
        await pilot.press("ctrl+r", *r"I\w+", "enter")
        await settle(pilot)
        assert [h.match for h in screen.hits] == [
            m.group() for m in re.finditer(r"I\w+", R7_TEXT, re.I)
        ]
        screen.query_one(Input).focus()  # enter took the focus to the hits
        screen.query_one(Input).value = "("
        await pilot.press("enter")
        await settle(pilot)
        assert screen.hits == []
        assert "not a regular expression" in str(screen.query_one("#search-summary").render())


async def hits_focused(pilot) -> None:
    """The hits listed and focused (a focused input's blinking cursor would vary)."""
    await settle(pilot)
    pilot.app.screen.query_one(OptionList).focus()
    await settle(pilot)


def test_project_search_snapshot(snap_compare, plan_project):
    app = ScreenApp(lambda: ProjectSearchScreen(plan_project, "ICU"))
    assert snap_compare(app, terminal_size=(120, 40), run_before=hits_focused)


def test_project_search_snapshot_small(snap_compare, plan_project):
    app = ScreenApp(lambda: ProjectSearchScreen(plan_project, "ICU"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=hits_focused)


def test_speakers_snapshot(snap_compare, plan_project):
    app = ScreenApp(lambda: SpeakersScreen(plan_project))
    assert snap_compare(app, terminal_size=(120, 40), run_before=settle)


async def test_speakers_screen_marks_and_merges(r7_path):
    with Project.open(r7_path) as p:
        from qualcode.models import Segment

        doc = p.documents()[0].id
        segs = [
            Segment(m.start(), m.end(), "turn", m.group(1))
            for m in re.finditer(r"^([^:\n]+): [^\n]*", R7_TEXT, re.M)
        ]
        p.replace_segments({doc: segs}, ["turn"])
    project = Project.open(r7_path)
    try:
        app = ScreenApp(lambda: SpeakersScreen(project))
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            table = screen.query_one(DataTable)
            labels = [r.speaker for r in screen.rows]
            assert labels and table.row_count == len(labels)
            await pilot.press("i")
            await settle(pilot)
            assert project.interviewer_speakers() == [labels[0]]
            await pilot.press("m", *"Person A", "enter")
            await settle(pilot)
            assert "Person A" in {r.speaker for r in screen.rows}
            assert project.interviewer_speakers() == ["Person A"]
    finally:
        project.close()


async def test_extending_by_unit_stops_before_the_next_speakers_label(r7_path, make_app):
    app = make_app(r7_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(DocumentView)
        last = "I felt lost at first."
        start = R7_TEXT.index(last)
        view.select(start, start + len(last))
        await pilot.press("shift+down")
        await settle(pilot)
        assert view.selection == (start, start + len(last))  # "Interviewer:" is next: stays
        first = R7_TEXT.index("I decided")
        view.select(first, first + 10)
        await pilot.press("shift+down")
        await settle(pilot)
        assert (
            view.selected_text.startswith("I decided") and "Interviewer" not in view.selected_text
        )

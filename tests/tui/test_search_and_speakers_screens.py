"""Pilot and snapshot tests of the project search and speakers screens, and selections that
never pull in the next speaker's label."""

from __future__ import annotations

import re

import pytest
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
        assert "2 hits in 1 of 1 document" in str(screen.query_one("#search-summary").render())
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


def test_project_search_snapshot_large(snap_compare, plan_project):
    app = ScreenApp(lambda: ProjectSearchScreen(plan_project, "ICU"))
    assert snap_compare(app, terminal_size=(200, 60), run_before=hits_focused)


# Two interviews whose interviewer is written three ways, as transcribers do.
SPOKEN = {
    "R7": (
        "Interviewer 1: How was the ICU?\n\n"
        "R7: It was loud. The ICU was very loud.\n\n"
        "Interviewer1: And the ICU later?\n\n"
        "R7: Then quiet."
    ),
    "R8": (
        "interviewer: What did you learn on the ward?\n\n"
        "R8: To ask before I assume, and to listen to the nurses.\n\n"
        "interviewer: Thanks."
    ),
}


@pytest.fixture
def spoken_project(tmp_path):
    """SPOKEN imported from files (qualcode's importer finds the turns and labels)."""
    from qualcode.codebook import load_codebook
    from tests.conftest import PIF

    project = Project.create(
        tmp_path / "spoken.qualcode", codebook=load_codebook(PIF), coder="tester"
    )
    for pid, text in SPOKEN.items():
        f = tmp_path / f"{pid}.txt"
        f.write_text(text, encoding="utf-8")
        project.import_files([f], participant=pid, sentences="no")
    yield project
    project.close()


def turns_of(text: str, label: str) -> int:
    return sum(1 for line in text.split("\n") if line.startswith(label + ":"))


def words_of(text: str, label: str) -> int:
    return sum(
        len(line.split(":", 1)[1].split())
        for line in text.split("\n")
        if line.startswith(label + ":")
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
def test_speakers_snapshot(snap_compare, spoken_project, size):
    spoken_project.mark_interviewer(["interviewer"])  # a row in bold with its role shown
    app = ScreenApp(lambda: SpeakersScreen(spoken_project))
    assert snap_compare(app, terminal_size=size, run_before=settle)


async def test_speakers_screen_shows_turns_and_words_then_merges_and_marks(spoken_project):
    project = spoken_project
    app = ScreenApp(lambda: SpeakersScreen(project))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(DataTable)
        shown = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert shown == [
            [f"{pid} · {pid}", label, str(turns_of(text, label)), str(words_of(text, label)), ""]
            for pid, text, label in [
                ("R7", SPOKEN["R7"], "Interviewer 1"),
                ("R7", SPOKEN["R7"], "R7"),
                ("R7", SPOKEN["R7"], "Interviewer1"),
                ("R8", SPOKEN["R8"], "interviewer"),
                ("R8", SPOKEN["R8"], "R8"),
            ]
        ]
        assert "5 labels in 2 documents" in str(screen.query_one("#speakers-title").render())
        # merge the three spellings into one label, from the screen
        # "Interviewer 1" (row 0), then "Interviewer1" (row 2), then R8's "interviewer",
        # which is row 2 once R7's two interviewer rows have become one
        for row in (0, 2, 2):
            table.move_cursor(row=row)
            await pilot.press("m", *"Interviewer", "enter")
            await settle(pilot)
        assert table.cursor_row == 2  # still on the merged label's row: R8's interviewer
        labels = project.speaker_labels()
        assert labels == ["Interviewer", "R7", "R8"]
        # the database: every interviewer turn relabelled, the text untouched
        for doc in project.documents():
            text = project.document(doc.id).text
            assert text == SPOKEN[doc.participant]
            for seg in project.segments(doc.id):
                if seg.kind == "turn" and seg.speaker == "Interviewer":
                    line_start = text.rfind("\n", 0, seg.start) + 1
                    assert text[line_start : seg.start].lower().startswith("interviewer")
        rows = {(r.participant, r.speaker): (r.turns, r.words) for r in screen.rows}
        assert rows[("R7", "Interviewer")] == (
            2,
            words_of(SPOKEN["R7"], "Interviewer 1") + words_of(SPOKEN["R7"], "Interviewer1"),
        )
        assert rows[("R8", "Interviewer")] == (2, words_of(SPOKEN["R8"], "interviewer"))
        # mark the interviewer: stored, shown, and in the title
        table.move_cursor(row=0)
        await pilot.press("i")
        await settle(pilot)
        assert project.interviewer_speakers() == ["Interviewer"]
        roles = [str(table.get_row_at(i)[4]) for i in range(table.row_count)]
        assert roles == ["interviewer", "", "interviewer", ""]
        assert "interviewer: Interviewer" in str(screen.query_one("#speakers-title").render())
        await pilot.press("i")  # and off again
        await settle(pilot)
        assert project.interviewer_speakers() == []
        await pilot.press("m", *"Interviewer", "enter")  # into its own name: nothing to do
        await settle(pilot)
        assert project.speaker_labels() == ["Interviewer", "R7", "R8"]


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


async def test_frequencies_screen_leaves_the_interviewers_turns_out(spoken_project):
    from qualcode.tui.screens.frequencies import FrequenciesScreen

    project = spoken_project
    a, b = [c for c in project.codes() if c.depth == 1][:2]
    docs = {d.participant: d.id for d in project.documents()}
    r7, r8 = SPOKEN["R7"], SPOKEN["R8"]
    question = r7.index("How was")
    project.add_coding(docs["R7"], question, question + 7, a.id)  # the interviewer's words only
    answer = r8.index("To ask")
    project.add_coding(docs["R8"], answer, answer + 6, a.id)
    project.add_coding(docs["R7"], question, r7.index("It was") + 6, b.id)  # question and answer
    app = ScreenApp(lambda: FrequenciesScreen(project))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen

        def n_over_N(code) -> str:
            return str(screen.query_one("#freq-table", DataTable).get_row(code.path)[1])

        assert (n_over_N(a), n_over_N(b)) == ("2/2", "1/2")
        await pilot.press("i")  # nobody is marked as the interviewer yet: nothing changes
        await settle(pilot)
        assert screen.skip_interviewer is False and n_over_N(a) == "2/2"
        project.mark_interviewer(["Interviewer 1", "Interviewer1", "interviewer"])
        await pilot.press("i")
        await settle(pilot)
        assert (n_over_N(a), n_over_N(b)) == ("1/2", "1/2")
        assert "without interviewer turns" in str(screen.query_one("#freq-title").render())
        assert "the interviewer's turns left out" in str(screen.query_one("#freq-scope").render())
        await pilot.press("i")
        await settle(pilot)
        assert (n_over_N(a), n_over_N(b)) == ("2/2", "1/2")


async def test_ctrl_s_opens_the_speakers_screen(spoken_project, make_app):
    path = spoken_project.path
    spoken_project.close()
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SpeakersScreen)
        assert len(app.screen.rows) == 5

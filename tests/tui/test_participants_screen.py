"""The participant editor (issue 14 item 4): a table of participants with their documents
and attributes; enter edits a cell (value, or the id: rename), `a` adds an attribute.
Pilot tests assert on the database; snapshots at 80x24, 120x40 and 200x60.

Regenerate the pictures after a deliberate visual change with
    PYTHONPATH=. python -m pytest tests/tui/test_participants_screen.py --snapshot-update
"""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import DataTable, Input

from qualcode.tui.screens.participants import ParticipantsScreen, cut, fitted_widths
from tests.tui.screen_app import ScreenApp


def stored(path) -> dict[str, dict[str, str]]:
    """Participants and attributes as a second connection reads them (what is on disk)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT p.pid, a.name, a.value FROM participants p "
            "LEFT JOIN attributes a ON a.participant_id = p.id"
        ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for pid, name, value in rows:
        out.setdefault(pid, {})
        if name:
            out[pid][name] = value
    return out


async def answer(pilot, text: str) -> None:
    """Type `text` into the open prompt over whatever it holds, then press enter."""
    field = pilot.app.screen.query_one(Input)
    await pilot.press("end", *["backspace"] * len(field.value), *text, "enter")
    await pilot.pause()


def test_fitted_widths_cap_the_wide_columns_only():
    assert fitted_widths([13, 16, 11, 3, 28], 80) == [13, 16, 11, 3, 28]  # all fit
    assert fitted_widths([13, 16, 11, 3, 28], 49) == [11, 11, 11, 3, 11]
    assert fitted_widths([20, 20], 4) == [6, 6]  # never under 6: the table then scrolls


async def test_at_80_columns_every_row_fits_and_long_values_end_in_an_ellipsis(plan_project):
    # The specialty column ran past the right edge: "sp" as its header, "In" for
    # "Internal medicine", the rest of the row out of sight.
    app = ScreenApp(lambda: ParticipantsScreen(plan_project))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        lines = [table.render_line(y).text for y in range(3)]
        header, first = lines[0], lines[1]
        assert "specialty" in header and "sex" in header, lines
        value = plan_project.participant_rows()[0].attributes["specialty"]
        shown = str(table.get_row_at(0)[-1])
        assert shown.endswith("…") and value.startswith(shown[:-1]), (shown, value)
        assert shown in first, lines
        # the detail line still shows the whole value
        await pilot.press("end")
        await pilot.pause()
        detail = str(app.screen.query_one("#participants-detail").render())
        assert value in detail, detail
        await pilot.resize_terminal(160, 30)  # wider: every value whole again
        await pilot.pause()
        await pilot.pause()
        assert str(table.get_row_at(0)[-1]) == value


def test_cut_keeps_one_line():
    assert cut("short") == "short"
    assert cut("a\nb  c") == "a b c"
    assert cut("x" * 40, 10) == "x" * 9 + "…"


async def test_lists_participants_with_documents_and_attributes(plan_project):
    app = ScreenApp(lambda: ParticipantsScreen(plan_project))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        columns = [str(c.label) for c in table.columns.values()]
        assert columns == [
            "Participant",
            "Docs",
            "elective_type",
            "host_country",
            "host_income",
            "sex",
            "specialty",
        ]
        assert table.row_count == 23
        assert table.get_row_at(0)[:2] == ["R1", "2"]
        assert [table.get_row_at(i)[0] for i in range(3)] == ["R1", "R2", "R3"]  # natural order
        docs = sum(int(table.get_row_at(i)[1]) for i in range(table.row_count))
        assert docs == len(plan_project.documents())


async def test_edit_remove_and_add_attributes(plan_project):
    path = plan_project.path
    app = ScreenApp(lambda: ParticipantsScreen(plan_project))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert stored(path)["R2"]["host_income"] == "HIC"
        await pilot.press("down", "right", "right", "right", "right", "enter")  # R2 host_income
        await answer(pilot, "LMIC")
        assert stored(path)["R2"]["host_income"] == "LMIC"
        await pilot.press("enter")
        await answer(pilot, "")  # empty removes it
        assert "host_income" not in stored(path)["R2"]
        await pilot.press("a")
        await answer(pilot, "cohort=2019")
        assert stored(path)["R2"]["cohort"] == "2019"
        assert stored(path)["R1"].get("cohort") is None
        table = app.screen.query_one(DataTable)
        assert "cohort" in [str(c.label) for c in table.columns.values()]
        before = stored(path)
        await pilot.press("a")
        await answer(pilot, "no equals sign")
        assert stored(path) == before
        assert any("is not NAME=VALUE" in n.message for n in app._notifications)
        assert app.screen.changed
    actions = [a for (a,) in sqlite3.connect(path).execute("SELECT action FROM log")]
    assert actions[-3:] == ["set attributes of R2"] * 3


async def test_rename_refuses_a_clash(plan_project):
    path = plan_project.path
    app = ScreenApp(lambda: ParticipantsScreen(plan_project))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await answer(pilot, "R2")  # R1 -> R2: taken
        assert "R1" in stored(path) and len(stored(path)) == 23
        assert any("already exists" in n.message for n in app._notifications)
        await pilot.press("enter")  # enter on the id cell renames too
        await answer(pilot, "R01")
        people = stored(path)
        assert "R01" in people and "R1" not in people and len(people) == 23
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(table.cursor_row)[0] == "R01"  # the cursor follows it
        assert [d.participant for d in plan_project.documents()].count("R01") == 2


async def test_reached_by_key_and_palette_and_relists_the_main_screen(r7_path, make_app):
    from qualcode.tui.components.participants_tree import ParticipantsTree

    app = make_app(r7_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)
        await pilot.press("r")
        await answer(pilot, "R07")
        await pilot.press("escape")
        await pilot.pause()
        tree = app.screen.query_one(ParticipantsTree)
        labels = [str(node.label) for node in tree.root.children]
        assert any(label.startswith("R07") for label in labels), labels
        assert stored(r7_path).keys() == {"R07"}
        await app.run_action("app.command_palette")
        await pilot.pause()
        await pilot.press(*"participants")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ParticipantsScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
def test_participants_screen_snapshot(snap_compare, plan_project, size):
    plan_project.set_attributes("R3", {"note": "a long remark " * 5})  # cut in the table
    app = ScreenApp(lambda: ParticipantsScreen(plan_project))
    assert snap_compare(app, terminal_size=size, press=["down", "down"] + ["right"] * 5)


async def test_import_sheet_shows_the_summary_then_imports(plan_project, tmp_path):
    from qualcode.tui.screens.choice import ChoiceScreen

    sheet = tmp_path / "cohorts.csv"
    sheet.write_text("participant,cohort\nR1,2019\nR2,2020\nX9,2021\n", encoding="utf-8")
    path = plan_project.path
    app = ScreenApp(lambda: ParticipantsScreen(plan_project))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await answer(pilot, str(sheet))
        assert isinstance(app.screen, ChoiceScreen)
        assert "matched 2 participants of the project: R1, R2" in app.screen.question
        assert "not in the project: X9" in app.screen.question
        assert "cohort" not in str(stored(path))  # nothing written before the choice
        await pilot.press("enter")  # import, skipping X9
        await pilot.pause()
        people = stored(path)
        assert (people["R1"]["cohort"], people["R2"]["cohort"]) == ("2019", "2020")
        assert "X9" not in people
        summary = [n.message for n in app._notifications if "cohorts.csv" in n.message][-1]
        assert "skipped 1 participant not in the project: X9\n" in summary + "\n"
        assert "--create" not in summary  # the CLI's option means nothing here
        table = app.screen.query_one(DataTable)
        assert "cohort" in [str(c.label) for c in table.columns.values()]
        await pilot.press("i")
        await answer(pilot, str(sheet))
        await pilot.press("down", "enter")  # import and add X9
        await pilot.pause()
        assert stored(path)["X9"] == {"cohort": "2021"}
        assert app.screen.query_one(DataTable).row_count == 24
        await pilot.press("i")
        await answer(pilot, str(tmp_path / "missing.csv"))
        assert isinstance(app.screen, ParticipantsScreen)
        assert any("missing.csv: not found" in n.message for n in app._notifications)

"""The frequencies screen on the demo project: the study's table, filters, crosstab, chart, export."""

import pandas as pd
import pytest
from textual.widgets import DataTable, Input, Select, Static, TabbedContent
from textual_plotext import PlotextPlot

from qualcode.analysis.filters import Filters
from qualcode.tui.screens.export_dialog import ExportDialog
from qualcode.tui.screens.frequencies import FrequenciesScreen
from qualcode.tui.screens.retrieval import RetrievalScreen
from tests.percent_reference import expected_percent
from tests.tui.screen_app import ScreenApp


@pytest.fixture
def demo(tmp_path):
    from qualcode.demo import build_demo

    project = build_demo(tmp_path / "demo.qualcode")
    yield project
    project.close()


async def settle(pilot) -> None:
    """Let the screen's worker finish its tables and the handlers fill the widgets."""
    await pilot.pause()  # deliver pending messages (a Select.Changed starts the worker)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _row(screen, table_id: str, code: str) -> list[str]:
    return [str(c) for c in screen.query_one(table_id, DataTable).get_row(code)]


async def test_demo_table_reads_like_the_study(demo):
    app = ScreenApp(lambda: FrequenciesScreen(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#freq-table", DataTable)
        assert [str(c.label) for c in table.columns.values()][:3] == [
            "Theme / subtheme",
            "n/N",
            "%",
        ]
        first = [str(c) for c in table.get_row_at(0)]
        assert first[:3] == ["Perspective transformation", "17/23", "74%"]
        assert [str(c) for c in table.get_row_at(1)][:2] == ["  Self-relativisation", "14/23"]
        assert _row(screen, "#freq-table", "Career design")[:2] == ["Career design", "16/23"]
        assert table.row_count == len(demo.codes())
        assert "23 participants, 39 documents in scope" in str(
            screen.query_one("#freq-scope", Static).render()
        )


async def _choose(pilot, select_id: str, downs: int) -> None:
    """Open a Select with the keyboard and pick the option `downs` below the prompt."""
    pilot.app.screen.query_one(select_id, Select).focus()
    await pilot.press("enter", *(["down"] * downs), "enter")
    await settle(pilot)


async def test_filters_by_kind_coder_and_attribute(demo):
    app = ScreenApp(lambda: FrequenciesScreen(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await _choose(pilot, "#filter-kind", 2)  # all kinds, interview, report
        assert screen.filters() == Filters(kinds=("report",))
        expected = demo.frequencies(Filters(kinds=("report",)))
        top = expected.iloc[0]
        assert _row(screen, "#freq-table", top["code"])[1] == f"{top['n']}/{top['N']}"
        assert top["N"] == 16  # the participants with a report
        await _choose(pilot, "#filter-coder", 2)  # all coders, coder1, coder2
        await _choose(pilot, "#filter-where", 0)  # the prompt: back to everybody
        filters = Filters(kinds=("report",), coders=("coder2",))
        assert screen.filters() == filters
        expected = demo.frequencies(filters).set_index("code")
        n, total = expected.loc["Perspective transformation", ["n", "N"]]
        assert _row(screen, "#freq-table", "Perspective transformation")[1] == f"{n}/{total}"
        assert "kind=report, coder=coder2" in str(screen.query_one("#freq-title", Static).render())


async def test_crosstab_tab_and_chart(demo):
    app = ScreenApp(lambda: FrequenciesScreen(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("t")
        await settle(pilot)
        assert screen.query_one(TabbedContent).active == "tab-crosstab"
        attr = screen.query_one("#crosstab-attr", Select)
        attrs = list(demo.filter_choices().attributes)
        attr.value = "sex"
        await settle(pilot)
        expected = demo.crosstab("sex").set_index("code").loc["Perspective transformation"]
        row = _row(screen, "#crosstab-table", "Perspective transformation")
        assert row[1:] == [
            f"{expected[f'{g} n']}/{expected[f'{g} N']} "
            f"({expected_percent(expected[f'{g} n'], expected[f'{g} N'], 0)}%)"
            for g in ("F", "M")
        ]
        headers = [
            str(c.label) for c in screen.query_one("#crosstab-table", DataTable).columns.values()
        ]
        assert headers == [
            "Theme / subtheme",
            f"F (N={expected['F N']})",
            f"M (N={expected['M N']})",
        ]
        assert "sex" in attrs
        await pilot.press("t")
        await settle(pilot)  # the chart is mounted when its tab first shows
        assert screen.query_one(TabbedContent).active == "tab-chart"
        plot = screen.query_one(PlotextPlot)
        rendered = plot.plt.build()
        assert "participants with the theme (of 23)" in rendered
        assert "Perspective transformation 17/23" in rendered  # n/N, as in the image
        assert "Perspective transformation" in rendered and "Leadership" in rendered


async def test_export_csv_and_xlsx_read_back_with_pandas(demo, tmp_path):
    app = ScreenApp(lambda: FrequenciesScreen(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert dialog.query_one("#export-path", Input).value == str(
            tmp_path / "demo-frequencies.csv"
        )
        await pilot.press("enter")  # accept the default: csv next to the project
        await settle(pilot)
        assert app.screen is screen and screen.last_export == tmp_path / "demo-frequencies.csv"
        back = pd.read_csv(screen.last_export)
        row = back.set_index("code").loc["Perspective transformation"]
        assert (row["n"], row["N"]) == (17, 23)
        assert len(back) == len(demo.codes())

        await pilot.press("e")
        await settle(pilot)
        await _choose(pilot, "#export-format", 1)  # csv, xlsx, ...
        assert app.screen.query_one("#export-path", Input).value == str(
            tmp_path / "demo-frequencies.xlsx"
        )
        await pilot.click("#export-ok")
        await settle(pilot)
        rows = paper_rows(tmp_path / "demo-frequencies.xlsx")
        theme = next(c for c in demo.codes() if c.path == "Self-development")
        ids = {theme.id, *demo.descendants(theme.id)}
        codings = sum(1 for c in demo.codings() if c.code_id in ids)  # every coder's
        assert rows["Self-development"][:3] == [17, 17 / 23, codings]


async def test_export_png_and_cancel(demo, tmp_path):
    app = ScreenApp(lambda: FrequenciesScreen(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("e")
        await settle(pilot)
        await _choose(pilot, "#export-format", 6)  # csv xlsx docx md latex json png
        await pilot.click("#export-ok")
        await settle(pilot)
        png = tmp_path / "demo-frequencies.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.last_export == png


async def test_enter_on_a_row_opens_its_excerpts(demo):
    app = ScreenApp(lambda: FrequenciesScreen(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # the second row: Self-relativisation
        await settle(pilot)
        assert isinstance(app.screen, RetrievalScreen)
        assert app.screen.code.path == "Perspective transformation/Self-relativisation"
        expected = demo.excerpts(
            code="Perspective transformation/Self-relativisation", with_children=True
        )
        assert len(app.screen.items) == len(expected)


async def test_a_typed_xlsx_suffix_writes_xlsx_even_with_csv_chosen(demo, tmp_path):
    app = ScreenApp(lambda: FrequenciesScreen(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert str(app.screen.query_one("#export-format", Select).value) == "csv"
        await pilot.press("ctrl+a", "ctrl+k", *str(tmp_path / "typed.xlsx"))
        await pilot.pause()
        assert str(app.screen.query_one("#export-format", Select).value) == "xlsx"  # follows
        await pilot.press("enter")
        await settle(pilot)
        written = tmp_path / "typed.xlsx"
        assert written.read_bytes()[:2] == b"PK"  # a zip (xlsx), not CSV text
        assert paper_rows(written)["Self-development"][0] == 17


def paper_rows(path) -> dict:
    """The value cells of the paper XLSX by row label (the stub column)."""
    from openpyxl import load_workbook

    sheet = load_workbook(path)["Table"]
    return {
        row[0].value: [c.value for c in row[1:]]
        for row in sheet.iter_rows(min_row=4)
        if row[0].value
    }


async def test_no_participant_in_scope_reads_n_a_as_in_the_cli(project):
    # A document that belongs to nobody (a REFI-QDA import without cases): the screen
    # said "0/0" and "0%" where `qualcode freq` says n/a, and did not say why.
    from qualcode.analysis.report import frequencies_text
    from qualcode.models import NewDocument

    [doc] = project.add_documents(
        [NewDocument(None, "interview", "admin.txt", "We talked about perspective.")]
    )
    code = project.codes()[0]
    project.add_coding(doc, 0, 9, code.id)
    terminal = frequencies_text(project.frequencies())
    assert "n/a" in terminal and "participants cannot be counted" in terminal
    app = ScreenApp(lambda: FrequenciesScreen(project))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        row = _row(screen, "#freq-table", code.path)
        assert row[1:5] == ["n/a", "n/a", "1", "1"], row
        table = screen.query_one("#freq-table", DataTable)
        shown = {str(c) for i in range(table.row_count) for c in table.get_row_at(i)}
        assert "0/0" not in shown and "0%" not in shown
        scope = str(screen.query_one("#freq-scope", Static).render())
        assert "no document in scope belongs to a participant" in scope, scope

"""Nothing cut, at any size (issue 14 item 6): the codebook panel, the frequency table and
the keys screen are laid out by their content at 80x24, 120x40 and 200x60.

Pilot tests assert on what is shown (labels, cells, widths); the snapshots keep the
pictures. Regenerate after a deliberate visual change with
    PYTHONPATH=. python -m pytest tests/tui/test_layout_by_content.py --snapshot-update
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from qualcode.project import Project
from qualcode.tui.components.codebook_detail import CodebookDetail
from qualcode.tui.components.codebook_tree import NAME_AT_LEAST, CodebookTree
from qualcode.tui.screens import help as help_screen
from qualcode.tui.screens.frequencies import FrequenciesScreen
from tests.tui.screen_app import ScreenApp
from tests.tui.test_screen_snapshots import settle

SIZES = [(80, 24), (120, 40), (200, 60)]


@pytest.fixture
def plan_path(plan_project):
    path = plan_project.path
    plan_project.close()  # the app opens its own connection
    return path


async def opened(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def expected_counts(path) -> dict[str, tuple[int, int]]:
    """code path -> (codings, participants) as the panel should show them: a code with
    subcodes counts its subtree, as the frequency table's n (no filters)."""
    with Project.open(path) as p:
        table = p.frequencies()
        return {r.code: (int(r.codings), int(r.n)) for r in table.itertuples()}


def tree_lines(tree: CodebookTree) -> dict[str, str]:
    return {tree._codes[cid].path: str(node.label) for cid, node in tree._code_nodes.items()}


@pytest.mark.parametrize("size", SIZES)
async def test_the_codebook_shows_every_count_and_full_names_where_they_fit(
    plan_path, make_app, size
):
    counts = expected_counts(plan_path)
    async with make_app(plan_path).run_test(size=size) as pilot:
        await opened(pilot)
        tree = pilot.app.screen.query_one(CodebookTree)
        lines = tree_lines(tree)
        room = tree.scrollable_content_region.width
        for path, label in lines.items():
            codings, people = counts[path]
            if codings:
                assert f"{codings}·{people}" in label, (path, label)
            name = path.rsplit("/", 1)[-1]
            code = next(c for c in tree._codes.values() if c.path == path)
            before_name = tree._lead(code) - tree.guide_depth * code.depth
            before_name -= 2 if code.id in tree._children else 0  # the expand icon
            shown = label[before_name:]
            if tree._lead(code) + len(name) <= room:
                assert shown == name, (path, label)
            else:  # shortened, said to be, and the line fits the panel
                assert shown.endswith("…") and name.startswith(shown[:-1]), (path, label)
                assert len(shown) >= NAME_AT_LEAST
                assert tree._lead(code) + len(shown) <= max(room, tree._lead(code) + NAME_AT_LEAST)
        themes = [p for p in lines if "/" not in p]
        assert themes and all(counts[t][0] for t in themes)  # themes show their counts
        if size[0] >= 120:  # the PIF codebook's names all fit from 120 columns on
            assert all(label.endswith(p.rsplit("/", 1)[-1]) for p, label in lines.items())


async def test_the_line_under_the_codebook_names_the_highlighted_code_in_full(plan_path, make_app):
    counts = expected_counts(plan_path)
    async with make_app(plan_path).run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        tree = pilot.app.screen.query_one(CodebookTree)
        detail = pilot.app.screen.query_one(CodebookDetail)
        assert str(detail.render()).startswith("codings·participants")
        with Project.open(plan_path) as p:
            code = p.code("Career design/Insufficient information sharing")
        tree.focus()
        tree.select_code(code.id)
        await pilot.pause()
        await pilot.pause()
        codings, people = counts[code.path]
        assert str(detail.render()) == (
            f"Career design/Insufficient information sharing · {codings} coding"
            f"{'' if codings == 1 else 's'}, {people} participant{'' if people == 1 else 's'}"
        )
        assert "Insufficient information sharing" not in str(tree._code_nodes[code.id].label)


async def test_a_theme_count_follows_a_coding_of_its_subcode(plan_path, make_app):
    with Project.open(plan_path) as p:
        theme = p.code("Leadership")
        before = p.frequencies().set_index("code").loc["Leadership", "codings"]
    async with make_app(plan_path).run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await pilot.press("9")  # Leadership/Decision making on the first sentence
        await opened(pilot)
        label = str(pilot.app.screen.query_one(CodebookTree)._code_nodes[theme.id].label)
    with Project.open(plan_path) as p:
        row = p.frequencies().set_index("code").loc["Leadership"]
    assert int(row["codings"]) == before + 1
    assert f"{int(row['codings'])}·{int(row['n'])}" in label


@pytest.mark.parametrize("size", SIZES)
async def test_the_frequency_table_keeps_every_column_in_view(plan_project, size):
    app = ScreenApp(lambda: FrequenciesScreen(plan_project))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        grid = app.screen.query_one("#freq-table", DataTable)
        keys = [c.key.value for c in grid.ordered_columns]
        assert keys[:5] == ["code", "n", "percent", "codings", "documents"]
        assert keys[5:] == ["n_interview", "n_report"]
        assert grid.virtual_size.width <= grid.size.width  # nothing off the right edge
        names = [str(grid.get_row_at(i)[0]) for i in range(grid.row_count)]
        joined = [" ".join(n.split()) for n in names]
        with_subs = {r.name for r in plan_project.frequencies().itertuples()}
        assert with_subs == set(joined)  # wrapped, never cut


@pytest.mark.parametrize("size", SIZES)
async def test_the_keys_screen_says_which_key_codes_what(plan_path, make_app, size):
    async with make_app(plan_path).run_test(size=size) as pilot:
        await opened(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = pilot.app.screen.query_one(DataTable)
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        with Project.open(plan_path) as p:
            wanted = {
                (c.shortcut, f"code the selection: {c.path}") for c in p.codes() if c.shortcut
            }
        assert wanted and wanted <= {(k, d) for _, k, d in rows}
        assert table.virtual_size.width <= table.size.width
        # every cell fits its column, or wraps onto more lines of its row (never cut)
        widths = [c.content_width for c in table.ordered_columns]
        for i in range(table.row_count):
            height = table.ordered_rows[i].height
            for cell, width in zip(rows[i], widths):
                assert len(cell) <= width * height, (cell, width, height)


async def opened_quietly(pilot) -> None:
    """Opened, without the opening notice ("Coding as …"): the pictures are the layout."""
    await opened(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_workbench_snapshot(plan_path, make_app, snap_compare, size):
    assert snap_compare(make_app(plan_path), terminal_size=size, run_before=opened_quietly)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_frequencies_snapshot(plan_project, snap_compare, size):
    app = ScreenApp(lambda: FrequenciesScreen(plan_project))
    assert snap_compare(app, terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_keys_snapshot(plan_path, make_app, snap_compare, size, monkeypatch):
    # The project line names the last backup's time: fixed for the picture.
    monkeypatch.setattr(help_screen, "project_line", lambda app: "plan · last backup (fixed)")

    async def keys(pilot) -> None:
        await opened_quietly(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        table = pilot.app.screen.query_one(DataTable)
        first = next(
            i for i in range(table.row_count) if str(table.get_row_at(i)[0]).startswith("Code")
        )
        table.move_cursor(row=first)  # the code shortcuts in the picture, at every size
        await pilot.pause()

    assert snap_compare(make_app(plan_path), terminal_size=size, run_before=keys)

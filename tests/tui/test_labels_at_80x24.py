"""At 80x24 every label of the workbench reads in full: fitted, wrapped or shortened with
"…", never cut mid-word by the edge of its panel."""

from __future__ import annotations

import pytest
from textual.widgets import DirectoryTree, Label

from qualcode.tui.components.codebook_detail import CodebookDetail
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.status_line import StatusLine, status_text


async def settled(pilot) -> None:
    await pilot.pause()
    busy = [w for w in pilot.app.workers if not isinstance(w.node, DirectoryTree)]
    if busy:  # (an empty list waits for every worker)
        await pilot.app.workers.wait_for_complete(busy)
    await pilot.pause()


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (0, "sentence · 81-107 · 5 words · 14 codings in document"),
        (80, "sentence · 81-107 · 5 words · 14 codings in document"),
        (45, "sentence · 5 words · 14 codings in document"),
        (32, "sentence · 5 words · 14 codings"),
        (25, "5 words · 14 codings"),
        (12, "5 words · 1…"),
    ],
)
def test_status_text_takes_the_longest_form_that_fits(width, expected):
    assert status_text("sentence", 81, 107, 5, 14, width) == expected


def test_status_text_says_one_word_and_one_coding():
    assert status_text("turn", 0, 3, 1, 1, 0) == "turn · 0-3 · 1 word · 1 coding in document"


async def test_workbench_labels_read_in_full_at_80x24(plan_project, make_app):
    path = plan_project.path
    plan_project.close()
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = pilot.app.screen
        status = screen.query_one(StatusLine)
        shown = str(status.render())
        assert len(shown) <= status.content_region.width
        assert "word" in shown and "coding" in shown and not shown.endswith("…")
        # The participants panel's title in full (its border title was "Participa…").
        participants = screen.query_one("#participants")
        assert participants.outer_size.width >= len("╭─ Participants ─╮")
        # The longest code's path, key and counts under the codebook: every line shown.
        tree = screen.query_one(CodebookTree)
        longest = max(screen.codes_by_id.values(), key=lambda c: len(c.path))
        tree.select_code(longest.id)
        await settled(pilot)
        detail = screen.query_one(CodebookDetail)
        text = tree.detail(longest.id)
        assert longest.path in text
        lines = detail._shown.get_height(detail.styles, detail.content_region.width)
        assert lines == detail.content_region.height  # not cut by its max-height


async def test_import_dialog_label_wraps_at_80x24(plan_project, make_app):
    path = plan_project.path
    plan_project.close()
    async with make_app(path).run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("ctrl+l")
        await settled(pilot)
        label = pilot.app.screen.query(Label).first()
        assert "separate with ;" in str(label.render())
        assert label.size.height >= 2  # wrapped, not cut at the form's edge
        assert label.size.width <= label.parent.content_region.width
        await pilot.press("escape")
        await settled(pilot)

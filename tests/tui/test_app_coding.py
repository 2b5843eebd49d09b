"""Pilot tests of the workbench pressing real keys; results are read back from the database."""

from qualcode.project import Project
from qualcode.tui.components.codebook_tree import CodebookTree
from qualcode.tui.components.codings_panel import CodingsPanel
from qualcode.tui.components.document_view import DocumentView
from tests.conftest import R7_TEXT

SENTENCE = "I decided to go because nobody in my class had done it."


def db_codings(path):
    with Project.open(path) as p:
        return [
            (c.start, c.end, p.code(c.code_id).name, R7_TEXT[c.start : c.end], c.memo)
            for c in p.codings()
        ]


async def ready(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen.query_one(DocumentView)


async def test_shortcut_codes_the_sentence_and_undo_redo(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        assert view.selected_text == "Why did you choose an elective abroad?"
        await pilot.press("j")
        assert view.selected_text == SENTENCE
        await pilot.press("1")  # PIF: 1 = Self-relativisation
        start = R7_TEXT.index(SENTENCE)
        assert db_codings(r7_path) == [
            (start, start + len(SENTENCE), "Self-relativisation", SENTENCE, None)
        ]
        assert [(s.start, s.end) for s in view.spans] == [(start, start + len(SENTENCE))]
        assert "Self-relativisation" in str(pilot.app.screen.query_one(CodingsPanel).entry_text(0))
        await pilot.press("ctrl+z")
        assert db_codings(r7_path) == [] and view.spans == []
        await pilot.press("ctrl+y")
        assert db_codings(r7_path) == [
            (start, start + len(SENTENCE), "Self-relativisation", SENTENCE, None)
        ]
        assert len(view.spans) == 1


async def test_extend_by_unit_and_char_then_pick_code_and_remove(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        await pilot.press("j", "shift+down", "shift+left")
        expected = R7_TEXT[
            R7_TEXT.index(SENTENCE) : R7_TEXT.index("The ICU in Ohio was loud.")
            + len("The ICU in Ohio was loud")
        ]
        assert view.selected_text == expected
        await pilot.press("c")
        await pilot.press(*"role mod", "enter")
        await pilot.pause()
        assert [(c[2], c[3]) for c in db_codings(r7_path)] == [("Role model", expected)]
        tree = pilot.app.screen.query_one(CodebookTree)
        with Project.open(r7_path) as p:
            role = p.resolve_code("Role model")
        assert "1·1" in str(tree._code_nodes[role].label)
        await pilot.press(
            "j", "6"
        )  # a second coding, same participant: 2 codings, still 1 participant
        assert "2·1" in str(tree._code_nodes[role].label)
        await pilot.press("x")
        assert "1·1" in str(tree._code_nodes[role].label)
        await pilot.press("k", "x")
        assert db_codings(r7_path) == [] and view.spans == []
        assert "·" not in str(tree._code_nodes[role].label)


async def test_memo_search_and_jump(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        await pilot.press("j", "j", "2")
        await pilot.press("m")
        await pilot.press(*"loud ward [laughs]", "ctrl+s")
        await pilot.pause()
        assert db_codings(r7_path)[0][4] == "loud ward [laughs]"
        assert "loud ward [laughs]" in str(pilot.app.screen.query_one(CodingsPanel).entry_text(0))
        await pilot.press("slash", *r"morning \w+", "enter")
        await pilot.pause()
        assert view.selected_text == "morning rounds"
        await pilot.press("left_square_bracket")
        assert view.selected_text == "The ICU in Ohio was loud."
        await pilot.press("home", "right_square_bracket")
        assert view.selected_text == "The ICU in Ohio was loud."


async def test_mouse_selection_codes_exact_offsets(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        view = await ready(pilot)
        row = view.text_layout.row_of(R7_TEXT.index("The ICU"))
        col = R7_TEXT.index("ICU") - view.text_layout.row_starts[row]
        await pilot.mouse_down(view, offset=(3 + col, row))
        await pilot.hover(view, offset=(3 + col + 3, row))
        await pilot.mouse_up(view, offset=(3 + col + 3, row))
        assert view.selected_text == "ICU"
        await pilot.press("4")
        assert [(c[2], c[3]) for c in db_codings(r7_path)] == [("Wide perspective", "ICU")]


async def test_memo_from_the_codings_panel_and_its_undo(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("j", "1", "2")  # two codings on one sentence
        panel = pilot.app.screen.query_one(CodingsPanel)
        panel.focus()
        assert "Pursuit of interest" in str(panel.entry_text(0))  # innermost, then newest first
        await pilot.press("down", "enter")
        await pilot.press(*"older code's memo", "ctrl+s")
        await pilot.pause()
        memos = {c[2]: c[4] for c in db_codings(r7_path)}
        assert memos == {"Self-relativisation": "older code's memo", "Pursuit of interest": None}
        await pilot.press("ctrl+z")
        assert {c[2]: c[4] for c in db_codings(r7_path)}["Self-relativisation"] is None


async def test_the_picker_lists_the_codebook_in_its_order_until_you_type(r7_path, make_app):
    from textual.widgets import OptionList

    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await pilot.pause()
        options = pilot.app.screen.query_one(OptionList)
        shown = [
            str(options.get_option_at_index(i).prompt).removeprefix("■ ").split("  [")[0]
            for i in range(options.option_count)
        ]
        with Project.open(r7_path) as p:
            assert shown == [c.path for c in p.codes()]  # themes, each followed by its subthemes
        await pilot.press(*"mindset")
        assert str(options.get_option_at_index(0).prompt).startswith("■ Career design/Mindset")


async def test_n_after_a_search_without_matches_says_no_match_not_no_search(r7_path, make_app):
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("/", *"zebra[s]?", "enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        messages = [n.message for n in pilot.app._notifications]
        assert (
            "No match for 'zebra[s]?' (/ searches again)." in messages
        )  # it said "No search (press /)."
        assert "No search (press /)." not in messages


async def test_nothing_to_undo_after_a_restart_points_to_the_audit_log(r7_path, make_app):
    """The undo stack is the session's: after reopening, ctrl+z has nothing, and says
    where the earlier changes can still be undone (it said only "Nothing to undo.")."""
    async with make_app(r7_path).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        messages = [n.message for n in pilot.app._notifications]
        assert (
            f"Nothing to undo in this session: `qualcode undo {r7_path.name}` undoes earlier "
            "changes (`qualcode log` lists them)." in messages
        )

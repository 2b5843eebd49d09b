"""The document view on its own: rendering, cursor units, selection, mouse, codings, search."""

from qualcode.tui.components.document_view import DocumentView
from qualcode.tui.components.row_painter import GUTTER_WIDTH
from qualcode.tui.span_index import DocSpan
from tests.tui.doc_app import DocApp

TEXT = (
    "Interviewer: Hello there [laughs]. How are you?\n"
    "R7: I am fine [red]really[/]. Kraków was great... 日本語のテキストです and more words to wrap.\n"
    "\n"
    "Interviewer: Next [bold]question[/bold]."
)


def rows(view, n=8):
    return [view.render_line(y).text for y in range(n)]


async def test_text_shows_literally_with_speaker_and_gutter():
    app = DocApp(TEXT, [DocSpan(1, 13, 33, "#3366cc", 1), DocSpan(2, 25, 47, "#cc6633", 2)])
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        view = app.query_one(DocumentView)
        shown = rows(view)
        assert shown[0].startswith("2▌ Interviewer: Hello there [laughs]. How are you?")
        assert "[red]really[/]" in shown[1]
        assert any("[bold]question[/bold]" in r for r in shown)
        # the wide-character row fits the 57-cell text area
        assert all(
            view.render_line(y).cell_length == view.scrollable_content_region.width
            for y in range(6)
        )
        # overlap [25, 33) is underlined and takes the innermost (shorter) coding's colour
        strip = view.render_line(0)
        styles = {seg.text: seg.style for seg in strip}
        assert styles["[laughs]"].underline and styles["[laughs]"].bgcolor.name == "#3366cc"
        assert styles["Interviewer:"].bold


async def test_cursor_moves_and_extends_by_unit_and_character():
    async with DocApp(TEXT).run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        assert view.selected_text == "Hello there [laughs]."
        await pilot.press("j", "j")
        assert view.selected_text == "I am fine [red]really[/]."
        await pilot.press("shift+down", "shift+right")
        assert view.selected_text == "I am fine [red]really[/]. Kraków was great... "
        await pilot.press("shift+left", "shift+up")
        assert view.selected_text == "I am fine [red]really[/]."
        await pilot.press("k")
        assert view.selected_text == "How are you?"
        await pilot.press("u")
        assert view.unit == "turn" and view.selected_text == "Hello there [laughs]. How are you?"
        await pilot.press("j", "j")
        assert view.selected_text == "Next [bold]question[/bold]."
        await pilot.press("home")
        assert view.selected_text == "Hello there [laughs]. How are you?"


def app_view(pilot) -> DocumentView:
    return pilot.app.query_one(DocumentView)


async def test_mouse_drag_selects_offsets_and_click_selects_unit():
    async with DocApp(TEXT).run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        await pilot.mouse_down(view, offset=(3 + 13, 0))
        await pilot.hover(view, offset=(3 + 24, 0))
        await pilot.mouse_up(view, offset=(3 + 24, 0))
        assert view.selection == (13, 24) and view.selected_text == "Hello there"
        await pilot.click(view, offset=(3 + 40, 0))
        assert view.selected_text == "How are you?"


async def test_coding_key_adds_span_and_next_previous_coding():
    app = DocApp(TEXT)
    async with app.run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        await pilot.press("j", "1")
        await pilot.pause()
        assert [(s.start, s.end) for s in view.spans] == [(35, 47)]
        assert view.render_line(0).text.startswith(" ▌ ")
        assert [s.id for s in view.spans_at(40)] == [view.spans[0].id]
        await pilot.press("j", "j", "1")
        view.select(0, 0)
        assert view.next_span(1).start == 35
        view.select(60, 60)
        assert view.next_span(-1).start == 35
        assert view.next_span(1, code_id=99) is None
        view.remove_span(view.spans_at(40)[0].id)
        await pilot.pause()
        assert not view.render_line(0).text.startswith(" ▌")


async def test_regex_search_highlights_and_jumps():
    async with DocApp(TEXT).run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        assert view.search(r"\[\w+\]") == 3
        view.select(0, 0)
        assert view.next_match(1) and view.selected_text == "[laughs]"
        assert view.next_match(1) and view.selected_text == "[red]"
        assert view.next_match(-1) and view.selected_text == "[laughs]"
        assert view.search("") == 0 and not view.next_match(1)


async def test_resize_rewraps_and_keeps_selection():
    async with DocApp(TEXT).run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        rows_before = view.text_layout.row_count
        await pilot.resize_terminal(30, 12)
        await pilot.pause()
        assert view.text_layout.width == view.scrollable_content_region.width - 3
        assert view.text_layout.row_count > rows_before
        assert view.selected_text == "Hello there [laughs]."


async def test_selection_far_away_scrolls_into_view_with_context():
    text = "\n".join(f"R7: Line number {n} is here." for n in range(200))
    async with DocApp(text).run_test(size=(60, 20)) as pilot:
        view = app_view(pilot)
        await pilot.press("G")
        await pilot.pause()
        height = view.scrollable_content_region.height
        last_row = view.text_layout.row_count - 1
        assert view.selected_text == "Line number 199 is here."
        assert view.scroll_offset.y == last_row - height + 1
        start = text.index("Line number 50 ")
        view.select(start, start + 10)
        await pilot.pause()
        assert view.scroll_offset.y == view.text_layout.row_of(start) - 2
        assert "Line number 50 " in view.render_line(2).text


async def test_cycling_from_paragraph_to_sentence_selects_the_first_sentence_after_the_label():
    # The paragraph starts at "Interviewer:", its first sentence after the label: the
    # selection used to stay on the whole paragraph while the unit said "sentence".
    async with DocApp(TEXT).run_test(size=(60, 12)) as pilot:
        view = app_view(pilot)
        await pilot.press("u", "u")
        assert view.unit == "paragraph" and view.selected_text.startswith("Interviewer: Hello")
        await pilot.press("u")
        await pilot.pause()
        assert view.unit == "sentence" and view.selected_text == "Hello there [laughs]."


async def test_the_selection_stays_on_screen_when_the_terminal_is_resized():
    text = "\n\n".join(f"R{i}: " + "word " * 30 + "end." for i in range(40))
    async with DocApp(text).run_test(size=(100, 20)) as pilot:
        view = app_view(pilot)
        await pilot.press("G")  # the last sentence, at the bottom of a long document
        for size in ((60, 14), (140, 30), (40, 10)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            layout = view.text_layout
            row, top = layout.row_of(view.selection[0]), int(view.scroll_offset.y)
            assert top <= row < top + view.scrollable_content_region.height, size


async def test_opening_a_document_lays_it_out_once_at_the_real_width(
    r7_path, make_app, monkeypatch
):
    # Laying out before the first resize wrapped at 8 columns (the region is 0 wide then)
    # and was thrown away: 33 ms of a 50,000-word transcript's first paint.
    from qualcode.tui import text_layout

    widths = []
    build = text_layout.Layout.build.__func__

    def counted(cls, text, width, *args, **kwargs):
        if text:
            widths.append(width)
        return build(cls, text, width, *args, **kwargs)

    monkeypatch.setattr(text_layout.Layout, "build", classmethod(counted))
    app = make_app(r7_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(DocumentView)
        assert view.text_layout.width == view.scrollable_content_region.width - GUTTER_WIDTH
        assert widths == [view.text_layout.width]

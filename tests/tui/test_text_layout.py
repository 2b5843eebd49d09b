from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from qualcode.tui.text_layout import Layout, column_at_cell, wrap_line

WORDS = st.lists(
    st.sampled_from(
        ["a", "word", "Kraków", "日本語", "[laughs]", "  ", "supercalifragilistic", "é"]
    ),
    max_size=30,
)


@given(WORDS, st.integers(min_value=1, max_value=30))
@settings(max_examples=300, deadline=None)
def test_rows_tile_the_line_and_fit_the_width(words, width):
    line = " ".join(words)
    rows = wrap_line(line, width)
    assert rows[0][0] == 0 and rows[-1][1] == len(line)
    for (a, b), (c, _) in zip(rows, rows[1:]):
        assert b == c and a < b
    for a, b in rows:
        shown = line[a:b].rstrip(" ")
        # a row only overflows for one wide char on a one-cell screen
        assert cell_len(shown) <= width or (len(shown) == 1 and width == 1)


def test_breaks_after_spaces_and_splits_long_words():
    assert wrap_line("hello world this", 11) == [(0, 12), (12, 16)]
    assert wrap_line("hello world this", 10) == [(0, 6), (6, 16)]
    assert wrap_line("abcdefghij", 4) == [(0, 4), (4, 8), (8, 10)]
    assert wrap_line("", 5) == [(0, 0)]


def test_cjk_takes_two_cells():
    assert wrap_line("日本語のテキスト", 6) == [(0, 3), (3, 6), (6, 8)]
    assert column_at_cell("日本語", 3) == 1
    assert column_at_cell("abc", 10) == 3


def test_layout_offsets_round_trip():
    text = "Interviewer: one two three\n\nR7: four five six seven eight"
    layout = Layout.build(text, 10)
    assert layout.row_starts == sorted(set(layout.row_starts))
    for offset in range(len(text)):
        row = layout.row_of(offset)
        assert layout.row_starts[row] <= offset
        assert offset < layout.row_ends[row] or text[offset] == "\n"
    empty_row = layout.line_first_row[1]
    assert layout.row_starts[empty_row] == layout.row_ends[empty_row] == 27
    assert layout.offset_at(layout.row_of(32), 0) == layout.row_starts[layout.row_of(32)]
    assert list(layout.rows_of_lines(2, 2)) == list(
        range(layout.line_first_row[2], layout.row_count)
    )

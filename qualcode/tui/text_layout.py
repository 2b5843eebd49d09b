"""Soft-wrapping a document into screen rows, and mapping offsets to rows.

Pure Python (rich.cells only, no textual) so the layout can be tested and timed on its own.
Offsets are code points into the document text, end exclusive. A row covers [start, end)
of the text; trailing spaces at a break belong to the row they end (they are cropped when
drawn), so every character belongs to exactly one row and row starts strictly increase.
CJK and other wide characters take two cells; a row never exceeds the width in cells,
except a single wide character on a one-cell-wide screen.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from rich.cells import cell_len, get_character_cell_size


def wrap_line(line: str, width: int) -> list[tuple[int, int]]:
    """Break one line (no newline) into rows of at most `width` cells.

    Breaks after the last space that fits; a word longer than the width is split.
    Returns (start, end) column pairs covering the whole line; an empty line gives [(0, 0)].
    """
    width = max(1, width)
    n = len(line)
    if n == 0:
        return [(0, 0)]
    if line.isascii() or cell_len(line) == n:
        return _wrap_narrow(line, width)
    return _wrap_wide(line, width)


def _wrap_narrow(line: str, width: int) -> list[tuple[int, int]]:
    # One cell per character: rows are found with str.rfind, O(rows) not O(chars).
    rows = []
    pos, n = 0, len(line)
    while n - pos > width:
        cut = line.rfind(" ", pos, pos + width + 1)
        if cut <= pos:
            end = pos + width  # no space to break at: split the word
        else:
            end = cut + 1
            while end < n and line[end] == " ":
                end += 1  # keep a run of spaces on the row it ends
        rows.append((pos, end))
        pos = end
    if pos < n or not rows:
        rows.append((pos, n))
    return rows


def _wrap_wide(line: str, width: int) -> list[tuple[int, int]]:
    rows = []
    pos, n = 0, len(line)
    cells = 0
    last_space = -1
    i = pos
    while i < n:
        ch = line[i]
        w = get_character_cell_size(ch)
        if ch == " ":
            # A space may hang past the edge; it is cropped when drawn.
            last_space = i
            cells += w
            i += 1
            continue
        if cells + w > width and i > pos:
            end = last_space + 1 if last_space >= pos else i
            rows.append((pos, end))
            pos = end
            cells = cell_len(line[pos:i])
            last_space = -1
            continue
        cells += w
        i += 1
    rows.append((pos, n))
    return rows


def column_at_cell(text: str, cell_x: int) -> int:
    """Index of the character drawn at cell `cell_x` of `text` (len(text) if past the end)."""
    if text.isascii():
        return min(max(cell_x, 0), len(text))
    x = 0
    for i, ch in enumerate(text):
        x += get_character_cell_size(ch)
        if x > cell_x:
            return i
    return len(text)


@dataclass
class Layout:
    """Rows of a whole document at one width, with offset <-> row lookups by bisection."""

    text: str
    width: int
    line_starts: list[int] = field(default_factory=list)
    row_starts: list[int] = field(default_factory=list)
    row_ends: list[int] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)
    line_first_row: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, text: str, width: int, line_starts: list[int] | None = None) -> Layout:
        if line_starts is None:
            line_starts = compute_line_starts(text)
        layout = cls(text, width, line_starts)
        row_starts: list[int] = []
        row_ends: list[int] = []
        row_lines: list[int] = []
        first: list[int] = []
        n_lines = len(line_starts)
        for index, start in enumerate(line_starts):
            end = line_starts[index + 1] - 1 if index + 1 < n_lines else len(text)
            first.append(len(row_starts))
            for a, b in wrap_line(text[start:end], width):
                row_starts.append(start + a)
                row_ends.append(start + b)
                row_lines.append(index)
        layout.row_starts, layout.row_ends = row_starts, row_ends
        layout.row_lines, layout.line_first_row = row_lines, first
        return layout

    @property
    def row_count(self) -> int:
        return len(self.row_starts)

    def line_of(self, offset: int) -> int:
        return max(0, bisect_right(self.line_starts, offset) - 1)

    def row_of(self, offset: int) -> int:
        """Row that shows the character at `offset` (the end of the text maps to the last row)."""
        return max(0, bisect_right(self.row_starts, offset) - 1)

    def rows_of_lines(self, first_line: int, last_line: int) -> range:
        """Rows of lines first_line..last_line inclusive."""
        start = self.line_first_row[first_line]
        end = (
            self.line_first_row[last_line + 1]
            if last_line + 1 < len(self.line_first_row)
            else self.row_count
        )
        return range(start, end)

    def offset_at(self, row: int, cell_x: int) -> int:
        """Document offset under cell `cell_x` of `row` (clamped into the row)."""
        row = min(max(row, 0), self.row_count - 1)
        start, end = self.row_starts[row], self.row_ends[row]
        col = column_at_cell(self.text[start:end], cell_x)
        return start + col


def compute_line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts

"""The document view: a Line-API ScrollView over one transcript.

Rows are wrapped once per width (text_layout.Layout); each row's Strip is cached and only
the rows a change touches are dropped. Codings are kept as character offsets with a
per-line bucket so a row only looks at the codings on its line. The cursor is a selection
(start, end) that moves by unit (sentence, turn, paragraph), grows by unit or by
character, and can be set with the mouse. The view never touches the database: it posts
messages and the screen calls the project facade.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qualcode.text_units import UNITS, fallback_units, speaker_label
from qualcode.tui.components.row_painter import GUTTER_WIDTH, RowPainter
from qualcode.tui.span_index import DocSpan, SpanIndex
from qualcode.tui.text_layout import Layout, compute_line_starts


class DocumentView(ScrollView, can_focus=True):
    """Shows a document's text with its codings; owns cursor, selection and search."""

    COMPONENT_CLASSES = {
        "document-view--speaker",
        "document-view--selection",
        "document-view--match",
        "document-view--gutter",
    }

    BINDINGS = [
        Binding("down,j", "move(1)", "Next", show=True),
        Binding("up,k", "move(-1)", "Prev", show=False),
        Binding("shift+down", "extend(1)", "Extend", show=False),
        Binding("shift+up", "extend(-1)", "Shrink", show=False),
        Binding("shift+right", "extend_char(1)", "+char", show=False),
        Binding("shift+left", "extend_char(-1)", "-char", show=False),
        Binding("u", "cycle_unit", "Unit", show=True),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "edge(-1)", "Top", show=False),
        Binding("end,G", "edge(1)", "Bottom", show=False),
    ]

    unit: reactive[str] = reactive("sentence")

    class SelectionChanged(Message):
        """The selection (start, end) moved."""

        def __init__(self, view: DocumentView, start: int, end: int) -> None:
            super().__init__()
            self.view = view
            self.start = start
            self.end = end

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(name=name, id=id, classes=classes)
        self._strips: dict[int, Strip] = {}
        self._painter: RowPainter | None = None
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self._units: dict[str, list[tuple[int, int]]] = {}
        self._anchor = 0
        self._head = 0
        self._mouse_anchor: int | None = None
        self.load(text)

    # ---- content -------------------------------------------------------------------
    def load(self, text: str, units: dict[str, list[tuple[int, int]]] | None = None) -> None:
        """Show `text`; `units` maps unit name to sorted (start, end) pairs (regex fallback if missing)."""
        self.text = text
        self._line_starts = compute_line_starts(text)
        self._index = SpanIndex(self._line_starts)
        self._matches, self._match_starts = [], []
        self._units = dict(units or {})
        missing = [u for u in UNITS if not self._units.get(u)]
        if missing:
            fallback = fallback_units(text, tuple(missing))
            for unit in missing:
                self._units[unit] = fallback[unit]
        self._layout: Layout | None = None
        first = self._units[self.unit][:1]
        self._anchor, self._head = first[0] if first else (0, 0)
        if self._width_known():
            self._relayout()

    def _width_known(self) -> bool:
        """False between mounting and the first resize, when the region is 0 wide: a
        layout then would wrap at 8 columns (33 ms for a 50,000-word transcript) only to
        be rebuilt at the real width; on_resize lays out instead."""
        return not self.is_mounted or self.scrollable_content_region.width > 0

    def set_units(self, unit: str, spans: list[tuple[int, int]]) -> None:
        """Replace one unit's spans (sorted (start, end) pairs; the fallback if empty),
        e.g. when the real sentences arrive after the document opened; the selection stays."""
        self._units[unit] = spans or fallback_units(self.text, (unit,))[unit]

    @property
    def selection(self) -> tuple[int, int]:
        return (min(self._anchor, self._head), max(self._anchor, self._head))

    @property
    def selected_text(self) -> str:
        start, end = self.selection
        return self.text[start:end]

    @property
    def text_layout(self) -> Layout:
        if self._layout is None:
            return self._relayout()
        return self._layout

    def _wrap_width(self) -> int:
        width = self.scrollable_content_region.width if self.is_mounted else 80
        return max(8, width - GUTTER_WIDTH)

    def _relayout(self) -> Layout:
        """The layout for the current width and text, rebuilt (and the view refreshed) only if
        either changed."""
        width = self._wrap_width()
        if (
            self._layout is not None
            and self._layout.width == width
            and self._layout.text is self.text
        ):
            return self._layout
        self._layout = layout = Layout.build(self.text, width, self._line_starts)
        self._strips.clear()
        self.virtual_size = Size(width + GUTTER_WIDTH, layout.row_count)
        self.refresh()
        return layout

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        # Rewrapping moves every row: keep the selection on screen, not the old row number.
        self.call_after_refresh(lambda: self._scroll_into_view(*self.selection, self._head))

    def on_mount(self) -> None:
        if self._width_known():
            self._relayout()

    # ---- codings -------------------------------------------------------------------
    def set_spans(self, spans: list[DocSpan]) -> None:
        self._index.reset(spans)
        self._strips.clear()
        self.refresh()

    def add_span(self, span: DocSpan) -> None:
        self._index.add(span)
        self._touch(span.start, span.end)

    def remove_span(self, span_id: int) -> DocSpan | None:
        span = self._index.remove(span_id)
        if span is not None:
            self._touch(span.start, span.end)
        return span

    @property
    def spans(self) -> list[DocSpan]:
        return list(self._index.by_id.values())

    def spans_at(self, start: int, end: int | None = None) -> list[DocSpan]:
        """Codings overlapping [start, end) (or containing `start` if end is None), innermost first."""
        return self._index.overlapping(start, start + 1 if end is None or end <= start else end)

    def next_span(self, direction: int, code_id: int | None = None) -> DocSpan | None:
        """The next (1) or previous (-1) coding from the selection start, of any code or of `code_id`."""
        return self._index.next_from(self.selection[0], direction, code_id)

    # ---- search --------------------------------------------------------------------
    def search(self, pattern: str) -> int:
        """Highlight matches of a regular expression (raises re.error); returns the count."""
        old = self._matches
        self._matches = (
            [m.span() for m in re.finditer(pattern, self.text, re.MULTILINE) if m.end() > m.start()]
            if pattern
            else []
        )
        self._match_starts = [m[0] for m in self._matches]
        for a, b in old + self._matches:
            self._touch(a, b, refresh=False)
        self.refresh()
        return len(self._matches)

    def next_match(self, direction: int) -> bool:
        if not self._matches:
            return False
        start = self.selection[0]
        if direction > 0:
            i = bisect_right(self._match_starts, start)
            i = 0 if i >= len(self._matches) else i
        else:
            i = bisect_left(self._match_starts, start) - 1
        self.select(*self._matches[i])
        return True

    # ---- selection -----------------------------------------------------------------
    def select(self, start: int, end: int, *, head_at_end: bool = True) -> None:
        start = min(max(start, 0), len(self.text))
        end = min(max(end, start), len(self.text))
        old = self.selection
        self._anchor, self._head = (start, end) if head_at_end else (end, start)
        self._touch(*old, refresh=False)
        self._touch(*self.selection, refresh=False)
        self.refresh()
        self._scroll_into_view(*self.selection, self._head)
        self.post_message(self.SelectionChanged(self, *self.selection))

    def unit_at(self, offset: int) -> tuple[int, int] | None:
        units = self._units[self.unit]
        i = bisect_right(units, (offset, float("inf"))) - 1
        if i >= 0 and units[i][0] <= offset < units[i][1]:
            return units[i]
        return None

    def action_move(self, direction: int) -> None:
        units = self._units[self.unit]
        if not units:
            return
        start, end = self.selection
        if direction > 0:
            i = bisect_left(units, (end, -1))
            i = min(i, len(units) - 1)
            if units[i][0] < start or units[i] == (start, end):
                i = min(i + 1, len(units) - 1)
        else:
            i = max(bisect_left(units, (start, -1)) - 1, 0)
        self.select(*units[i])

    def action_extend(self, direction: int) -> None:
        units = self._units[self.unit]
        start, end = self.selection
        if direction > 0:
            i = bisect_left(units, (end, -1))
            if i < len(units):
                if self._label_between(end, units[i][1]):
                    self.notify(
                        "The next unit is another turn: extending stops before its speaker "
                        "label (shift+→ extends by character).",
                        timeout=3,
                    )
                    return
                self.select(start, units[i][1])
        else:
            ends = [u for u in units if start < u[1] < end]
            if ends:
                self.select(start, ends[-1][1])

    def _label_between(self, start: int, end: int) -> bool:
        """True if a line in text[start:end] begins with a speaker label (`R7:`)."""
        text = self.text
        line = text.find("\n", start, end)
        while line != -1:
            if speaker_label(text[line + 1 : min(line + 41, len(text))]):
                return True
            line = text.find("\n", line + 1, end)
        return False

    def action_extend_char(self, direction: int) -> None:
        start, end = self.selection
        self.select(start, max(start, end + direction))

    def action_cycle_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        start, end = self.selection
        units = self._units[self.unit]
        # A paragraph starts at the speaker label, its first sentence after it: take the
        # unit at the start, else the first one inside the old selection.
        unit = self.unit_at(start)
        if unit is None:
            i = bisect_left(units, (start, -1))
            unit = units[i] if i < len(units) and units[i][0] < max(end, start + 1) else None
        if unit:
            self.select(*unit)
        else:  # nothing to move to: still tell the screen, whose status names the unit
            self.post_message(self.SelectionChanged(self, start, end))
        self.notify(f"Cursor moves by {self.unit}", timeout=2)

    def action_page(self, direction: int) -> None:
        row = self.text_layout.row_of(self.selection[0]) + direction * max(
            1, self.scrollable_content_region.height - 1
        )
        row = min(max(row, 0), self.text_layout.row_count - 1)
        offset = self.text_layout.row_starts[row]
        units = self._units[self.unit]
        i = min(bisect_left(units, (offset, -1)), len(units) - 1)
        if units:
            self.select(*units[i])

    def action_edge(self, direction: int) -> None:
        units = self._units[self.unit]
        if units:
            self.select(*(units[-1] if direction > 0 else units[0]))

    # ---- mouse ---------------------------------------------------------------------
    def _offset_at_event(self, event: events.MouseEvent) -> int:
        offset = event.get_content_offset_capture(self)
        row = int(self.scroll_offset.y) + offset.y
        return self.text_layout.offset_at(row, offset.x - GUTTER_WIDTH)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.focus()
        self._mouse_anchor = self._offset_at_event(event)
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._mouse_anchor is None:  # captured between down and up: a drag
            return
        head = self._offset_at_event(event)
        a, b = sorted((self._mouse_anchor, head))
        self.select(a, b, head_at_end=head >= self._mouse_anchor)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._mouse_anchor is None:
            return
        self.release_mouse()
        head = self._offset_at_event(event)
        anchor, self._mouse_anchor = self._mouse_anchor, None
        if head == anchor:
            unit = self.unit_at(head)  # a click selects the unit under the pointer
            self.select(*(unit or (head, head)))
        else:
            a, b = sorted((anchor, head))
            self.select(a, b, head_at_end=head >= anchor)

    # ---- rendering -----------------------------------------------------------------
    def _touch(self, start: int, end: int, refresh: bool = True) -> None:
        """Drop cached rows showing [start, end] (and the gutter of their lines)."""
        layout = self.text_layout
        lines = self._index.lines_of(start, end)
        rows = layout.rows_of_lines(lines.start, lines.stop - 1)
        for row in rows:
            self._strips.pop(row, None)
        if refresh and self.is_mounted:
            self.refresh_lines(rows.start, len(rows))

    def _scroll_into_view(self, start: int, end: int, head: int) -> None:
        """Scroll as little as possible to show the selection with 2 rows of context;
        a selection taller than the view shows the end the cursor moves (its head)."""
        if not self.is_mounted:
            return
        layout = self.text_layout
        first, last = layout.row_of(start), layout.row_of(max(start, end - 1))
        top = int(self.scroll_offset.y)
        height = max(1, self.scrollable_content_region.height)
        margin = 2 if height > 8 else 0
        if last - first + 1 + 2 * margin > height:
            anchor = layout.row_of(head)
            want = anchor - margin if anchor == first else anchor - height + 1 + margin
        elif first - margin < top:
            want = first - margin
        elif last + margin >= top + height:
            want = last + margin - height + 1
        else:
            return
        self.scroll_to(y=max(0, want), animate=False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._painter = None
        self._strips.clear()

    def _get_painter(self) -> RowPainter:
        if self._painter is None:
            get = self.get_component_rich_style
            self._painter = RowPainter(
                self.rich_style,
                get("document-view--speaker", partial=True),
                get("document-view--selection", partial=True),
                get("document-view--match", partial=True),
                get("document-view--gutter"),
            )
        return self._painter

    def render_line(self, y: int) -> Strip:
        layout = self.text_layout
        if layout.width != self._wrap_width():
            self._relayout()
            layout = self.text_layout
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if row >= layout.row_count:
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._strips[row] = self._paint_row(row)
        return strip.crop(0, width)

    def _paint_row(self, row: int) -> Strip:
        layout = self.text_layout
        start, end = layout.row_starts[row], layout.row_ends[row]
        line = layout.row_lines[row]
        line_start = self._line_starts[line]
        ids = self._index.by_line[line]
        spans = self._index.on_line(line, start, end)
        label = None
        if start == line_start or start - line_start < 40:
            line_end = layout.row_ends[layout.rows_of_lines(line, line)[-1]]
            found = speaker_label(self.text[line_start : min(line_end, line_start + 40)])
            if found:
                label = (line_start + found[0], line_start + found[1])
        sel_start, sel_end = self.selection
        selection = (
            (sel_start, sel_end)
            if sel_start < end
            and sel_end > start
            or (sel_start == sel_end and start <= sel_start <= end)
            else None
        )
        i = bisect_right(self._match_starts, end)
        matches = [m for m in self._matches[max(0, i - 50) : i] if m[1] > start]
        gutter = self._gutter(row, line, ids, spans)
        return self._get_painter().paint(
            self.text, start, end, layout.width, spans, label, selection, matches, gutter
        )

    def _gutter(
        self, row: int, line: int, line_ids: list[int], row_spans: list[DocSpan]
    ) -> tuple[str, str | None]:
        if not line_ids:
            return ("", None)
        pool = row_spans or [self._index.by_id[i] for i in line_ids]
        colour = max(pool, key=lambda s: s.id).colour
        first_row = self.text_layout.line_first_row[line] == row
        count = len(line_ids)
        label = (str(count) if count < 10 else "+") if first_row and count > 1 else ""
        return (label, colour)

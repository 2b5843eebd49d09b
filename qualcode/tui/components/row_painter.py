"""Turns one wrapped row of a document into a styled Strip.

Kept apart from the widget so the styling rules (coding colours, overlaps, speaker
labels, selection, search matches, gutter) are in one place. Text is never parsed as
markup: each piece becomes a plain rich Segment, so `[laughs]` shows as written.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from qualcode.tui.span_index import DocSpan

GUTTER_WIDTH = 3


def contrast_colour(colour: str) -> str:
    """Black or white, whichever reads better on `colour`."""
    try:
        r, g, b = Color.parse(colour).get_truecolor()
    except Exception:
        return "white"
    luminance = 0.299 * r + 0.587 * g + 0.114 * b
    return "black" if luminance > 140 else "white"


class RowPainter:
    """Caches rich Styles by what a character is covered by, and paints rows."""

    def __init__(self, base: Style, speaker: Style, selection: Style, match: Style, gutter: Style):
        self.base = base
        self.speaker = speaker
        self.selection = selection
        self.match = match
        self.gutter = gutter
        self._styles: dict[tuple, Style] = {}

    def style_for(
        self, colour: str | None, layered: bool, speaker: bool, selected: bool, matched: bool
    ) -> Style:
        key = (colour, layered, speaker, selected, matched)
        style = self._styles.get(key)
        if style is None:
            style = self.base
            if speaker:
                style = style + self.speaker
            if colour is not None:
                style = style + Style(bgcolor=colour, color=contrast_colour(colour))
            if layered:
                # More than one coding here: the innermost colour shows, an underline says "more".
                style = style + Style(underline=True)
            if matched:
                style = style + self.match
            if selected:
                style = style + self.selection
            self._styles[key] = style
        return style

    def paint(
        self,
        text: str,
        start: int,
        end: int,
        width: int,
        spans: list[DocSpan],
        speaker: tuple[int, int] | None,
        selection: tuple[int, int] | None,
        matches: list[tuple[int, int]],
        gutter: tuple[str, str | None],
    ) -> Strip:
        """Paint text[start:end] at `width` cells, with a gutter (label, colour) in front."""
        cuts = {start, end}
        for span in spans:
            cuts.add(min(max(span.start, start), end))
            cuts.add(min(max(span.end, start), end))
        for a, b in ([speaker] if speaker else []) + ([selection] if selection else []) + matches:
            cuts.add(min(max(a, start), end))
            cuts.add(min(max(b, start), end))
        points = sorted(cuts)
        segments = [self._gutter_segment(*gutter)]
        for a, b in zip(points, points[1:]):
            if a == b:
                continue
            covering = [s for s in spans if s.start <= a < s.end]
            colour = None
            if covering:
                # Innermost (shortest) coding wins; among equals the most recent.
                top = min(covering, key=lambda s: (s.end - s.start, -s.id))
                colour = top.colour
            style = self.style_for(
                colour,
                len(covering) > 1,
                speaker is not None and speaker[0] <= a < speaker[1],
                selection is not None and selection[0] <= a < selection[1],
                any(m0 <= a < m1 for m0, m1 in matches),
            )
            segments.append(Segment(text[a:b], style))
        if selection is not None and selection[0] == selection[1] == end:
            segments.append(Segment(" ", self.selection))  # an empty selection shows as a caret
        strip = Strip(segments)
        return strip.adjust_cell_length(width + GUTTER_WIDTH, self.base)

    def _gutter_segment(self, label: str, colour: str | None) -> Segment:
        if colour is None:
            return Segment(" " * GUTTER_WIDTH, self.gutter)
        return Segment(f"{label:>1}▌ "[:GUTTER_WIDTH], self.gutter + Style(color=colour))

"""Codings of one document indexed for drawing and jumping (pure Python, no Textual).

Each line keeps the ids of the codings that touch it, so a screen row looks only at its
own line's codings; a sorted (start, id) list answers "next/previous coding" by bisection.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(slots=True)
class DocSpan:
    """A coding as the view draws it."""

    id: int
    start: int
    end: int
    colour: str
    code_id: int = 0


class SpanIndex:
    def __init__(self, line_starts: list[int]):
        self.line_starts = line_starts
        self.by_id: dict[int, DocSpan] = {}
        self.by_line: list[list[int]] = [[] for _ in line_starts]
        self.starts: list[tuple[int, int]] = []

    def lines_of(self, start: int, end: int) -> range:
        """Lines that [start, end) touches (at least the line of `start`)."""
        first = bisect_right(self.line_starts, start) - 1
        last = bisect_right(self.line_starts, max(start, end - 1)) - 1
        return range(max(first, 0), max(last, 0) + 1)

    def reset(self, spans: list[DocSpan]) -> None:
        self.by_id = {s.id: s for s in spans}
        self.by_line = [[] for _ in self.line_starts]
        for span in spans:
            for line in self.lines_of(span.start, span.end):
                self.by_line[line].append(span.id)
        self.starts = sorted((s.start, s.id) for s in spans)

    def add(self, span: DocSpan) -> None:
        self.by_id[span.id] = span
        for line in self.lines_of(span.start, span.end):
            self.by_line[line].append(span.id)
        self.starts.insert(bisect_left(self.starts, (span.start, span.id)), (span.start, span.id))

    def remove(self, span_id: int) -> DocSpan | None:
        span = self.by_id.pop(span_id, None)
        if span is not None:
            for line in self.lines_of(span.start, span.end):
                self.by_line[line].remove(span_id)
            self.starts.remove((span.start, span.id))
        return span

    def on_line(self, line: int, start: int, end: int) -> list[DocSpan]:
        """Codings of `line` that overlap [start, end)."""
        spans = (self.by_id[i] for i in self.by_line[line])
        return [s for s in spans if s.start < end and s.end > start]

    def overlapping(self, start: int, end: int) -> list[DocSpan]:
        """Codings overlapping [start, end), innermost (shortest, then newest) first."""
        ids = set()
        for line in self.lines_of(start, end):
            ids.update(self.by_line[line])
        found = [
            self.by_id[i] for i in ids if self.by_id[i].start < end and self.by_id[i].end > start
        ]
        return sorted(found, key=lambda s: (s.end - s.start, -s.id))

    def next_from(self, start: int, direction: int, code_id: int | None = None) -> DocSpan | None:
        """First coding starting after `start` (direction 1) or before it (-1), optionally of one code."""
        candidates: Iterable[tuple[int, int]]
        if direction > 0:
            candidates = self.starts[bisect_right(self.starts, (start, float("inf"))) :]
        else:
            candidates = reversed(self.starts[: bisect_left(self.starts, (start, -1))])
        for _, span_id in candidates:
            span = self.by_id[span_id]
            if code_id is None or span.code_id == code_id:
                return span
        return None

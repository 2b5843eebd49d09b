"""Retrieval: the excerpts of a code with the text around them, and the values to filter by.

The workbench's retrieval screen shows each excerpt between its neighbouring sentences
(or ~150 characters either side when a document has no sentence segments). The windows
are computed here, in two queries for any number of excerpts, so the screen holds no SQL.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from qualcode.facade.documents import _natural_key
from qualcode.models import Excerpt

CONTEXT_CHARS = 150  # context either side when there are no sentences to go by
MAX_CONTEXT = 300  # a neighbouring "sentence" longer than this is cut (e.g. a run-on turn)


@dataclass(frozen=True)
class ExcerptInContext:
    excerpt: Excerpt
    before: str
    after: str


@dataclass(frozen=True)
class FilterChoices:
    """What a table can be filtered by: the values present in the project."""

    kinds: list[str]
    coders: list[str]
    attributes: dict[str, list[str]] = field(default_factory=dict)


class RetrievalOps:
    def excerpts_in_context(self, code, with_children: bool = False) -> list[ExcerptInContext]:
        """The excerpts of a code (and its descendants), grouped by participant in natural
        order (R2 before R10), then in document order, each with its surrounding text."""
        code_id = self.resolve_code(code)
        ids = self.descendants(code_id) if with_children else [code_id]
        marks = ",".join("?" * len(ids))
        paths = {c.id: c.path for c in self.codes()}
        rows = self.db.execute(
            'SELECT c.id, p.pid, d.id, d.title, d.kind, c.code_id, c.start, c."end", '
            f"max(c.start - {MAX_CONTEXT}, 0), "
            f'substr(d.text, max(c.start - {MAX_CONTEXT}, 0) + 1, c."end" + {MAX_CONTEXT} - max(c.start - {MAX_CONTEXT}, 0)), '
            "c.coder, c.memo, d.position "
            "FROM codings c JOIN documents d ON d.id = c.document_id "
            "LEFT JOIN participants p ON p.id = d.participant_id "
            f"WHERE c.code_id IN ({marks}) ORDER BY d.position, c.start, c.id",
            ids,
        ).fetchall()
        sentences = self._sentence_bounds(marks, ids)
        out = []
        for (cid, pid, doc_id, title, kind, code_ref, start, end, w0, window, coder, memo, _) in sorted(
            rows, key=lambda r: (_natural_key(r[1] or "~"), r[12], r[6], r[0])
        ):
            text = window[start - w0:end - w0]
            b0, a1 = _context_bounds(sentences.get(doc_id), start, end, w0, w0 + len(window), window)
            out.append(ExcerptInContext(
                Excerpt(cid, pid, doc_id, title, kind, paths[code_ref], start, end, text, coder, memo),
                window[b0 - w0:start - w0], window[end - w0:a1 - w0],
            ))
        return out

    def _sentence_bounds(self, marks: str, ids: list[int]) -> dict[int, tuple[list[int], list[int]]]:
        """Per document holding an excerpt: sorted sentence starts and ends."""
        bounds: dict[int, tuple[list[int], list[int]]] = {}
        for doc_id, start, end in self.db.execute(
            'SELECT document_id, start, "end" FROM segments WHERE kind = \'sentence\' AND document_id IN '
            f"(SELECT DISTINCT document_id FROM codings WHERE code_id IN ({marks})) ORDER BY document_id, start",
            ids,
        ):
            starts, ends = bounds.setdefault(doc_id, ([], []))
            starts.append(start)
            ends.append(end)
        return bounds

    def filter_choices(self) -> FilterChoices:
        """Document kinds, coders and attribute values present, for filter menus."""
        kinds = [r[0] for r in self.db.execute("SELECT DISTINCT kind FROM documents ORDER BY kind")]
        coders = [r[0] for r in self.db.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")]
        attributes: dict[str, list[str]] = {}
        for name, value in self.db.execute("SELECT DISTINCT name, value FROM attributes ORDER BY name, value"):
            attributes.setdefault(name, []).append(value)
        return FilterChoices(kinds, coders, attributes)


def _context_bounds(sentences, start: int, end: int, lo: int, hi: int, window: str) -> tuple[int, int]:
    """(before_start, after_end): from the start of the previous sentence to the end of the
    next one, inside the fetched window [lo, hi); without sentences, CONTEXT_CHARS either
    side cut back to a word boundary so the context does not begin or end mid-word."""
    before = after = None
    if sentences:
        starts, ends = sentences
        i = bisect_right(ends, start) - 1  # last sentence ending at or before the excerpt
        if i >= 0:
            before = starts[i]
        else:
            j = bisect_right(starts, start) - 1  # the excerpt begins inside sentence j
            before = starts[j] if j >= 0 else start
        k = bisect_left(starts, end)  # first sentence starting at or after the excerpt end
        if k < len(starts):
            after = ends[k]
        else:
            j = bisect_right(starts, end) - 1
            after = ends[j] if j >= 0 and ends[j] > end else end
    if before is None or before < lo:
        before = _word_start(window, lo, max(lo, start - CONTEXT_CHARS), start)
    if after is None or after > hi:
        after = _word_end(window, lo, min(hi, end + CONTEXT_CHARS), end)
    return before, after


def _word_start(window: str, lo: int, pos: int, limit: int) -> int:
    if pos <= lo:
        return pos
    i = pos
    while i < limit and not window[i - lo - 1].isspace():
        i += 1
    return i if i < limit else pos


def _word_end(window: str, lo: int, pos: int, limit: int) -> int:
    i = pos
    while i > limit and i - lo < len(window) and not window[i - lo].isspace():
        i -= 1
    return i if i > limit else pos

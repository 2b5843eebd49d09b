"""Retrieval: the excerpts of a code with the text around them, and the values to filter by.

The workbench's retrieval screen shows each excerpt between its neighbouring sentences
(or ~150 characters either side when a document has no sentence segments). The windows
are computed here, in two queries for any number of excerpts, so the screen holds no SQL.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from qualcode.facade.base import ProjectBase
from qualcode.facade.documents import _natural_key
from qualcode.facade.memos import coding_memo_sql
from qualcode.models import Excerpt

CONTEXT_CHARS = 150  # context either side when there are no sentences to go by
MAX_CONTEXT = 300  # a neighbouring "sentence" longer than this is cut (e.g. a run-on turn)


@dataclass(frozen=True)
class ExcerptInContext:
    """An excerpt with the text just before and after it in its document."""

    excerpt: Excerpt
    before: str
    after: str


@dataclass(frozen=True)
class FilterChoices:
    """What a table can be filtered by: the values present in the project."""

    kinds: list[str]
    coders: list[str]
    attributes: dict[str, list[str]] = field(default_factory=dict)


class RetrievalOps(ProjectBase):
    def excerpts_in_context(self, code, with_children: bool = False) -> list[ExcerptInContext]:
        """All excerpts of a code (and its descendants) in display order, with context."""
        return self.excerpts_for([cid for cid, _ in self.excerpt_order(code, with_children)])

    def excerpt_order(self, code, with_children: bool = False) -> list[tuple[int, str | None]]:
        """(coding id, participant) of a code's excerpts, grouped by participant in natural
        order (R2 before R10; no participant last), then in document order.

        Light on purpose (no text): a screen keeps this list and fetches pages of it with
        excerpts_for, so a theme with 160,000 excerpts opens at once.
        """
        code_id = self.resolve_code(code)
        ids = self.descendants(code_id) if with_children else [code_id]
        rows = self.db.execute(
            f"SELECT id, document_id, start FROM codings WHERE code_id IN ({','.join('?' * len(ids))})",
            ids,
        ).fetchall()
        # documents' position lies after their text in the row: read it once per document, not per coding
        docs = {
            d: (p, pos)
            for d, p, pos in self.db.execute("SELECT id, participant_id, position FROM documents")
        }
        people = dict(self.db.execute("SELECT id, pid FROM participants").fetchall())
        rank = {
            pid_id: n
            for n, pid_id in enumerate(sorted(people, key=lambda i: _natural_key(people[i])))
        }
        last = len(rank)

        def key(row):
            person, position = docs[row[1]]
            return (rank.get(person, last), position, row[2], row[0])

        rows.sort(key=key)
        return [(cid, people.get(docs[doc][0])) for cid, doc, _ in rows]

    def excerpts_for(self, coding_ids: list[int]) -> list[ExcerptInContext]:
        """The excerpts of these codings, in the order given, each with its surrounding text."""
        paths = {c.id: c.path for c in self.codes()}
        rows: dict[int, tuple] = {}
        for chunk in _chunks(coding_ids):
            for row in self.db.execute(
                'SELECT c.id, p.pid, d.id, d.title, d.kind, c.code_id, c.start, c."end", '
                f"max(c.start - {MAX_CONTEXT}, 0), "
                f"substr(d.text, max(c.start - {MAX_CONTEXT}, 0) + 1, "
                f'c."end" + {MAX_CONTEXT} - max(c.start - {MAX_CONTEXT}, 0)), c.coder, '
                + coding_memo_sql("c")
                + " "
                "FROM codings c JOIN documents d ON d.id = c.document_id "
                "LEFT JOIN participants p ON p.id = d.participant_id "
                f"WHERE c.id IN ({','.join('?' * len(chunk))})",
                chunk,
            ):
                rows[row[0]] = row
        sentences = self._sentences_near([rows[i] for i in coding_ids if i in rows])
        out = []
        for cid in coding_ids:
            if cid not in rows:
                continue
            (_, pid, doc_id, title, kind, code_ref, start, end, w0, window, coder, memo) = rows[cid]
            text = window[start - w0 : end - w0]
            b0, a1 = _context_bounds(
                sentences.get(doc_id), start, end, w0, w0 + len(window), window
            )
            out.append(
                ExcerptInContext(
                    Excerpt(
                        cid,
                        pid,
                        doc_id,
                        title,
                        kind,
                        paths[code_ref],
                        start,
                        end,
                        text,
                        coder,
                        memo,
                    ),
                    window[b0 - w0 : start - w0],
                    window[end - w0 : a1 - w0],
                )
            )
        return out

    def _sentences_near(self, rows) -> dict[int, tuple[list[int], list[int]]]:
        """Sorted sentence starts and ends per document, only those starting inside the
        fetched windows (an index range per excerpt, not whole documents)."""
        found: dict[int, set[tuple[int, int]]] = {}
        ranges = [(r[2], r[8], r[8] + len(r[9])) for r in rows]
        self.ensure_sentences({r[0] for r in ranges})
        for chunk in _chunks(ranges, 300):
            terms = " OR ".join(["(document_id = ? AND start BETWEEN ? AND ?)"] * len(chunk))
            for doc_id, start, end in self.db.execute(
                f"SELECT document_id, start, \"end\" FROM segments WHERE kind = 'sentence' AND ({terms})",
                [v for r in chunk for v in r],
            ):
                found.setdefault(doc_id, set()).add((start, end))
        bounds = {}
        for doc_id, spans in found.items():
            ordered = sorted(spans)
            bounds[doc_id] = ([s for s, _ in ordered], [e for _, e in ordered])
        return bounds

    def filter_choices(self) -> FilterChoices:
        """Document kinds, coders and attribute values present, for filter menus."""
        kinds = [r[0] for r in self.db.execute("SELECT DISTINCT kind FROM documents ORDER BY kind")]
        coders = [
            r[0] for r in self.db.execute("SELECT DISTINCT coder FROM codings ORDER BY coder")
        ]
        attributes: dict[str, list[str]] = {}
        for name, value in self.db.execute(
            "SELECT DISTINCT name, value FROM attributes ORDER BY name, value"
        ):
            attributes.setdefault(name, []).append(value)
        return FilterChoices(kinds, coders, attributes)


def _context_bounds(
    sentences, start: int, end: int, lo: int, hi: int, window: str
) -> tuple[int, int]:
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
            before = starts[j] if j >= 0 else None
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


def _chunks(items: list, size: int = 500):
    """Slices small enough for SQLite's limit on bound parameters."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


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

"""Search the whole project: every match of a text or regular expression in the documents,
filtered like the analysis tables (kind, participant, attribute) and by code (only text
inside a coding of that code), each with the text around it.

The workbench's project search screen and `qualcode search` both call `search_project`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from qualcode.errors import QualcodeError
from qualcode.facade.base import ProjectBase

CONTEXT_CHARS = 40  # characters of context either side of a hit, by default


class SearchError(QualcodeError):
    """The search pattern is empty or not a valid regular expression."""


@dataclass(frozen=True)
class SearchHit:
    """One match: offsets are code points into the document's stored NFC text; `before` and
    `after` are up to `context` characters around it, cut at the document's edges."""

    document_id: int
    participant: str | None
    kind: str
    title: str
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class SearchResult:
    """What Project.search found: the hits (possibly cut to a limit), every match's
    count, documents searched and documents with a hit."""

    hits: list[SearchHit]
    total: int  # every match found; more than len(hits) when a limit cut the list
    documents: int  # documents searched (after the filters)
    matched: int  # documents with at least one hit


def compile_pattern(pattern: str, regex: bool = False, case_sensitive: bool = False):
    """The compiled pattern: plain text (matched literally) unless `regex`; case-insensitive
    unless `case_sensitive`. The pattern is NFC-normalised like the stored text.

    Raises SearchError for an empty pattern, an invalid regular expression, or one that can
    match the empty string (it would match between every two characters)."""
    pattern = unicodedata.normalize("NFC", pattern)
    if not pattern:
        raise SearchError("give a text or a pattern to search for")
    flags = re.MULTILINE | (0 if case_sensitive else re.IGNORECASE)
    try:
        compiled = re.compile(pattern if regex else re.escape(pattern), flags)
    except re.error as exc:
        raise SearchError(f"not a regular expression: {pattern!r} ({exc})") from None
    if compiled.fullmatch(""):
        raise SearchError(f"{pattern!r} matches empty text: give something it must contain")
    return compiled


class SearchOps(ProjectBase):
    def search_project(
        self,
        pattern: str,
        *,
        regex: bool = False,
        case_sensitive: bool = False,
        filters=None,
        code=None,
        with_children: bool = False,
        context: int = CONTEXT_CHARS,
        limit: int | None = None,
    ) -> SearchResult:
        """Every match of `pattern` in the project's documents, in the order the workbench lists
        them (participants in natural order, then document position), then by offset.

        filters: an analysis Filters (kinds, participants, attributes; coders apply to `code`).
        code: a code path, name or id: only matches lying wholly inside one of its codings (and
        its subcodes' with `with_children`). limit: keep at most this many hits (all are
        counted in `total`). Raises SearchError for a bad pattern and QualcodeError for an
        unknown kind, participant, attribute or code.
        """
        from qualcode.analysis.filters import Filters, document_scope, resolve_filters

        compiled = compile_pattern(pattern, regex, case_sensitive)
        filters = resolve_filters(self.db, filters or Filters())
        scope, args = document_scope(filters)
        wanted = {
            row[0]
            for row in self.db.execute(
                "SELECT d.id FROM documents d LEFT JOIN participants p ON p.id = d.participant_id "
                f"WHERE {scope}",
                args,
            )
        }
        coded = self._coded_spans(code, with_children, filters.coders) if code else None
        hits: list[SearchHit] = []
        total = searched = matched = 0
        from qualcode.facade.documents import _natural_key

        documents = sorted(
            self.documents(),
            key=lambda d: (d.participant is None, _natural_key(d.participant or ""), d.position),
        )
        for doc in documents:
            if doc.id not in wanted or (coded is not None and doc.id not in coded):
                continue
            searched += 1
            text = self.db.execute("SELECT text FROM documents WHERE id = ?", [doc.id]).fetchone()[
                0
            ]
            spans = coded.get(doc.id, ([], [])) if coded is not None else None
            before = total
            for m in compiled.finditer(text):
                start, end = m.span()
                if start == end or (spans is not None and not _inside(spans, start, end)):
                    continue
                total += 1
                if limit is None or len(hits) < limit:
                    hits.append(
                        SearchHit(
                            doc.id,
                            doc.participant,
                            doc.kind,
                            doc.title,
                            start,
                            end,
                            text[max(0, start - context) : start],
                            text[start:end],
                            text[end : end + context],
                        )
                    )
            matched += total > before
        return SearchResult(hits, total, searched, matched)

    def _coded_spans(
        self, code, with_children: bool, coders
    ) -> dict[int, tuple[list[int], list[int]]]:
        """document id -> (starts, ends) of the codings of `code`, sorted by start, with each
        end replaced by the furthest end so far (so one bisect finds a covering coding)."""
        code_id = self.resolve_code(code)
        ids = self.descendants(code_id) if with_children else [code_id]
        sql = f'SELECT document_id, start, "end" FROM codings WHERE code_id IN ({",".join("?" * len(ids))})'
        args = list(ids)
        if coders:
            sql += f" AND coder IN ({','.join('?' * len(coders))})"
            args += list(coders)
        spans: dict[int, list[tuple[int, int]]] = {}
        for doc_id, start, end in self.db.execute(sql + " ORDER BY document_id, start", args):
            spans.setdefault(doc_id, []).append((start, end))
        out = {}
        for doc_id, pairs in spans.items():
            starts: list[int] = []
            reach: list[int] = []
            furthest = -1
            for start, end in pairs:
                furthest = max(furthest, end)
                starts.append(start)
                reach.append(furthest)
            out[doc_id] = (starts, reach)
        return out


def _inside(spans: tuple[list[int], list[int]], start: int, end: int) -> bool:
    """True if [start, end) lies inside one coding: one that starts at or before `start`
    and ends at or after `end` (the furthest end among those starting by `start`)."""
    starts, reach = spans
    i = bisect_right(starts, start) - 1
    return i >= 0 and reach[i] >= end

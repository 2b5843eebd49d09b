"""Plain records the facade hands to the CLI, the TUI and tests (no database handles)."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload


@dataclass(frozen=True)
class Participant:
    """A case: `pid` is the participant id users type (NFC), `label` an optional display
    name, `attributes` the case variables (name -> value)."""

    id: int
    pid: str
    label: str | None
    attributes: dict[str, str] = field(default_factory=dict)


def text_revision(text: str) -> str:
    """A document text's fingerprint: the first 16 hex digits of the sha256 of its UTF-8.
    Two texts with the same revision are the same text (as far as coding is concerned); the
    workbench passes the revision of the text it shows with each coding (Project.add_coding)
    so that a coding is never saved against a text another session has changed since."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class DocumentInfo:
    """A document without its text (listings): `length` in code points of the stored NFC
    text, `position` its place in the project's order, `participant` the pid or None."""

    id: int
    participant: str | None
    kind: str
    title: str
    source_name: str | None
    length: int
    position: int


@dataclass(frozen=True)
class Document:
    """A document (source) with its stored text (NFC, `\n` newlines): `encoding` the one
    it was read in, `sha256` of the imported file's bytes, `imported_at` an ISO 8601 UTC
    time."""

    id: int
    participant: str | None
    kind: str
    title: str
    source_name: str | None
    text: str
    encoding: str | None
    sha256: str | None
    imported_at: str
    position: int


@dataclass(frozen=True)
class NewDocument:
    """A document ready to store: text already normalised (NFC, \\n)."""

    participant: str | None
    kind: str
    title: str
    text: str
    source_name: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    segments: Sequence[Segment] = ()
    guid: str | None = None


@dataclass(frozen=True)
class Segment:
    """A span of a document's text, [start, end) in code points: a turn (`speaker`),
    paragraph or sentence (`kind`); `t_start`/`t_end` in seconds for timed transcripts."""

    start: int
    end: int
    kind: str
    speaker: str | None = None
    t_start: float | None = None
    t_end: float | None = None


# The kinds the store accepts (its CHECK constraint is built from this tuple).
SEGMENT_KINDS = ("sentence", "turn", "paragraph", "topic")


class PackedSegments(Sequence[Segment]):
    """The segments of one document, held compactly: spans as machine integers, kinds as
    bytes, speaker names shared (sys.intern), times only where given. Indexing and
    iteration give Segment objects, made on demand.

    Why: an import finds every document's turns and paragraphs before its write
    transaction opens; as Segment objects those of 2,300 generated transcripts (646,668
    segments, bench/peers.py) took about 148 MiB, packed about 20 MiB.
    Raises ValueError for a kind outside ("sentence", "turn", "paragraph", "topic").
    """

    __slots__ = ("_kinds", "_spans", "_speakers", "_times")

    def __init__(self, segments: Iterable[Segment] = ()) -> None:
        self._spans = array("q")
        self._kinds = bytearray()
        self._speakers: list[str | None] = []
        self._times: dict[int, tuple[float | None, float | None]] = {}
        for seg in segments:
            self.add(seg.start, seg.end, seg.kind, seg.speaker, seg.t_start, seg.t_end)

    def add(
        self,
        start: int,
        end: int,
        kind: str,
        speaker: str | None = None,
        t_start: float | None = None,
        t_end: float | None = None,
    ) -> None:
        """Append one segment (offsets in code points, times in seconds)."""
        if t_start is not None or t_end is not None:
            self._times[len(self._kinds)] = (t_start, t_end)
        self._kinds.append(SEGMENT_KINDS.index(kind))
        self._spans.append(start)
        self._spans.append(end)
        self._speakers.append(sys.intern(speaker) if speaker else speaker)

    def __len__(self) -> int:
        return len(self._kinds)

    @overload
    def __getitem__(self, index: int) -> Segment: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Segment]: ...

    def __getitem__(self, index: int | slice) -> Segment | Sequence[Segment]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        t_start, t_end = self._times.get(index, (None, None))
        return Segment(
            self._spans[2 * index],
            self._spans[2 * index + 1],
            SEGMENT_KINDS[self._kinds[index]],
            self._speakers[index],
            t_start,
            t_end,
        )

    def __iter__(self) -> Iterator[Segment]:
        for n in range(len(self)):
            yield self[n]


SegmentRow = tuple[int, int, str, "str | None", "float | None", "float | None"]


def segment_rows(segments: Sequence[Segment]) -> Iterator[SegmentRow]:
    """(start, end, kind, speaker, t_start, t_end) per segment; from PackedSegments
    without making a Segment object for each."""
    if not isinstance(segments, PackedSegments):
        for s in segments:
            yield s.start, s.end, s.kind, s.speaker, s.t_start, s.t_end
        return
    spans, kinds, speakers, times = (
        segments._spans,
        segments._kinds,
        segments._speakers,
        segments._times,
    )
    for n, kind in enumerate(kinds):
        t_start, t_end = times.get(n, (None, None)) if times else (None, None)
        yield spans[2 * n], spans[2 * n + 1], SEGMENT_KINDS[kind], speakers[n], t_start, t_end


def document_segment_rows(
    pairs: Iterable[tuple[int, Sequence[Segment]]],
) -> Iterator[tuple[int, int, int, str, str | None, float | None, float | None]]:
    """(document_id, start, end, kind, speaker, t_start, t_end) per segment of each
    (document_id, segments) pair, in order: the rows an import inserts. For
    PackedSegments the tuples are made by C iterators (zip over its columns), with no
    Python frame per row: a fifth less CPU to insert 650,000 rows than through
    segment_rows (bench/import_goals.py)."""
    from itertools import repeat

    for document_id, segments in pairs:
        if not isinstance(segments, PackedSegments):
            for row in segment_rows(segments):
                yield (document_id, *row)
            continue
        count = len(segments._kinds)
        spans, times = segments._spans, segments._times
        if times:
            none = (None, None)
            t_starts: Iterable[float | None] = [times.get(n, none)[0] for n in range(count)]
            t_ends: Iterable[float | None] = [times.get(n, none)[1] for n in range(count)]
        else:
            t_starts, t_ends = repeat(None, count), repeat(None, count)
        yield from zip(
            repeat(document_id, count),
            spans[0::2],
            spans[1::2],
            map(SEGMENT_KINDS.__getitem__, segments._kinds),
            segments._speakers,
            t_starts,
            t_ends,
        )


@dataclass(frozen=True)
class Code:
    """A code of the codebook: `path` is "Theme/Sub/Code", `depth` 0 for a top-level
    theme, `parent_id` None at the top; `guid` its REFI-QDA GUID once it has one."""

    id: int
    parent_id: int | None
    name: str
    path: str
    description: str
    colour: str | None
    shortcut: str | None
    position: int
    guid: str | None
    depth: int


@dataclass(frozen=True)
class Coding:
    """A coding: the code `code_id` on [start, end) of document `document_id` (code
    points), made by `coder` at `created_at` (ISO 8601 UTC)."""

    id: int
    document_id: int
    start: int
    end: int
    code_id: int
    coder: str
    created_at: str
    memo: str | None  # the texts of the memos on this coding, joined by a blank line
    # The memo rows themselves (memos table), kept by remove_coding so undo brings them back.
    memo_rows: tuple = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Excerpt:
    """A coded passage as retrieval shows it: the coding's span (code points), its text,
    code path, coder, document and participant."""

    coding_id: int
    participant: str | None
    document_id: int
    document: str
    kind: str
    code_path: str
    start: int
    end: int
    text: str
    coder: str
    memo: str | None

"""A batch of source files read for an import, across processes when it pays.

Reading a transcript (decoding, normalising, finding its speaker turns and paragraphs)
is pure Python, about 4 ms of CPU for a 30,000-character .txt file: at 2,300 files most
of a folder import. It runs before the import's write transaction opens, so it can run
in worker processes (qualcode.ingest.workers) while the transaction stays one and in
this process. Each file's outcome is what read_source gives, or its one-line error:
the batch is the same whichever process read which file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ImportError_
from qualcode.ingest.formats import read_source
from qualcode.ingest.model import ParsedSource
from qualcode.ingest.workers import run_shared, workers_available
from qualcode.models import PackedSegments

# Below this many bytes of files in all, a batch is read in this process: starting a
# worker costs about 0.1 s of wall time and 0.15 s of CPU (bench/ingest_import.py
# --batch).
PARALLEL_MIN_BYTES = 8_000_000


@dataclass
class PackedSource:
    """A file read by read_source, its turns and paragraphs packed into `segments`
    (turns first, then paragraphs, each in order): an import holds every file of the
    batch until its transaction, and 650,000 Turn objects take seven times the memory.
    `turns` and `paragraphs` count them; the other fields are ParsedSource's."""

    path: Path
    title: str
    source_name: str
    text: str
    encoding: str
    sha256: str
    segments: PackedSegments
    turns: int
    paragraphs: int
    notes: list[str] = field(default_factory=list)

    @classmethod
    def packed(cls, source: ParsedSource) -> PackedSource:
        """`source` with its turns and paragraphs packed."""
        segments = PackedSegments()
        for t in source.turns:
            segments.add(t.start, t.end, "turn", t.speaker, t.t_start, t.t_end)
        for start, end in source.paragraphs:
            segments.add(start, end, "paragraph")
        return cls(
            source.path,
            source.title,
            source.source_name,
            source.text,
            source.encoding,
            source.sha256,
            segments,
            len(source.turns),
            len(source.paragraphs),
            list(source.notes),
        )

    def turn_spans(self) -> list[tuple[int, int, str | None]]:
        """(start, end, speaker) of each turn, in order (code points into `text`)."""
        return [(s.start, s.end, s.speaker) for s in self.segments[: self.turns]]


_Job = tuple[Path, int, "str | None", "str | None"]  # path, max_bytes, encoding, language


def _read_share(jobs: list[_Job]) -> list[PackedSource | str]:
    out: list[PackedSource | str] = []
    for path, max_bytes, encoding, language in jobs:
        try:
            out.append(PackedSource.packed(read_source(path, max_bytes, encoding, language)))
        except ImportError_ as exc:
            out.append(str(exc))
    return out


def read_sources(
    paths: Sequence[Path],
    max_bytes: int,
    encoding: str | None = None,
    language: str | None = None,
    workers: int | None = None,
) -> list[PackedSource | str]:
    """Each file read by read_source (same max_bytes, encoding and language hint), in
    order: a PackedSource, or the one-line ImportError_ message "NAME: reason" of a
    file that cannot be imported. Nothing is raised for a file; nothing is stored.

    `workers`: processes to share the batch between, this one included (default
    workers_available(); one reads everything here); batches under PARALLEL_MIN_BYTES
    are read here."""
    paths = [Path(p) for p in paths]
    weights = [size if size <= max_bytes else 0 for size in map(_size, paths)]
    workers = workers_available() if workers is None else workers
    if sum(weights) < PARALLEL_MIN_BYTES:
        workers = 1
    jobs = [(p, max_bytes, encoding, language) for p in paths]
    return run_shared(_read_share, jobs, weights, workers)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size  # a file over the limit is refused unread: weight 0
    except OSError:
        return 0  # read_source says what is wrong

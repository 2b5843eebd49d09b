"""Speaker turns and paragraphs of many texts at once, across processes when it pays.

Turn detection and paragraph finding are pure Python, about 5 ms of CPU per 30,000-
character transcript: at 2,300 transcripts a third of a .qdpx import. They run before
the import's write transaction opens, so they can run in worker processes (one per
core, qualcode.ingest.workers) while the transaction stays one and in the main process.
Small batches stay in this process: starting the workers costs about 0.3 s.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.ingest.workers import run_shared, workers_available
from qualcode.models import PackedSegments

# Below this many characters in all (about 700 transcripts of 5,000 words, 1.3 s of
# work) a batch is done in this process: at 230 transcripts (0.45 s) starting the
# workers cost more than they saved (bench/ingest_import.py --structures).
PARALLEL_MIN_CHARS = 20_000_000


def structure(text: str) -> PackedSegments:
    """Speaker turns and paragraphs of one normalised text, found as `qualcode import`
    finds them in a transcript, packed (an import holds those of every source at once).
    Offsets are code points into `text`."""
    from qualcode.ingest.turns import detect_turns, find_paragraphs

    packed = PackedSegments()
    for t in detect_turns(text):
        packed.add(t.start, t.end, "turn", t.speaker, t.t_start, t.t_end)
    for start, end in find_paragraphs(text):
        packed.add(start, end, "paragraph")
    return packed


def _structures(texts: list[str]) -> list[PackedSegments]:
    return [structure(text) for text in texts]


def structures(texts: Sequence[str], workers: int | None = None) -> list[PackedSegments]:
    """structure() of each text, in order: the same result whether done here or shared
    with worker processes (qualcode.ingest.workers; `workers` processes in all, this
    one included, default workers_available(); one means all here). Batches under
    PARALLEL_MIN_CHARS are done here."""
    workers = workers_available() if workers is None else workers
    weights = [len(text) for text in texts]
    if sum(weights) < PARALLEL_MIN_CHARS:
        workers = 1
    return run_shared(_structures, texts, weights, workers)

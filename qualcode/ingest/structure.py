"""Speaker turns and paragraphs of many texts at once, across processes when it pays.

Turn detection and paragraph finding are pure Python, about 5 ms of CPU per 30,000-
character transcript: at 2,300 transcripts a third of a .qdpx import. They run before
the import's write transaction opens, so they can run in worker processes (one per
core, at most MAX_WORKERS) while the transaction stays one and in the main process.
Small batches stay in this process: starting the workers costs about 0.3 s.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from qualcode.models import PackedSegments

# Below this many characters in all (about 700 transcripts of 5,000 words, 1.3 s of
# work) a batch is done in this process: at 230 transcripts (0.45 s) starting the
# workers cost more than they saved (bench/ingest_import.py --structures).
PARALLEL_MIN_CHARS = 20_000_000
MAX_WORKERS = 4


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


def workers_available() -> int:
    """CPU cores this process may run on (its affinity), at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def structures(texts: Sequence[str], workers: int | None = None) -> list[PackedSegments]:
    """structure() of each text, in order: the same result whether done here or in
    `workers` processes (default: workers_available(); one means here).

    Workers are fresh interpreters running this module (`python -m`), each given a
    contiguous share of the texts on stdin and answering on stdout; unlike
    multiprocessing's spawn they never re-run the caller's main script, and they copy
    none of this process's memory. Should one fail, the texts are done here instead."""
    workers = workers_available() if workers is None else workers
    if workers < 2 or sum(map(len, texts)) < PARALLEL_MIN_CHARS:
        return _structures(list(texts))
    from concurrent.futures import ThreadPoolExecutor

    shares = _shares(list(texts), workers)
    with ThreadPoolExecutor(len(shares)) as threads:
        done = list(threads.map(_in_worker, shares))
    return [packed for share in done for packed in share]


def _shares(texts: list[str], workers: int) -> list[list[str]]:
    """`texts` cut into at most `workers` contiguous runs of about equal length."""
    total = sum(map(len, texts))
    shares: list[list[str]] = [[]]
    size = 0
    for text in texts:
        # A new share starts where the text would end past the boundary more than half.
        if size + len(text) / 2 > total * len(shares) / workers and len(shares) < workers:
            shares.append([])
        shares[-1].append(text)
        size += len(text)
    return shares


def _in_worker(texts: list[str]) -> list[PackedSegments]:
    import pickle
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[2])  # the folder holding qualcode/
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "qualcode.ingest.structure"],
            input=pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL),
            capture_output=True,
            env=env,
            check=True,
        )
        # Our own child's answer to our own data: trusted as this process is.
        result = pickle.loads(done.stdout)
    except (OSError, subprocess.CalledProcessError, pickle.UnpicklingError, EOFError):
        return _structures(texts)
    if not isinstance(result, list) or len(result) != len(texts):
        return _structures(texts)
    return result


def _serve() -> None:
    """Worker: pickled list of texts on stdin -> pickled list of PackedSegments."""
    import pickle
    import sys

    texts = pickle.load(sys.stdin.buffer)
    sys.stdout.buffer.write(pickle.dumps(_structures(texts), protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _serve()

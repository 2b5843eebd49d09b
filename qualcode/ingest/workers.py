"""Pure-Python work on many inputs, shared between this process and worker processes.

An import's slow steps before its write transaction (reading and decoding files,
finding speaker turns and paragraphs) are pure Python, one input at a time, and hold
the GIL: threads do not help, processes do. `run_shared` cuts the inputs into
contiguous shares of about equal weight, one per core (at most MAX_WORKERS), does the
first share in this process and each other share in a fresh interpreter running this
module (`python -m qualcode.ingest.workers`). Unlike multiprocessing's spawn, a worker
never re-runs the caller's main script, and it copies none of this process's memory.

Input and output go through unnamed temporary files, not pipes: this process is busy
with its own share meanwhile, and a pipe would need a thread of ours, competing for
the GIL, to keep it flowing. Should a worker fail in any way (cannot start, crashes,
answers nonsense), its share is done in this process instead, so the result is the
same whichever way it was computed.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

In = TypeVar("In")
Out = TypeVar("Out")

MAX_WORKERS = 4


def workers_available() -> int:
    """CPU cores this process may run on (its affinity), at most MAX_WORKERS."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def shares(items: Sequence[In], weights: Sequence[int], parts: int) -> list[list[In]]:
    """`items` cut into at most `parts` contiguous runs of about equal total weight
    (weights: one non-negative number per item, e.g. its length in characters)."""
    total = sum(weights)
    cut: list[list[In]] = [[]]
    size = 0
    for item, weight in zip(items, weights, strict=True):
        # A new share starts where the item would end past the boundary more than half.
        if size + weight / 2 > total * len(cut) / parts and len(cut) < parts:
            cut.append([])
        cut[-1].append(item)
        size += weight
    return cut


def run_shared(
    task: Callable[[list[In]], list[Out]],
    items: Sequence[In],
    weights: Sequence[int],
    workers: int,
) -> list[Out]:
    """task(items) computed in `workers` processes, this one included: the results of
    each contiguous share, concatenated in order (so, as task(list(items)) gives them).

    `task` must be a module-level function (workers find it by name) that takes a list
    and returns a list of the same length; items and results must pickle. With fewer
    than two workers or items, everything is done here."""
    items = list(items)
    if workers < 2 or len(items) < 2:
        return task(items)
    first, *others = shares(items, weights, workers)
    pending: Pending[In, Out] = Pending(task, others)
    try:
        return task(first) + pending.result()
    finally:
        pending.stop()


class Pending(Generic[In, Out]):
    """task(share) of each share running in a worker process of its own, started at
    once; result() waits for them. A share whose worker failed is done here then.
    Call stop() when the results are no longer wanted (e.g. in a finally: block)."""

    def __init__(self, task: Callable[[list[In]], list[Out]], shares: list[list[In]]):
        self._task = task
        self._jobs = [(_start(task, share), share) for share in shares]
        self._result: list[Out] | None = None

    def result(self) -> list[Out]:
        """The results of every share, in order, concatenated (waited for once)."""
        if self._result is None:
            self._result = [
                cast(Out, out)
                for job, share in self._jobs
                for out in _finish(job, self._task, share)
            ]
        return self._result

    def stop(self) -> None:
        """Kill the workers still running and free their files (results are lost)."""
        for job, _ in self._jobs:
            if job is None:
                continue
            process, source, answer = job
            if process.poll() is None:
                process.kill()
                process.wait()
            source.close()
            answer.close()


_Job = tuple["subprocess.Popen[bytes]", Any, Any]  # (process, its stdin file, its stdout file)


def _start(task: Callable[[list[Any]], list[Any]], items: list[Any]) -> _Job | None:
    """A worker started on `items`, or None if it could not be started."""
    root = str(Path(__file__).resolve().parents[2])  # the folder holding qualcode/
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    source = tempfile.TemporaryFile()
    answer = tempfile.TemporaryFile()
    try:
        pickle.dump((task, items), source, protocol=pickle.HIGHEST_PROTOCOL)
        source.seek(0)
        process = subprocess.Popen(
            [sys.executable, "-m", "qualcode.ingest.workers"],
            stdin=source,
            stdout=answer,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except (OSError, pickle.PicklingError):
        source.close()
        answer.close()
        return None
    return process, source, answer


def _finish(
    job: _Job | None, task: Callable[[list[Any]], list[Any]], items: list[Any]
) -> list[Any]:
    """The worker's answer, or task(items) done here when the worker failed."""
    if job is None:
        return task(items)
    process, source, answer = job
    try:
        if process.wait() != 0:
            return task(items)
        answer.seek(0)
        # Our own child's answer to our own data: trusted as this process is.
        result: Any = pickle.load(answer)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return task(items)
    finally:
        source.close()
        answer.close()
    if not isinstance(result, list) or len(result) != len(items):
        return task(items)
    return result


def _serve() -> None:
    """Worker: pickled (task, items) on stdin -> pickled task(items) on stdout."""
    import gc

    gc.disable()  # as in the import (qualcode.bulk.collector_paused): no cycles are built
    task, items = pickle.load(sys.stdin.buffer)
    result = task(items)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve()

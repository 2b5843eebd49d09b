"""Sentence segmentation in a child process, for the workbench's background worker.

A trained pipeline spends tens of seconds of CPU loading and parsing a long document
(ja_ginza: 22 s for 43,400 characters, bench/tui_ja.py). In a thread of the workbench's
own process it holds the interpreter lock for most of that time, and coding keys waited
up to 3 s. A SegmenterProcess runs qualcode.segment.sentence_spans in one child process
(multiprocessing "spawn": no fork of a process with threads), loads the pipeline there
once for all the documents it is given, and passes the progress back through a queue;
the calling thread only waits on that queue, which leaves the interpreter to the
interface. The child is a daemon: it ends with the workbench.
"""

from __future__ import annotations

import queue as queues
from collections.abc import Callable, Sequence
from typing import Any

from qualcode.errors import QualcodeError

POLL_SECONDS = 0.1  # how often the waiting thread checks that the child is alive


class SegmenterError(QualcodeError):
    """The child process could not segment (its pipeline failed to load, or it died)."""


class SegmenterStopped(QualcodeError):
    """`spans` was stopped by its caller (the workbench is quitting, or the worker was
    cancelled); the child was ended and nothing was segmented."""


def _serve(lang: str, model: str | None, jobs: Any, out: Any) -> None:
    """The child's loop: load the pipeline once, then segment each job until None."""
    try:
        from qualcode.nlp.pipeline import make_pipeline
        from qualcode.segment import sentence_spans

        nlp = make_pipeline(lang, model)
        failure = None
    except Exception as exc:  # reported for every job: the parent raises it
        failure = f"{type(exc).__name__}: {exc}"
    while True:
        docs = jobs.get()
        if docs is None:
            return
        if failure is not None:
            out.put(("error", failure, None))
            continue
        try:
            spans = sentence_spans(
                docs,
                lang,
                nlp=nlp,
                characters=lambda done, total: out.put(("progress", done, total)),
            )
        except Exception as exc:
            out.put(("error", f"{type(exc).__name__}: {exc}", None))
        else:
            out.put(("done", spans, None))


class SegmenterProcess:
    """One child process segmenting sentences with the pipeline for (`lang`, `model`)
    (qualcode.nlp.pipeline.make_pipeline's arguments). Use as a context manager;
    `spans` has sentence_spans' documents and result. Raises SegmenterError when the
    child cannot segment; OSError or ValueError when no process can be started.

    `stop`, when given, is asked about ten times a second while `spans` waits: once it
    returns True the child is ended at once and `spans` raises SegmenterStopped (a long
    document's segmentation took up to 28 s, and quitting the workbench waited for it)."""

    def __init__(
        self, lang: str, model: str | None = None, stop: Callable[[], bool] | None = None
    ) -> None:
        import multiprocessing

        from qualcode.child_process import real_stderr

        self._stop = stop

        # Making the queues starts multiprocessing's resource tracker, which is handed
        # the parent's stderr descriptor (see qualcode.child_process).
        with real_stderr():
            context = multiprocessing.get_context("spawn")
            self._jobs = context.Queue()
            self._out = context.Queue()
            self._process = context.Process(
                target=_serve, args=(lang, model, self._jobs, self._out), daemon=True
            )
            self._process.start()

    def spans(
        self, documents: Sequence, characters: Callable[[int, int], None] | None = None
    ) -> list[list[tuple[int, int]]]:
        """Sentence spans of each document (text, or (text, turns) with turns as plain
        (start, end, speaker) tuples); `characters(done, total)` as the child reports."""
        docs = [d if isinstance(d, tuple) else (d, None) for d in documents]
        self._jobs.put([(text, _plain(turns)) for text, turns in docs])
        while True:
            if self._stop is not None and self._stop():
                self._end()
                raise SegmenterStopped("sentence segmentation was stopped")
            try:
                kind, first, second = self._out.get(timeout=POLL_SECONDS)
            except queues.Empty:
                if not self._process.is_alive():
                    raise SegmenterError("the sentence segmentation process stopped") from None
                continue
            if kind == "progress":
                if characters is not None:
                    characters(first, second)
            elif kind == "done":
                return first
            else:
                raise SegmenterError(f"sentence segmentation failed: {first}")

    def close(self) -> None:
        """Ask the child to stop; end it if it is still busy a second later."""
        if self._process.is_alive():
            self._jobs.put(None)
            self._process.join(timeout=1.0)
        self._end()

    def _end(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=1.0)
        # A job still being written to a child that is gone would block the queue's
        # feeder thread, and the interpreter joins it at exit: quitting hung 17 s.
        for channel in (self._jobs, self._out):
            channel.cancel_join_thread()
            channel.close()

    def __enter__(self) -> SegmenterProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _plain(turns):
    """Importer Turns (or tuples) as picklable (start, end, speaker) tuples."""
    if not turns:
        return turns
    return [
        t if isinstance(t, tuple) else (t.start, t.end, getattr(t, "speaker", None)) for t in turns
    ]

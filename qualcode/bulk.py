"""Helpers for bulk work (imports of thousands of sources)."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk job, and restore it after.

    An import allocates millions of small objects that live until the job ends
    (parsed selections, segments, rows); each generation-2 collection walks all of
    them again, which made the 2,300-transcript .qdpx import spend about 3 of its
    12 s of parsing and turn detection in the collector (bench/peers.py corpus,
    CPU seconds). Reference counting still frees everything that is not in a cycle,
    and the parsers here build no cycles. Usable as a decorator. Nesting is safe:
    the collector is re-enabled only if it was enabled on entry.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def insert_staged(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """INSERT `rows` (tuples in `columns` order) into `table` through a TEMP table and one
    INSERT ... SELECT, inside the caller's transaction.

    For a table with triggers (the audit log's, qualcode/audit.py) executemany makes each
    row its own statement, and SQLite opens a statement journal for every statement whose
    triggers write another table: 149,500 codings took 4.0 s of CPU that way and 1.1 s
    staged (0.75 s with no trigger at all), on the 2,300-transcript corpus of
    bench/peers.py. The TEMP table belongs to this connection only and is emptied after.
    Raises sqlite3.Error as the INSERT would (constraint failures included).
    """
    names = ", ".join(f'"{c}"' for c in columns)
    staging = f"temp.staged_{table}"
    conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS staged_{table} ({names})")
    conn.execute(f"DELETE FROM {staging}")
    marks = ",".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {staging} VALUES ({marks})", rows)
    try:
        conn.execute(f"INSERT INTO {table}({names}) SELECT {names} FROM {staging} ORDER BY rowid")
    finally:
        conn.execute(f"DELETE FROM {staging}")

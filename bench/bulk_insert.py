"""Benchmark: bulk writes with sqlite3 executemany vs sqlite-utils insert_all.

Issue 16 asks to use sqlite-utils' insert_all/upsert_all for bulk writes where it is as fast
as the executemany the facade uses. This times the two biggest bulk writes an import makes,
on a fresh project each time and inside one transaction, as the facade does:
- segments: SENTENCES rows (document_id, start, end, kind, speaker), what segment_documents
  writes for a large corpus (2,300 sixty-minute transcripts have over a million sentences);
- codings: CODINGS rows, what import-codings or a REFI-QDA import writes.
insert_all is given dicts (its input) with the default and a large batch size.
Prints rows, seconds (best of REPEAT) and rows per second for each way.
Run: PYTHONPATH=. python bench/bulk_insert.py [SENTENCES] [REPEAT]
"""

from __future__ import annotations

import importlib.metadata
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

from qualcode.models import NewDocument
from qualcode.project import Project


def fresh(folder: Path, name: str) -> Project:
    project = Project.create(folder / f"{name}.qualcode", coder="bench")
    project.add_documents(
        [NewDocument(f"R{i}", "interview", f"R{i}", "x" * 50_000) for i in range(1, 101)]
    )
    project.add_code("Theme")
    return project


def segment_rows(n: int) -> list[tuple]:
    return [(1 + i % 100, (i // 100) * 40, (i // 100) * 40 + 39, "sentence", "R") for i in range(n)]


def coding_rows(n: int) -> list[tuple]:
    return [
        (1 + i % 100, (i // 100) * 40, (i // 100) * 40 + 39, 1, "bench", "2026-01-01T00:00:00")
        for i in range(n)
    ]


SEGMENT_SQL = 'INSERT INTO segments(document_id, start, "end", kind, speaker) VALUES (?,?,?,?,?)'
SEGMENT_KEYS = ("document_id", "start", "end", "kind", "speaker")
CODING_SQL = 'INSERT INTO codings(document_id, start, "end", code_id, coder, created_at) VALUES (?,?,?,?,?,?)'
CODING_KEYS = ("document_id", "start", "end", "code_id", "coder", "created_at")


def timed(folder: Path, name: str, write) -> float:
    project = fresh(folder, name)
    try:
        start = time.perf_counter()
        with project.transaction() as conn:
            write(conn)
        return time.perf_counter() - start
    finally:
        project.close()


def main() -> None:
    sentences = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    cases = [
        ("segments", SEGMENT_SQL, SEGMENT_KEYS, segment_rows(sentences)),
        ("codings", CODING_SQL, CODING_KEYS, coding_rows(sentences // 4)),
    ]
    version = importlib.metadata.version("sqlite-utils")
    print(f"sqlite-utils {version}; best of {repeat}; one transaction each")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for table, sql, keys, rows in cases:
            dicts = [dict(zip(keys, r)) for r in rows]
            ways = {
                "executemany": lambda conn, sql=sql, rows=rows: conn.executemany(sql, rows),
                "insert_all (batch 100)": lambda conn, t=table, d=dicts: sqlite_utils.Database(
                    conn
                )[t].insert_all(d),
                "insert_all (batch 5000)": lambda conn, t=table, d=dicts: sqlite_utils.Database(
                    conn
                )[t].insert_all(d, batch_size=5000),
            }
            for way, write in ways.items():
                best = min(
                    timed(folder, f"{table}{n}{len(way)}{way[-5:-1]}", write) for n in range(repeat)
                )
                print(
                    f"{table:<9} {len(rows):>9,} rows  {way:<24} {best:7.3f} s  "
                    f"{len(rows) / best:>10,.0f} rows/s"
                )


if __name__ == "__main__":
    main()

"""Benchmark: inserting segment rows under the schema-1 `kind IN (...)` CHECK and the
schema-6 `kind = ... OR ...` CHECK (qualcode/store.py, _V6).

Data: the turn and paragraph segments qualcode finds in generated interview transcripts
(bench/_corpus.py, about 5,000 words each, seeded; generated data, not real interviews),
the rows an import of TRANSCRIPTS transcripts writes (2,300 transcripts: about 645,000).
Each variant inserts the same rows with executemany into an in-memory table of the same
columns, one transaction, best of REPEAT, CPU seconds. Baseline: the same table with no
CHECK on the kind at all (the floor a CHECK cannot beat).
Run: PYTHONPATH=. python bench/segment_insert.py [TRANSCRIPTS] [REPEAT]
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import transcript  # noqa: E402

from qualcode.ingest.turns import detect_turns, find_paragraphs  # noqa: E402
from qualcode.store import SEGMENT_KINDS  # noqa: E402

KINDS = ", ".join(f"'{k}'" for k in SEGMENT_KINDS)
VARIANTS = {
    "no kind CHECK (floor)": "",
    "kind IN (...) (schema 1-5)": f"CHECK (kind IN ({KINDS}))",
    "kind = ... OR ... (schema 6)": "CHECK ("
    + " OR ".join(f"kind = '{k}'" for k in SEGMENT_KINDS)
    + ")",
}
TABLE = (
    'CREATE TABLE segments (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, '
    "kind TEXT NOT NULL {check}, speaker TEXT, t_start REAL, t_end REAL, "
    'CHECK (start >= 0 AND "end" >= start))'
)


def rows(transcripts: int) -> list[tuple]:
    """Segment rows of `transcripts` documents; 50 distinct transcripts are repeated."""
    shapes = []
    for seed in range(min(transcripts, 50)):
        text = transcript(5000, seed)[0]
        shapes.append(
            [(t.start, t.end, "turn", t.speaker) for t in detect_turns(text)]
            + [(s, e, "paragraph", None) for s, e in find_paragraphs(text)]
        )
    return [
        (doc, s, e, kind, speaker, None, None)
        for doc in range(1, transcripts + 1)
        for s, e, kind, speaker in shapes[doc % len(shapes)]
    ]


def insert(check: str, data: list[tuple], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute(TABLE.format(check=check))
        conn.execute("CREATE INDEX segments_by_document ON segments(document_id, kind, start)")
        conn.execute("BEGIN")
        began = time.process_time()
        conn.executemany(
            'INSERT INTO segments(document_id, start, "end", kind, speaker, t_start, t_end) '
            "VALUES (?,?,?,?,?,?,?)",
            data,
        )
        best = min(best, time.process_time() - began)
        conn.close()
    return best


def main() -> None:
    transcripts = int(sys.argv[1]) if len(sys.argv) > 1 else 2300
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    data = rows(transcripts)
    print(
        f"{len(data):,} turn/paragraph rows of {transcripts:,} generated transcripts; "
        f"SQLite {sqlite3.sqlite_version}; CPU s, best of {repeat}"
    )
    for name, check in VARIANTS.items():
        seconds = insert(check, data, repeat)
        print(f"  {name:30} {seconds:6.2f} s  {len(data) / seconds:>10,.0f} rows/s")


if __name__ == "__main__":
    main()

"""Benchmark: importing a large corpus of transcripts into a new project.

Builds N synthetic interview transcripts (about 45,000 characters each, like a
60-minute interview, with Interviewer/Rn turns; a tenth in cp1252, a tenth in
UTF-16, a tenth as .docx), then times read_source on all of them, and one
Project.import_files batch without and with sentence segmentation (spaCy).
Prints the corpus size and the figures.

With --writers: the import with sentences once per way of writing the segments, the
facade's sqlite3 executemany and sqlite-utils' insert_all (issue 16: use insert_all where
it is as fast), timing the import and the time spent in the segment writes; each way gets
a fresh project, and the row counts are printed to show both wrote the same.
Run: PYTHONPATH=. python bench/ingest_import.py [N] [--writers]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from qualcode.facade.documents import DocumentOps
from qualcode.ingest import read_source
from qualcode.project import Project

WORDS = (
    "the elective hospital patient ward team resident attending night shift language culture "
    "clinic rural city learned felt thought decided because although Café naïve doctor nurse "
    "family poverty insurance rounds presentation plan responsibility confidence career"
).split()


def transcript(rng: random.Random, n: int, target: int = 45_000) -> str:
    parts, size = [], 0
    while size < target:
        who = "Interviewer" if len(parts) % 2 == 0 else f"R{n}"
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 160)))
        turn = f"{who}: {words.capitalize()}."
        parts.append(turn)
        size += len(turn) + 2
    return "\n\n".join(parts) + "\n"


def write_corpus(folder: Path, count: int) -> list[Path]:
    import docx

    rng = random.Random(7)
    paths = []
    for n in range(1, count + 1):
        text = transcript(rng, n)
        if n % 10 == 3:
            path = folder / f"R{n}.docx"
            document = docx.Document()
            for paragraph in text.split("\n\n"):
                document.add_paragraph(paragraph)
            document.save(path)
        else:
            path = folder / f"R{n}.txt"
            encoding = {1: "cp1252", 2: "utf-16"}.get(n % 10, "utf-8")
            path.write_bytes(text.encode(encoding))
        paths.append(path)
    return paths


SEGMENT_KEYS = ("document_id", "start", "end", "kind", "speaker", "t_start", "t_end")


def insert_all(conn, rows) -> None:
    """Segment rows (tuples in SEGMENT_KEYS order, t_start/t_end optional) written by
    sqlite-utils' insert_all (dicts, its input; batch_size 5000, which sqlite-utils cuts
    to its 999 bound parameters per statement)."""
    import sqlite_utils

    table = sqlite_utils.Database(conn)["segments"]
    table.insert_all((dict(zip(SEGMENT_KEYS, r)) for r in rows), batch_size=5000)


def sentence_rows(rows):
    """The rows segment._insert_rows writes, from its compact input."""
    for doc_id, kind, offsets, speakers in rows:
        for n in range(len(speakers)):
            yield doc_id, offsets[2 * n], offsets[2 * n + 1], kind, speakers[n]


def compare_writers(folder: Path, paths: list[Path], repeat: int = 2) -> None:
    """Both segment writes of an import with sentences (turns and paragraphs in
    DocumentOps._insert_segments, sentences in facade.segment._insert_rows) done one way
    or the other. Best of `repeat` rounds (the first round also pays for loading spaCy
    and sqlite-utils, so the ways alternate within each round)."""
    import importlib.metadata

    from qualcode.facade import segment

    ways = {
        "executemany": (DocumentOps._insert_segments, segment._insert_rows),
        "insert_all": (insert_all, lambda conn, rows: insert_all(conn, sentence_rows(rows))),
    }
    print(f"sqlite-utils {importlib.metadata.version('sqlite-utils')}; best of {repeat}")
    best: dict[str, tuple[float, float, int]] = {}
    for round_ in range(repeat):
        for name, writers in ways.items():
            spent = [0.0]

            def timing(writer, spent=spent):
                def timed(conn, rows) -> None:
                    start = time.perf_counter()
                    writer(conn, rows)
                    spent[0] += time.perf_counter() - start

                return timed

            turns, sentences = (timing(w) for w in writers)
            with (
                mock.patch.object(DocumentOps, "_insert_segments", staticmethod(turns)),
                mock.patch.object(segment, "_insert_rows", sentences),
                Project.create(folder / f"writer_{name}{round_}.qualcode") as project,
            ):
                start = time.perf_counter()
                project.import_files(paths, participant=None, sentences=True)
                total = time.perf_counter() - start
                count = project.summary()["segments"]
            if name not in best or total < best[name][0]:
                best[name] = (total, spent[0], count)
    for name, (total, spent, rows) in best.items():
        print(
            f"import_files with sentences, segments by {name:<11}: {total:6.2f} s, "
            f"of which segment writes {spent:5.2f} s ({rows:,} segments, "
            f"{rows / spent:,.0f} rows/s)"
        )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 2300
    if "--writers" in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            paths = write_corpus(Path(tmp), count)
            print(f"corpus: {count} files")
            compare_writers(Path(tmp), paths)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        paths = write_corpus(folder, count)
        t1 = time.perf_counter()
        sources = [read_source(p) for p in paths]
        t2 = time.perf_counter()
        chars = sum(len(s.text) for s in sources)
        turns = sum(len(s.turns) for s in sources)
        timings = {}
        for sentences in (False, True):
            with Project.create(folder / f"bench_{sentences}.qualcode") as project:
                t3 = time.perf_counter()
                report = project.import_files(paths, participant=None, sentences=sentences)
                timings[sentences] = time.perf_counter() - t3
                segments = project.summary()["segments"]
        print(
            f"corpus: {count} files ({count // 10} docx, rest txt in utf-8/cp1252/utf-16), "
            f"{chars:,} characters, {turns:,} turns"
        )
        print(f"writing the corpus:            {t1 - t0:6.2f} s")
        print(
            f"read_source on every file:     {t2 - t1:6.2f} s  ({chars / (t2 - t1) / 1e6:.1f} M chars/s)"
        )
        print(f"import_files, no sentences:    {timings[False]:6.2f} s")
        print(
            f"import_files with sentences:   {timings[True]:6.2f} s  "
            f"({len(report.files)} documents, {segments:,} segments)"
        )


if __name__ == "__main__":
    main()

"""Benchmark: importing a large corpus of transcripts into a new project.

Builds N synthetic interview transcripts (about 45,000 characters each, like a
60-minute interview, with Interviewer/Rn turns; a tenth in cp1252, a tenth in
UTF-16, a tenth as .docx), then times read_source on all of them, and one
Project.import_files batch without and with sentence segmentation (spaCy).
Prints the corpus size and the figures.
Run: PYTHONPATH=. python bench/ingest_import.py [N]
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2300
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

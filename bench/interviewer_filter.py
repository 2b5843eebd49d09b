"""Time the analysis tables with and without the interviewer's turns (--skip-interviewer).

Corpus (generated: for speed only, not quality): N participants with one interview each,
60 turns alternating "Interviewer" and the participant (turn segments as the importer
stores them, the label left out), the 36-code PIF codebook and C codings of 50-400
characters at random positions (so some lie wholly inside an interviewer turn, most do
not). Baseline: the same table without the filter, on the same project. Each call is
timed cold and as the best of three (bench/analysis.py's `timed`). The count of codings
left out is checked against a plain-Python count over the turn spans.

Usage: python bench/interviewer_filter.py [--participants N] [--codings C]
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.analysis import timed  # noqa: E402
from qualcode.analysis import Filters  # noqa: E402
from qualcode.codebook import load_codebook  # noqa: E402
from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.models import NewDocument, Segment  # noqa: E402
from qualcode.project import Project  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "And what did the attending say when you asked about the night shifts?"
ANSWER = (
    "In the second week the attending asked me what I would do, and I realised that nobody "
    "had ever asked me that before. I had always waited for the answer to come from above. "
)


def transcript(pid: str, turns: int) -> tuple[str, list[Segment]]:
    parts, segments, at = [], [], 0
    for k in range(turns):
        label, words = ("Interviewer", QUESTION) if k % 2 == 0 else (pid, ANSWER * 2)
        line = f"{label}: {words}"
        segments.append(Segment(at + len(label) + 2, at + len(line), "turn", label))
        parts.append(line)
        at += len(line) + 2
    return "\n\n".join(parts), segments


def generate(path: Path, participants: int, codings: int, seed: int = 7):
    rng = random.Random(seed)
    p = Project.create(path, codebook=load_codebook(ROOT / "codebooks" / "pif.yaml"), coder="b")
    docs, turns = [], []
    for i in range(1, participants + 1):
        text, segs = transcript(f"R{i}", 60)
        docs.append(NewDocument(f"R{i}", "interview", f"R{i}", text, segments=tuple(segs)))
        turns.append(segs)
    ids = p.add_documents(docs)
    leaves = [c.id for c in p.codes() if c.depth == 1]
    rows, spans = [], []
    for _ in range(codings):
        d = rng.randrange(len(ids))
        start = rng.randrange(len(docs[d].text) - 400)
        end = start + rng.randint(50, 400)
        rows.append(NewCoding(ids[d], start, end, rng.choice(leaves), "b"))
        spans.append((d, start, end))
    p.add_codings(rows)
    p.mark_interviewer(["Interviewer"])
    return p, turns, spans


def interviewer_only(turns: list[Segment], start: int, end: int) -> bool:
    """Plain Python: every turn the span overlaps is the interviewer's, and there is one."""
    starts = [t.start for t in turns]
    i = max(bisect.bisect_right(starts, start) - 1, 0)
    over = []
    while i < len(turns) and turns[i].start < end:
        if turns[i].end > start:
            over.append(turns[i].speaker)
        i += 1
    return bool(over) and all(s == "Interviewer" for s in over)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=2_000)
    parser.add_argument("--codings", type=int, default=200_000)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        p, turns, spans = generate(Path(tmp) / "b.qualcode", args.participants, args.codings)
        print(
            f"corpus: {args.participants:,} interviews x 60 turns, {args.codings:,} codings; "
            f"made in {time.perf_counter() - start:.1f} s"
        )
        expected = sum(interviewer_only(turns[d], s, e) for d, s, e in spans)
        skip = Filters(skip_interviewer=True)
        table = p.frequency_table(skip).to_frame()
        left_out = args.codings - int(table[table.depth == 0].codings.sum())
        print(f"codings left out: {left_out:,} (plain Python: {expected:,})")
        tables = (
            ("freq", lambda f: p.frequency_table(f).to_frame()),
            ("matrix", lambda f: p.matrix(f)),
            ("cooccur (participant)", lambda f: p.cooccurrence(f, mode="participant")),
        )
        for name, call in tables:
            timed(f"{name}, all turns (baseline)", lambda call=call: call(Filters()))
            timed(f"{name}, --skip-interviewer", lambda call=call: call(skip))
        p.close()


if __name__ == "__main__":
    main()

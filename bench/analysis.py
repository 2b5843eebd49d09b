"""Time the analysis tables on a large generated project.

Corpus: 2,300 participants (sex, host_income, elective_type attributes), one interview
each and a report for 70% of them, paragraph segments, the 36-code PIF codebook, and
1,000,000 codings by two coders (random spans of 50-400 characters on the 31
subthemes). Generated with bulk inserts through the facade (executemany, one
transaction per table), then each table is timed cold (first call) and as the best
of three. Goal: each under 1 s.

Usage: python bench/analysis.py [--codings N] [--participants N] [--keep PATH]
(--keep reuses the project at PATH if it exists.)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.analysis import Filters  # noqa: E402
from qualcode.codebook import load_codebook  # noqa: E402
from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.models import NewDocument, Segment  # noqa: E402
from qualcode.project import Project  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PARAGRAPH = (
    "In the second week the attending asked me what I would do, and I realised that nobody "
    "had ever asked me that before. I had always waited for the answer to come from above. "
)


def generate(path: Path, participants: int, codings: int, seed: int = 7) -> Project:
    rng = random.Random(seed)
    p = Project.create(
        path, codebook=load_codebook(ROOT / "codebooks" / "pif.yaml"), coder="coder1"
    )
    paragraph_len = len(PARAGRAPH) * 4
    docs = []
    for i in range(1, participants + 1):
        for kind, paragraphs in (("interview", 60), ("report", 12)):
            if kind == "report" and rng.random() > 0.7:
                continue
            text = "\n\n".join(PARAGRAPH * 4 for _ in range(paragraphs))
            segments = tuple(
                Segment(
                    k * (paragraph_len + 2), k * (paragraph_len + 2) + paragraph_len, "paragraph"
                )
                for k in range(paragraphs)
            )
            docs.append(NewDocument(f"R{i}", kind, f"R{i}_{kind}", text, segments=segments))
    ids = p.add_documents(docs)
    p.upsert_participants(
        [
            (
                f"R{i}",
                None,
                {
                    "sex": "F" if rng.random() < 0.22 else "M",
                    "host_income": "LMIC" if rng.random() < 0.17 else "HIC",
                    "elective_type": "Research" if rng.random() < 0.2 else "Clinical",
                },
            )
            for i in range(1, participants + 1)
        ]
    )
    leaves = [c.id for c in p.codes() if c.depth == 1]
    lengths = [len(d.text) for d in docs]
    rows = []
    for _ in range(codings):
        d = rng.randrange(len(ids))
        start = rng.randrange(lengths[d] - 400)
        rows.append(
            NewCoding(
                ids[d],
                start,
                start + rng.randint(50, 400),
                rng.choice(leaves),
                "coder1" if rng.random() < 0.8 else "coder2",
            )
        )
    p.add_codings(rows)
    return p


def timed(label: str, call, limit: float | None = None) -> None:
    """Run `call` three times; print the first (cold) and best times and the rows it returned,
    flagged when the best is over `limit` seconds."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    flag = f"   (over {limit:g} s)" if limit is not None and min(times) >= limit else ""
    print(
        f"  {label:<48} first {times[0]:6.3f} s   best {min(times):6.3f} s   rows {len(result):>6}{flag}"
    )


def corpus_arguments() -> argparse.Namespace:
    """--codings, --participants, --keep: the options of the benches on the generated project."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--participants", type=int, default=2_300)
    parser.add_argument(
        "--keep", type=Path, help="Write the project here and keep it (or reuse it if it exists)."
    )
    return parser.parse_args()


def open_corpus(args: argparse.Namespace, tmp: str) -> Project:
    """The project at --keep if it exists, else a newly generated one; prints its size."""
    path = args.keep or Path(tmp) / "bench.qualcode"
    start = time.perf_counter()
    p = Project.open(path) if path.exists() else generate(path, args.participants, args.codings)
    s = p.summary()
    print(
        f"corpus: {s['participants']:,} participants, {s['documents']:,} documents, "
        f"{s['words']:,} words, {s['codes']} codes, {s['codings']:,} codings by {s['coders']} coders, "
        f"{s['segments']:,} segments; {path.stat().st_size / 1e6:.0f} MB; ready in "
        f"{time.perf_counter() - start:.1f} s"
    )
    return p


def main() -> None:
    args = corpus_arguments()
    with tempfile.TemporaryDirectory() as tmp:
        p = open_corpus(args, tmp)

        def under_1s(label, call):
            timed(label, call, limit=1)

        women, reports = Filters(where=[("sex", "F")]), Filters(kinds=["report"])
        under_1s("frequencies", lambda: p.frequencies())
        under_1s("frequencies --where sex=F", lambda: p.frequencies(women))
        under_1s(
            "frequencies --kind report --coder coder2",
            lambda: p.frequencies(Filters(kinds=["report"], coders=["coder2"])),
        )
        under_1s("crosstab --by sex", lambda: p.crosstab("sex"))
        under_1s(
            "crosstab --by host_income --kind report", lambda: p.crosstab("host_income", reports)
        )
        under_1s("cooccurrence (overlapping spans)", lambda: p.cooccurrence())
        under_1s("cooccurrence --unit paragraph", lambda: p.cooccurrence(unit="paragraph"))
        under_1s("cooccurrence --by participant", lambda: p.cooccurrence(mode="participant"))
        under_1s("matrix (presence)", lambda: p.matrix())
        under_1s("saturation", lambda: p.saturation())
        p.close()


if __name__ == "__main__":
    main()

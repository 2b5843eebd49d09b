"""Time REFI-QDA export and import on a synthetic project (prints figures, no asserts).

Usage: python bench/bench_interop.py [documents] [codings]
Defaults: 2,300 documents of ~1,500 words and 200,000 codings (the 1,000,000-coding
figure scales linearly; run with `2300 1000000` to measure it, it needs ~6 GB RAM).
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.models import NewDocument  # noqa: E402
from qualcode.project import Project  # noqa: E402

WORDS = "the patient said that réanimation was hard but Größe und 責任 mattered every day".split()


def build(path: Path, documents: int, codings: int) -> Project:
    rng = random.Random(7)
    project = Project.create(path, coder="bench")
    for theme in range(10):
        project.add_code(f"Thème {theme}")
        for sub in range(5):
            project.add_code(f"Thème {theme}/Sous-thème {sub}")
    code_ids = [c.id for c in project.codes()]
    docs = []
    for n in range(documents):
        lines = [" ".join(rng.choice(WORDS) for _ in range(15)) for _ in range(100)]
        docs.append(
            NewDocument(f"P{n % 400}", "interview", f"Interview {n}", "\n".join(lines) + "\n")
        )
    doc_ids = project.add_documents(docs)
    lengths = {i: len(d.text) for i, d in zip(doc_ids, docs)}
    rows = []
    for _ in range(codings):
        doc = rng.choice(doc_ids)
        start = rng.randrange(0, lengths[doc] - 200)
        rows.append(
            NewCoding(
                doc,
                start,
                start + rng.randrange(20, 200),
                rng.choice(code_ids),
                rng.choice(["ana", "bo"]),
            )
        )
    project.add_codings(rows)
    project.upsert_participants(
        [
            (f"P{n}", None, {"age": str(20 + n % 50), "site": f"S{n % 7}"})
            for n in range(min(documents, 400))
        ]
    )
    return project


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 2300
    codings = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        project = build(tmp / "bench.qualcode", documents, codings)
        print(
            f"corpus: {documents:,} documents, {codings:,} codings, "
            f"{sum(d.length for d in project.documents()):,} characters (built in {time.perf_counter() - t:.1f} s)"
        )
        t = time.perf_counter()
        project.export_qdpx(tmp / "bench.qdpx")
        export_s = time.perf_counter() - t
        size = (tmp / "bench.qdpx").stat().st_size
        print(
            f"export_qdpx: {export_s:.1f} s, archive {size / 1e6:.1f} MB, peak RSS so far {peak_mb():,.0f} MB"
        )
        copy = Project.create(tmp / "copy.qualcode")
        t = time.perf_counter()
        summary = copy.import_qdpx(tmp / "bench.qdpx")
        import_s = time.perf_counter() - t
        print(
            f"import_qdpx: {import_s:.1f} s for {summary.codings:,} codings, {summary.sources:,} sources "
            f"({summary.codings / import_s:,.0f} codings/s), peak RSS so far {peak_mb():,.0f} MB"
        )
        project.close()
        copy.close()


if __name__ == "__main__":
    main()

"""Cost of the audit trail on a coding keystroke.

A coding keystroke in the workbench ends in Project.add_coding (one transaction); the
audit trail adds trigger writes and one log entry to that transaction. This bench codes
and uncodes N passages (add_coding + remove_coding, as the TUI's undo does) in a
project with one 50,000-word transcript and 2,000 codings, twice: with the audit
triggers (as shipped) and on a copy with the triggers dropped (the baseline, as before
the audit trail). Prints the median and 95th percentile per operation and the log size.
Goal: a coding keystroke under 20 ms in bench/tui.py, so the log must cost well under that.

Usage: python bench/audit.py [--n 300]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tui_corpus import make_codings, make_transcript  # noqa: E402

from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.models import NewDocument  # noqa: E402
from qualcode.project import Project  # noqa: E402
from qualcode.text_units import sentences  # noqa: E402


def build(path: Path) -> None:
    text = make_transcript()
    with Project.create(path) as p:
        codes = [p.add_code(f"code {i}").id for i in range(20)]
        [doc] = p.add_documents([NewDocument("R1", "interview", "long", text)])
        p.add_codings(
            [
                NewCoding(doc, s, e, codes[c % 20], "coder1")
                for s, e, c in make_codings(sentences(text))
            ]
        )


def timed_ops(path: Path, n: int) -> tuple[list[float], list[float]]:
    adds, removes = [], []
    with Project.open(path) as p:
        doc = p.documents()[0].id
        code = p.codes()[0].id
        length = p.documents()[0].length
        for i in range(n):
            start = (i * 997) % (length - 200)
            t = time.perf_counter()
            c = p.add_coding(doc, start, start + 120, code, coder="bench")
            adds.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            p.remove_coding(c.id)
            removes.append((time.perf_counter() - t) * 1000)
    return adds, removes


def summary(label: str, ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"  {label:<34} median {statistics.median(ms):6.2f} ms   p95 {p95:6.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        logged = Path(tmp) / "logged.qualcode"
        build(logged)
        bare = Path(tmp) / "bare.qualcode"
        shutil.copyfile(logged, bare)
        with Project.open(bare) as p:
            for (name,) in p.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'log_%'"
            ).fetchall():
                p.db.execute(f"DROP TRIGGER {name}")
        with Project.open(logged) as p:
            codings = len(p.codings())
        print(f"corpus: 1 transcript, {codings:,} codings; {args.n} code + uncode operations")
        results = {}
        for label, path in (
            ("without audit triggers (baseline)", bare),
            ("with audit trail", logged),
        ):
            results[label] = timed_ops(path, args.n)
        for label, (adds, removes) in results.items():
            print(f"{label}:")
            print(summary("add_coding (a coding keystroke)", adds))
            print(summary("remove_coding (undo)", removes))
        with Project.open(logged) as p:
            entries = len(p.log())
        print(
            f"log entries written: {entries:,}; project size {logged.stat().st_size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()

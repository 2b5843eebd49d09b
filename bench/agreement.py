"""Time inter-coder agreement on the large generated project of bench/analysis.py.

Corpus: 2,300 participants, an interview each and a report for 70% of them, paragraph
segments, the 36-code PIF codebook, 1,000,000 codings split 80/20 between coder1 and
coder2 (random spans of 50-400 characters on the 31 subthemes). Timed cold (first
call) and as the best of three: agreement by characters, by paragraphs, with a filter,
and the disagreement list of one main theme. Goal: a few seconds each at most.

Usage: python bench/agreement.py [--codings N] [--participants N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis import generate  # noqa: E402

from qualcode.analysis import Filters  # noqa: E402


def timed(label: str, call) -> None:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    print(f"  {label:<48} first {times[0]:6.3f} s   best {min(times):6.3f} s   rows {len(result):>6}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--participants", type=int, default=2_300)
    parser.add_argument("--keep", type=Path, help="Write the project here and keep it (or reuse it if it exists).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.qualcode"
        start = time.perf_counter()
        if path.exists():
            from qualcode.project import Project

            p = Project.open(path)
        else:
            p = generate(path, args.participants, args.codings)
        s = p.summary()
        print(f"corpus: {s['participants']:,} participants, {s['documents']:,} documents, "
              f"{s['words']:,} words, {s['codes']} codes, {s['codings']:,} codings by {s['coders']} coders, "
              f"{s['segments']:,} segments; {path.stat().st_size / 1e6:.0f} MB; ready in "
              f"{time.perf_counter() - start:.1f} s")
        timed("agreement by characters", lambda: p.agreement("coder1", "coder2"))
        timed("agreement by paragraph segments", lambda: p.agreement("coder1", "coder2", unit="segment",
                                                                      segment_kind="paragraph"))
        timed("agreement by characters --where sex=F",
              lambda: p.agreement("coder1", "coder2", filters=Filters(where=[("sex", "F")])))
        timed("disagreements --code Leadership", lambda: p.disagreements("coder1", "coder2", "Leadership"))
        table = p.agreement("coder1", "coder2")
        total = table.iloc[-1]
        print(f"  total: both {total['both']:,}  A only {total['A_only']:,}  B only {total['B_only']:,}  "
              f"kappa {total['kappa']:.3f}")
        p.close()


if __name__ == "__main__":
    main()

"""Whole-process time of the commands that only read: `qualcode freq`, `qualcode info`.

Generated projects (bench/analysis.py's generator: one interview of about 8,000 words
per participant, reports for 70%, the 36-code PIF codebook, 65 codings per
participant, like 1,500 codings for 23 participants) at 23 / 230 / 2,300 participants.
Each command runs as its own process N times (default 5); the table gives the median
wall time and the median CPU time (user + system) of the child, next to the time of
`python -c pass` (the floor). On a shared machine the wall time includes waiting for a
core; the CPU time does not. Then the five modules with the longest own import time
(`python -X importtime`) for `qualcode freq --format csv`. Goal: <= 0.3 s each.

Usage: python bench/cli_startup.py [--scales 23,230,2300] [--runs 5] [--keep DIR]
       [--project PATH ...]   (also time these existing projects)
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from analysis import generate  # noqa: E402

QUALCODE = [sys.executable, "-m", "qualcode"]
# As installed by pip (which compiles every module to bytecode), not as run from a tree
# where PYTHONDONTWRITEBYTECODE is set (some containers set it): compiling qualcode's
# ~80 modules from source costs ~0.1 s per process. The first run writes the bytecode.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed_run(command: list[str]) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one process; its output is discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def median_run(command: list[str], runs: int) -> tuple[float, float]:
    timed_run(command)  # warm: bytecode written, the project checked once (store.py)
    results = [timed_run(command) for _ in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def slowest_imports(command: list[str], count: int = 5) -> list[tuple[str, int]]:
    """The modules with the longest own import time (microseconds), from -X importtime."""
    result = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
        env=ENV,
    )
    rows = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            rows.append((match[2], int(match[1])))
    return sorted(rows, key=lambda r: -r[1])[:count]


def project_at(folder: Path, participants: int) -> Path:
    path = folder / f"startup-{participants}.qualcode"
    if not path.exists():
        start = time.perf_counter()
        generate(path, participants, 65 * participants).close()
        print(f"generated {path.name} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="23,230,2300")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the generated projects here.")
    parser.add_argument("--project", type=Path, action="append", default=[])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        projects = [project_at(folder, int(n)) for n in args.scales.split(",") if n]
        projects += args.project
        floor = median_run([sys.executable, "-c", "pass"], args.runs)
        print(
            f"generated data (bench/analysis.py), not real interviews; median of {args.runs} "
            "runs after one warm run (bytecode compiled, as pip installs it); load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        print(f"{'command':<44}{'project':>34}{'wall s':>9}{'cpu s':>8}")
        print(f"{'python -c pass (floor)':<44}{'':>34}{floor[0]:9.3f}{floor[1]:8.3f}")
        for path in projects:
            import sqlite3

            with sqlite3.connect(path) as conn:
                codings = conn.execute("SELECT count(*) FROM codings").fetchone()[0]
                people = conn.execute("SELECT count(*) FROM participants").fetchone()[0]
            label = f"{people:,} part., {codings:,} codings"
            for name, extra in (("freq --format csv", ["--format", "csv"]), ("info", [])):
                command = [*QUALCODE, name.split()[0], str(path), *extra]
                wall, cpu = median_run(command, args.runs)
                flag = "" if wall <= 0.3 else "  (over 0.3 s wall)"
                print(f"{'qualcode ' + name:<44}{label:>34}{wall:9.3f}{cpu:8.3f}{flag}")
        if projects:
            print("slowest imports of `qualcode freq --format csv` (own time):")
            for module, micros in slowest_imports(
                [*QUALCODE, "freq", str(projects[0]), "--format", "csv"]
            ):
                print(f"  {module:<50}{micros / 1000:8.1f} ms")


if __name__ == "__main__":
    main()

"""Time the analysis tables on a large generated project.

Corpus: 2,300 participants (sex, host_income, elective_type attributes), one interview
each and a report for 70% of them, paragraph segments, the 36-code PIF codebook, and
1,000,000 codings by two coders (random spans of 50-400 characters on the 31
subthemes). Generated with bulk inserts through the facade (executemany, one
transaction per table), then each table is timed cold (first call) and as the best
of three. Goal: each under 1 s.

With --cli, each command instead runs as its own process (`qualcode freq|crosstab|
matrix|cooccur|saturation|agreement PROJECT --format csv`, every co-occurrence mode,
and with --skip-interviewer when the project marks an interviewer), after one warm run
that compiles the bytecode as pip does; the table gives the median wall time and the
median CPU time (user + system of the child) of --runs runs, and the load average.
--baseline DIR runs the same commands with another checkout's qualcode (PYTHONPATH=DIR,
e.g. `git archive main | tar -x -C DIR`) next to this one. Goal: under 1 s each.

Usage: python bench/analysis.py [--codings N] [--participants N] [--keep PATH]
       [--cli [--runs 3] [--baseline DIR] [--only TEXT]]
(--keep reuses the project at PATH if it exists; the --cli figures need it.)
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
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
    parser.add_argument("--cli", action="store_true", help="Time whole processes of the CLI.")
    parser.add_argument("--runs", type=int, default=3, help="With --cli: runs per command.")
    parser.add_argument("--baseline", type=Path, help="With --cli: also time this checkout.")
    parser.add_argument(
        "--only", default="", help="With --cli: only the commands containing this text."
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


CLI_COMMANDS = [
    "freq",
    "crosstab --by sex",
    "matrix",
    "matrix --counts",
    "saturation",
    "saturation --by participant",
    "cooccur",
    "cooccur --unit paragraph",
    "cooccur --by participant",
    "agreement --coders coder1,coder2",
]
SKIP_INTERVIEWER = ["freq", "crosstab --by sex", "matrix --counts", "saturation", "cooccur"]
# Bytecode is written as pip's install compiles it (some shells turn that off).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def process_time(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # Run outside the checkout: `python -m` puts the working folder before PYTHONPATH,
    # which would shadow a --baseline checkout.
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env, cwd="/")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_processes(path: Path, runs: int, baseline: Path | None, only: str = "") -> None:
    """Print the median wall and CPU time of each CLI command on the project at `path`."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        marked = conn.execute(
            "SELECT value FROM meta WHERE key = 'interviewer_speakers'"
        ).fetchone()
    commands = CLI_COMMANDS + (
        [f"{c} --skip-interviewer" for c in SKIP_INTERVIEWER] if marked and marked[0] else []
    )
    commands = [c for c in commands if only in c]
    versions = [("this checkout", ENV)]
    if baseline is not None:
        versions.append((f"baseline {baseline}", {**ENV, "PYTHONPATH": str(baseline)}))
    print(
        f"whole process, --format csv, median of {runs} after a warm run; "
        f"{os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.1f}"
    )
    heads = "".join(f"{name[:26]:>28}" for name, _ in versions)
    print(f"{'command':<44}{heads}")
    print(f"{'':<44}" + "".join(f"{'wall s':>14}{'cpu s':>14}" for _ in versions))
    for command in commands:
        cells = []
        for _, env in versions:
            argv = [
                sys.executable,
                "-m",
                "qualcode",
                *command.split(),
                str(path),
                "--format",
                "csv",
            ]
            process_time(argv, env)  # warm: bytecode, page cache
            results = [process_time(argv, env) for _ in range(runs)]
            wall = statistics.median(r[0] for r in results)
            cpu = statistics.median(r[1] for r in results)
            cells.append(f"{wall:14.2f}{cpu:14.2f}")
        print(f"{'qualcode ' + command:<44}" + "".join(cells), flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def main() -> None:
    args = corpus_arguments()
    with tempfile.TemporaryDirectory() as tmp:
        p = open_corpus(args, tmp)
        if args.cli:
            path = p.path
            p.close()
            whole_processes(Path(path), args.runs, args.baseline, args.only)
            return

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

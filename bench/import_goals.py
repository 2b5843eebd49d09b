"""Benchmark: issue 19's import goals, whole processes, this checkout against a baseline.

Goals (2 cores): a .qdpx of 230 generated transcripts with 15,000 codings imported in
<= 2 s; 2,300 transcripts with 150,000 codings in <= 20 s with a peak below 400 MiB;
a folder of 2,300 plain .txt transcripts in <= 15 s; sentences of a 50,000-word
document, when first needed, in < 0.3 s.

Each step is `python -m qualcode import NEW.qualcode CORPUS` run from the code's folder
(this checkout, and with --baseline DIR another one, e.g. `git archive main | tar -x -C
DIR`), alternating the two codes run by run, so that both meet the same load. Printed
per run: wall seconds, CPU seconds (user+sys of the process and its workers; and of the
main process alone, sampled last within 20 ms of its end), the peak
resident memory of the whole process tree (sampled every 20 ms from /proc; workers
included) and of its largest process, and the 1-minute load average at the start. With
--compare the projects the two codes made are dumped (documents without the import
time, segments, codings without their creation time, participants) and compared.

The corpora are generated (bench/peers.py writes corpus-N.qdpx; txt2300 is one .txt
per transcript of the 2,300 corpus), not real interviews: they measure speed only.
Run: python bench/import_goals.py [--corpora DIR] [--baseline DIR] [--runs N]
     [--goals qdpx230,qdpx2300,txt2300,sentences] [--compare]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
GOALS = {"qdpx230": 2.0, "qdpx2300": 20.0, "txt2300": 15.0}
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> tuple[int, int]:
    """(sum, largest) resident bytes of process `root` and its descendants."""
    total = largest = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                rss = int(handle.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (OSError, IndexError, ValueError):
            continue
        total += rss
        largest = max(largest, rss)
    return total, largest


def run(command: list[str], code: Path) -> dict[str, float]:
    """One whole process from `code`'s folder: wall, CPU, tree and process peaks, load."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    load = os.getloadavg()[0]
    errors = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=code,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        start_new_session=True,
    )
    peak = peak_one = 0
    own = 0.0  # CPU seconds of the main process alone (its workers not counted)
    tick = os.sysconf("SC_CLK_TCK")
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        total, largest = _tree_rss(proc.pid)
        peak, peak_one = max(peak, total), max(peak_one, largest)
        try:
            with open(f"/proc/{proc.pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            own = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.02)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        errors.seek(0)
        raise SystemExit(f"failed: {' '.join(command)}\n{errors.read().decode()[-2000:]}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "main": own,
        "tree": peak / 2**20,
        "max": max(peak_one / 2**20, usage.ru_maxrss / 1024),
        "load": load,
    }


def dump(path: Path) -> str:
    """sha256 of the tables an import writes, without the times it was made at."""
    conn = sqlite3.connect(path)
    digest = hashlib.sha256()
    queries = (
        "SELECT id, participant_id, kind, title, source_name, sha256, encoding, text, position, "
        "guid FROM documents ORDER BY id",
        "SELECT * FROM segments ORDER BY id",
        "SELECT id, document_id, start, end, code_id, coder FROM codings ORDER BY id",
        "SELECT * FROM participants ORDER BY id",
        "SELECT * FROM attributes ORDER BY participant_id, name",
        "SELECT * FROM sentences_pending ORDER BY document_id",
    )
    try:
        for query in queries:
            for row in conn.execute(query):
                digest.update(repr(row).encode())
    finally:
        conn.close()
    return digest.hexdigest()[:16]


def step(goal: str, corpora: Path, code: Path, work: Path) -> tuple[dict[str, float], Path]:
    python = sys.executable
    project = work / f"{goal}.qualcode"
    for leftover in work.glob(f"{goal}.qualcode*"):
        leftover.unlink()
    if goal == "txt2300":
        subprocess.run(
            [python, "-m", "qualcode", "new", str(project)],
            cwd=code,
            env={**os.environ, "PYTHONPATH": str(code)},
            check=True,
            capture_output=True,
        )
        source = corpora / "txt2300"
    else:
        source = corpora / f"corpus-{goal.removeprefix('qdpx')}.qdpx"
    return run([python, "-m", "qualcode", "import", str(project), str(source)], code), project


SENTENCES = """
import time, sys
sys.path.insert(0, {bench!r})
from tui_corpus import make_transcript
from qualcode.models import NewDocument
from qualcode.project import Project
text = make_transcript(50_000)
with Project.create({path!r}) as p:
    ids = p.add_documents([NewDocument("R7", "interview", "long", text),
                           NewDocument("R8", "interview", "long2", text + " Again.")])
    with p.transaction() as conn:
        conn.executemany("INSERT INTO sentences_pending(document_id) VALUES (?)",
                         [(i,) for i in ids])
    t0 = time.perf_counter(); p.ensure_sentences([ids[0]]); t1 = time.perf_counter()
    p.ensure_sentences([ids[1]]); t2 = time.perf_counter()
    n = len(p.segments(ids[0], "sentence"))
print(f"{{len(text.split()):,}} words, {{n:,}} sentences: first document {{t1 - t0:.3f}} s "
      f"(with loading the segmenter), next {{t2 - t1:.3f}} s")
"""


def sentences(code: Path, work: Path) -> str:
    path = work / "sentences.qualcode"
    for leftover in work.glob("sentences.qualcode*"):
        leftover.unlink()
    script = SENTENCES.format(bench=str(HERE / "bench"), path=str(path))
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=code,
        env={**os.environ, "PYTHONPATH": str(code)},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=Path("/work/bench-corpora"))
    parser.add_argument("--baseline", type=Path, help="another checkout to run alternately")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--goals", default="qdpx230,qdpx2300,txt2300,sentences")
    parser.add_argument("--compare", action="store_true", help="check both made the same")
    args = parser.parse_args()
    codes = {"this": HERE}
    if args.baseline:
        codes["baseline"] = args.baseline.resolve()
    print(f"{os.cpu_count()} cores; corpora {args.corpora} (generated); python {sys.version[:6]}")
    for name, code in codes.items():
        commit = subprocess.run(
            ["git", "-C", str(code), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        print(f"  {name}: {code} {commit or '(not a git checkout)'}")
    with tempfile.TemporaryDirectory(prefix="import-goals-") as tmp:
        work = Path(tmp)
        for goal in args.goals.split(","):
            if goal == "sentences":
                for name, code in codes.items():
                    print(f"sentences on demand ({name}): {sentences(code, work)} (goal < 0.3 s)")
                continue
            print(f"{goal} (goal <= {GOALS[goal]:.0f} s wall)")
            print("  code      run   wall s   CPU s  main CPU s  tree MiB  max MiB  load")
            made: dict[str, str] = {}
            for n in range(args.runs):
                for name, code in codes.items():
                    (work / name).mkdir(exist_ok=True)
                    figures, project = step(goal, args.corpora, code, work / name)
                    print(
                        f"  {name:<9} {n + 1:>3} {figures['wall']:8.2f} {figures['cpu']:7.2f} "
                        f"{figures['main']:11.2f} "
                        f"{figures['tree']:9.0f} {figures['max']:8.0f} {figures['load']:5.2f}",
                        flush=True,
                    )
                    if args.compare and n == 0:
                        made[name] = dump(project)
            if args.compare:
                same = len(set(made.values())) == 1
                print(f"  tables: {made} -> {'identical' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()

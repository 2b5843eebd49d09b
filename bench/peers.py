"""qualcode against qc (PyPI `qualitative-coding`, the terminal peer) on the same corpora.

Corpus, per scale (23 / 230 / 2,300 transcripts by default): generated interview
transcripts of about 5,000 words (bench/_corpus.py, seeded; generated data, not real
interviews), one participant each, the 36-code PIF codebook, 65 codings per transcript
(1,495 / 14,950 / 149,500) by two coders on random spans of the 31 subthemes, written
by qualcode as one REFI-QDA .qdpx archive. The generator keeps the truth: per code, how
many documents carry it.

Each step runs as its own process (wall time, CPU user+sys and peak RSS from
/usr/bin/time; the 1-minute load average after each scale is printed beside it, since
wall time on a shared machine depends on it):
- import the .qdpx (qualcode: `qualcode import NEW.qualcode corpus.qdpx`, sentences left
  for later; qc: `qc init --import corpus.qdpx` in an empty folder);
- the frequency table (qualcode: `qualcode freq --format csv`; qc: `qc codes stats
  --unit document --recursive-counts --expanded`);
- co-occurrence (qualcode: `qualcode cooccur --format csv`; qc: `qc codes crosstab
  --unit document --recursive-counts`).
Count check: documents per subtheme as each tool reports it against the truth.

qc runs only with --with-qc, which installs qualitative-coding==1.7.8 into a throwaway
venv (--qc-venv, default under the system temp folder) unless it is there already. qc
1.7.8's .qdpx reader stops at a `breakpoint()` left in its code (refi_qda/reader.py,
unpack_sources); the bench runs it with PYTHONBREAKPOINT=0, which skips it.

Usage: python bench/peers.py [--scales 23,230,2300] [--with-qc] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import transcript  # noqa: E402

from qualcode.codebook import load_codebook  # noqa: E402
from qualcode.facade.codings import NewCoding  # noqa: E402
from qualcode.models import NewDocument  # noqa: E402
from qualcode.project import Project  # noqa: E402

QC_VERSION = "1.7.8"
CODINGS_PER_TRANSCRIPT = 65
QUALCODE = [sys.executable, "-m", "qualcode"]


def make_corpus(folder: Path, transcripts: int, seed: int = 7) -> tuple[Path, dict[str, int]]:
    """corpus-N.qdpx and the truth: subtheme path -> documents coded with it."""
    qdpx = folder / f"corpus-{transcripts}.qdpx"
    truth_file = qdpx.with_suffix(".truth.csv")
    if qdpx.exists() and truth_file.exists():
        with truth_file.open() as handle:
            return qdpx, {r["code"]: int(r["documents"]) for r in csv.DictReader(handle)}
    rng = random.Random(seed)
    path = folder / f"corpus-{transcripts}.qualcode"
    path.unlink(missing_ok=True)
    with Project.create(
        path, codebook=load_codebook(ROOT / "codebooks" / "pif.yaml"), coder="coder1"
    ) as p:
        texts = [transcript(5000, seed=seed * 100_000 + n)[0] for n in range(transcripts)]
        ids = p.add_documents(
            [
                NewDocument(f"P{n + 1}", "interview", f"P{n + 1}", text, f"P{n + 1}.txt")
                for n, text in enumerate(texts)
            ]
        )
        leaves = [c for c in p.codes() if c.depth == 1]
        rows, docs_of = [], {}
        for doc_id, text in zip(ids, texts):
            for _ in range(CODINGS_PER_TRANSCRIPT):
                code = rng.choice(leaves)
                start = rng.randrange(len(text) - 400)
                coder = "coder1" if rng.random() < 0.7 else "coder2"
                rows.append(NewCoding(doc_id, start, start + rng.randint(50, 400), code.id, coder))
                docs_of.setdefault(code.path, set()).add(doc_id)
        p.add_codings(rows)
        p.export_qdpx(qdpx)
    path.unlink()
    truth = {code: len(docs) for code, docs in docs_of.items()}
    with truth_file.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "documents"])
        writer.writerows(sorted(truth.items()))
    return qdpx, truth


def timed(
    command: list[str], cwd: Path | None = None, env=None, timeout: float | None = None
) -> tuple[float, float, str, float]:
    """(wall seconds, peak RSS MiB, stdout, CPU seconds user+sys) of one process, via
    /usr/bin/time. CPU is the figure to compare on a shared machine. A process still
    running after `timeout` seconds is stopped: (inf, nan, "", inf)."""
    # Its own session, so that a timeout stops the tool itself, not only /usr/bin/time.
    proc = subprocess.Popen(
        ["/usr/bin/time", "-f", "TIME %e %M %U %S", *command],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return float("inf"), float("nan"), "", float("inf")
    result = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stderr[-2000:]}")
    match = re.search(r"TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)", result.stderr)
    cpu = float(match[3]) + float(match[4])
    return float(match[1]), int(match[2]) / 1024, result.stdout, cpu


def qualcode_steps(work: Path, qdpx: Path) -> tuple[dict, dict[str, int]]:
    project = work / "qualcode.qualcode"
    project.unlink(missing_ok=True)
    steps = {"import": timed([*QUALCODE, "import", str(project), str(qdpx)])}
    steps["freq"] = timed([*QUALCODE, "freq", str(project), "--format", "csv"])
    steps["cooccur"] = timed([*QUALCODE, "cooccur", str(project), "--format", "csv"])
    rows = csv.DictReader(io.StringIO(steps["freq"][2]))
    counts = {r["code"]: int(r["documents"]) for r in rows if r["depth"] == "1"}
    return steps, counts


def qc_venv(where: Path) -> Path:
    qc = where / "bin" / "qc"
    if not qc.exists():
        print(f"installing qualitative-coding=={QC_VERSION} into {where} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
        subprocess.run(
            [str(where / "bin" / "pip"), "install", "-q", f"qualitative-coding=={QC_VERSION}"],
            check=True,
        )
    return qc


def qc_steps(qc: Path, work: Path, qdpx: Path, limit: float) -> tuple[dict, dict[str, int]]:
    folder = work / "qc"
    if folder.exists():
        subprocess.run(["rm", "-rf", str(folder)], check=True)
    folder.mkdir()
    env = {**os.environ, "NO_COLOR": "1", "PYTHONBREAKPOINT": "0"}
    steps = {
        "import": timed(
            [str(qc), "init", "--import", str(qdpx)], cwd=folder, env=env, timeout=limit
        )
    }
    stats = [str(qc), "codes", "stats", "--unit", "document", "--recursive-counts", "--expanded"]
    steps["freq"] = timed([*stats, "--format", "tsv"], cwd=folder, env=env, timeout=limit)
    crosstab = [str(qc), "codes", "crosstab", "--unit", "document", "--recursive-counts"]
    steps["cooccur"] = timed(crosstab, cwd=folder, env=env, timeout=limit)
    counts = {}
    for line in steps["freq"][2].splitlines():
        cells = line.split("\t")
        if len(cells) >= 2 and cells[-1].strip().isdigit() and ":" in cells[0]:
            counts[cells[0].strip().replace(":", "/")] = int(cells[-1])
    return steps, counts


def check(counts: dict[str, int], truth: dict[str, int]) -> str:
    wrong = [c for c in truth if counts.get(c) != truth[c]]
    if not wrong:
        return f"{len(truth)}/{len(truth)} codes right"
    c = wrong[0]
    return f"{len(truth) - len(wrong)}/{len(truth)} right (e.g. {c}: {counts.get(c)} != {truth[c]})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="23,230,2300")
    parser.add_argument("--with-qc", action="store_true", help="Also run qc (installs it).")
    parser.add_argument(
        "--qc-venv", type=Path, default=Path(tempfile.gettempdir()) / "qualcode-peers-qc-venv"
    )
    parser.add_argument(
        "--qc-timeout",
        type=float,
        default=600.0,
        help="Stop a qc step after this many seconds (printed as inf).",
    )
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the corpora here.")
    args = parser.parse_args()
    qc = qc_venv(args.qc_venv) if args.with_qc else None
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(
            "generated corpora (bench/_corpus.py: ~5,000-word transcripts, not real interviews); "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        head = (
            f"{'transcripts':>11} {'step':<8} {'qc wall':>8} {'qc CPU':>7} {'qc MiB':>7} "
            f"{'qualcode wall':>13} {'CPU':>6} {'MiB':>5} {'ratio wall':>10} {'ratio CPU':>9} "
            f"{'load':>5}"
        )
        print(head)
        checks = []
        for scale in [int(n) for n in args.scales.split(",") if n]:
            start = time.perf_counter()
            qdpx, truth = make_corpus(folder, scale)
            made = time.perf_counter() - start
            ours, our_counts = qualcode_steps(folder, qdpx)
            theirs, their_counts = qc_steps(qc, folder, qdpx, args.qc_timeout) if qc else ({}, {})
            load = os.getloadavg()[0]
            for step in ("import", "freq", "cooccur"):
                wall, mib, _, cpu = ours[step]
                if step in theirs:
                    qc_wall, qc_mib, _, qc_cpu = theirs[step]
                    peer = f"{qc_wall:8.2f} {qc_cpu:7.2f} {qc_mib:7.0f}"
                    ratio = f"{qc_wall / wall:9.1f}x {qc_cpu / cpu:8.1f}x"
                else:
                    peer, ratio = f"{'-':>8} {'-':>7} {'-':>7}", f"{'-':>10} {'-':>9}"
                print(
                    f"{scale:>11,} {step:<8} {peer} {wall:13.2f} {cpu:6.2f} {mib:5.0f} {ratio} "
                    f"{load:5.1f}"
                )
            size = qdpx.stat().st_size / 1e6
            checks.append(
                f"{scale:,} transcripts ({sum(1 for _ in truth)} subthemes, {size:.0f} MB .qdpx, "
                f"made in {made:.0f} s): qualcode {check(our_counts, truth)}"
                + (f"; qc {check(their_counts, truth)}" if qc else "")
            )
        print("count check, documents per subtheme against the generator's truth:")
        for line in checks:
            print("  " + line)


if __name__ == "__main__":
    main()

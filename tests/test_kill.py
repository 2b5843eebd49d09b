"""SIGKILL at random moments (issue 18 acceptance): a coding process and an import process
are killed again and again while they write. Every coding a process acknowledged (printed
after add_coding returned) must be in the project, and an import is all or nothing: a batch
of IMPORT_FILES documents is in whole or not at all, with no segment or participant left
from a half-import. The writers are forked from the test process (qualcode already
imported, so a kill cycle costs milliseconds, not an interpreter start) and open their own
connection; KILLS_CODING + KILLS_IMPORT kills in all."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

from qualcode.models import NewDocument
from qualcode.project import Project

KILLS_CODING = int(os.environ.get("QUALCODE_KILLS_CODING", "40"))
KILLS_IMPORT = int(os.environ.get("QUALCODE_KILLS_IMPORT", "20"))
IMPORT_FILES = 8


def code_forever(out, path: Path, n: int) -> None:
    p = Project.open(path, daily_backup=False)
    out.write("ready\n")
    for i in range(1_000_000):
        start = (n * 7919 + i * 13) % 1900
        coding = p.add_coding(1, start, start + 5, "Theme", coder=f"k{n}")
        out.write(f"{coding.id}\n")  # line-buffered: written once add_coding has returned


def import_batch(out, path: Path, batch: Path, pid: str) -> None:
    p = Project.open(path, daily_backup=False)
    out.write("ready\n")
    report = p.import_files(sorted(batch.glob("*.txt")), participant=pid, sentences=False)
    out.write(f"imported {len(report.files)}\n")


def forked(target, *args):
    """Run target(out, *args) in a forked child; (pid, the parent's end of its output)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        try:
            with os.fdopen(write, "w", buffering=1) as out:
                target(out, *args)
        finally:
            os._exit(0)
    os.close(write)
    return pid, os.fdopen(read)


def run_and_kill(rng: random.Random, most: float, target, *args) -> list[str]:
    """Start the writer, let it write for a random moment up to `most` seconds, SIGKILL it;
    the lines it wrote (what it acknowledged)."""
    pid, out = forked(target, *args)
    with out:
        assert out.readline().strip() == "ready"
        time.sleep(rng.uniform(0, most))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return out.read().split("\n")


def test_killed_coders_lose_no_acknowledged_coding(tmp_path):
    path = tmp_path / "k.qualcode"
    with Project.create(path, coder="t") as p:
        p.add_code("Theme")
        text = " ".join(f"w{i:03d}" for i in range(400))  # 2,000 characters
        p.add_documents([NewDocument("R1", "interview", "R1", text, "R1.txt", "sha-r1")])
    rng = random.Random(18)
    acknowledged: set[int] = set()
    for n in range(KILLS_CODING):
        lines = run_and_kill(rng, 0.15, code_forever, path, n)
        acknowledged |= {int(x) for x in lines if x.strip().isdigit()}
    with Project.open(path, daily_backup=False) as p:
        stored = {c.id for c in p.codings()}
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert acknowledged, "nothing acknowledged before the kills: the test proved nothing"
    assert acknowledged <= stored, f"lost {len(acknowledged - stored)} acknowledged coding(s)"
    print(
        f"{KILLS_CODING} kills while coding: {len(acknowledged)} acknowledged codings, all stored"
    )


def test_killed_imports_are_all_or_nothing(tmp_path):
    path = tmp_path / "i.qualcode"
    Project.create(path, coder="t").close()
    batch = tmp_path / "batch"
    batch.mkdir()
    for f in range(IMPORT_FILES):
        body = "\n\n".join(f"R: answer {f} part {j}, about the elective." for j in range(200))
        (batch / f"f{f}.txt").write_text(f"Interviewer: question {f}?\n\n{body}\n")
    started = time.monotonic()  # one import unkilled: how long the kill window should be
    pid, out = forked(import_batch, path, batch, "P0")
    with out:
        lines = out.read().split("\n")
    os.waitpid(pid, 0)
    assert f"imported {IMPORT_FILES}" in lines
    window = 2 * (time.monotonic() - started)
    rng = random.Random(19)
    outcomes = {"whole": 0, "nothing": 0}
    for n in range(1, KILLS_IMPORT + 1):
        # The same files under a new participant each time (same texts are refused as duplicates,
        # so each batch gets its own first line).
        for f in range(IMPORT_FILES):
            file = batch / f"f{f}.txt"
            lines_ = file.read_text().split("\n", 1)
            file.write_text(f"Interviewer: question {f} of round {n}?\n{lines_[1]}")
        lines = run_and_kill(rng, window, import_batch, path, batch, f"P{n}")
        with Project.open(path, daily_backup=False) as p:
            docs = p.db.execute(
                "SELECT count(*) FROM documents d JOIN participants q ON q.id = d.participant_id "
                "WHERE q.pid = ?",
                [f"P{n}"],
            ).fetchone()[0]
            assert docs in (0, IMPORT_FILES), f"half an import: {docs} of {IMPORT_FILES}"
            if f"imported {IMPORT_FILES}" in lines:
                assert docs == IMPORT_FILES, "an acknowledged import is missing"
            orphans = p.db.execute(
                "SELECT (SELECT count(*) FROM segments WHERE document_id NOT IN "
                "(SELECT id FROM documents)) + (SELECT count(*) FROM participants q WHERE NOT "
                "EXISTS (SELECT 1 FROM documents d WHERE d.participant_id = q.id))"
            ).fetchone()[0]
            assert orphans == 0
        outcomes["whole" if docs else "nothing"] += 1
    print(f"kills during import: {outcomes}")

"""A batch of files read across worker processes (qualcode.ingest.batch and .workers):
the import stores exactly what one process stores, a bad file in a worker's share is
reported as in one process with nothing stored, and a worker that fails is replaced by
this process. Inputs: the sample corpus (written for qualcode) and files made here."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from qualcode.errors import ImportError_
from qualcode.ingest import batch, workers
from qualcode.project import Project

SAMPLE = ROOT / "sample_transcripts" / "interviews"


@pytest.fixture
def folder(tmp_path) -> Path:
    """The sample interviews, plus a cp1252 file, a timestamped one, captions and a .md."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLE, folder)
    (folder / "R30_interview.txt").write_bytes(
        "Interviewer: Why?\r\n\r\nR30: Café culture, naïve.\r\n".encode("cp1252")
    )
    (folder / "R31_interview.txt").write_text(
        "[00:00:05] Interviewer: Hello.\n[00:00:09] R31: Hi there.\n\nNot a turn.\n",
        encoding="utf-8",
    )
    (folder / "R32_call.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>How was it?\n\n"
        "00:00:04.500 --> 00:00:08.000\n<v R32>Long days.\n",
        encoding="utf-8",
    )
    (folder / "R33_notes.md").write_text("**Interviewer:** Next?\n\n**R33:** Done.\n")
    return folder


def files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def parallel(monkeypatch, workers_: int = 2) -> None:
    """Every batch shared between `workers_` processes, however small."""
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(batch, "workers_available", lambda: workers_)


def fields(outcome):
    if isinstance(outcome, str):
        return outcome
    rows = [(s.start, s.end, s.kind, s.speaker, s.t_start, s.t_end) for s in outcome.segments]
    return (
        outcome.path,
        outcome.title,
        outcome.source_name,
        outcome.text,
        outcome.encoding,
        outcome.sha256,
        outcome.turns,
        outcome.paragraphs,
        outcome.notes,
        rows,
    )


def test_workers_read_what_this_process_reads(folder, monkeypatch):
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    paths = files_of(folder)
    here = batch.read_sources(paths, 10**7, workers=1)
    there = batch.read_sources(paths, 10**7, workers=3)
    assert [fields(o) for o in there] == [fields(o) for o in here]
    assert len(here) == 27
    assert sum(o.turns for o in here) > 300
    assert {o.encoding for o in here} >= {"utf-8", "cp1252"}
    assert any(s.t_start == 5.0 for o in here for s in o.segments)  # timestamps kept


def dump(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {
            "documents": conn.execute(
                "SELECT id, participant_id, kind, title, source_name, sha256, encoding, text, "
                "position FROM documents ORDER BY id"
            ).fetchall(),
            "segments": conn.execute("SELECT * FROM segments ORDER BY id").fetchall(),
            # (not the GUIDs: each new participant is given a fresh one)
            "participants": conn.execute(
                "SELECT id, pid, label FROM participants ORDER BY id"
            ).fetchall(),
            "pending": conn.execute("SELECT * FROM sentences_pending").fetchall(),
        }
    finally:
        conn.close()


@pytest.mark.parametrize("sentences", ["later", "no"])
def test_an_import_shared_with_workers_stores_the_same(folder, tmp_path, monkeypatch, sentences):
    from qualcode.ingest.participant_names import participants_for

    paths = files_of(folder)
    found = {}
    for way in ("here", "there"):
        if way == "there":
            parallel(monkeypatch)
        path = tmp_path / f"{way}.qualcode"
        with Project.create(path) as project:
            report = project.import_files(
                paths, sentences=sentences, participant_of=participants_for(paths, None, None)
            )
        found[way] = (dump(path), report.lines())
    assert found["there"] == found["here"]
    tables, lines = found["here"]
    assert len(tables["documents"]) == 27
    assert len(tables["segments"]) > 600
    assert any("cp1252" in line and "R30_interview.txt" in line for line in lines)


def test_a_bad_file_in_a_workers_share_stores_nothing(folder, tmp_path, monkeypatch):
    parallel(monkeypatch)
    (folder / "R99_interview.txt").write_bytes(b"   \n")  # last: read by the worker
    paths = files_of(folder)
    paths.sort(key=lambda p: p.name == "R99_interview.txt")
    path = tmp_path / "p.qualcode"
    with Project.create(path) as project:
        with pytest.raises(ImportError_) as caught:
            project.import_files(paths, participant="R1")
        assert str(caught.value) == (
            "R99_interview.txt: the file is empty (no text to import) (nothing imported)"
        )
        assert project.summary()["documents"] == 0
    assert dump(path)["segments"] == []


def test_every_bad_file_is_listed_whichever_process_read_it(folder, tmp_path, monkeypatch):
    parallel(monkeypatch)
    (folder / "A0_first.txt").write_bytes(b"\x00\x01\x02\x03binary\x00\x00" * 10)
    (folder / "Z9_last.txt").write_bytes(b"")
    paths = sorted(files_of(folder))
    with Project.create(tmp_path / "p.qualcode") as project:
        with pytest.raises(ImportError_) as caught:
            project.import_files(paths, participant="R1")
        lines = str(caught.value).splitlines()
        assert lines[0] == "nothing imported: 2 problems in a batch of 29 files"
        assert lines[1].startswith("  A0_first.txt: ")
        assert lines[2] == "  Z9_last.txt: the file is empty (no text to import)"
        assert project.summary()["documents"] == 0


def test_a_worker_that_cannot_start_is_replaced_by_this_process(folder, monkeypatch):
    paths = files_of(folder)
    here = [fields(o) for o in batch.read_sources(paths, 10**7, workers=1)]
    monkeypatch.setattr(batch, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert [fields(o) for o in batch.read_sources(paths, 10**7, workers=2)] == here


def _pids(items: list) -> list:
    """(pid of the process that did the item, what it made of it); items are
    (this test's pid, how a worker should fail: "", "crash" or "short", value)."""
    parent = items[0][0]
    here = os.getpid() == parent
    if not here and items[0][1] == "crash":
        raise SystemExit(3)
    if not here and items[0][1] == "short":
        return []
    return [(os.getpid(), value * 2) for _, _, value in items]


@pytest.mark.parametrize("failure", ["", "crash", "short"])
def test_a_worker_that_fails_or_answers_wrongly_is_replaced(monkeypatch, failure):
    tests = str(Path(__file__).parent)
    monkeypatch.syspath_prepend(tests)
    monkeypatch.setenv("PYTHONPATH", tests)  # the workers find this module's _pids
    items = [(os.getpid(), failure, n) for n in range(10)]
    done = workers.run_shared(_pids, items, [1] * 10, 2)
    assert [value for _, value in done] == [n * 2 for n in range(10)]
    pids = [pid for pid, _ in done]
    assert pids[:5] == [os.getpid()] * 5  # the first share is done here
    if failure:
        assert pids[5:] == [os.getpid()] * 5
    else:
        assert os.getpid() not in pids[5:]  # by the worker


def test_shares_keep_the_order_and_balance():
    items = ["a" * n for n in (10, 10, 10, 10, 40, 10, 10)]
    cut = workers.shares(items, [len(t) for t in items], 2)
    assert [t for share in cut for t in share] == items
    assert [sum(map(len, s)) for s in cut] == [40, 60]
    assert workers.shares([], [], 3) == [[]]
    assert len(workers.shares(items, [1] * 7, 10)) == 7

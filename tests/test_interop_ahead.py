"""Turns and paragraphs of a .qdpx's texts found by a worker while project.qde is read
(qualcode/interop/qdpx_ahead.py): the same segments as found here, for texts in every
form the reader accepts; whatever the worker does not give is found here; bad archives
are refused as before. Archives are made here from the sample corpus (written for
qualcode) and small texts of our own."""

from __future__ import annotations

import sqlite3
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from interop_support import GUID_A, GUID_U, make_qdpx, project_xml

from qualcode.errors import InteropError
from qualcode.ingest.structure import structure
from qualcode.interop import qdpx_ahead
from qualcode.interop.qdpx import read_qdpx
from qualcode.interop.safezip import DEFAULT_LIMITS
from qualcode.project import Project

SAMPLE = ROOT / "sample_transcripts" / "interviews"


def guid(n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"qualcode-test-{n}"))


def source_xml(n: int, name: str, inline: str | None = None, coded: bool = False) -> str:
    selections = (
        f'<PlainTextSelection guid="{guid(1000 + n)}" startPosition="0" endPosition="4">'
        f'<Coding guid="{guid(2000 + n)}" creatingUser="{GUID_U}">'
        f'<CodeRef targetGUID="{GUID_A}"/></Coding></PlainTextSelection>'
        if coded
        else ""
    )
    if inline is not None:
        return (
            f'<TextSource guid="{guid(n)}" name="{name}">'
            f"<PlainTextContent>{inline}</PlainTextContent>{selections}</TextSource>"
        )
    return (
        f'<TextSource guid="{guid(n)}" name="{name}" plainTextPath="internal://{guid(n)}.txt">'
        f"{selections}</TextSource>"
    )


@pytest.fixture
def archive(tmp_path) -> Path:
    """The sample interviews as sources/*.txt, plus texts in UTF-8 with BOM, UTF-16,
    CRLF, NFD, with a NUL and an astral character, one inline and one file missing."""
    files: dict[str, bytes] = {}
    sources = []
    for n, path in enumerate(sorted(SAMPLE.iterdir())):
        files[f"sources/{guid(n)}.txt"] = path.read_bytes()
        sources.append(source_xml(n, path.stem, coded=n % 3 == 0))
    extras = {
        "bom": b"\xef\xbb\xbfInterviewer: Hi.\n\nR40: Hello.\n",
        "utf16": "Interviewer: Café?\n\nR41: Oui.\n".encode("utf-16"),
        "crlf": b"Interviewer: One.\r\n\r\nR42: Two, three.\r\n",
        "nfd": "Interviewer: Cafe\u0301?\n\nR43: Sí.\n".encode(),
        "nul": b"Interviewer: A\x00B.\n\nR44: C.\n",
        "astral": "Interviewer: \U0001f600 ok?\n\nR45: Yes.\n".encode(),
    }
    for n, (name, data) in enumerate(extras.items(), start=100):
        files[f"sources/{guid(n)}.txt"] = data
        sources.append(source_xml(n, name, coded=True))
    sources.append(source_xml(200, "inline", inline="Interviewer: Inline?\n\nR46: Yes."))
    sources.append(source_xml(201, "missing"))  # no file: listed as not imported
    files["sources/unused.txt"] = b"Not a source of the project.\n"
    return make_qdpx(tmp_path / "a.qdpx", project_xml("".join(sources)), files)


def rows(packed):
    return [(s.start, s.end, s.kind, s.speaker, s.t_start, s.t_end) for s in packed]


@pytest.fixture
def here_only(monkeypatch) -> list[str]:
    """The texts structured in this process (not by the worker), recorded."""
    done: list[str] = []
    original = qdpx_ahead.structures

    def recording(texts):
        done.extend(texts)
        return original(texts)

    monkeypatch.setattr(qdpx_ahead, "structures", recording)
    monkeypatch.setattr(qdpx_ahead, "PARALLEL_MIN_BYTES", 0)
    return done


def structures_of(archive: Path, workers: int, change=None):
    ahead = qdpx_ahead.StructuresAhead(archive, DEFAULT_LIMITS, workers=workers)
    try:
        refi = read_qdpx(archive)
        if change:
            change(refi)
        return refi, ahead.structures(refi.sources)
    finally:
        ahead.stop()


def test_the_worker_finds_what_this_process_finds(archive, here_only):
    refi, found = structures_of(archive, workers=2)
    assert len(refi.sources) == 23 + 6 + 1
    assert [rows(p) for p in found] == [rows(structure(s.text)) for s in refi.sources]
    assert here_only == ["Interviewer: Inline?\n\nR46: Yes."]  # the rest came from the worker
    texts = {s.name: s.text for s in refi.sources}
    assert texts["crlf"] == "Interviewer: One.\n\nR42: Two, three.\n"
    assert texts["nfd"].startswith("Interviewer: Café?")
    assert "\ufffd" in texts["nul"]
    assert sum(1 for p in found for s in p if s.kind == "turn") > 300


def test_without_a_worker_everything_is_found_here(archive, here_only):
    refi, found = structures_of(archive, workers=1)
    assert [rows(p) for p in found] == [rows(structure(s.text)) for s in refi.sources]
    assert len(here_only) == len(refi.sources)


def test_a_text_unlike_the_workers_is_structured_here(archive, here_only):
    def change(refi):
        refi.sources[0].text = "Interviewer: Changed.\n\nR1: Yes."

    refi, found = structures_of(archive, workers=2, change=change)
    assert rows(found[0]) == rows(structure("Interviewer: Changed.\n\nR1: Yes."))
    assert here_only == ["Interviewer: Changed.\n\nR1: Yes.", "Interviewer: Inline?\n\nR46: Yes."]


def test_a_worker_that_cannot_start_is_replaced_by_this_process(archive, here_only, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    refi, found = structures_of(archive, workers=2)
    assert [rows(p) for p in found] == [rows(structure(s.text)) for s in refi.sources]


def dump(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {
            "documents": conn.execute(
                "SELECT id, participant_id, kind, title, text, position, guid FROM documents"
            ).fetchall(),
            "segments": conn.execute("SELECT * FROM segments ORDER BY id").fetchall(),
            "codings": conn.execute(
                'SELECT id, document_id, start, "end", code_id, coder FROM codings'
            ).fetchall(),
        }
    finally:
        conn.close()


def test_an_import_with_the_worker_stores_the_same(archive, tmp_path, monkeypatch, here_only):
    made = {}
    for workers in (1, 2):
        monkeypatch.setattr(qdpx_ahead, "workers_available", lambda workers=workers: workers)
        path = tmp_path / f"w{workers}.qualcode"
        with Project.create(path) as project:
            summary = project.import_qdpx(archive, sentences="later")
        made[workers] = (dump(path), summary.lines())
    assert made[2] == made[1]
    tables, lines = made[1]
    assert len(tables["documents"]) == 30
    assert len(tables["codings"]) == 8 + 6
    assert any("missing" in line for line in lines)


def test_a_bad_text_is_refused_as_without_the_worker(archive, tmp_path, here_only):
    with zipfile.ZipFile(archive) as old:
        files = {i.filename: old.read(i) for i in old.infolist()}
    files[f"sources/{guid(3)}.txt"] = b"Interviewer: \xc3( bad"
    bad = make_qdpx(tmp_path / "bad.qdpx", files.pop("project.qde"), files)
    with Project.create(tmp_path / "p.qualcode") as project:
        with pytest.raises(InteropError) as caught:
            project.import_qdpx(bad)
        assert str(caught.value) == (
            f"bad.qdpx:project.qde: text source '{sorted(SAMPLE.iterdir())[3].stem}' is not "
            "valid UTF-8 text (byte 13)"
        )
        assert project.summary()["documents"] == 0


def test_not_an_archive_is_refused_as_before(tmp_path, here_only):
    path = tmp_path / "x.qdpx"
    path.write_bytes(b"not a zip" * 1000)
    with Project.create(tmp_path / "p.qualcode") as project:
        with pytest.raises(InteropError, match=r"^x.qdpx: not a valid ZIP archive"):
            project.import_qdpx(path)

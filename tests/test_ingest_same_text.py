"""The same transcript again in another encoding or with other line endings is refused,
in every import path (files, folders, manifest; the workbench dialog calls import_files),
and nothing of the batch is stored."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import ImportError_
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def files(tmp_path):
    (tmp_path / "P7_short.txt").write_bytes("P7: Oké.\n".encode("cp1252"))
    (tmp_path / "P7_utf8.txt").write_bytes("P7: Oké.\n".encode())
    (tmp_path / "P7_crlf.txt").write_bytes("P7: Oké.\r\n".encode())
    (tmp_path / "R8.txt").write_bytes(b"R8: Other words.\n")
    path = tmp_path / "e.qualcode"
    Project.create(path, coder="t").close()
    return tmp_path, path


def count(path) -> int:
    with Project.open(path) as p:
        return len(p.documents())


def test_same_text_other_encoding_or_line_endings_is_refused(files):
    folder, path = files
    r = run("import", path, folder / "P7_short.txt", "--encoding", "cp1252")
    assert r.exit_code == 0, r.output
    with Project.open(path) as p:
        stored = p.document(1).text
    assert stored == "P7: Oké.\n"
    for name in ("P7_utf8.txt", "P7_crlf.txt"):
        r = run("import", path, folder / name, folder / "R8.txt")
        assert r.exit_code == 1
        assert (
            f"{name}: same text as document 1 'P7_short' (imported from P7_short.txt) once "
            "decoded (another encoding or other line endings): already in the project"
        ) in r.output
        assert count(path) == 1  # all-or-nothing: R8 was not stored either
    manifest = folder / "m.csv"
    manifest.write_text("participant,file,kind\nP7,P7_crlf.txt,interview\n")
    r = run("import", path, "--manifest", manifest)
    assert r.exit_code == 1 and "P7_crlf.txt: same text as document 1" in r.output
    assert count(path) == 1


def test_same_text_twice_in_one_batch_and_in_a_folder(files, tmp_path):
    folder, path = files
    sub = tmp_path / "batch"
    sub.mkdir()
    for name in ("P7_utf8.txt", "P7_crlf.txt"):
        (sub / name).write_bytes((folder / name).read_bytes())
    r = run("import", path, sub)
    assert r.exit_code == 1 and "same text as" in r.output and "in this batch" in r.output
    assert count(path) == 0
    with Project.open(path) as p, pytest.raises(ImportError_, match="same text as"):
        p.import_files([folder / "P7_utf8.txt", folder / "P7_crlf.txt"], participant="P7")
    # different text is imported as before
    r = run("import", path, folder / "P7_utf8.txt", folder / "R8.txt")
    assert r.exit_code == 0 and count(path) == 2

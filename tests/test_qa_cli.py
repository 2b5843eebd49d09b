"""Regressions found by using the command line as a researcher would (QA pass)."""

import sqlite3

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def count(db_path, table):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "p.qualcode"
    Project.create(path).close()
    return path


def test_folder_import_names_the_files_it_skips(project_path, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "R1.txt").write_text("Interviewer: Hello.\nR1: Hi there.\n")
    (folder / "ID2.odt").write_bytes(b"PK\x03\x04")
    (folder / "cases.csv").write_text("a,b\n")
    r = run("import", project_path, folder)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == (
        f"note: {folder}: skipped 2 file(s) of a type qualcode does not import "
        "(.docx, .md, .srt, .txt, .vtt): cases.csv, ID2.odt"
    )
    assert count(project_path, "documents") == 1

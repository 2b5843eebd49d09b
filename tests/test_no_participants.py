"""A project whose documents belong to no participant (a REFI-QDA import without cases,
files with no id in their name): the tables say n/a, never 0/0 (0.0%), and say why; the
import says how to give the documents participants; set-document finds a document by
the name the listing shows, with or without its suffix."""

from __future__ import annotations

import docx
import openpyxl
from click.testing import CliRunner
from interop_support import QC_120
from shared_fixtures import need

from qualcode.cli import main
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_refi_project_without_cases(tmp_path):
    path = tmp_path / "qc.qualcode"
    r = run("import", path, need(QC_120))
    assert r.exit_code == 0, r.output
    assert (
        "note: 3 documents with no participant (admin.txt, teacher.txt, board_member.txt): "
        "the frequency tables count participants, so these count for nobody"
    ) in r.output
    assert (
        f"  give each its participant: qualcode set-document {path} admin.txt --participant ID"
        in (r.output)
    )
    md = run("freq", path, "--format", "md").output
    assert "0/0" not in md and "0.0%" not in md
    first = next(line for line in md.splitlines() if "rq1\\_definition" in line)
    with Project.open(path) as p:
        codings = p.frequencies().set_index("code").loc["rq1_definition", "codings"]
    assert first == f"| **rq1\\_definition** | n/a | {codings} | 3 | n/a |"
    assert "No document in scope belongs to a participant" in md
    tex = run("freq", path, "--format", "latex").output
    assert "0/0" not in tex and "No document in scope belongs to a participant" in tex
    out = tmp_path / "f.docx"
    assert run("freq", path, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    cells = [c.text for c in document.tables[0].rows[1].cells]
    assert cells[1] == "n/a" and not any("0/0" in c for c in cells)
    out = tmp_path / "f.xlsx"
    assert run("freq", path, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Table"]
    values = [c.value for c in next(r for r in sheet.iter_rows() if r[0].value == "rq1_definition")]
    assert "n/a" in values
    terminal = run("freq", path).output
    assert "participants cannot be counted" in terminal and " 0.0 " not in terminal
    # the listing shows admin.txt; a reader types it, or admin, in any case
    r = run("set-document", path, "admin", "--participant", "ADMIN")
    assert r.exit_code == 0 and r.output == "1: ADMIN interview 'admin.txt'\n"
    r = run("set-document", path, "Teacher.TXT", "--participant", "T1")
    assert r.exit_code == 0 and r.output == "2: T1 interview 'teacher.txt'\n"
    r = run("set-document", path, "nobody", "--participant", "X")
    assert r.exit_code == 1 and "no document named 'nobody'" in r.output
    md = run("freq", path, "--format", "md").output
    assert "| **rq1\\_definition** | " in md and "N=2" in md
    r = run("import", path, need(QC_120))  # nothing new: no new note
    assert "with no participant" not in r.output

"""Small CLI failures: `memo P --on project "TEXT"` stored nothing (the text was taken as
the project's id), and `undo --entry N` of an added code that a later coding uses failed
with "FOREIGN KEY constraint failed" instead of naming the later entry."""

from __future__ import annotations

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _project(tmp_path):
    path = tmp_path / "p.qualcode"
    with Project.create(path, coder="ana") as p:
        p.add_documents([NewDocument("R1", "interview", "R1", "The ward was busy today.")])
        p.set_backups_keep(0)
    return path


def test_memo_on_project_stores_the_text(tmp_path):
    path = _project(tmp_path)
    r = run("memo", path, "--on", "project", "Field note: the ward was loud")
    assert r.exit_code == 0, r.output
    assert r.output == "memo 1 on project\n"
    with Project.open(path, daily_backup=False) as p:
        [memo] = p.memos()
        assert (memo.target_type, memo.text) == ("project", "Field note: the ward was loud")


def test_memo_on_project_with_an_id_and_a_text_is_a_one_line_error(tmp_path):
    path = _project(tmp_path)
    r = run("memo", path, "A note", "--on", "project", "X")
    assert r.exit_code == 2
    assert "--on project takes no id ('X')" in r.output
    with Project.open(path, daily_backup=False) as p:
        assert p.memos() == []


def test_undo_of_a_code_used_later_names_the_later_entry(tmp_path):
    path = _project(tmp_path)
    with Project.open(path, daily_backup=False) as p:
        p.add_code("Busy")
        added = p.log()[-1]["id"]
        p.add_coding(1, 4, 8, "Busy")
        coded = p.log()[-1]["id"]
        p.add_code("Busy/Ward")
        child = p.log()[-1]["id"]
    r = run("undo", path, "--entry", added)
    assert r.exit_code == 1
    assert r.output == (
        f"error: cannot undo log entry {added} (add code): entry {coded} (code) codes with "
        "this code; undo it first\n"
    )
    assert run("undo", path, "--entry", coded).exit_code == 0
    r = run("undo", path, "--entry", added)
    assert r.output == (
        f"error: cannot undo log entry {added} (add code): entry {child} (add code) puts a "
        "code under this code; undo it first\n"
    )
    assert run("undo", path, "--entry", child).exit_code == 0
    assert run("undo", path, "--entry", added).exit_code == 0
    with Project.open(path, daily_backup=False) as p:
        assert p.codes() == [] and p.codings() == []

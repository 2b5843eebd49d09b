"""`qualcode config --coder NAME` without a project sets the person's own name, which the
CLI records with their codings in any project, over the project's default coder (tester
report s24 item 2); `--coder` given to a command wins over both."""

from __future__ import annotations

import shutil
import sqlite3

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def stored_coders(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [c for (c,) in conn.execute("SELECT coder FROM codings ORDER BY id")]


def test_user_level_name_then_project_default_then_explicit(tmp_path):
    lead = tmp_path / "lead.qualcode"
    with Project.create(lead, coder="lead") as p:
        p.add_code("Trust")
        p.add_documents([NewDocument("R1", "interview", "R1", "R1: I trust them.")])
    copy = tmp_path / "ben.qualcode"
    shutil.copy(lead, copy)

    r = run("config")
    assert r.exit_code == 0 and "no coder name set for you" in r.output
    assert (
        run("code", copy, "--doc", "R1", "--start", 4, "--end", 11, "--code", "Trust").exit_code
        == 0
    )
    r = run("config", "--coder", "  ben ")
    assert (r.exit_code, r.output.split(" (kept in")[0]) == (0, "your coder name: ben")
    assert (
        run("code", copy, "--doc", "R1", "--start", 0, "--end", 3, "--code", "Trust").exit_code == 0
    )
    assert (
        run(
            "code",
            copy,
            "--doc",
            "R1",
            "--start",
            4,
            "--end",
            9,
            "--code",
            "Trust",
            "--coder",
            "cleo",
        ).exit_code
        == 0
    )
    assert stored_coders(copy) == ["lead", "ben", "cleo"]
    r = run("config", copy)
    assert r.output == (
        "name=lead coder=ben (your name; the project's default is lead) language=en backups=10\n"
    )
    r = run("config", "--coder", " ")
    assert r.exit_code == 2 and "--coder: cannot be empty" in r.output
    r = run("config", "--language", "de")
    assert r.exit_code == 2 and "need a PROJECT" in r.output


def test_every_command_taking_coders_refuses_an_unknown_one_alike(tmp_path):
    path = tmp_path / "two.qualcode"
    with Project.create(path, coder="ana") as p:
        p.add_code("Trust")
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1", "R1: I trust them.")])
        p.add_coding(doc, 4, 11, "Trust", coder="ana")
        p.add_coding(doc, 4, 9, "Trust", coder="ben")
        p.add_coding(doc, 0, 3, "Trust", coder="cleo")
    message = "error: no coder 'coder3' in this project (known: ana, ben, cleo)\n"
    for command in (
        ["agreement", path, "--coders", "ana,coder3"],
        ["agreement", path, "--coders", "ana,ben,coder3"],
        ["disagreements", path, "--coders", "coder3,ben", "--code", "Trust"],
        ["freq", path, "--coder", "coder3"],
        ["excerpts", path, "--code", "Trust", "--coder", "coder3"],
    ):
        r = run(*command)
        assert (r.exit_code, r.output) == (1, message), command
    assert run("agreement", path, "--coders", "ANA,ben").exit_code == 0  # case as stored

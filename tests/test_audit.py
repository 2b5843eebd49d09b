"""The audit trail: one entry per action, in order, written in the change's own
transaction; its before/after rows replay the project to its final state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import audit
from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.errors import QualcodeError
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.undo import AddCoding, MergeCode, MoveCode, RemoveCoding, UndoStack, UpdateCode

PIF = Path(__file__).resolve().parents[1] / "codebooks" / "pif.yaml"


def snapshot(p) -> dict:
    """Every logged row, as the triggers write it: {(table, rowid): row}."""
    state = {}
    for table in audit.LOGGED:
        for rowid, row in p.db.execute(f"SELECT rowid, {audit._json(table, table)} FROM {table}"):
            state[table, rowid] = json.loads(row)
    return state


@pytest.fixture
def session(tmp_path):
    p = Project.create(tmp_path / "s.qualcode", codebook=load_codebook(PIF), coder="ana")
    [doc] = p.add_documents([NewDocument("R1", "interview", "R1 i", "abcdefghij" * 10)])
    p.add_coding(doc, 50, 60, "Empathy", coder="bo")
    yield p, doc
    p.close()


def test_a_scripted_session_replays_from_its_log(session):
    p, doc = session
    start = snapshot(p)
    first = p.log()[-1]["id"]
    stack = UndoStack()
    uncert = p.resolve_code("Leadership/Uncertainty")
    resil = p.resolve_code("Leadership/Resilience")
    empathy = p.resolve_code("Empathy")
    added = stack.run(AddCoding(doc, 0, 20, uncert), p)
    stack.run(AddCoding(doc, 10, 30, resil), p)
    stack.run(RemoveCoding(added.id), p)
    stack.run(UpdateCode(empathy, {"name": "Empathy (felt)"}), p)
    stack.run(MoveCode(empathy, p.resolve_code("Leadership")), p)
    stack.run(MergeCode(uncert, resil), p)
    p.add_memo("check R1 again", "document", doc)
    stack.undo(p)  # the merge
    entries = [e for e in p.log(changes=True) if e["id"] > first]
    assert [e["action"] for e in entries] == [
        "code",
        "code",
        "uncode",
        "rename code",
        "move code",
        "merge codes",
        "add memo",
        "undo merge codes",
    ]
    assert [e["coder"] for e in entries] == ["ana"] * 8
    state = dict(start)
    for entry in entries:
        for change in entry["changes"]:
            key = (change["table"], change["row_id"])
            assert state.get(key) == change["before"]  # each before is what the log left
            if change["after"] is None:
                del state[key]
            else:
                state[key] = change["after"]
    assert state == snapshot(p)
    assert entries[3]["changes"][0]["before"]["name"] == "Empathy"
    assert entries[3]["changes"][0]["after"]["name"] == "Empathy (felt)"


def test_a_refused_change_logs_nothing(session):
    p, doc = session
    before = len(p.log())
    with pytest.raises(QualcodeError):
        p.add_coding(doc, 50, 60, "Empathy", coder="bo")  # an identical coding
    with pytest.raises(RuntimeError), p.transaction() as conn:
        conn.execute("DELETE FROM codings")
        raise RuntimeError("half-way")
    assert len(p.log()) == before and len(p.codings()) == 1


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_log_filters_and_formats(tmp_path):
    path = tmp_path / "c.qualcode"
    assert run("new", path, "--codebook", PIF, "--coder", "ana").exit_code == 0
    (tmp_path / "r.txt").write_text("I felt lost. Then fine.", encoding="utf-8")
    assert run("import", path, tmp_path / "r.txt", "--participant", "R1").exit_code == 0
    for coder, span in (("ana", ("0", "12")), ("bo", ("13", "23"))):
        r = run("code", path, "--doc", "r.txt", "--start", span[0], "--end", span[1],
                "--code", "Empathy", "--coder", coder)  # fmt: skip
        assert r.exit_code == 0, r.output
    r = run("log", path)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert [line.split("  ")[-1] for line in lines] == [
        "load codebook: 36 codes added",
        "import: 1 document added, 1 participant added, 1 participant changed",
        "code: 1 coding added",
        "code: 1 coding added",
    ]
    assert lines[3].split()[3] == "bo"
    r = run("log", path, "--coder", "bo", "--format", "json")
    [entry] = json.loads(r.output)
    assert entry["action"] == "code" and entry["changes"][0]["after"]["start"] == 13
    r = run("log", path, "--since", "2999-01-01")
    assert r.output == "no changes logged\n"
    r = run("log", path, "--since", "yesterday")
    assert r.exit_code == 1 and "not a date" in r.output
    out = tmp_path / "log.csv"
    assert run("log", path, "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "id,at,coder,action,summary"

"""One memo store: a coding's memo written by any path (TUI `m`, `code --memo`,
`memo --on coding N`, a REFI note) is a row of `memos`, seen by every reader; the
schema migration moves the memos of older projects there and keeps every one."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from qualcode import store
from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.undo import RemoveCoding, SetCodingMemo, UndoStack

PIF = Path(__file__).resolve().parents[1] / "codebooks" / "pif.yaml"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _old_project(path: Path) -> None:
    """A schema-2 project as qualcode wrote it before the one store: memos in both places."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for migration in store.MIGRATIONS[:2]:
        migration(conn)
    conn.execute("PRAGMA user_version=2")
    conn.executescript(
        """
        INSERT INTO meta VALUES ('name', 'old'), ('coder', 'ana');
        INSERT INTO participants(id, pid) VALUES (1, 'R1');
        INSERT INTO documents(id, participant_id, title, text, imported_at, position)
            VALUES (1, 1, 'R1 interview', 'I felt lost at first, then I found my feet.', 't', 1);
        INSERT INTO codes(id, name) VALUES (1, 'Uncertainty'), (2, 'Resilience');
        INSERT INTO codings VALUES (1, 1, 0, 19, 1, 'ana', '2024-01-02T00:00:00+00:00', 'lost = unsure');
        INSERT INTO codings VALUES (2, 1, 26, 42, 2, 'bo', '2024-01-03T00:00:00+00:00', NULL);
        INSERT INTO codings VALUES (3, 1, 0, 42, 2, 'bo', '2024-01-04T00:00:00+00:00', '   ');
        INSERT INTO memos(target_type, target_id, title, text, author, created_at)
            VALUES ('coding', 2, 'Q', 'check with R1', 'bo', '2024-02-01'),
                   ('project', NULL, 'Journal', 'first week', 'ana', '2024-02-02');
        """
    )
    conn.close()


def test_migration_moves_coding_memos_into_the_one_store_and_keeps_every_memo(tmp_path):
    path = tmp_path / "old.qualcode"
    _old_project(path)
    with Project.open(path) as p:
        assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        columns = [r[1] for r in p.db.execute("PRAGMA table_info(codings)")]
        assert "memo" not in columns and len(p.codings()) == 3
        memos = sorted((m.target_type, m.target_id, m.title, m.text, m.author) for m in p.memos())
        assert memos == [
            ("coding", 1, None, "lost = unsure", "ana"),
            ("coding", 2, "Q", "check with R1", "bo"),
            ("coding", 3, None, "   ", "bo"),
            ("project", None, "Journal", "first week", "ana"),
        ]
        moved = p.memos("coding", 1)[0]
        assert moved.created_at == "2024-01-02T00:00:00+00:00"
        assert [c.memo for c in p.codings()] == ["lost = unsure", "   ", "check with R1"]


def test_every_path_sees_every_coding_memo(tmp_path):
    path = tmp_path / "p.qualcode"
    p = Project.create(path, codebook=load_codebook(PIF), coder="ana")
    [doc] = p.add_documents([NewDocument("R7", "interview", "R7 i", "I felt lost. Then fine.")])
    p.close()
    r = run("code", path, "--doc", "R7 i", "--start", 0, "--end", 12, "--code", "Empathy",
            "--memo", "from code --memo")  # fmt: skip
    assert r.exit_code == 0, r.output
    r = run("code", path, "--doc", "R7 i", "--start", 13, "--end", 23, "--code", "Empathy")
    assert r.exit_code == 0, r.output
    assert run("memo", path, "--on", "coding", "2", "from memo --on").exit_code == 0
    listing = run("memo", path).output
    assert "from code --memo" in listing and "from memo --on" in listing
    excerpts = run("excerpts", path, "--code", "Empathy").output
    assert "memo: from code --memo" in excerpts and "memo: from memo --on" in excerpts
    out = tmp_path / "codings.csv"
    assert run("export-codings", path, out).exit_code == 0
    with out.open(encoding="utf-8") as handle:
        assert [row["memo"] for row in csv.DictReader(handle)] == [
            "from code --memo",
            "from memo --on",
        ]
    with Project.open(path) as p:
        # what the TUI's codings panel shows, and what `m` edits
        assert p.coding(2).memo == "from memo --on" and p.coding_memo(2) == "from memo --on"
        stack = UndoStack()
        stack.run(SetCodingMemo(2, "edited in the TUI"), p)
        assert [m.text for m in p.memos("coding", 2)] == ["edited in the TUI"]
        stack.undo(p)
        assert [m.text for m in p.memos("coding", 2)] == ["from memo --on"]
        # removing a coding takes its memos along; undo brings back the same rows
        before = p.memos("coding", 1)
        stack.run(RemoveCoding(1), p)
        assert [m.target_id for m in p.memos()] == [2]
        stack.undo(p)
        assert p.memos("coding", 1) == before


def test_merging_codes_keeps_the_memo_of_a_dropped_duplicate(tmp_path):
    p = Project.create(tmp_path / "m.qualcode", codebook=load_codebook(PIF), coder="ana")
    [doc] = p.add_documents([NewDocument("R1", "interview", "d", "abcdefghij" * 3)])
    kept = p.add_coding(doc, 0, 10, "Leadership/Resilience")
    dup = p.add_coding(doc, 0, 10, "Leadership/Uncertainty", memo="on the duplicate")
    from qualcode.undo import MergeCode

    stack = UndoStack()
    stack.run(MergeCode(p.resolve_code("Leadership/Uncertainty"), kept.code_id), p)
    assert [c.id for c in p.codings()] == [kept.id]
    assert [m.text for m in p.memos("coding", kept.id)] == ["on the duplicate"]
    stack.undo(p)
    assert [m.text for m in p.memos("coding", dup.id)] == ["on the duplicate"]
    assert p.memos("coding", kept.id) == []
    p.close()

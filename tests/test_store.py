import sqlite3

import pytest

from qualcode import store
from qualcode.errors import ProjectError
from qualcode.project import Project


def test_new_project_has_current_schema_wal_and_foreign_keys(tmp_path):
    p = Project.create(tmp_path / "a.qualcode")
    assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert p.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert p.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {
        "participants",
        "attributes",
        "documents",
        "segments",
        "codes",
        "codings",
        "memos",
        "trash",
    } <= set(p.db.table_names())


def test_refuses_newer_schema_and_foreign_sqlite(tmp_path):
    path = tmp_path / "future.qualcode"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(ProjectError, match="made by a newer qualcode"):
        Project.open(path)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(ProjectError, match="not a qualcode project"):
        Project.open(other)


def test_missing_and_existing_paths(tmp_path):
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "missing.qualcode")
    Project.create(tmp_path / "x.qualcode").close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "x.qualcode")


def test_failed_transaction_leaves_nothing(project):
    before = len(project.codes())
    with pytest.raises(RuntimeError):
        with project.transaction() as conn:
            conn.execute("INSERT INTO codes(name, position) VALUES ('temp', 99)")
            raise RuntimeError("boom")
    project._codes_cache = None
    assert len(project.codes()) == before


def test_codings_survive_a_killed_process(tmp_path):
    """A coding acknowledged by add_coding is on disk even if the process dies at once."""
    import subprocess
    import sys

    path = tmp_path / "k.qualcode"
    script = f"""
import os
from qualcode.project import Project
from qualcode.models import NewDocument
p = Project.create({str(path)!r})
p.add_code("Theme")
[d] = p.add_documents([NewDocument("R1", "interview", "d", "Some words here.")])
p.add_coding(d, 0, 4, "Theme", coder="x")
os._exit(9)  # no close, no cleanup
"""
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    with Project.open(path) as p:
        assert [(c.start, c.end, c.coder) for c in p.codings()] == [(0, 4, "x")]


def test_version_1_project_is_migrated_forward(tmp_path):
    """A project written by schema 1 opens with the current schema and keeps its data."""
    path = tmp_path / "old.qualcode"
    conn = sqlite3.connect(path)
    for statement in store._V1.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO codes(name, position) VALUES ('Kept', 1)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert "documents_original" in p.db.table_names()
        assert [c.name for c in p.codes()] == ["Kept"]

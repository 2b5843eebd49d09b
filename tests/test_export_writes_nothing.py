"""An export writes nothing to the project (tester report s24 item 5): REFI GUIDs are
given to documents, participants and codes when they are made (schema 11, with a
migration for older rows that is not logged), so `undo` after "merge, export" undoes the
merge, and two exports write the same GUIDs."""

from __future__ import annotations

import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

from click.testing import CliRunner

from qualcode import store
from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project

V10 = Path(__file__).parent / "data" / "schemas" / "v10.qualcode"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def guids_in(qdpx: Path) -> list[str]:
    with zipfile.ZipFile(qdpx) as z:
        xml = z.read("project.qde").decode()
    return re.findall(r'guid="([0-9a-f-]{36})"', xml)


def log_rows(path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return (
            conn.execute("SELECT count(*) FROM log").fetchone()[0],
            conn.execute("SELECT count(*) FROM log_changes").fetchone()[0],
        )


def make(path: Path, coder: str, text: str) -> None:
    with Project.create(path, coder=coder) as p:
        p.add_code("Trust")
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1", text)])
        p.upsert_participants([("R1", "first", {"sex": "F"})])
        p.add_coding(doc, 4, 11, "Trust")
        p.set_backups_keep(0)


def test_rows_get_guids_when_made_and_exports_write_nothing(tmp_path):
    path = tmp_path / "lead.qualcode"
    make(path, "lead", "R1: I trust them.")
    other = tmp_path / "ben.qualcode"
    shutil.copy(path, other)
    with Project.open(other, daily_backup=False) as p:
        p.add_coding(p.documents()[0].id, 0, 3, "Trust", coder="ben")
    with sqlite3.connect(path) as conn:
        for table in ("documents", "participants", "codes"):
            assert (
                conn.execute(f"SELECT count(*) FROM {table} WHERE guid IS NULL").fetchone()[0] == 0
            )

    assert run("merge", path, other).exit_code == 0
    before = log_rows(path)
    first = tmp_path / "a.qdpx"
    assert run("export", path, "--qdpx", first).exit_code == 0
    assert run("export", path, "--qdc", tmp_path / "a.qdc").exit_code == 0
    assert log_rows(path) == before  # no log entry, nothing staged
    r = run("undo", path)
    assert r.exit_code == 0 and r.output.startswith("undid log entry") and "merge" in r.output
    second = tmp_path / "b.qdpx"
    assert run("export", path, "--qdpx", second).exit_code == 0
    with sqlite3.connect(path) as conn:
        stored = {
            g
            for (g,) in conn.execute(
                "SELECT guid FROM documents UNION ALL SELECT guid FROM participants"
            )
        }
    a, b = guids_in(first), guids_in(second)
    assert stored <= set(a) and stored <= set(b)  # the same source and case GUIDs both times


def test_a_v10_project_gets_guids_on_upgrade_without_a_log_entry(tmp_path):
    path = tmp_path / "old.qualcode"
    shutil.copy(V10, path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 10
        assert conn.execute("SELECT count(guid) FROM documents").fetchone()[0] == 0
    before = log_rows(path)
    with Project.open(path, daily_backup=False) as p:
        assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        for table in ("documents", "participants", "codes"):
            missing = p.db.execute(f"SELECT count(*) FROM {table} WHERE guid IS NULL OR guid = ''")
            assert missing.fetchone()[0] == 0, table
        assert p.db.execute("SELECT count(DISTINCT guid) FROM documents").fetchone()[0] == 4
    assert log_rows(path) == before

"""Busy, full, damaged, empty and old project files (issue 18 items 1b and 4): each is one
line naming the file, nothing is half-written, a damaged file takes no writes."""

import os
import random
import sqlite3
import threading
import time

import pytest
from click.testing import CliRunner

from qualcode import store
from qualcode.cli import main
from qualcode.errors import CorruptProjectError, DiskFullError, ProjectBusyError, ProjectError
from qualcode.models import NewDocument
from qualcode.project import Project


def doc(i: int, words: int = 50) -> NewDocument:
    text = " ".join(f"word{i}_{j}" for j in range(words)) + "."
    return NewDocument(f"R{i}", "interview", f"R{i} interview", text, f"R{i}.txt", f"sha{i}")


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture
def filled(tmp_path):
    path = tmp_path / "p.qualcode"
    with Project.create(path, coder="t") as p:
        p.add_code("Theme")
        p.add_documents([doc(i, 400) for i in range(40)])
        p.add_coding(1, 0, 5, "Theme")
    return path


def test_busy_write_is_one_error_and_nothing_written(filled):
    holder = sqlite3.connect(filled, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Project.open(filled) as p:
            p.set_busy_timeout(100)
            with pytest.raises(ProjectBusyError, match=r"p\.qualcode: project busy"):
                p.add_coding(1, 10, 20, "Theme")
            assert not p.db.conn.in_transaction
        code, out = run("code", filled, "--doc", 1, "--start", 10, "--end", 20, "--code", "Theme")
        assert code == 1 and out.startswith(f"error: {filled}: project busy")
        assert "Traceback" not in out and len(out.strip().splitlines()) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Project.open(filled) as p:
        assert [(c.start, c.end) for c in p.codings()] == [(0, 5)]


def test_a_write_waits_for_a_short_lock_instead_of_failing(filled):
    def hold():
        c = sqlite3.connect(filled, isolation_level=None)
        c.execute("BEGIN IMMEDIATE")
        time.sleep(1.0)
        c.execute("ROLLBACK")
        c.close()

    with Project.open(filled) as p:
        assert p.db.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS
        t = threading.Thread(target=hold)
        t.start()
        time.sleep(0.2)
        p.add_coding(1, 10, 20, "Theme")
        t.join()
        assert len(p.codings()) == 2


def damage_middle(path, size: int = 8192, seed: int = 3) -> None:
    rng = random.Random(seed)
    with open(path, "r+b") as f:
        f.seek(os.path.getsize(path) // 2)
        f.write(bytes(rng.randrange(256) for _ in range(size)))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_damaged_project_is_refused_by_every_command_and_takes_no_write(filled, seed):
    damage_middle(filled, seed=seed)
    before = filled.read_bytes()
    with pytest.raises(CorruptProjectError, match="damaged.*qualcode backups"):
        Project.open(filled)
    for args in (
        ["info", filled],
        ["documents", filled],
        ["freq", filled],
        ["code", filled, "--doc", 1, "--start", 0, "--end", 5, "--code", "Theme"],
    ):
        code, out = run(*args)
        assert code == 1, args
        assert out.startswith(f"error: {filled}: the project file is damaged"), out
        assert "Traceback" not in out
    assert filled.read_bytes() == before


def test_damage_seen_mid_session_stops_every_later_write(filled):
    p = Project.open(filled)
    error = sqlite3.DatabaseError("database disk image is malformed")
    error.sqlite_errorcode = 11
    with pytest.raises(CorruptProjectError):
        with p.transaction():
            raise error
    with pytest.raises(CorruptProjectError, match="will not write"):
        p.add_coding(1, 10, 20, "Theme")
    p.close()
    with Project.open(filled) as again:
        assert len(again.codings()) == 1


@pytest.mark.parametrize("command", ["info", "freq", "documents", "import", "code", "open"])
def test_empty_file_is_refused_by_every_command_but_new(tmp_path, command):
    path = tmp_path / "empty.qualcode"
    path.write_bytes(b"")
    extra = {
        "import": [tmp_path / "t.txt"],
        "code": ["--doc", 1, "--start", 0, "--end", 2, "--code", "X"],
    }.get(command, [])
    (tmp_path / "t.txt").write_text("R1: hello there.\n")
    code, out = run(command, path, *extra)
    assert code == 1 and f"{path}: an empty file, not a qualcode project" in out
    assert path.read_bytes() == b""
    code, out = run("new", path)
    assert code == 0, out
    with Project.open(path) as p:
        assert p.summary()["documents"] == 0


def test_foreign_files_are_refused(tmp_path):
    text = tmp_path / "notes.qualcode"
    text.write_text("not a database at all\n" * 100)
    code, out = run("info", text)
    assert code == 1 and out.startswith(f"error: {text}: not a qualcode project")
    empty_sqlite = tmp_path / "e.qualcode"
    sqlite3.connect(empty_sqlite).execute("PRAGMA user_version=0").close()
    empty_sqlite.write_bytes(b"") if empty_sqlite.stat().st_size == 0 else None
    code, out = run("info", empty_sqlite)
    assert code == 1 and "not a qualcode project" in out


def limit_pages(project: Project, extra: int) -> None:
    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count={pages + extra}")


def test_disk_full_is_one_line_and_nothing_half_written(filled):
    with Project.open(filled) as p:
        before = p.summary()
        limit_pages(p, 2)
        with pytest.raises(DiskFullError, match=r"p\.qualcode: disk full"):
            p.add_documents([doc(100 + i, 2000) for i in range(5)])
        assert not p.db.conn.in_transaction
        assert p.summary() == before
        assert p.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        p.db.execute("PRAGMA max_page_count=1073741823")
        p.add_documents([doc(200, 10)])  # space again: writes work
        assert p.summary()["documents"] == before["documents"] + 1


def test_disk_full_from_the_cli_is_one_line(filled, monkeypatch):
    opened = store.open_db

    def small_disk(*a, **k):
        db = opened(*a, **k)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count={pages}")
        return db

    monkeypatch.setattr(store, "open_db", small_disk)
    big = filled.parent / "big.txt"
    big.write_text("R9: " + " ".join(f"w{i}" for i in range(40000)) + ".\n")
    code, out = run("import", filled, big, "--participant", "R9", "--no-sentences")
    assert code == 1 and out.strip().splitlines()[-1].startswith(f"error: {filled}: disk full")
    assert "Traceback" not in out


def test_clean_close_leaves_one_complete_file(filled):
    with Project.open(filled) as p:
        p.add_documents([doc(300, 3000)])
        assert os.path.getsize(f"{filled}-wal") > 0
        other = Project.open(filled)  # a second connection keeps SQLite from removing the WAL
        p.add_coding(1, 30, 40, "Theme")
    other.close()
    wal = filled.parent / f"{filled.name}-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    # The main file alone holds everything.
    copy = filled.parent / "copy.qualcode"
    copy.write_bytes(filled.read_bytes())
    with Project.open(copy) as p:
        assert p.summary()["documents"] == 41 and len(p.codings()) == 2


def test_v1_project_after_pseudonymise_keep_original_opens(tmp_path):
    """Schema-1 qualcode created documents_original itself in `pseudonymise --keep-original`;
    the v2 migration must not fail on it, and the kept originals stay."""
    path = tmp_path / "v1.qualcode"
    conn = sqlite3.connect(path)
    for statement in store._V1.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS documents_original (document_id INTEGER PRIMARY KEY "
        "REFERENCES documents(id) ON DELETE CASCADE, text TEXT NOT NULL, saved_at TEXT NOT NULL)"
    )
    conn.execute(
        "INSERT INTO documents(id, title, text, imported_at, position) "
        "VALUES (1, 'R1', 'Hello Xena.', 'now', 1)"
    )
    conn.execute("INSERT INTO documents_original VALUES (1, 'Hello Anna.', 'now')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        assert p.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert p.db.execute("SELECT text FROM documents_original").fetchall() == [("Hello Anna.",)]
    with Project.open(path) as p:  # and again, already upgraded
        assert p.summary()["documents"] == 1


def test_describe_error_kinds():
    def err(code, text):
        e = sqlite3.OperationalError(text)
        e.sqlite_errorcode = code
        return e

    assert isinstance(store.describe_error(err(5, "database is locked"), "p"), ProjectBusyError)
    assert isinstance(store.describe_error(err(517, "locked"), "p"), ProjectBusyError)
    assert isinstance(store.describe_error(err(13, "database or disk is full"), "p"), DiskFullError)
    assert isinstance(store.describe_error(err(11, "malformed"), "p"), CorruptProjectError)
    other = store.describe_error(err(10, "disk I/O error"), "p")
    assert type(other) is ProjectError and str(other).startswith("p: cannot read or write")

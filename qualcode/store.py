"""The project store: one SQLite file per project, opened through sqlite-utils.

Schema changes are forward migrations numbered from 1; `PRAGMA user_version` holds the
number of the last one applied, so opening an older project upgrades it in place (inside
one transaction) and opening a project from a newer qualcode is refused rather than
misread. Foreign keys are on and the journal is WAL, so a killed process loses nothing
that was committed and readers never block the writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from qualcode.errors import ProjectError

SEGMENT_KINDS = ("sentence", "turn", "paragraph", "topic")

_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    pid TEXT NOT NULL UNIQUE,
    label TEXT,
    guid TEXT
);
CREATE TABLE attributes (
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (participant_id, name)
);
CREATE INDEX attributes_by_value ON attributes(name, value);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER REFERENCES participants(id) ON DELETE RESTRICT,
    kind TEXT NOT NULL DEFAULT 'interview',
    title TEXT NOT NULL,
    source_name TEXT,
    sha256 TEXT UNIQUE,
    encoding TEXT,
    text TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    position INTEGER NOT NULL,
    guid TEXT
);
CREATE INDEX documents_by_participant ON documents(participant_id);
CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sentence', 'turn', 'paragraph', 'topic')),
    speaker TEXT,
    t_start REAL,
    t_end REAL,
    CHECK (start >= 0 AND "end" >= start)
);
CREATE INDEX segments_by_document ON segments(document_id, kind, start);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES codes(id) ON DELETE RESTRICT,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    description TEXT NOT NULL DEFAULT '',
    colour TEXT,
    shortcut TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    guid TEXT UNIQUE
);
CREATE UNIQUE INDEX codes_unique_sibling_name ON codes(coalesce(parent_id, 0), name);
CREATE UNIQUE INDEX codes_unique_shortcut ON codes(shortcut) WHERE shortcut IS NOT NULL;
CREATE TABLE codings (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
    coder TEXT NOT NULL,
    created_at TEXT NOT NULL,
    memo TEXT,
    CHECK (start >= 0 AND "end" > start)
);
CREATE INDEX codings_by_document ON codings(document_id, start);
CREATE INDEX codings_by_code ON codings(code_id);
CREATE TABLE memos (
    id INTEGER PRIMARY KEY,
    target_type TEXT NOT NULL CHECK (target_type IN ('project', 'participant', 'document', 'code', 'coding')),
    target_id INTEGER,
    title TEXT,
    text TEXT NOT NULL,
    author TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX memos_by_target ON memos(target_type, target_id);
CREATE TABLE trash (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    payload TEXT NOT NULL,
    deleted_at TEXT NOT NULL
);
"""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT first; run statement by statement to stay in our transaction.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


# v2: the text of a document as it was before pseudonymisation, kept only on request.
_V2 = """
CREATE TABLE documents_original (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
"""

# v3: one memo store. A coding's memo was a column of codings while `qualcode memo --on
# coding N` wrote to memos, and neither saw the other; every coding memo moves to memos
# (author: the coding's coder, time: the coding's) and the column goes.
_V3 = """
INSERT INTO memos(target_type, target_id, title, text, author, created_at)
SELECT 'coding', id, NULL, memo, coder, created_at FROM codings
WHERE memo IS NOT NULL AND memo <> '' ORDER BY id;
ALTER TABLE codings DROP COLUMN memo
"""


def _v4(conn: sqlite3.Connection) -> None:
    """v4: the audit trail (qualcode/audit.py): log tables and the triggers filling them.
    A later change to what is logged needs a new migration that recreates the triggers."""
    from qualcode import audit

    _run_script(conn, audit.LOG_SCHEMA)
    for statement in audit.trigger_sql():  # trigger bodies hold ';': one statement each
        conn.execute(statement)


# Forward migrations, applied in order inside one transaction; append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: _run_script(conn, _V1),
    lambda conn: _run_script(conn, _V2),
    lambda conn: _run_script(conn, _V3),
    _v4,
]
SCHEMA_VERSION = len(MIGRATIONS)


def open_db(path: str | Path, create: bool = False) -> sqlite_utils.Database:
    """Open (or create) a project database and bring its schema up to date."""
    path = Path(path)
    if not create and not path.exists():
        raise ProjectError(f"{path}: no such project (create it with `qualcode new {path}`)")
    if path.exists() and path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if create and not path.parent.is_dir():
        raise ProjectError(f"{path}: cannot create (folder {path.parent} does not exist)")
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=5000")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"{path}: not a qualcode project ({exc})") from None
    if version > SCHEMA_VERSION:
        conn.close()
        raise ProjectError(
            f"{path}: made by a newer qualcode (schema {version}, this one knows {SCHEMA_VERSION})"
        )
    if version == 0 and not create:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        if tables:
            conn.close()
            raise ProjectError(f"{path}: an SQLite file, but not a qualcode project")
    if version < SCHEMA_VERSION:
        _migrate(conn, version)
    return sqlite_utils.Database(conn)


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for number in range(version, SCHEMA_VERSION):
            MIGRATIONS[number](conn)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One write transaction: everything inside commits together or not at all.

    Nested use joins the outer transaction (a SAVEPOINT keeps inner failures contained).
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"sp{id(conn)}_{conn.total_changes}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

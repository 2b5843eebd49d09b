"""The project store: one SQLite file per project, opened with the standard library's sqlite3.

Schema changes are forward migrations numbered from 1; `PRAGMA user_version` holds the
number of the last one applied, so opening an older project upgrades it in place (inside
one transaction) and opening a project from a newer qualcode is refused rather than
misread. Foreign keys are on and the journal is WAL, so a killed process loses nothing
that was committed and readers never block the writer.

`Database` is a thin handle on the sqlite3 connection; sqlite-utils (which imports pandas
and numpy at module level when they are installed, about 0.3 s) is loaded only by
`Database.utils()`, for a write path that wants its features, so that commands that
only read start in a fraction of a second.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

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

# The word count of a document (gaps between words, spaces and line breaks, + 1; a blank
# line between paragraphs is one gap, not two): an estimate that needs no tokeniser.
_WORDS = (
    "length({t}) - length(replace(replace({t}, char(10), ''), ' ', ''))"
    " - (length({t}) - length(replace({t}, char(10) || char(10), ''))) / 2 + 1"
)

# v3, for commands that must answer in a fraction of a second on 1,000,000 codings:
# - codings_by_coder holds (coder, code, document), so that the frequency table and the
#   coder list read the index alone instead of the table;
# - document_stats keeps each document's word and character counts, kept by triggers on
#   whatever path writes a text, so that `qualcode info` and the workbench's document
#   list do not read 100 MB of text;
# - sentences_pending lists the documents whose sentences an import left for later
#   (segmented when first needed: SegmentOps.ensure_sentences).
_V3 = [
    "CREATE TABLE sentences_pending ("
    " document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE)",
    "CREATE INDEX codings_by_coder ON codings(coder, code_id, document_id)",
    "CREATE TABLE document_stats ("
    " document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,"
    " words INTEGER NOT NULL, chars INTEGER NOT NULL)",
    f"INSERT INTO document_stats(document_id, words, chars) SELECT id, {_WORDS.format(t='text')}, "
    "length(text) FROM documents",
    "CREATE TRIGGER document_stats_insert AFTER INSERT ON documents BEGIN "
    "INSERT OR REPLACE INTO document_stats(document_id, words, chars) "
    f"VALUES (NEW.id, {_WORDS.format(t='NEW.text')}, length(NEW.text)); END",
    "CREATE TRIGGER document_stats_update AFTER UPDATE OF text ON documents BEGIN "
    "INSERT OR REPLACE INTO document_stats(document_id, words, chars) "
    f"VALUES (NEW.id, {_WORDS.format(t='NEW.text')}, length(NEW.text)); END",
]


def _run_v3(conn: sqlite3.Connection) -> None:
    for statement in _V3:  # the triggers hold semicolons: one statement at a time
        conn.execute(statement)


# Forward migrations, applied in order inside one transaction; append, never edit.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    lambda conn: _run_script(conn, _V1),
    lambda conn: _run_script(conn, _V2),
    _run_v3,
]
SCHEMA_VERSION = len(MIGRATIONS)


class Database:
    """An open project database: `conn` (sqlite3, autocommit; write through
    `transaction`), `execute(sql, params)` and `table_names()`."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, parameters=()) -> sqlite3.Cursor:
        """Run one statement; returns the cursor (rows as tuples)."""
        return self.conn.execute(sql, parameters)

    def table_names(self) -> list[str]:
        """Names of the tables, in creation order."""
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
        )
        return [r[0] for r in rows]

    def utils(self):
        """The same connection as a `sqlite_utils.Database`, for its bulk helpers
        (imports sqlite-utils, and with it pandas when installed: write paths only)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)


def open_db(path: str | Path, create: bool = False) -> Database:
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
    return Database(conn)


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
def transaction(db: Database) -> Iterator[sqlite3.Connection]:
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

"""The project store: one SQLite file per project, opened with the standard library's sqlite3.

Schema changes are forward migrations numbered from 1; `PRAGMA user_version` holds the
number of the last one applied, so opening an older project upgrades it in place (inside
one transaction) and opening a project from a newer qualcode is refused rather than
misread. Adding a migration is one append to MIGRATIONS: `script(sql)` for SQL (any
statements, triggers included), `transform(table, ...)` for a change of columns (sqlite-utils'
Table.transform), or any function of the connection; tests/test_migrations.py upgrades a
project file written by every earlier schema version and checks that every row survives.
Foreign keys are on and the journal is WAL, so a killed process loses nothing that was
committed and readers never block the writer.

`ProjectDatabase` is a thin handle on the sqlite3 connection; sqlite-utils (which imports pandas
and numpy at module level when they are installed, about 0.3 s) is loaded only by
`ProjectDatabase.utils()`, for a write path that wants its features, so that commands that
only read start in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from qualcode.errors import CorruptProjectError, DiskFullError, ProjectBusyError, ProjectError
from qualcode.models import SEGMENT_KINDS as SEGMENT_KINDS
from qualcode.plural import plural
from qualcode.words import count_words

# The tables are created by SQL, not by sqlite-utils' create_table (checked against
# sqlite-utils 4.2.1): its create_table takes columns, primary key, foreign keys (with ON
# DELETE), NOT NULL, defaults and STRICT, but no CHECK constraint (segments' kind and
# offsets, codings' offsets, a code's non-blank name, a memo's target type), no UNIQUE
# column (documents.sha256, codes.guid), and create_index takes column names only: no
# expression index (codes_unique_sibling_name on coalesce(parent_id, 0)) and no partial
# index (codes_unique_shortcut ... WHERE shortcut IS NOT NULL); triggers (v3, v5) are SQL
# in any case. Those constraints are what keep a project consistent whatever writes to it,
# so the schema stays SQL (run statement by statement by script() inside the migration's
# transaction), and sqlite-utils does what it does well here: transform() for a change of
# columns, which keeps CHECKs, foreign keys and indexes (tests/test_migrations.py).
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


Migration = Callable[[sqlite3.Connection], None]


def split_sql(text: str) -> list[str]:
    """The statements of an SQL script, split where SQLite's own tokenizer says a statement
    is complete (sqlite3.complete_statement), so that a semicolon inside a string, a comment
    or a trigger body does not end one. Raises ValueError on an unterminated last statement."""
    statements, current = [], ""
    for piece in text.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\n;"):
                statements.append(current.strip())
            current = ""
    if current[:-1].strip():
        raise ValueError(f"SQL script ends inside a statement: {current[:-1].strip()[:60]!r}")
    return statements


def script(sql: str) -> Migration:
    """A migration that runs an SQL script inside the migration's transaction (not with
    executescript(), which would COMMIT first), one statement at a time."""
    statements = split_sql(sql)

    def run(conn: sqlite3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)

    return run


def transform(table: str, **changes: Any) -> Migration:
    """A migration that changes a table's columns with sqlite-utils' Table.transform
    (https://sqlite-utils.datasette.io/en/stable/python-api.html#transforming-a-table):
    `types`, `rename`, `drop`, `not_null`, `defaults`, `column_order`... as keywords.
    It copies the table into a new one and swaps them, keeping rows, ids, CHECK
    constraints, foreign keys and indexes; the runner has foreign keys off meanwhile and
    checks them before committing.

    Triggers: dropping the old table drops its triggers (the v3 word counts, the v5 audit
    log) and sqlite-utils 4.2 does not create them again, so they are read first and
    created again after the swap. `rename` runs first as ALTER TABLE ... RENAME COLUMN,
    which rewrites the triggers, indexes and views that name the column (SQLite >= 3.25).
    A trigger left naming a dropped column would only fail at the next write: every
    trigger of the table is compiled before the migration ends (EXPLAIN of an insert, an
    update of every column and a delete), so such a migration fails and is rolled back
    (the migration that drops the column must recreate the trigger without it)."""
    renames = dict(changes.pop("rename", None) or {})

    def run(conn: sqlite3.Connection) -> None:
        import sqlite_utils  # only when a project is upgraded

        for old, new in renames.items():
            conn.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{old}" TO "{new}"')
        if changes:
            triggers = [
                sql
                for (sql,) in conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"
                    " ORDER BY rowid",
                    [table],
                )
            ]
            sqlite_utils.Database(conn).table(table).transform(**changes)
            for sql in triggers:
                conn.execute(sql)
        _compile_triggers(conn, table)

    return run


def _compile_triggers(conn: sqlite3.Connection, table: str) -> None:
    """Prepare (never run) an insert, an update of every column and a delete on `table`,
    so that SQLite compiles every trigger on it: one that names a missing column raises
    sqlite3.OperationalError now rather than at the user's next write."""
    columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    assignments = ", ".join(f'"{c}" = "{c}"' for c in columns)
    conn.execute(f'EXPLAIN INSERT INTO "{table}" DEFAULT VALUES').fetchall()
    conn.execute(f'EXPLAIN UPDATE "{table}" SET {assignments} WHERE 0').fetchall()
    conn.execute(f'EXPLAIN DELETE FROM "{table}" WHERE 0').fetchall()


# v2: the text of a document as it was before pseudonymisation, kept only on request.
# IF NOT EXISTS: schema-1 qualcode created this table itself in `pseudonymise --keep-original`
# (same columns), and such a project must still upgrade.
_V2 = """
CREATE TABLE IF NOT EXISTS documents_original (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
"""

# (v3's) word count of a document (gaps between words, spaces and line breaks, + 1; a blank
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


# v4: one memo store. A coding's memo was a column of codings while `qualcode memo --on
# coding N` wrote to memos, and neither saw the other; every coding memo moves to memos
# (author: the coding's coder, time: the coding's) and the column goes.
_V4 = """
INSERT INTO memos(target_type, target_id, title, text, author, created_at)
SELECT 'coding', id, NULL, memo, coder, created_at FROM codings
WHERE memo IS NOT NULL AND memo <> '' ORDER BY id;
ALTER TABLE codings DROP COLUMN memo
"""


def _v5(conn: sqlite3.Connection) -> None:
    """v5: the audit trail (qualcode/audit.py): log tables and the triggers filling them.
    A later change to what is logged needs a new migration that recreates the triggers."""
    from qualcode import audit

    script(audit.LOG_SCHEMA)(conn)
    for statement in audit.trigger_sql():  # trigger bodies hold ';': one statement each
        conn.execute(statement)


# v6: the segment kind is checked with `=` comparisons instead of `kind IN (...)`. SQLite
# 3.40 evaluates an IN-list CHECK through a small ephemeral table for every row inserted:
# the 646,668 turn and paragraph rows of 2,300 generated transcripts took 5.3 s of CPU to
# insert with it and 2.4 s with the `=` form, no more than with no CHECK at all
# (bench/segment_insert.py, machine under load). Sentences add millions of rows more.
# A CHECK constraint cannot be altered, so the table is rebuilt (the 12-step procedure of
# https://www.sqlite.org/lang_altertable.html#otheralter; the runner has foreign keys off).
_V6 = f"""
CREATE TABLE segments_v6 (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK ({" OR ".join(f"kind = '{k}'" for k in SEGMENT_KINDS)}),
    speaker TEXT,
    t_start REAL,
    t_end REAL,
    CHECK (start >= 0 AND "end" >= start)
);
INSERT INTO segments_v6(id, document_id, start, "end", kind, speaker, t_start, t_end)
SELECT id, document_id, start, "end", kind, speaker, t_start, t_end FROM segments;
DROP TABLE segments;
ALTER TABLE segments_v6 RENAME TO segments;
CREATE INDEX segments_by_document ON segments(document_id, kind, start);
"""

# v7: a document may belong to several participants (a focus group). The primary one
# stays in documents.participant_id; every one, the primary included, is listed in
# document_participants (filled from participant_id, so every existing row is kept).
# speaker_participants maps a speaker label of the document's turns to a participant,
# so that a coding counts for the participant whose turns it lies in.
_V7 = """
CREATE TABLE document_participants (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE RESTRICT,
    PRIMARY KEY (document_id, participant_id)
);
CREATE INDEX document_participants_by_participant ON document_participants(participant_id);
INSERT INTO document_participants(document_id, participant_id)
    SELECT id, participant_id FROM documents WHERE participant_id IS NOT NULL;
CREATE TABLE speaker_participants (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    speaker TEXT NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE RESTRICT,
    PRIMARY KEY (document_id, speaker)
);
-- The primary participant is always listed too, whichever code path sets it.
CREATE TRIGGER documents_primary_insert AFTER INSERT ON documents
    WHEN NEW.participant_id IS NOT NULL BEGIN
    INSERT OR IGNORE INTO document_participants VALUES (NEW.id, NEW.participant_id);
END;
CREATE TRIGGER documents_primary_update AFTER UPDATE OF participant_id ON documents BEGIN
    DELETE FROM document_participants
        WHERE document_id = NEW.id AND participant_id IS OLD.participant_id;
    INSERT OR IGNORE INTO document_participants
        SELECT NEW.id, NEW.participant_id WHERE NEW.participant_id IS NOT NULL;
END;
"""

# v8: the document list (every workbench open, `qualcode docs`, the analyses' document
# tables) read from an index that holds its columns: the table rows hold each transcript,
# so listing 2,300 documents read 9 MB of pages for 40 ms; from the index it reads a few.
_V8 = """
CREATE INDEX documents_listing ON documents(position, id, participant_id, kind, title, source_name)
"""

# v9: codings_by_code holds (code, document), so that the frequency table reads each code's
# documents in index order (no temporary b-tree over 100,000 groups: at 150,000 codings
# the query fell from about 85 to 40 ms); a lookup by code uses the same index as before.
_V9 = """
DROP INDEX codings_by_code;
CREATE INDEX codings_by_code ON codings(code_id, document_id)
"""


# v10: word counts by qualcode.words.count_words (each CJK character a word; the SQL
# estimate above counted a Japanese document without spaces as a handful of words),
# through the SQL function qc_words that open_db registers on every connection.
_V10 = [
    "DROP TRIGGER IF EXISTS document_stats_insert",
    "DROP TRIGGER IF EXISTS document_stats_update",
    "CREATE TRIGGER document_stats_insert AFTER INSERT ON documents BEGIN "
    "INSERT OR REPLACE INTO document_stats(document_id, words, chars) "
    "VALUES (NEW.id, qc_words(NEW.text), length(NEW.text)); END",
    "CREATE TRIGGER document_stats_update AFTER UPDATE OF text ON documents BEGIN "
    "INSERT OR REPLACE INTO document_stats(document_id, words, chars) "
    "VALUES (NEW.id, qc_words(NEW.text), length(NEW.text)); END",
    "UPDATE document_stats SET words = "
    "qc_words((SELECT text FROM documents d WHERE d.id = document_stats.document_id))",
]


def _run_v10(conn: sqlite3.Connection) -> None:
    for statement in _V10:  # the triggers hold semicolons: one statement at a time
        conn.execute(statement)


def _v11(conn: sqlite3.Connection) -> None:
    """v11: every document, participant and code has its REFI-QDA GUID from creation on
    (the facade gives one on insert); rows made before get theirs here. An export used
    to assign them, as a logged change that `undo` then took back, so the next export
    wrote new ones. Not a user's change: the audit rows the triggers stage for these
    updates are dropped again, so the log does not show it and undo cannot remove it."""
    import uuid

    staged = conn.execute("SELECT coalesce(max(id), 0) FROM log_changes").fetchone()[0]
    for table in ("documents", "participants", "codes"):
        rows = conn.execute(f"SELECT id FROM {table} WHERE guid IS NULL OR guid = ''").fetchall()
        conn.executemany(
            f"UPDATE {table} SET guid = ? WHERE id = ?", [(str(uuid.uuid4()), r[0]) for r in rows]
        )
    conn.execute("DELETE FROM log_changes WHERE id > ? AND entry_id IS NULL", [staged])


# Forward migrations, applied in order inside one transaction; append, never edit (a new
# one needs a project file of the version before it in tests/data/schemas: see
# write_project.py there).
MIGRATIONS: list[Migration] = [
    script(_V1),
    script(_V2),
    _run_v3,
    script(_V4),
    _v5,
    script(_V6),
    script(_V7),
    script(_V8),
    script(_V9),
    _run_v10,
    _v11,
]
SCHEMA_VERSION = len(MIGRATIONS)

# FULL: the WAL is synced to disk at every commit, so a coding acknowledged is on disk and
# survives a power cut too, not only a killed process (NORMAL syncs only at checkpoints).
# Cost measured by bench/tui.py --durability: a coding's commit 0.75 -> 6.3 ms median,
# well inside the 50 ms keystroke goal (README, "Data safety").
SYNCHRONOUS = "FULL"


# How long a write waits for another program's write lock (an import, autocode, a second
# workbench) before giving up with ProjectBusyError. The workbench sets a shorter wait and
# retries on its own, so that its screen never freezes.
BUSY_TIMEOUT_MS = 5000

# The project this process opened last: the CLI names it in an error met outside the facade.
last_opened: Path | None = None

# SQLite's primary result codes (https://sqlite.org/rescode.html) that describe the file or
# the machine rather than qualcode's SQL: these become one-line QualcodeErrors.
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_FULL = 13  # SQLITE_FULL
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_IO = {8, 10, 14}  # SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_environmental(exc: BaseException) -> bool:
    """True if `exc` is an SQLite error about the file or machine (busy, full, damaged,
    unreadable), which qualcode reports as one line, rather than a fault in its own SQL."""
    if not isinstance(exc, sqlite3.Error):
        return False
    code = _code(exc)
    if code is None:  # made by Python code, not SQLite: only its plain kinds, by their words
        if type(exc) not in (sqlite3.OperationalError, sqlite3.DatabaseError):
            return False
        text = str(exc).lower()
        return any(w in text for w in ("locked", "busy", "full", "malformed", "not a database"))
    return code in _BUSY or code == _FULL or code in _CORRUPT or code in _IO


def _backup_hint(path: Path) -> str:
    return f"`qualcode backups {path}` lists its backups, `qualcode restore-backup {path} NAME` brings one back"


def describe_error(exc: sqlite3.Error, path: str | Path | None) -> ProjectError:
    """The QualcodeError to show for an SQLite error on the project at `path`.

    Returns ProjectBusyError (write lock held elsewhere), DiskFullError, CorruptProjectError
    (damaged file) or a plain ProjectError naming the file and SQLite's own words."""
    where = f"{path}: " if path is not None else ""
    code = _code(exc)
    text = str(exc)
    low = text.lower()
    if code in _BUSY or (code is None and ("locked" in low or "busy" in low)):
        return ProjectBusyError(
            f"{where}project busy: another program (an import, autocode or another workbench) "
            f"is writing to it; nothing was saved, try again when it has finished ({text})"
        )
    if code == _FULL or (code is None and "full" in low):
        return DiskFullError(
            f"{where}disk full ({text}); nothing was saved: free some space and try again"
        )
    if code in _CORRUPT or (code is None and ("malformed" in low or "not a database" in low)):
        if path is None:
            return CorruptProjectError(f"the project file is damaged ({text})")
        return CorruptProjectError(
            f"{where}the project file is damaged ({text}); qualcode will not write to it. "
            + _backup_hint(Path(path))
        )
    return ProjectError(f"{where}cannot read or write the project ({text})")


def open_db(path: str | Path, create: bool = False, check: bool = True) -> ProjectDatabase:
    """Open (or create) a project database and bring its schema up to date.

    Every connection gets WAL, foreign keys, synchronous=SYNCHRONOUS and a busy timeout of
    BUSY_TIMEOUT_MS. An existing project is checked with `PRAGMA quick_check` (unless
    check=False) so that a damaged file is refused before anything writes to it.
    Raises ProjectError (missing, empty, foreign, newer) or CorruptProjectError.
    """
    global last_opened
    path = last_opened = Path(path)
    if not create and not path.exists():
        raise ProjectError(f"{path}: no such project (create it with `qualcode new {path}`)")
    if path.exists() and path.is_dir():
        raise ProjectError(f"{path}: is a folder, not a project file")
    if create and not path.parent.is_dir():
        raise ProjectError(f"{path}: cannot create (folder {path.parent} does not exist)")
    if not create and path.stat().st_size == 0 and not _has_wal(path):
        # SQLite would happily turn an empty file into a new database.
        raise ProjectError(
            f"{path}: an empty file, not a qualcode project (create one with `qualcode new {path}`)"
        )
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
    except sqlite3.Error as exc:
        raise describe_error(exc, path) from None
    # The word count of the document_stats triggers (v10): every connection that may write
    # a document's text needs it.
    conn.create_function("qc_words", 1, count_words, deterministic=True)
    try:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA synchronous={SYNCHRONOUS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if check and not create:
            _quick_check_unless_unchanged(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if _code(exc) == 26 or "not a database" in str(exc):
            raise ProjectError(f"{path}: not a qualcode project ({exc})") from None
        raise describe_error(exc, path) from None
    except ProjectError:
        conn.close()
        raise
    if version > SCHEMA_VERSION:
        conn.close()
        raise ProjectError(
            f"{path}: made by a newer qualcode (schema {version}, this one knows {SCHEMA_VERSION})"
        )
    if version == 0 and not create:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        conn.close()
        if tables:
            raise ProjectError(f"{path}: an SQLite file, but not a qualcode project")
        raise ProjectError(f"{path}: an empty SQLite file, not a qualcode project")
    if version < SCHEMA_VERSION:
        if version >= 1:
            _backup_before_migration(conn, path, version)
        try:
            _migrate(conn, version)
        except sqlite3.Error as exc:
            conn.close()
            if is_environmental(exc):
                raise describe_error(exc, path) from None
            raise ProjectError(
                f"{path}: cannot upgrade from schema {version} to {SCHEMA_VERSION} ({exc}); "
                "the file is unchanged"
            ) from None
    db = ProjectDatabase(conn, path)
    db.qualcode_sound = create or check
    return db


class ProjectDatabase:
    """An open project: `conn` (sqlite3, autocommit; write through `transaction`),
    `execute(sql, params)`, `table_names()`; it knows its file (for one-line errors) and
    whether a damaged page was met (then no more writes). sqlite-utils, which imports
    pandas and numpy at module level when installed (0.3 s+), is loaded only by
    `utils()`, for a write path that wants its helpers."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None):
        self.conn = conn
        self.qualcode_path: Path | None = path
        self.qualcode_damaged: str | None = None
        # Found sound when opened (checked, unchanged since a check, or created here): a
        # clean close may then record the file's state so that the next open skips the check.
        self.qualcode_sound = False

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        """Run one statement; returns the cursor (rows as tuples)."""
        return self.conn.execute(sql, parameters)

    def table_names(self) -> list[str]:
        """Names of the tables, in creation order."""
        rows = self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid"
        )
        return [r[0] for r in rows]

    def utils(self) -> Any:
        """The same connection as a `sqlite_utils.Database` (imports sqlite-utils)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)


def _backup_before_migration(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """A backup in backups/ before the schema changes (refuses to upgrade without one)."""
    from qualcode import backups

    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", [backups.KEEP_KEY]).fetchone()
        keep = int(row[0]) if row and row[0] else backups.DEFAULT_KEEP
    except (sqlite3.Error, ValueError, TypeError):
        keep = backups.DEFAULT_KEEP
    try:
        backups.write_backup(conn, path, f"before-schema-{SCHEMA_VERSION}", max(keep, 1))
    except ProjectError as exc:
        conn.close()
        raise ProjectError(
            f"{path}: not upgraded from schema {version} to {SCHEMA_VERSION}: {exc}"
        ) from None


def _has_wal(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def _checks_file() -> Path:
    """Where the file states of projects found sound are kept (the user's cache folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qualcode" / "checked.json"


def _file_state(path: Path) -> list[list[int] | None]:
    """Size and modification time (ns) of the project file and of its WAL (None for an
    empty or missing WAL: opening and closing truncate it, which changes nothing)."""
    state: list[list[int] | None] = []
    for part in (path, Path(f"{path}-wal")):
        try:
            st = part.stat()
        except OSError:
            state.append(None)
        else:
            state.append([st.st_size, st.st_mtime_ns] if st.st_size or part == path else None)
    return state


def _quick_check_unless_unchanged(conn: sqlite3.Connection, path: Path) -> None:
    """quick_check the project unless it was found sound before and its file and WAL have
    not changed since (same size and modification time). quick_check reads every page:
    about 0.3 s of CPU on a 135 MB project, more than a whole `qualcode freq` should
    take. A clean close records the state qualcode left (close_db); any other change, by
    another program or a session that never closed, brings the check back. The states are kept in the user's cache folder (a file that cannot be read or
    written only means checking every time)."""
    key, state = str(path.resolve()), _file_state(path)
    checks = _checks_file()
    try:
        known = json.loads(checks.read_text(encoding="utf-8"))
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    if known.get(key) == state:
        return
    _quick_check(conn, path)
    _remember_sound(path, known, state)


def _remember_sound(
    path: Path, known: dict[str, Any] | None = None, state: list[list[int] | None] | None = None
) -> None:
    """Record `path`'s file state (`_file_state`) as found sound in the user's cache, the
    newest of the 200 kept; `known` is the cache already read, if it was."""
    key = str(path.resolve())
    state = _file_state(path) if state is None else state
    checks = _checks_file()
    if known is None:
        try:
            known = json.loads(checks.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        if not isinstance(known, dict):
            known = {}
    known.pop(key, None)
    known[key] = state
    kept = dict(list(known.items())[-200:])  # the 200 projects opened last
    try:
        checks.parent.mkdir(parents=True, exist_ok=True)
        temporary = checks.with_name(f"{checks.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(kept), encoding="utf-8")
        os.replace(temporary, checks)
    except OSError:
        pass


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Raise CorruptProjectError unless SQLite's quick_check finds the file sound.
    (quick_check reads every page but skips the index-content comparison of integrity_check.)"""
    rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    lines = [line for r in rows if r[0] != "ok" for line in r[0].splitlines()]
    problems = [line for line in lines if line.strip() and not line.startswith("***")]
    if lines:
        first = problems[0] if problems else lines[0]
        more = f" and {plural(len(problems) - 1, 'more problem')}" if len(problems) > 1 else ""
        raise CorruptProjectError(
            f"{path}: the project file is damaged ({first.strip()[:120]}{more}); "
            "qualcode will not write to it. " + _backup_hint(path)
        )


def close_db(db: ProjectDatabase) -> None:
    """Close a project connection, first folding the WAL into the project file and
    truncating it, so that after every clean close the one .qualcode file is complete.
    Never raises for a busy or full disk: the WAL then stays and SQLite replays it on
    the next open."""
    conn = db.conn
    folded = False
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.execute("PRAGMA busy_timeout=200")  # readers elsewhere: leave the WAL for them
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        folded = not busy
    except sqlite3.ProgrammingError:
        return  # already closed
    except sqlite3.Error:
        pass
    conn.close()
    if folded and db.qualcode_sound and not db.qualcode_damaged and db.qualcode_path is not None:
        # The file is now exactly as SQLite left it after a check (or a creation) and our
        # own writes: the next open need not read every page again unless something else
        # changes it (size or modification time), which brings the check back.
        _remember_sound(db.qualcode_path)


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    """Apply the migrations the file lacks, all in one transaction: a failure leaves the
    file as it was. Foreign keys are off meanwhile and checked before the commit, as SQLite
    asks for schema changes (https://www.sqlite.org/lang_altertable.html#otheralter):
    rebuilding a table must not cascade deletes to the rows that refer to it."""
    conn.execute("PRAGMA foreign_keys=OFF")  # no effect inside a transaction: set it first
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another program may have upgraded it meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                MIGRATIONS[number](conn)
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken:
                raise sqlite3.IntegrityError(
                    f"row {broken[1]} of table {broken[0]} refers to a missing {broken[2]} row"
                )
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys=ON")


@contextmanager
def transaction(db: ProjectDatabase) -> Iterator[sqlite3.Connection]:
    """One write transaction: everything inside commits together or not at all.

    Nested use joins the outer transaction (a SAVEPOINT keeps inner failures contained).
    An SQLite error about the file or machine (busy, disk full, damaged) is rolled back
    and raised as ProjectBusyError, DiskFullError or CorruptProjectError; after a damaged
    page has been seen, every later write on this connection is refused.
    """
    conn = db.conn
    path = getattr(db, "qualcode_path", None)
    damaged = getattr(db, "qualcode_damaged", None)
    if damaged:
        raise CorruptProjectError(damaged)
    if conn.in_transaction:
        name = f"sp{id(conn)}_{conn.total_changes}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            try:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            except sqlite3.Error:
                pass  # SQLite rolled the whole transaction back itself (disk full, I/O)
            raise
        conn.execute(f"RELEASE {name}")
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        if is_environmental(exc):
            raise _environmental(db, exc, path) from exc
        raise
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        if is_environmental(exc):
            raise _environmental(db, exc, path) from exc
        raise
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # SQLite already rolled back (some errors do that themselves)


def _environmental(db: ProjectDatabase, exc: sqlite3.Error, path: Path | None) -> ProjectError:
    error = describe_error(exc, path)
    if isinstance(error, CorruptProjectError):
        setattr(db, "qualcode_damaged", str(error))  # noqa: B010 - any Database, not only ours
    elif isinstance(error, DiskFullError):
        # Fold the WAL back into the file and truncate it, so that freeing space is enough
        # to write again (a WAL that keeps its size would fill the disk again at once).
        try:
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
    return error

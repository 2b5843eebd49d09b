"""The audit trail: an append-only log of every change to codings, codes, documents,
participants (and their attributes) and memos.

SQLite triggers (schema migration in store.py, SQL below) copy each changed row, before
and after, as JSON into `log_changes` while the change is made. When the facade's
outermost write transaction is about to commit, `close_entry` gathers those staged
rows under one `log` entry (when, which coder, which action, a summary). The log is
therefore written in the same transaction as the change: both commit or neither does,
whatever path made the change. Undo is an ordinary change, so it is logged too.

Document rows are logged without their text (its length and sha256 stand for it), so
that the log does not hold a second copy of every transcript.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

# table -> the columns logged (JSON keys); documents: no text, its length instead.
LOGGED = {
    "codings": ["id", "document_id", "start", "end", "code_id", "coder", "created_at"],
    "codes": ["id", "parent_id", "name", "description", "colour", "shortcut", "position", "guid"],
    "documents": [
        "id",
        "participant_id",
        "kind",
        "title",
        "source_name",
        "sha256",
        "encoding",
        "imported_at",
        "position",
        "guid",
    ],
    "participants": ["id", "pid", "label", "guid"],
    "attributes": ["participant_id", "name", "value"],
    "memos": ["id", "target_type", "target_id", "title", "text", "author", "created_at"],
}
# What a table's rows are called in summaries.
NOUNS = {
    "codings": "coding",
    "codes": "code",
    "documents": "document",
    "participants": "participant",
    "attributes": "attribute",
    "memos": "memo",
}

LOG_SCHEMA = """
CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    coder TEXT,
    action TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX log_by_time ON log(at);
CREATE TABLE log_changes (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER REFERENCES log(id),
    tbl TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX log_changes_by_entry ON log_changes(entry_id);
"""


def _json(table: str, alias: str) -> str:
    cols = LOGGED[table]
    pairs = [f"'{c}', {alias}.\"{c}\"" for c in cols]
    if table == "documents":
        pairs.append(f"'length', length({alias}.text)")
    return f"json_object({', '.join(pairs)})"


def trigger_sql() -> list[str]:
    """CREATE TRIGGER statements: each insert, update and delete stages its row."""
    out = []
    for table in LOGGED:
        row_id = "rowid"
        for event, before, after, ref in (
            ("INSERT", "NULL", _json(table, "NEW"), "NEW"),
            ("UPDATE", _json(table, "OLD"), _json(table, "NEW"), "NEW"),
            ("DELETE", _json(table, "OLD"), "NULL", "OLD"),
        ):
            out.append(
                f"CREATE TRIGGER log_{table}_{event.lower()} AFTER {event} ON {table} BEGIN "
                f"INSERT INTO log_changes(tbl, row_id, before, after) VALUES "
                f"('{table}', {ref}.{row_id}, {before}, {after}); END"
            )
    return out


def close_entry(
    conn: sqlite3.Connection,
    action: str | None,
    coder: str | None,
    note: str | None = None,
    always: bool = False,
) -> int | None:
    """Gather the staged changes under one new log entry; returns its id (None if the
    transaction changed nothing logged, unless `always`). `note` is added to the summary
    ("...; codings by ben 13"; the summary itself when no logged row changed). Runs
    inside the caller's transaction."""
    counts = conn.execute(
        "SELECT tbl, sum(before IS NULL), sum(before IS NOT NULL AND after IS NOT NULL), "
        "sum(after IS NULL) FROM log_changes WHERE entry_id IS NULL GROUP BY tbl"
    ).fetchall()
    if not counts and not always:
        return None
    summary = "; ".join(part for part in (summarise(counts), note) if part)
    cur = conn.execute(
        "INSERT INTO log(at, coder, action, summary) VALUES (?, ?, ?, ?)",
        [
            datetime.now(UTC).isoformat(timespec="milliseconds"),
            coder,
            action or summary,
            summary,
        ],
    )
    conn.execute("UPDATE log_changes SET entry_id = ? WHERE entry_id IS NULL", [cur.lastrowid])
    return cur.lastrowid


def summarise(counts) -> str:
    """'1 coding added, 2 codes changed' from (table, added, changed, removed) rows."""
    parts = []
    for table, added, changed, removed in sorted(counts, key=lambda r: list(LOGGED).index(r[0])):
        noun = NOUNS[table]
        for n, verb in ((added, "added"), (changed, "changed"), (removed, "removed")):
            if n:
                parts.append(f"{n} {noun}{'' if n == 1 else 's'} {verb}")
    return ", ".join(parts)


def entries(conn, since: str | None = None, coder: str | None = None, changes: bool = False):
    """Log entries, oldest first: dicts with id, at, coder, action, summary (and, with
    changes=True, a list of {table, row_id, before, after} with JSON decoded). coder:
    only the entries that coder made or that added, changed or removed their codings."""
    sql, args = "SELECT id, at, coder, action, summary FROM log", []
    where = []
    if since:
        where.append("at >= ?")
        args.append(since)
    if coder:
        # made by the coder, or changing their codings (a merge or an import brings in
        # codings the person who ran it did not make)
        where.append(
            "(coder = ? OR id IN (SELECT entry_id FROM log_changes WHERE tbl = 'codings' "
            "AND json_extract(coalesce(after, before), '$.coder') = ?))"
        )
        args += [coder, coder]
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = [
        dict(zip(("id", "at", "coder", "action", "summary"), r))
        for r in conn.execute(sql + " ORDER BY id", args)
    ]
    if changes and rows:
        by_entry: dict[int, list] = {r["id"]: [] for r in rows}
        for entry_id, tbl, row_id, before, after in conn.execute(
            "SELECT entry_id, tbl, row_id, before, after FROM log_changes "
            "WHERE entry_id BETWEEN ? AND ? ORDER BY id",
            [rows[0]["id"], rows[-1]["id"]],
        ):
            if entry_id in by_entry:
                by_entry[entry_id].append(
                    {
                        "table": tbl,
                        "row_id": row_id,
                        "before": json.loads(before) if before else None,
                        "after": json.loads(after) if after else None,
                    }
                )
        for r in rows:
            r["changes"] = by_entry[r["id"]]
    return rows

"""The migration runner: a project file written by every earlier schema version opens,
is upgraded in place and keeps every row; a failing upgrade changes nothing.

The files in tests/data/schemas were written by the qualcode of each version (see
write_project.py there); the row check reads them with plain sqlite3 before and after.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from qualcode import store
from qualcode.errors import ProjectError
from qualcode.project import Project
from qualcode.words import count_words

SCHEMAS = Path(__file__).parent / "data" / "schemas"
FILES = sorted(SCHEMAS.glob("v*.qualcode"))


def version_of(path: Path) -> int:
    return int(re.match(r"v(\d+)", path.name).group(1))


def rows(path: Path) -> dict[str, tuple[list[str], Counter]]:
    """Per table: its columns and its rows (as a multiset of tuples)."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            out[table] = (columns, Counter(conn.execute(f'SELECT * FROM "{table}"')))
        return out
    finally:
        conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_there_is_a_project_file_of_every_earlier_schema_version():
    have = {version_of(p) for p in FILES}
    missing = sorted(set(range(1, store.SCHEMA_VERSION)) - have)
    assert missing == [], (
        f"no project file of schema version(s) {missing} in {SCHEMAS}: write one with the "
        "qualcode of that version (tests/data/schemas/write_project.py says how)"
    )
    for path in FILES:  # each file is what its name says
        assert user_version(path) == version_of(path), path.name


@pytest.mark.parametrize("source", FILES, ids=[p.name for p in FILES])
def test_an_older_project_is_upgraded_and_keeps_every_row(tmp_path, source):
    path = tmp_path / source.name
    shutil.copyfile(source, path)
    before = rows(path)
    assert sum(len(r) for _, r in before.values()) > 40  # the file has data to lose

    with Project.open(path) as project:  # upgrades in place
        summary = project.summary()
        codings = project.codings()
        memos = project.memos()
        trash = project.trash()
        codes = {c.path for c in project.codes()}

    assert user_version(path) == store.SCHEMA_VERSION
    after = rows(path)
    moved: dict[int, str] = {}
    for table, (columns, old_rows) in before.items():
        assert table in after, f"table {table} is gone"
        new_columns, new_rows = after[table]
        if table == "codings" and "memo" in columns and "memo" not in new_columns:
            # Migration 4 (one memo store) moved each coding's memo into memos.
            at = columns.index("memo")
            moved = {r[0]: r[at] for r in old_rows.elements() if r[at]}
            columns = [c for c in columns if c != "memo"]
            old_rows = Counter(r[:at] + r[at + 1 :] for r in old_rows.elements())
        if table == "document_stats" and "words" in columns:
            # Migration 10 counts the words again (qualcode.words): checked below.
            at = columns.index("words")
            columns = [c for c in columns if c != "words"]
            old_rows = Counter(r[:at] + r[at + 1 :] for r in old_rows.elements())
        keep = [new_columns.index(c) for c in columns]  # the columns it had, in its order
        kept = Counter(tuple(r[i] for i in keep) for r in new_rows.elements())
        if table == "memos" and moved:  # every memo kept, and the moved ones added
            assert not old_rows - kept and kept.total() == old_rows.total() + len(moved)
        else:
            assert kept == old_rows, table
    # Migration 7: every document's participant is listed among its participants.
    conn = sqlite3.connect(path)
    try:
        listed = set(conn.execute("SELECT document_id, participant_id FROM document_participants"))
        primary = set(
            conn.execute(
                "SELECT id, participant_id FROM documents WHERE participant_id IS NOT NULL"
            )
        )
    finally:
        conn.close()
    assert listed == primary and len(primary) == 3
    # Migration 10: every document's word count is qualcode.words.count_words of its text.
    conn = sqlite3.connect(path)
    try:
        stats = dict(conn.execute("SELECT document_id, words FROM document_stats"))
        texts = dict(conn.execute("SELECT id, text FROM documents"))
    finally:
        conn.close()
    assert stats and stats == {d: count_words(t) for d, t in texts.items() if d in stats}
    # And the facade reads them as before.
    assert (summary["participants"], summary["documents"], summary["codes"]) == (2, 4, 5)
    assert len(codings) == 5 and {c.coder for c in codings} == {"coder1", "coder2"}
    assert sorted({m.target_type for m in memos}) == [
        "code",
        "coding",
        "document",
        "participant",
        "project",
    ]
    assert len(memos) == 5 + (len(moved) if version_of(source) < 4 else 1)
    for coding_id, text in moved.items():  # each moved memo is on its coding, as a memo
        assert text in [
            m.text for m in memos if (m.target_type, m.target_id) == ("coding", coding_id)
        ]
    assert [t["label"] for t in trash] == ["R2 R2 second"]
    assert "Career design/Role model" in codes


def test_a_pseudonymised_schema_1_project_opens(tmp_path):
    # Issue 18: schema-1 qualcode made documents_original itself (`pseudonymise
    # --keep-original`), and the v2 migration then failed with "table already exists".
    source = SCHEMAS / "v1-pseudonymised.qualcode"
    path = tmp_path / source.name
    shutil.copyfile(source, path)
    with Project.open(path) as project:
        originals = project.db.execute(
            "SELECT d.title, o.text FROM documents_original o JOIN documents d "
            "ON d.id = o.document_id ORDER BY d.title"
        ).fetchall()
        texts = {d.title: project.document(d.id).text for d in project.documents()}
    assert [t for t, _ in originals] == ["R1 interview", "R1 report"]
    assert all("Novak" in text for _, text in originals)
    assert "Novak" not in texts["R1 interview"] and "Smith" in texts["R1 interview"]


def test_a_failing_migration_leaves_the_file_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "v1.qualcode"
    shutil.copyfile(SCHEMAS / "v1.qualcode", path)
    before = rows(path)

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        conn.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, broken])
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(store.MIGRATIONS))
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: cannot upgrade from schema 1 to ")
    assert "no such table: no_such_table" in message and "\n" not in message
    assert user_version(path) == 1 and rows(path) == before


def triggers_on(path: Path, table: str) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?"
        return dict(conn.execute(query, [table]).fetchall())
    finally:
        conn.close()


def test_a_migration_may_rebuild_a_table_that_others_refer_to(tmp_path, monkeypatch):
    # transform() copies documents into a new table and drops the old one: with foreign
    # keys on, the drop would cascade to segments and codings. The runner turns them off.
    # The drop also drops the table's triggers (word counts, audit log): transform()
    # creates them again, and the rename is carried into them.
    # (From schema 4: migration 4 itself moves coding memos, so codings and memos change.)
    path = tmp_path / "v4.qualcode"
    shutil.copyfile(SCHEMAS / "v4.qualcode", path)
    before = rows(path)
    extra = store.transform(
        "documents", rename={"encoding": "source_encoding"}, defaults={"kind": "report"}
    )
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, extra])
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(store.MIGRATIONS))
    store.open_db(path).conn.close()
    after = rows(path)
    assert "source_encoding" in after["documents"][0]
    assert "encoding" not in after["documents"][0]
    for table in ("codings", "segments", "documents_original", "memos"):
        assert after[table] == before[table], table
    assert sorted(after["documents"][1]) == sorted(before["documents"][1])
    triggers = triggers_on(path, "documents")
    assert sorted(triggers) == [
        "document_stats_insert",
        "document_stats_update",
        "documents_primary_insert",  # migration 7: the primary participant stays listed
        "documents_primary_update",
        "log_documents_delete",
        "log_documents_insert",
        "log_documents_update",
    ]
    assert '"source_encoding"' in triggers["log_documents_insert"]
    assert '"encoding"' not in triggers["log_documents_insert"]
    conn = sqlite3.connect(path)
    conn.create_function("qc_words", 1, count_words)  # the word count's (store.open_db does)
    conn.execute(
        "INSERT INTO documents(title, text, imported_at, position) VALUES ('new', 'a b c', '', 99)"
    )
    new_id = conn.execute("SELECT id FROM documents WHERE title = 'new'").fetchone()[0]
    assert conn.execute(
        "SELECT kind, words, chars FROM documents JOIN document_stats ON document_id = id "
        "WHERE id = ?",
        [new_id],
    ).fetchone() == ("report", 3, 5)
    assert conn.execute(
        "SELECT count(*) FROM log_changes WHERE tbl = 'documents' AND row_id = ?", [new_id]
    ).fetchone() == (1,)
    conn.close()


def test_a_transform_that_leaves_a_trigger_naming_a_dropped_column_is_refused(
    tmp_path, monkeypatch
):
    # The audit triggers of documents name its encoding column: dropping the column
    # without recreating them would break the user's next import; the upgrade fails now.
    path = tmp_path / "v4.qualcode"
    shutil.copyfile(SCHEMAS / "v4.qualcode", path)
    before = rows(path)
    extra = store.transform("documents", drop={"encoding"})
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, extra])
    monkeypatch.setattr(store, "SCHEMA_VERSION", len(store.MIGRATIONS))
    with pytest.raises(ProjectError) as caught:
        store.open_db(path)
    assert "no such column" in str(caught.value) and "encoding" in str(caught.value)
    assert user_version(path) == 4 and rows(path) == before


def test_a_script_is_split_where_sqlite_says_a_statement_ends():
    sql = """
        CREATE TABLE t (x TEXT DEFAULT 'a;b');  -- a comment; with a semicolon
        CREATE TRIGGER t_log AFTER INSERT ON t BEGIN
            INSERT INTO log VALUES ('inserted; really');
            UPDATE t SET x = x || ';' WHERE rowid = NEW.rowid;
        END;
        INSERT INTO t VALUES ('c;d')
    """
    statements = store.split_sql(sql)
    assert len(statements) == 3
    assert "CREATE TRIGGER" in statements[1] and statements[1].endswith("END;")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE log (what TEXT)")
    conn.execute("BEGIN")
    store.script(sql)(conn)  # inside the caller's transaction, not committing it
    assert conn.in_transaction
    conn.execute("COMMIT")
    assert conn.execute("SELECT x FROM t").fetchall() == [("c;d;",)]
    assert conn.execute("SELECT what FROM log").fetchall() == [("inserted; really",)]


def test_an_unterminated_script_is_refused():
    with pytest.raises(ValueError, match="ends inside a statement"):
        store.split_sql("CREATE TABLE t (x TEXT DEFAULT 'oops);")

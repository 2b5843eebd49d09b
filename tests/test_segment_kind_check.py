"""Schema 6: the segment kind is still checked, with `=` comparisons (fast to insert),
in new projects and in projects upgraded from schema 5."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from qualcode import store
from qualcode.project import Project
from qualcode.words import count_words

V5 = Path(__file__).parent / "data" / "schemas" / "v5.qualcode"


def _new(tmp_path: Path) -> Path:
    path = tmp_path / "new.qualcode"
    Project.create(path).close()
    return path


def _upgraded(tmp_path: Path) -> Path:
    path = tmp_path / "v5.qualcode"
    shutil.copyfile(V5, path)
    Project.open(path).close()
    return path


@pytest.mark.parametrize("make", [_new, _upgraded], ids=["new", "upgraded-from-v5"])
def test_segment_kinds_are_checked_without_an_in_list(tmp_path, make):
    path = make(tmp_path)
    conn = sqlite3.connect(path)
    conn.create_function("qc_words", 1, count_words)  # for the word-count trigger (store.py v10)
    try:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'segments'").fetchone()[0]
        assert " IN (" not in sql.upper()
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(segments)")}
        assert "segments_by_document" in indexes
        doc = conn.execute("SELECT min(id) FROM documents").fetchone()[0]
        if doc is None:
            conn.execute(
                "INSERT INTO documents(kind, title, text, imported_at, position)"
                " VALUES ('interview', 't', 'x', '2026-01-01', 1)"
            )
            doc = conn.execute("SELECT min(id) FROM documents").fetchone()[0]
        for kind in store.SEGMENT_KINDS:
            conn.execute(
                'INSERT INTO segments(document_id, start, "end", kind) VALUES (?, 0, 1, ?)',
                [doc, kind],
            )
        for bad in ("Sentence", "word", ""):
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(
                    'INSERT INTO segments(document_id, start, "end", kind) VALUES (?, 0, 1, ?)',
                    [doc, bad],
                )
        conn.rollback()
    finally:
        conn.close()

"""Facade part for the trash: deleted documents and codes (with their codings, segments
and memos) kept as JSON payloads until restored. Restoring checks first, then writes in
one transaction, so that a refused restore changes nothing."""

from __future__ import annotations

import json

from qualcode.errors import NotFoundError, QualcodeError
from qualcode.facade.base import ProjectBase, new_guid
from qualcode.facade.memos import add_coding_memos, restore_memos


class TrashOps(ProjectBase):
    # --- trash --------------------------------------------------------------
    def trash(self) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, kind, label, deleted_at FROM trash ORDER BY id DESC"
        ).fetchall()
        return [dict(zip(("id", "kind", "label", "deleted_at"), r)) for r in rows]

    def restore(self, trash_id: int) -> str:
        """Bring back a deleted document or code (with its codings) from the trash."""
        row = self.db.execute(
            "SELECT kind, label, payload FROM trash WHERE id = ?", [trash_id]
        ).fetchone()
        if not row:
            raise NotFoundError(f"no trash entry {trash_id}")
        kind, label, payload = row[0], row[1], json.loads(row[2])
        problem = (
            self._document_restore_problem if kind == "document" else self._codes_restore_problem
        )(payload)
        if problem:
            raise QualcodeError(f"cannot restore {kind} {label!r}: {problem}")
        with self.transaction("restore from trash") as conn:
            if kind == "document":
                self._restore_document(conn, payload)
            else:
                self._restore_codes(conn, payload)
            conn.execute("DELETE FROM trash WHERE id = ?", [trash_id])
        self._codes_cache = None
        return f"{kind} {label}"

    def _document_restore_problem(self, payload) -> str | None:
        """Why the document cannot come back as it was (None if it can): checked before
        any write, so a refused restore leaves the project and the trash entry unchanged."""
        d = payload["document"]
        if d.get("sha256"):
            again = self.db.execute(
                "SELECT id, title FROM documents WHERE sha256 = ?", [d["sha256"]]
            ).fetchone()
            if again:
                return f"the same text is in the project again as document {again[0]} {again[1]!r}"
        missing = self._missing_ids("codes", {c[2] for c in payload["codings"]})
        if missing:
            gone = sum(1 for c in payload["codings"] if c[2] in missing)
            return f"{gone} of its codings use codes deleted since; restore those codes first (`qualcode trash`)"
        return None

    def _codes_restore_problem(self, payload) -> str | None:
        """Why the codes cannot come back as they were (None if they can)."""
        ids = {c["id"] for c in payload["codes"]}
        for c in payload["codes"]:
            if c["parent_id"] in ids:
                continue
            if c["parent_id"] is not None and self._missing_ids("codes", {c["parent_id"]}):
                parent = c["path"].rsplit("/", 1)[0]
                return f"its parent {parent!r} was deleted since; restore that first (`qualcode trash`)"
            siblings = self.db.execute(
                "SELECT name FROM codes WHERE coalesce(parent_id, 0) = coalesce(?, 0)",
                [c["parent_id"]],
            ).fetchall()
            if any(name.casefold() == c["name"].casefold() for (name,) in siblings):
                return f"a code named {c['name']!r} exists there again; rename it first"
        missing = self._missing_ids("documents", {c[0] for c in payload["codings"]})
        if missing:
            gone = sum(1 for c in payload["codings"] if c[0] in missing)
            return f"{gone} of its codings are in documents deleted since; restore those first (`qualcode trash`)"
        return None

    def _missing_ids(self, table: str, ids: set[int]) -> set[int]:
        present = {r[0] for r in self.db.execute(f"SELECT id FROM {table}")}
        return set(ids) - present

    def _restore_document(self, conn, payload) -> None:
        d = payload["document"]
        ids = (
            self._upsert_participants(conn, [(d["participant"], None, {})])
            if d["participant"]
            else {}
        )
        # Keep the old id unless a newer document took it meanwhile.
        taken = conn.execute("SELECT 1 FROM documents WHERE id = ?", [d["id"]]).fetchone()
        cur = conn.execute(
            "INSERT INTO documents(id, participant_id, kind, title, source_name, sha256, encoding, text, "
            "imported_at, position, guid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                None if taken else d["id"],
                ids.get(d["participant"]),
                d["kind"],
                d["title"],
                d["source_name"],
                d["sha256"],
                d["encoding"],
                d["text"],
                d["imported_at"],
                d["position"],
                _free_guid(conn, payload.get("guid")),
            ],
        )
        doc_id = cur.lastrowid
        rows = [(doc_id, *c[:6]) for c in payload["codings"]]
        coding_ids = _insert_codings(
            conn, rows, [c[6] if len(c) > 6 else None for c in payload["codings"]]
        )
        conn.executemany(
            'INSERT INTO segments(document_id, start, "end", kind, speaker, t_start, t_end) VALUES (?,?,?,?,?,?,?)',
            [(doc_id, *s) for s in payload["segments"]],
        )
        restore_memos(
            conn, payload.get("memos", []), {"document": {d["id"]: doc_id}, "coding": coding_ids}
        )
        members = payload.get("participants", [])  # a focus group's (trash of schema 7 on)
        speakers = payload.get("speakers", [])
        if members or speakers:
            pids = sorted(set(members) | {p for _, p in speakers})
            ids = self._upsert_participants(conn, [(p, None, {}) for p in pids])
            conn.executemany(
                "INSERT OR IGNORE INTO document_participants(document_id, participant_id) "
                "VALUES (?, ?)",
                [(doc_id, ids[p]) for p in pids],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO speaker_participants(document_id, speaker, participant_id) "
                "VALUES (?, ?, ?)",
                [(doc_id, s, ids[p]) for s, p in speakers],
            )

    def _restore_codes(self, conn, payload) -> None:
        new_ids: dict[int, int] = {}
        for c in payload["codes"]:  # stored depth-first, so parents come first
            taken = conn.execute("SELECT 1 FROM codes WHERE id = ?", [c["id"]]).fetchone()
            shortcut_taken = (
                c["shortcut"]
                and conn.execute(
                    "SELECT 1 FROM codes WHERE shortcut = ?", [c["shortcut"]]
                ).fetchone()
            )
            cur = conn.execute(
                "INSERT INTO codes(id, parent_id, name, description, colour, shortcut, position, guid) "
                "VALUES (?,?,?,?,?,?,?,?)",
                [
                    None if taken else c["id"],
                    new_ids.get(c["parent_id"], c["parent_id"]),
                    c["name"],
                    c["description"],
                    c["colour"],
                    None if shortcut_taken else c["shortcut"],
                    c["position"],
                    c["guid"],
                ],
            )
            new_ids[c["id"]] = cur.lastrowid
        rows = [(*c[:3], new_ids[c[3]], *c[4:7]) for c in payload["codings"]]
        coding_ids = _insert_codings(
            conn, rows, [c[7] if len(c) > 7 else None for c in payload["codings"]]
        )
        restore_memos(conn, payload.get("memos", []), {"code": new_ids, "coding": coding_ids})


_INSERT_CODING = (
    'INSERT INTO codings(id, document_id, start, "end", code_id, coder, created_at) '
    "VALUES (?,?,?,?,?,?,?)"
)


def _insert_codings(conn, rows: list[tuple], old_ids: list[int | None]) -> dict[int, int]:
    """Insert restored codings with their old ids where free, so that memos on them
    (and undo steps naming them) still point at them. Trash entries written before
    the ids were kept have None and get new ids. Returns old id -> new id for the
    codings whose old id was taken meanwhile (inserted one by one to learn it; rare)."""
    wanted = [i for i in old_ids if i is not None]
    taken: set[int] = set()
    for chunk in range(0, len(wanted), 500):  # stay under SQLite's variable limit
        part = wanted[chunk : chunk + 500]
        taken |= {
            r[0]
            for r in conn.execute(
                f"SELECT id FROM codings WHERE id IN ({','.join('?' * len(part))})", part
            )
        }
    conn.executemany(
        _INSERT_CODING, [(i, *row[:6]) for i, row in zip(old_ids, rows) if i not in taken]
    )
    moved = {}
    for i, row in zip(old_ids, rows):
        if i is not None and i in taken:
            moved[i] = conn.execute(_INSERT_CODING, [None, *row[:6]]).lastrowid
    # Trash entries from before the one memo store carry a coding's memo in its row.
    legacy = [(i, row) for i, row in zip(old_ids, rows) if len(row) > 6 and row[6]]
    if legacy:
        memos = []
        for i, row in legacy:
            new_id = moved.get(i, i) if i is not None else None
            if new_id is None:  # no id kept: find the coding just inserted
                new_id = conn.execute(
                    'SELECT max(id) FROM codings WHERE document_id = ? AND start = ? AND "end" = ? '
                    "AND code_id = ? AND coder = ?",
                    row[:5],
                ).fetchone()[0]
            memos.append((new_id, row[6], row[4], row[5]))
        add_coding_memos(conn, memos)
    return moved


def _free_guid(conn, guid: str | None) -> str:
    """A restored document's own GUID, unless it is missing or another row took it."""
    if guid and not conn.execute("SELECT 1 FROM documents WHERE guid = ?", [guid]).fetchone():
        return guid
    return new_guid()

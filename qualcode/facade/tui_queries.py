"""Queries the workbench needs: coverage per document, counts per code, merge undo.

Kept in the facade (not the TUI) so that every statement stays beside the store; all
reads are single aggregate queries (no per-row queries), so they stay fast on a large corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from qualcode.facade.memos import restore_memos
from qualcode.models import Code, Coding

_COVERAGE_SQL = """
WITH ordered AS (
    SELECT document_id, start, "end",
           max("end") OVER (PARTITION BY document_id ORDER BY start, "end"
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM codings {where}
)
SELECT document_id, sum(max(0, "end" - max(start, coalesce(reach, 0)))) FROM ordered GROUP BY document_id
"""


@dataclass(frozen=True)
class MergeSnapshot:
    """What merge_codes changes, so that undo_merge can put it back exactly."""

    source: Code
    target_id: int
    moved_codings: tuple[int, ...]
    dropped_codings: tuple[Coding, ...]
    moved_children: tuple[int, ...]


@dataclass(frozen=True)
class DeleteSnapshot:
    """Codes (depth-first) and codings a delete removed, with their ids, and its trash entry."""

    codes: tuple[Code, ...]
    codings: tuple[Coding, ...]
    trash_id: int | None


class TuiQueries:
    def coded_chars(self, document_id: int | None = None) -> dict[int, int]:
        """Per document id: characters covered by at least one coding (overlaps counted once)."""
        where, args = (
            ("WHERE document_id = ?", [document_id]) if document_id is not None else ("", [])
        )
        return {d: n for d, n in self.db.execute(_COVERAGE_SQL.format(where=where), args)}

    def coverage(self, document_id: int | None = None) -> dict[int, float]:
        """Per document id: share (0..1) of its text that is coded."""
        covered = self.coded_chars(document_id)
        sql, args = (
            "SELECT d.id, coalesce(st.chars, length(d.text)) FROM documents d "
            "LEFT JOIN document_stats st ON st.document_id = d.id",
            [],
        )
        if document_id is not None:
            sql, args = sql + " WHERE d.id = ?", [document_id]
        return {d: (covered.get(d, 0) / n if n else 0.0) for d, n in self.db.execute(sql, args)}

    def code_usage_of(self, code_id: int) -> tuple[int, int]:
        """(codings, participants) of one code, for updating one row after a keystroke."""
        row = self.db.execute(
            "SELECT count(*), count(DISTINCT d.participant_id) FROM codings c "
            "JOIN documents d ON d.id = c.document_id WHERE c.code_id = ?",
            [code_id],
        ).fetchone()
        return row[0], row[1]

    def participant_has_code(
        self, document_id: int, code_id: int, besides: int | None = None
    ) -> bool | None:
        """Whether the participant of this document has another coding (not `besides`) of the code
        in any of their documents; None when the document has no participant. Uses the
        per-document index, so it stays fast however many codings the code has."""
        row = self.db.execute(
            # CROSS JOIN fixes the order: the participant's documents first, then their codings.
            "SELECT d.participant_id, EXISTS (SELECT 1 FROM documents o CROSS JOIN codings c "
            "ON c.document_id = o.id WHERE o.participant_id = d.participant_id AND c.code_id = ? AND c.id IS NOT ?) "
            "FROM documents d WHERE d.id = ?",
            [code_id, besides, document_id],
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return bool(row[1])

    def segment_units(
        self, document_id: int, ensure: bool = True
    ) -> dict[str, list[tuple[int, int]]]:
        """Stored segments of a document by kind, each sorted by start. With `ensure`,
        sentences an import left for later are segmented first (the workbench passes
        False and has them segmented in a worker)."""
        if ensure:
            self.ensure_sentences([document_id])
        units: dict[str, list[tuple[int, int]]] = {}
        for kind, start, end in self.db.execute(
            'SELECT kind, start, "end" FROM segments WHERE document_id = ? ORDER BY kind, start, "end"',
            [document_id],
        ):
            units.setdefault(kind, []).append((start, end))
        return units

    # --- merge that can be undone ---------------------------------------------------
    def merge_codes_undoable(self, source, target) -> MergeSnapshot:
        """merge_codes, returning what it changed."""
        src, dst = self.code(source), self.code(target)
        moved = [
            r[0] for r in self.db.execute("SELECT id FROM codings WHERE code_id = ?", [src.id])
        ]
        dropped = [
            Coding(*r)
            for r in self.db.execute(
                'SELECT c.id, c.document_id, c.start, c."end", c.code_id, c.coder, c.created_at, c.memo '
                "FROM codings c WHERE c.code_id = ? AND EXISTS (SELECT 1 FROM codings o WHERE o.code_id = ? "
                'AND o.document_id = c.document_id AND o.start = c.start AND o."end" = c."end" AND o.coder = c.coder)',
                [src.id, dst.id],
            )
        ]
        children = [c.id for c in self.codes() if c.parent_id == src.id]
        self.merge_codes(src.id, dst.id)
        dropped_ids = {c.id for c in dropped}
        return MergeSnapshot(
            src,
            dst.id,
            tuple(i for i in moved if i not in dropped_ids),
            tuple(dropped),
            tuple(children),
        )

    def undo_merge(self, snap: MergeSnapshot) -> None:
        """Bring the merged-away code back with its id, codings and children."""
        s = snap.source
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO codes(id, parent_id, name, description, colour, shortcut, position, guid) "
                "VALUES (?,?,?,?,?,?,?,?)",
                [
                    s.id,
                    s.parent_id,
                    s.name,
                    s.description,
                    s.colour,
                    s.shortcut,
                    s.position,
                    s.guid,
                ],
            )
            conn.executemany(
                "UPDATE codings SET code_id = ? WHERE id = ?",
                [(s.id, i) for i in snap.moved_codings],
            )
            conn.executemany(
                "UPDATE codes SET parent_id = ? WHERE id = ?",
                [(s.id, i) for i in snap.moved_children],
            )
            conn.executemany(
                'INSERT INTO codings(id, document_id, start, "end", code_id, coder, created_at, memo) '
                "VALUES (?,?,?,?,?,?,?,?)",
                [
                    (c.id, c.document_id, c.start, c.end, c.code_id, c.coder, c.created_at, c.memo)
                    for c in snap.dropped_codings
                ],
            )
        self._codes_cache = None

    # --- delete that can be undone with the same ids ----------------------------------
    def delete_code_undoable(self, code_id: int) -> DeleteSnapshot:
        """delete_code(force=True), remembering ids (the trash copy does not keep coding ids)."""
        ids = self.descendants(code_id)
        marks = ",".join("?" * len(ids))
        codes = tuple(c for c in self.codes() if c.id in set(ids))
        codings = tuple(
            Coding(*r)
            for r in self.db.execute(
                f'SELECT id, document_id, start, "end", code_id, coder, created_at, memo FROM codings '
                f"WHERE code_id IN ({marks})",
                ids,
            )
        )
        trash_id = self.delete_code(code_id, force=True)
        return DeleteSnapshot(codes, codings, trash_id)

    def undo_delete(self, snap: DeleteSnapshot) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO codes(id, parent_id, name, description, colour, shortcut, position, guid) "
                "VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        c.id,
                        c.parent_id,
                        c.name,
                        c.description,
                        c.colour,
                        c.shortcut,
                        c.position,
                        c.guid,
                    )
                    for c in snap.codes
                ],
            )
            conn.executemany(
                'INSERT INTO codings(id, document_id, start, "end", code_id, coder, created_at, memo) '
                "VALUES (?,?,?,?,?,?,?,?)",
                [
                    (c.id, c.document_id, c.start, c.end, c.code_id, c.coder, c.created_at, c.memo)
                    for c in snap.codings
                ],
            )
            if snap.trash_id is not None:  # it is back: its backup would only restore a duplicate
                row = conn.execute(
                    "SELECT payload FROM trash WHERE id = ?", [snap.trash_id]
                ).fetchone()
                # The memos on the codes and codings went with them; the ids are the old ones again.
                restore_memos(conn, json.loads(row[0]).get("memos", []) if row else [], {})
                conn.execute("DELETE FROM trash WHERE id = ?", [snap.trash_id])
        self._codes_cache = None

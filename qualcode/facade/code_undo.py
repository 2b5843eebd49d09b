"""Code merges and deletions that can be undone with the same ids (the workbench's undo).

The trash keeps a deleted code for `restore`, but not its codings' ids; these snapshots keep
everything, so that undo puts back exactly what was there (memos on codings included).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from qualcode.facade.base import ProjectBase
from qualcode.facade.memos import memos_on, restore_memos
from qualcode.models import Code, Coding


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


class CodeUndoOps(ProjectBase):
    # --- merge that can be undone ---------------------------------------------------
    def merge_codes_undoable(self, source, target) -> MergeSnapshot:
        """merge_codes, returning what it changed."""
        src, dst = self.code(source), self.code(target)
        moved = [
            r[0] for r in self.db.execute("SELECT id FROM codings WHERE code_id = ?", [src.id])
        ]
        dropped = [
            replace(
                Coding(*r),
                memo_rows=tuple(tuple(m) for m in memos_on(self.db.conn, {"coding": [r[0]]})),
            )
            for r in self.db.execute(
                'SELECT c.id, c.document_id, c.start, c."end", c.code_id, c.coder, c.created_at, NULL '
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
        with self.transaction("undo merge codes") as conn:
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
                'INSERT INTO codings(id, document_id, start, "end", code_id, coder, created_at) '
                "VALUES (?,?,?,?,?,?,?)",
                [
                    (c.id, c.document_id, c.start, c.end, c.code_id, c.coder, c.created_at)
                    for c in snap.dropped_codings
                ],
            )
            # Their memos had gone to the codings they duplicated: back to them.
            conn.executemany(
                "UPDATE memos SET target_id = ? WHERE id = ?",
                [(c.id, m[0]) for c in snap.dropped_codings for m in c.memo_rows],
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
                f'SELECT id, document_id, start, "end", code_id, coder, created_at, NULL FROM codings '
                f"WHERE code_id IN ({marks})",
                ids,
            )
        )
        trash_id = self.delete_code(code_id, force=True)
        return DeleteSnapshot(codes, codings, trash_id)

    def undo_delete(self, snap: DeleteSnapshot) -> None:
        with self.transaction("undo delete code") as conn:
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
                'INSERT INTO codings(id, document_id, start, "end", code_id, coder, created_at) '
                "VALUES (?,?,?,?,?,?,?)",
                [
                    (c.id, c.document_id, c.start, c.end, c.code_id, c.coder, c.created_at)
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

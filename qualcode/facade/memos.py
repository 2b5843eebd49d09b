"""Memos: free text attached to the project, a participant, a document, a code or a coding."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.errors import NotFoundError, QualcodeError
from qualcode.facade.base import utc_now

TARGETS = ("project", "participant", "document", "code", "coding")


@dataclass(frozen=True)
class Memo:
    id: int
    target_type: str
    target_id: int | None
    title: str | None
    text: str
    author: str | None
    created_at: str


class MemoOps:
    def add_memo(self, text: str, target_type: str = "project", target=None, title: str | None = None,
                 author: str | None = None, created_at: str | None = None) -> Memo:
        target_id = self._memo_target_id(target_type, target)
        if not text or not text.strip():
            raise QualcodeError("a memo cannot be empty")
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO memos(target_type, target_id, title, text, author, created_at) VALUES (?,?,?,?,?,?)",
                [target_type, target_id, title, text, author or self.coder, created_at or utc_now()],
            )
        return self.memos(memo_id=cur.lastrowid)[0]

    def memos(self, target_type: str | None = None, target=None, memo_id: int | None = None) -> list[Memo]:
        sql = "SELECT id, target_type, target_id, title, text, author, created_at FROM memos"
        where, args = [], []
        if memo_id is not None:
            where.append("id = ?")
            args.append(memo_id)
        if target_type is not None:
            where.append("target_type = ?")
            args.append(target_type)
            if target is not None:
                where.append("target_id = ?")
                args.append(self._memo_target_id(target_type, target))
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [Memo(*r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def memo_targets(self, memos: list[Memo]) -> dict[int, str]:
        """What each memo is on, by name (participant id, document title, code path,
        coding id); '(deleted)' when its target is gone. Keyed by memo id."""
        names = {
            "participant": dict(self.db.execute("SELECT id, pid FROM participants")),
            "document": dict(self.db.execute("SELECT id, title FROM documents")),
            "code": {c.id: c.path for c in self.codes()},
            "coding": {i: str(i) for (i,) in self.db.execute("SELECT id FROM codings")},
        }
        return {
            m.id: "" if m.target_type == "project" else names[m.target_type].get(m.target_id, "(deleted)")
            for m in memos
        }

    def update_memo(self, memo_id: int, text: str, title: str | None = None) -> Memo:
        if not self.memos(memo_id=memo_id):
            raise NotFoundError(f"no memo {memo_id}")
        with self.transaction() as conn:
            conn.execute("UPDATE memos SET text = ?, title = coalesce(?, title) WHERE id = ?", [text, title, memo_id])
        return self.memos(memo_id=memo_id)[0]

    def delete_memo(self, memo_id: int) -> Memo:
        found = self.memos(memo_id=memo_id)
        if not found:
            raise NotFoundError(f"no memo {memo_id}")
        with self.transaction() as conn:
            conn.execute("DELETE FROM memos WHERE id = ?", [memo_id])
        return found[0]

    def _memo_target_id(self, target_type: str, target) -> int | None:
        if target_type not in TARGETS:
            raise QualcodeError(f"memo target must be one of {', '.join(TARGETS)}")
        if target_type == "project":
            return None
        if target_type == "document":
            return self.resolve_document(target)
        if target_type == "code":
            return self.resolve_code(target)
        if target_type == "coding":
            if not str(target).strip().isdigit():
                raise NotFoundError(f"a coding is named by its id (a number), not {target!r}")
            return self.coding(int(target)).id
        row = self.db.execute("SELECT id FROM participants WHERE pid = ?", [str(target)]).fetchone()
        if not row:
            raise NotFoundError(f"no participant {target!r}")
        return row[0]

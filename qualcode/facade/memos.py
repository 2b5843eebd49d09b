"""Memos: free text attached to the project, a participant, a document, a code or a coding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qualcode.errors import NotFoundError, QualcodeError
from qualcode.facade.base import ProjectBase, utc_now

TARGETS = ("project", "participant", "document", "code", "coding")


@dataclass(frozen=True)
class Memo:
    """A memo: its text and optional title, on the project (`target_type` "project") or
    on a document, code, coding or participant (`target_id`)."""

    id: int
    target_type: str
    target_id: int | None
    title: str | None
    text: str
    author: str | None
    created_at: str


class MemoOps(ProjectBase):
    def add_memo(
        self,
        text: str,
        target_type: str = "project",
        target=None,
        title: str | None = None,
        author: str | None = None,
        created_at: str | None = None,
    ) -> Memo:
        target_id = self._memo_target_id(target_type, target)
        if not text or not text.strip():
            raise QualcodeError("a memo cannot be empty")
        with self.transaction("add memo") as conn:
            cur = conn.execute(
                "INSERT INTO memos(target_type, target_id, title, text, author, created_at) VALUES (?,?,?,?,?,?)",
                [
                    target_type,
                    target_id,
                    title,
                    text,
                    author or self.coder,
                    created_at or utc_now(),
                ],
            )
        return self.memos(memo_id=cur.lastrowid)[0]

    def memos(
        self, target_type: str | None = None, target=None, memo_id: int | None = None
    ) -> list[Memo]:
        sql = "SELECT id, target_type, target_id, title, text, author, created_at FROM memos"
        where: list[str] = []
        args: list[Any] = []
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
            m.id: ""
            if m.target_type == "project"
            else names[m.target_type].get(m.target_id, "(deleted)")
            for m in memos
        }

    def update_memo(self, memo_id: int, text: str, title: str | None = None) -> Memo:
        if not self.memos(memo_id=memo_id):
            raise NotFoundError(f"no memo {memo_id}")
        with self.transaction("edit memo") as conn:
            conn.execute(
                "UPDATE memos SET text = ?, title = coalesce(?, title) WHERE id = ?",
                [text, title, memo_id],
            )
        return self.memos(memo_id=memo_id)[0]

    def delete_memo(self, memo_id: int) -> Memo:
        found = self.memos(memo_id=memo_id)
        if not found:
            raise NotFoundError(f"no memo {memo_id}")
        with self.transaction("delete memo") as conn:
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


_MEMO_COLS = "id, target_type, target_id, title, text, author, created_at"


def coding_memo_sql(alias: str) -> str:
    """SQL for the memo text of the coding `alias`.id: its memos' texts in order, joined by
    a blank line (NULL without memos). One store: memos on codings live in `memos`."""
    return (
        "(SELECT group_concat(text, char(10) || char(10)) FROM (SELECT text FROM memos "
        f"WHERE target_type = 'coding' AND target_id = {alias}.id ORDER BY id))"
    )


def add_coding_memos(conn, rows: list[tuple[int, str, str | None, str]]) -> None:
    """Store memos on codings: (coding id, text, author, created_at); empty texts skipped."""
    conn.executemany(
        "INSERT INTO memos(target_type, target_id, title, text, author, created_at) "
        "VALUES ('coding', ?, NULL, ?, ?, ?)",
        [r for r in rows if r[1] and r[1].strip()],
    )


def memos_on(conn, targets: dict[str, list[int]]) -> list[list]:
    """Rows of the memos on these targets ({"document": [3], "coding": [10, 11]}), for a
    trash payload: deleting the targets deletes these memos too, restoring brings them back."""
    rows: list[list] = []
    for target_type, ids in targets.items():
        ids = list(ids)
        for chunk in range(0, len(ids), 500):  # stay under SQLite's variable limit
            part = ids[chunk : chunk + 500]
            rows += [
                list(r)
                for r in conn.execute(
                    f"SELECT {_MEMO_COLS} FROM memos WHERE target_type = ? "
                    f"AND target_id IN ({','.join('?' * len(part))}) ORDER BY id",
                    [target_type, *part],
                )
            ]
    return rows


def delete_memos(conn, rows: list[list]) -> None:
    conn.executemany("DELETE FROM memos WHERE id = ?", [(r[0],) for r in rows])


def restore_memos(conn, rows: list[list], new_ids: dict[str, dict[int, int]]) -> None:
    """Put back memos from a trash payload, pointing at their targets' ids after the
    restore (new_ids[target_type][old id]); each keeps its own id unless it was taken."""
    if not rows:
        return
    taken = {r[0] for r in conn.execute("SELECT id FROM memos")}
    conn.executemany(
        f"INSERT INTO memos({_MEMO_COLS}) VALUES (?,?,?,?,?,?,?)",
        [
            (None if r[0] in taken else r[0], r[1], new_ids.get(r[1], {}).get(r[2], r[2]), *r[3:])
            for r in rows
        ],
    )

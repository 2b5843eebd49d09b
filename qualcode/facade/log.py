"""The audit trail on the facade: project.log(...) (written by the triggers and
ProjectBase.transaction; see qualcode/audit.py)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from qualcode import audit
from qualcode.errors import QualcodeError
from qualcode.facade.base import ProjectBase
from qualcode.facade.pseudonymisation import PSEUDONYMISE


class LogOps(ProjectBase):
    def log(
        self, since: str | None = None, coder: str | None = None, changes: bool = False
    ) -> list[dict]:
        """Audit-log entries, oldest first: dicts with id, at (UTC ISO time), coder,
        action, summary; with changes=True also `changes`, a list of {table, row_id,
        before, after} (rows as dicts, None for no row). since: an ISO date or time
        (entries at or after it). Raises QualcodeError for a since that is not one."""
        if since:
            since = _iso_start(since)
        return audit.entries(self.db.conn, since=since, coder=coder, changes=changes)


def _iso_start(text: str) -> str:
    """An ISO date or date-time as the UTC ISO string the log compares with."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise QualcodeError(
            f"--since {text!r}: not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM)"
        ) from None
    if moment.tzinfo is not None:
        from datetime import UTC

        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


class UndoLogOps(ProjectBase):
    def undo_logged(self, entry_id: int | None = None) -> dict:
        """Reverse one audit-log entry (the last one by default): rows it added are
        deleted, rows it changed or removed get their logged before-values back, in
        reverse order, in one transaction that is itself logged ("undo ...").

        Returns the entry undone. Raises QualcodeError when there is nothing to undo,
        when a row it touched has changed since (undo the later entries first), or when
        it removed a document (its text is not in the log: `qualcode restore` it from
        the trash instead)."""
        last = self.db.execute("SELECT max(id) FROM log").fetchone()[0]
        entry_id = entry_id or last
        found = [e for e in audit.entries(self.db.conn, changes=True) if e["id"] == entry_id]
        if not found:
            raise QualcodeError(f"no log entry {entry_id}" if entry_id else "nothing to undo")
        entry = found[0]
        refused = f"cannot undo log entry {entry_id} ({entry['action']})"
        if entry["action"] == PSEUDONYMISE:
            raise QualcodeError(
                f"{refused}: the names it replaced are kept nowhere in the project (only in "
                "a copy made with --keep-original)"
            )
        final: dict[tuple[str, int], dict | None] = {}
        for c in entry["changes"]:
            final[c["table"], c["row_id"]] = c["after"]
        for (table, row_id), after in final.items():
            row = self.db.execute(
                f"SELECT {audit._json(table, table)} FROM {table} WHERE rowid = ?", [row_id]
            ).fetchone()
            if (json.loads(row[0]) if row else None) != after:
                later = self._later_entry(entry_id, table, row_id)
                if later and later[1] == PSEUDONYMISE:
                    raise QualcodeError(
                        f"{refused}: {audit.NOUNS[table]} {row_id} was changed by entry "
                        f"{later[0]} ({PSEUDONYMISE}), which cannot be undone"
                    )
                by = f" by entry {later[0]} ({later[1]})" if later else ""
                raise QualcodeError(
                    f"{refused}: {audit.NOUNS[table]} {row_id} has changed since{by}; "
                    "undo the later entries first"
                )
        added = {key for key, c in _first_before(entry["changes"]).items() if c is None}
        self._refuse_if_used(entry_id, refused, added)
        text_changed = any(
            c["table"] == "documents"
            and c["before"]
            and c["after"]
            and (c["before"]["sha256"], c["before"]["length"])
            != (c["after"]["sha256"], c["after"]["length"])
            for c in entry["changes"]
        )
        if text_changed:
            raise QualcodeError(
                f"cannot undo log entry {entry_id} ({entry['action']}): it changed a "
                "document's text, which the log does not keep"
            )
        if any(c["table"] == "documents" and c["after"] is None for c in entry["changes"]):
            raise QualcodeError(
                f"cannot undo log entry {entry_id} ({entry['action']}): it removed a document; "
                "bring it back with `qualcode restore` (see `qualcode trash`)"
            )
        try:
            self._undo_rows(entry)
        except sqlite3.IntegrityError as exc:  # a reference _refuse_if_used does not know
            raise QualcodeError(
                f"{refused}: a later change still uses a row it added ({exc}); undo the "
                "later entries first"
            ) from None
        self._codes_cache = None
        return entry

    def _undo_rows(self, entry: dict) -> None:
        """Put back the rows of one log entry (undo_logged), in one logged transaction."""
        with self.transaction(f"undo {entry['action']}") as conn:
            for c in reversed(entry["changes"]):
                table, row_id, before = c["table"], c["row_id"], c["before"]
                if before is None:
                    conn.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])
                    continue
                cols = audit.LOGGED[table]
                quoted = ", ".join('"' + k + '"' for k in cols)
                if c["after"] is None:
                    conn.execute(
                        f"INSERT INTO {table}(rowid, {quoted}) "
                        f"VALUES (?, {', '.join('?' * len(cols))})",
                        [row_id, *(before[k] for k in cols)],
                    )
                else:
                    conn.execute(
                        f"UPDATE {table} SET "
                        + ", ".join(f'"{k}" = ?' for k in cols)
                        + " WHERE rowid = ?",
                        [*(before[k] for k in cols), row_id],
                    )

    def _later_entry(self, entry_id: int, table: str, row_id: int) -> tuple[int, str] | None:
        """(id, action) of the first log entry after entry_id that changed this row."""
        row = self.db.execute(
            "SELECT l.id, l.action FROM log_changes c JOIN log l ON l.id = c.entry_id "
            "WHERE c.tbl = ? AND c.row_id = ? AND c.entry_id > ? ORDER BY c.entry_id LIMIT 1",
            [table, row_id, entry_id],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def _refuse_if_used(self, entry_id: int, refused: str, added: set[tuple[str, int]]) -> None:
        """Raise QualcodeError naming the later entry that uses a row this undo would delete
        (a code coded with or holding a code added later, a participant given a document
        later): the database refuses the delete (ON DELETE RESTRICT)."""
        for (_, row_id), (ref_table, column, what) in (
            (key, use) for key in sorted(added) for use in _USES.get(key[0], ())
        ):
            users = [
                r[0]
                for r in self.db.execute(
                    f'SELECT rowid FROM {ref_table} WHERE "{column}" = ? ORDER BY rowid', [row_id]
                )
                if (ref_table, r[0]) not in added
            ]
            if not users:
                continue
            later = self.db.execute(
                "SELECT l.id, l.action FROM log_changes c JOIN log l ON l.id = c.entry_id "
                "WHERE c.tbl = ? AND c.row_id IN (SELECT value FROM json_each(?)) "
                f"AND c.entry_id > ? AND json_extract(c.after, '$.{column}') = ? "
                "ORDER BY c.entry_id LIMIT 1",
                [ref_table, json.dumps(users), entry_id, row_id],
            ).fetchone()
            noun = audit.NOUNS[ref_table]
            if later:
                raise QualcodeError(
                    f"{refused}: entry {later[0]} ({later[1]}) {what}; undo it first"
                )
            raise QualcodeError(f"{refused}: {noun} {users[0]} {what}; remove it first")


# Rows that refer to a row of a table and keep it from being deleted (ON DELETE RESTRICT):
# table -> (referring table, column, what the reference means, said of the later entry).
_USES = {
    "codes": (
        ("codings", "code_id", "codes with this code"),
        ("codes", "parent_id", "puts a code under this code"),
    ),
    "participants": (("documents", "participant_id", "gives this participant a document"),),
}


def _first_before(changes: list[dict]) -> dict[tuple[str, int], dict | None]:
    """Each row's state before the entry: its first change's `before` (None: added)."""
    out: dict[tuple[str, int], dict | None] = {}
    for c in changes:
        out.setdefault((c["table"], c["row_id"]), c["before"])
    return out

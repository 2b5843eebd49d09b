"""The audit trail on the facade: project.log(...) (written by the triggers and
ProjectBase.transaction; see qualcode/audit.py)."""

from __future__ import annotations

from datetime import date, datetime

from qualcode.errors import QualcodeError
from qualcode.facade.base import ProjectBase


class LogOps(ProjectBase):
    def log(
        self, since: str | None = None, coder: str | None = None, changes: bool = False
    ) -> list[dict]:
        """Audit-log entries, oldest first: dicts with id, at (UTC ISO time), coder,
        action, summary; with changes=True also `changes`, a list of {table, row_id,
        before, after} (rows as dicts, None for no row). since: an ISO date or time
        (entries at or after it). Raises QualcodeError for a since that is not one."""
        from qualcode import audit

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
        import json

        from qualcode import audit

        last = self.db.execute("SELECT max(id) FROM log").fetchone()[0]
        entry_id = entry_id or last
        found = [e for e in audit.entries(self.db.conn, changes=True) if e["id"] == entry_id]
        if not found:
            raise QualcodeError(f"no log entry {entry_id}" if entry_id else "nothing to undo")
        entry = found[0]
        final: dict[tuple[str, int], dict | None] = {}
        for c in entry["changes"]:
            final[c["table"], c["row_id"]] = c["after"]
        for (table, row_id), after in final.items():
            row = self.db.execute(
                f"SELECT {audit._json(table, table)} FROM {table} WHERE rowid = ?", [row_id]
            ).fetchone()
            if (json.loads(row[0]) if row else None) != after:
                raise QualcodeError(
                    f"cannot undo log entry {entry_id} ({entry['action']}): "
                    f"{audit.NOUNS[table]} {row_id} has changed since; undo the later entries first"
                )
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
        self._codes_cache = None
        return entry

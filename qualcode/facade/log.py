"""The audit trail on the facade: project.log(...) (written by the triggers and
ProjectBase.transaction; see qualcode/audit.py)."""

from __future__ import annotations

from datetime import date, datetime

from qualcode.errors import QualcodeError


class LogOps:
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

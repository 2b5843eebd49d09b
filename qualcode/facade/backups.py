"""Backups of the open project (qualcode/backups.py does the file work): made before every
import, merge, forced delete and pseudonymisation, on the first open of a day, and on
request (`qualcode backup`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from qualcode import backups
from qualcode.backups import BackupInfo
from qualcode.facade.base import ProjectBase


class BackupOps(ProjectBase):
    @property
    def backups_keep(self) -> int:
        """How many backups rotation keeps (project setting; 0 = no automatic backups)."""
        try:
            return int(self.get_meta(backups.KEEP_KEY) or backups.DEFAULT_KEEP)
        except ValueError:
            return backups.DEFAULT_KEEP

    def set_backups_keep(self, keep: int) -> None:
        if keep < 0:
            raise ValueError("keep must be 0 or more")
        self.set_meta(backups.KEEP_KEY, str(keep))
        if keep:
            backups.rotate(self.path, keep)

    def backup(self, reason: str = "manual", target: str | Path | None = None) -> Path:
        """Write a backup now (to `target`, else into backups/ with rotation); its path.
        Raises ProjectError if it cannot be written."""
        return backups.write_backup(
            self.db.conn,
            self.path,
            reason,
            max(self.backups_keep, 1),
            Path(target) if target is not None else None,
        )

    def auto_backup(self, reason: str) -> Path | None:
        """The backup before a destructive step: skipped for an empty project or when
        backups are turned off (`config --backups 0`). Raises ProjectError if it cannot be
        written, so that the destructive step does not run without one."""
        if self.db.conn.in_transaction or self.backups_keep <= 0 or self._is_empty():
            return None  # inside a caller's transaction: the caller backed up before it
        return self.backup(reason)

    def daily_backup(self) -> Path | None:
        """On the first open of a day (UTC): a backup, unless one was made today."""
        if not self._daily_backup_due():
            return None
        try:
            return self.backup("daily")
        except Exception:  # noqa: BLE001 - opening must not fail because a backup could not be made
            return None

    def daily_backup_job(self) -> Callable[[], Path | None] | None:
        """The day's first backup as a function that may run in another thread while this
        project keeps working (the workbench runs it after its first screen, so that a
        400 MB project does not wait 0.7 s for its copy); None when no backup is due.

        The function copies through a read-only connection of its own; in WAL mode that
        copy is the state committed when it starts. It returns the backup's path, or None
        if it could not be written (opening must not fail for that)."""
        if not self._daily_backup_due():
            return None
        path, keep = self.path, max(self.backups_keep, 1)

        def job() -> Path | None:
            try:
                return backups.write_backup_of_file(path, "daily", keep)
            except Exception:  # noqa: BLE001 - as daily_backup: never fails the session
                return None

        return job

    def _daily_backup_due(self) -> bool:
        if self.backups_keep <= 0 or self._is_empty():
            return False
        last = backups.last_backup(self.path)
        today = datetime.now(UTC).date().isoformat()
        return last is None or last.time[:10] != today

    def backups(self) -> list[BackupInfo]:
        """This project's backups, oldest first, with their counts."""
        return backups.list_backups(self.path)

    def last_backup(self) -> BackupInfo | None:
        return backups.last_backup(self.path)

    def _is_empty(self) -> bool:
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM codes)"
        ).fetchone()
        return not row[0]

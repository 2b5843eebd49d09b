"""The part of the facade every other part builds on: the open database, time, coder."""

from __future__ import annotations

import getpass
import json
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from qualcode import store


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ProjectBase:
    """Holds the connection. A Project belongs to the thread that opened it."""

    def __init__(self, db: sqlite_utils.Database, path: Path):
        self.db = db
        self.path = path
        self._codes_cache = None
        self._log_as: str | None = None
        self._log_action: str | None = None

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self, action: str | None = None, coder: str | None = None):
        """Context manager: one write transaction (joins an outer one if open).

        The outermost one closes an audit-log entry (qualcode/audit.py) for whatever it
        changed just before it commits: named `action` (or log_as's name, or a summary of
        the changes), by `coder` (default: the project's coder)."""
        from qualcode import audit

        outer = not self.db.conn.in_transaction
        with store.transaction(self.db) as conn:
            if outer:
                self._log_action = action
            elif action and not self._log_action:
                self._log_action = action
            yield conn
            if outer:
                audit.close_entry(conn, self._log_as or self._log_action, coder or self.coder)

    @contextmanager
    def log_as(self, action: str):
        """Name every log entry written inside (e.g. "undo code 3-9")."""
        previous, self._log_as = self._log_as, action
        try:
            yield
        finally:
            self._log_as = previous

    # --- project metadata -------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def name(self) -> str:
        return self.get_meta("name") or self.path.stem

    @property
    def language(self) -> str:
        return self.get_meta("language") or "en"

    @property
    def coder(self) -> str:
        """The default coder: set in the project, else the login name."""
        return self.get_meta("coder") or _login_name()

    def settings(self) -> dict:
        return json.loads(self.get_meta("settings") or "{}")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; any stable name will do
        return "coder"

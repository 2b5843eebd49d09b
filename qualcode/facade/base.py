"""The part of the facade every other part builds on: the open database, time, coder."""

from __future__ import annotations

import getpass
import json
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
        self._data_version: int | None = None

    def changed_elsewhere(self) -> bool:
        """True if another connection (another workbench, a browser tab, the CLI) has committed
        to the project since the last call; the first call only takes note and returns False.
        Caches of this connection are dropped when it returns True.

        Reads SQLite's `PRAGMA data_version`, which changes exactly when another connection
        commits (https://sqlite.org/pragma.html#pragma_data_version): one cheap read.
        """
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        if changed:
            self._codes_cache = None
        return changed

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        """Context manager: one write transaction (joins an outer one if open)."""
        return store.transaction(self.db)

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

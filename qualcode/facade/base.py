"""The part of the facade every other part builds on: the open database, time, coder."""

from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from pathlib import Path

from qualcode import store


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ProjectBase:
    """Holds the connection. A Project belongs to the thread that opened it."""

    def __init__(self, db: store.Database, path: Path):
        self.db = db
        self.path = path
        self._codes_cache = None

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

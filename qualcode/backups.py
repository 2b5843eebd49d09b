"""Backups of a project: consistent copies in a `backups/` folder next to the project file.

A backup is written with SQLite's online backup API (sqlite3.Connection.backup), so it is a
consistent snapshot that includes what is still in the WAL, even while another program
writes. Each backup is one self-contained file (journal mode DELETE) named
`STEM-YYYYMMDDTHHMMSSffffffZ-REASON.qualcode`, so the folder sorts by time and the name says
why it was made. After each backup the oldest of this project's backups beyond `keep`
(project setting, `qualcode config --backups N`, default 10) are deleted.

qualcode backs up before every import, merge, forced delete, pseudonymisation and schema
migration, and on the first open of a day (UTC). No Textual, no facade: the store and the
facade call in here.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from qualcode.errors import NotFoundError, ProjectError

DEFAULT_KEEP = 10
KEEP_KEY = "backups_keep"  # in the project's meta table
FOLDER = "backups"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<time>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.qualcode$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: its path, when (UTC, ISO 8601), why, and what it holds."""

    path: Path
    name: str
    time: str
    reason: str
    documents: int | None = None
    codes: int | None = None
    codings: int | None = None


def folder_for(project_path: Path) -> Path:
    return Path(project_path).parent / FOLDER


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def write_backup(
    conn: sqlite3.Connection,
    project_path: Path,
    reason: str,
    keep: int = DEFAULT_KEEP,
    target: Path | None = None,
) -> Path:
    """Copy the open project `conn` into a new backup file (or `target`); return its path.

    Rotation keeps this project's newest `keep` backups in the folder. Raises ProjectError
    if the backup cannot be written (the project itself is never touched)."""
    project_path = Path(project_path)
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    if target is None:
        folder = folder_for(project_path)
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"{folder}: cannot create the backups folder ({exc})") from None
        target = folder / f"{project_path.stem}-{_stamp(datetime.now(UTC))}-{reason}.qualcode"
    partial = target.with_name(target.name + ".partial")
    try:
        out = sqlite3.connect(partial)
        try:
            conn.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            out.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise ProjectError(f"{target}: cannot write the backup ({exc})") from None
    if target.parent == folder_for(project_path):
        rotate(project_path, keep)
    return target


def write_backup_of_file(project_path: Path, reason: str, keep: int = DEFAULT_KEEP) -> Path:
    """As write_backup, through a new read-only connection to `project_path`, so that it
    can run in a thread of its own beside the connection that works on the project.
    Raises ProjectError if the project cannot be read or the backup cannot be written."""
    try:
        conn = sqlite3.connect(f"{Path(project_path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ProjectError(f"{project_path}: cannot read the project ({exc})") from None
    try:
        return write_backup(conn, project_path, reason, keep)
    finally:
        conn.close()


def rotate(project_path: Path, keep: int) -> list[Path]:
    """Delete this project's backups beyond the newest `keep` (at least one is kept);
    return the deleted paths."""
    backups = list_backups(project_path, counts=False)
    old = [b.path for b in backups[: max(0, len(backups) - max(keep, 1))]]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def list_backups(project_path: Path, counts: bool = True) -> list[BackupInfo]:
    """This project's backups, oldest first; with counts, each file's documents, codes and
    codings (None when the file cannot be read)."""
    project_path = Path(project_path)
    folder = folder_for(project_path)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob(f"{glob_escape(project_path.stem)}-*.qualcode")):
        match = _NAME.match(path.name)
        if not match or match["stem"] != project_path.stem:
            continue
        t = datetime.strptime(match["time"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        info = BackupInfo(path, path.name, t.isoformat(timespec="seconds"), match["reason"])
        found.append(_with_counts(info) if counts else info)
    return found


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _with_counts(info: BackupInfo) -> BackupInfo:
    try:
        conn = sqlite3.connect(f"file:{info.path}?mode=ro", uri=True)
        try:
            n = [
                conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "codes", "codings")
            ]
        finally:
            conn.close()
    except sqlite3.Error:
        return info
    return BackupInfo(info.path, info.name, info.time, info.reason, *n)


def last_backup(project_path: Path) -> BackupInfo | None:
    backups = list_backups(project_path, counts=False)
    return backups[-1] if backups else None


def find_backup(project_path: Path, name: str) -> BackupInfo:
    """The backup called `name` (its file name, or a unique start of it); NotFoundError if none."""
    backups = list_backups(project_path, counts=False)
    exact = [b for b in backups if b.name == name or str(b.path) == name]
    matches = exact or [b for b in backups if b.name.startswith(name)]
    if len(matches) != 1:
        listed = ", ".join(b.name for b in backups[-3:]) or "none"
        what = "no backup" if not matches else f"{len(matches)} backups"
        raise NotFoundError(
            f"{project_path}: {what} named {name!r} (latest: {listed}; "
            f"`qualcode backups {project_path}` lists them)"
        )
    return matches[0]


def check_backup(path: Path) -> None:
    """Refuse (ProjectError) a backup file that is damaged or not a qualcode project;
    read-only, so the file stays exactly as written."""
    from qualcode.store import SCHEMA_VERSION

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: not a usable backup ({exc})") from None
    if check != "ok" or not 1 <= version <= SCHEMA_VERSION:
        why = "damaged" if check != "ok" else f"schema {version}, not a qualcode project"
        raise ProjectError(f"{path}: not a usable backup ({why})")


def restore_into(backup: Path, project_path: Path) -> None:
    """Overwrite the project with the backup through the backup API (the project file,
    its WAL and all, become the backup's content in one step)."""
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(project_path)
        try:
            target.execute("PRAGMA busy_timeout=5000")
            source.backup(target)
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
    finally:
        source.close()

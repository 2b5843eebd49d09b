"""The part of the facade every other part builds on: the open database, time, coder.

Each area of the Project facade (qualcode/facade/*.py) is a mixin subclassing ProjectBase,
so that mypy checks every `self.` call: what all parts share (the connection, the path,
`transaction()`, project metadata) is defined here, and the few lookups one area calls on
another (a code or document by reference, adding documents or codings...) are declared here
with their types and implemented in the part named beside each. Project (qualcode.project)
puts the parts together; mypy checks that each implementation matches its declaration.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qualcode import store

if TYPE_CHECKING:
    from qualcode.codebook import Codebook
    from qualcode.facade.codings import NewCoding
    from qualcode.models import (
        Code,
        Coding,
        Document,
        DocumentInfo,
        NewDocument,
        Participant,
        Segment,
    )


def new_guid() -> str:
    """A fresh REFI-QDA GUID (uuid4, lower-case canonical text), given to every document,
    participant and code when it is created, so that exports never have to write one."""
    import uuid

    return str(uuid.uuid4())


def utc_now() -> str:
    """The current time as ISO 8601 UTC text to the second, e.g. 2026-11-30T15:29:00+00:00."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just made (sqlite3 types lastrowid as optional)."""
    if cursor.lastrowid is None:
        raise RuntimeError("no row was inserted")
    return cursor.lastrowid


class ProjectBase:
    """Holds the connection. A Project belongs to the thread that opened it."""

    # Caches, dropped by any edit that could change them.
    _codes_cache: list[Code] | None
    _suggester_cache: tuple[tuple[int, int], Any] | None = None
    # What the last codebook load decided on the user's behalf (dropped shortcuts,
    # renamed codes, sets not imported), for the CLI and TUI to show.
    codebook_notes: list[str]

    def __init__(self, db: store.ProjectDatabase, path: Path):
        self.db = db
        self.path = path
        self._codes_cache = None
        self._log_as: str | None = None
        self._log_action: str | None = None
        self._log_note: str | None = None  # appended to the entry's summary (log_note)
        self._data_version: int | None = None
        self._seen_change: int | None = None  # newest log_changes id taken note of
        self._own_changes: list[tuple[int, int]] = []  # log_changes id ranges we committed
        self.codebook_notes = []
        self._coder_given: str | None = None  # use_coder: an explicit --coder, a tab's person
        self._coder_user: str | None | bool = False  # the user-level name, read once

    def changed_elsewhere(self) -> bool:
        """True if another connection (another workbench, a browser tab, the CLI, any
        program) has changed the codebook, codings, documents, participants or memos since
        the last call; the first call only takes note and returns False. Caches of this
        connection are dropped when it is True.

        Every such change adds a row to the audit log's `log_changes` by trigger
        (qualcode/audit.py) and none is ever deleted, so ids only grow, one by one. A cheap
        `PRAGMA data_version` read comes first: it changes whenever another connection
        commits (https://sqlite.org/pragma.html#pragma_data_version), but also when one only
        checkpoints the WAL on closing; the new rows since the last call are then counted,
        less the ranges this connection committed itself (noted by `transaction`). False
        while the project cannot be read (closed, busy).
        """
        try:
            return self._changed_elsewhere()
        except sqlite3.Error:  # closed, busy or damaged just now: the next call will tell
            return False

    def _changed_elsewhere(self) -> bool:
        version = self.db.execute("PRAGMA data_version").fetchone()[0]
        newest = self.db.execute("SELECT coalesce(max(id), 0) FROM log_changes").fetchone()[0]
        seen, own = self._seen_change, self._own_changes
        self._seen_change, self._own_changes = newest, []
        if version == self._data_version or seen is None:
            self._data_version = version
            return False  # nobody else committed: every new row is ours
        self._data_version = version
        ours = sum(max(0, min(hi, newest) - max(lo, seen + 1) + 1) for lo, hi in own)
        changed = newest - seen > ours
        if changed:
            self._codes_cache = None
        return changed

    def forget_caches(self) -> None:
        """Drop what this connection cached (codes, fitted suggester), so that the next
        read sees what other connections wrote since."""
        self._codes_cache = None
        self._suggester_cache = None

    def close(self) -> None:
        """Close the connection; the WAL is folded into the project file first (store.close_db)."""
        store.close_db(self.db)

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a write waits for another program's write lock before ProjectBusyError
        (default store.BUSY_TIMEOUT_MS; the workbench waits briefly and retries itself)."""
        self.db.execute(f"PRAGMA busy_timeout={int(milliseconds)}")

    @property
    def is_open(self) -> bool:
        """False once the connection is closed (every statement would fail then)."""
        try:
            self.db.conn.total_changes  # noqa: B018 (sqlite3 refuses it on a closed connection)
        except sqlite3.ProgrammingError:
            return False
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(
        self, action: str | None = None, coder: str | None = None
    ) -> Iterator[sqlite3.Connection]:
        """Context manager: one write transaction (joins an outer one if open).

        The outermost one closes an audit-log entry (qualcode/audit.py) for whatever it
        changed just before it commits: named `action` (or log_as's name, or a summary of
        the changes), by `coder` (default: the project's coder)."""
        from qualcode import audit

        outer = not self.db.conn.in_transaction
        newest = "SELECT coalesce(max(id), 0) FROM log_changes"
        first = last = 0
        with store.transaction(self.db) as conn:
            if outer:
                self._log_action = action
                self._log_note = None
                # Rows staged from here on are this transaction's own (it holds the write
                # lock): noted once it commits, for changed_elsewhere.
                first = conn.execute(newest).fetchone()[0] + 1
            elif action and not self._log_action:
                self._log_action = action
            yield conn
            if outer:
                audit.close_entry(
                    conn, self._log_as or self._log_action, coder or self.coder, self._log_note
                )
                last = conn.execute(newest).fetchone()[0]
        if outer and last >= first:
            self._own_changes.append((first, last))

    def log_note(self, note: str) -> None:
        """Add `note` to the summary of the log entry the open transaction will write
        (a merge: whose codings it brought in)."""
        self._log_note = note

    @contextmanager
    def log_as(self, action: str) -> Iterator[None]:
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
        """The name new codings, memos and log entries record (coder_source says why):
        a name given for this session (use_coder: `--coder`, a browser tab's person), else
        the user's own name ($XDG_CONFIG_HOME/qualcode/user.json, `qualcode config --coder
        NAME`), else the project's default coder (meta "coder": right for a single-user
        project), else the login name."""
        return self.coder_and_source()[0]

    def coder_and_source(self) -> tuple[str, str]:
        """(coder, source), source one of "given" (use_coder), "user" (the user's own
        configured name), "project" (the project's default) or "login" (none of these)."""
        if self._coder_given:
            return self._coder_given, "given"
        if self._coder_user is False:
            from qualcode import user_config

            self._coder_user = user_config.remembered_coder()
        if self._coder_user:
            return str(self._coder_user), "user"
        stored = self.get_meta("coder")
        if stored:
            return stored, "project"
        return _login_name(), "login"

    def use_coder(self, name: str | None) -> str | None:
        """Record codings of this session (this Project object only, not the file) as
        `name` (stripped, NFC), whatever the user-level or project name; None goes back to
        those. Returns the name. Raises QualcodeError for an empty name."""
        import unicodedata

        from qualcode.errors import QualcodeError

        if name is None:
            self._coder_given = None
            return None
        name = unicodedata.normalize("NFC", name.strip())
        if not name:
            raise QualcodeError("the coder's name cannot be empty")
        self._coder_given = name
        return name

    @property
    def coder_is_set(self) -> bool:
        """True once the project names its default coder (`qualcode config PROJECT
        --coder`, `new --coder`, or the workbench's question on first use)."""
        return bool(self.get_meta("coder"))

    def set_coder(self, name: str) -> str:
        """Make `name` (stripped, NFC) the project's default coder (used when no name is
        given for the session and the user has not named themselves); returns it.
        Raises QualcodeError for an empty name."""
        import unicodedata

        from qualcode.errors import QualcodeError

        name = unicodedata.normalize("NFC", name.strip())
        if not name:
            raise QualcodeError("the coder's name cannot be empty")
        self.set_meta("coder", name)
        return name

    def settings(self) -> dict[str, Any]:
        """The project's settings (JSON in meta "settings"), e.g. {"spacy_model": ...}."""
        return json.loads(self.get_meta("settings") or "{}")

    if TYPE_CHECKING:
        # Lookups one area calls on another: declared for the type checker only (at run
        # time the implementation in the part named comes first in Project's MRO).

        # CodeOps (codes.py)
        def codes(self) -> list[Code]: ...
        def code(self, ref: int | str) -> Code: ...
        def resolve_code(self, ref: int | str) -> int: ...
        def descendants(self, code_id: int, include_self: bool = True) -> list[int]: ...
        def load_codebook(self, book: Codebook) -> int: ...
        def merge_codes(self, source: int | str, target: int | str) -> None: ...
        def auto_backup(self, reason: str) -> Path | None: ...
        def backup(self, reason: str = "manual", target: str | Path | None = None) -> Path: ...
        def delete_code(self, ref: int | str, force: bool = False) -> int | None: ...

        # SpeakerOps (speakers.py)
        def interviewer_turns(self, document_id: int) -> list[tuple[int, int]]: ...
        def in_interviewer_turn(self, document_id: int, start: int, end: int) -> bool: ...

        # DocumentOps (documents.py)
        def document(self, ref: int | str) -> Document: ...
        def documents(self, participant: str | None = None) -> list[DocumentInfo]: ...
        def participants(self) -> list[Participant]: ...
        def resolve_document(self, ref: int | str) -> int: ...
        def add_documents(self, docs: list[NewDocument]) -> list[int]: ...
        def segments(self, document: int | str, kind: str | None = None) -> list[Segment]: ...
        def _upsert_participants(
            self,
            conn: sqlite3.Connection,
            rows: Sequence[tuple[str, str | None, Mapping[str, str | None]]],
            guids: Mapping[str, str] | None = None,
        ) -> dict[str, int]: ...
        @staticmethod
        def _participant_ids(conn: sqlite3.Connection) -> dict[str, int]: ...
        @staticmethod
        def _insert_segments(conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None: ...
        @staticmethod
        def _to_trash(
            conn: sqlite3.Connection, kind: str, label: str, payload: dict[str, Any]
        ) -> int: ...

        # CodingOps (codings.py)
        def coding(self, coding_id: int) -> Coding: ...
        def add_codings(self, rows: list[NewCoding]) -> list[int]: ...
        def _check_span(self, doc_id: int, start: int, end: int) -> None: ...

        # SegmentOps (segment.py)
        def nlp(self, on_notice: Callable[[str], None] | None = None) -> Any: ...
        def pipeline_description(self) -> str: ...
        def segment_documents(
            self,
            doc_ids: Iterable[int] | None = None,
            progress: Callable[[int, int], None] | None = None,
            on_notice: Callable[[str], None] | None = None,
            characters: Callable[[int, int], None] | None = None,
            segmenter: Any = None,
        ) -> dict[str, int]: ...
        def ensure_sentences(
            self,
            doc_ids: Iterable[int] | None = None,
            characters: Callable[[int, int], None] | None = None,
            segmenter: Any = None,
        ) -> int: ...
        def _sentence_rows(
            self,
            items: Sequence[tuple[int, str, Sequence[tuple[int, int, str | None]] | None, bool]],
            nlp: Any,
            progress: Callable[[int, int], None] | None = None,
            characters: Callable[[int, int], None] | None = None,
            segmenter: Any = None,
        ) -> list[tuple[int, str, Any, list[str | None]]]: ...

        # IngestOps (ingest.py)
        def _store_sentences(
            self,
            conn: sqlite3.Connection,
            ids: list[int],
            mode: str,
            rows: list[tuple[int, str, Any, list[str | None]]],
        ) -> None: ...

        # InteropOps (interop.py)
        def export_qdc(self, path: str | Path) -> int: ...

        # MergeOps (merge.py)
        def merge_from(self, other: Any, name: str, dry_run: bool = False) -> Any: ...


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; any stable name will do
        return "coder"

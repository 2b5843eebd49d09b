"""The Project facade: the one object the CLI, the TUI and tests call.

It is assembled from one part per area (qualcode/facade/*.py, each a mixin on the typed
ProjectBase, which declares what the parts share) so that each area's queries stay in a
file small enough to read; none of them imports textual, and pandas or spacy only inside
the methods that need them.
"""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from pathlib import Path

from qualcode import store
from qualcode.codebook import Codebook
from qualcode.errors import CorruptProjectError, ProjectError
from qualcode.facade.agreement import AgreementOps
from qualcode.facade.analysis import AnalysisOps
from qualcode.facade.backups import BackupOps
from qualcode.facade.base import ProjectBase
from qualcode.facade.code_undo import CodeUndoOps
from qualcode.facade.codes import CodeOps
from qualcode.facade.codings import CodingOps
from qualcode.facade.codings_file import CodingsFileOps
from qualcode.facade.coverage import CoverageOps
from qualcode.facade.documents import DocumentOps
from qualcode.facade.ingest import IngestOps
from qualcode.facade.interop import InteropOps
from qualcode.facade.language import LANGUAGE_CHOSEN_KEY, LanguageOps
from qualcode.facade.log import LogOps, UndoLogOps
from qualcode.facade.member_check import MemberCheckOps
from qualcode.facade.memos import MemoOps
from qualcode.facade.merge import MergeOps
from qualcode.facade.participants import ParticipantOps
from qualcode.facade.pseudonymisation import PseudonymisationOps
from qualcode.facade.retrieval import RetrievalOps
from qualcode.facade.search import SearchOps
from qualcode.facade.segment import SegmentOps
from qualcode.facade.speakers import SpeakerOps
from qualcode.facade.suggestions import SuggestionOps
from qualcode.facade.trash import TrashOps


class Project(
    MemberCheckOps,
    MergeOps,
    UndoLogOps,
    LogOps,
    InteropOps,
    TrashOps,
    CodeUndoOps,
    CoverageOps,
    AgreementOps,
    AnalysisOps,
    CodingsFileOps,
    IngestOps,
    PseudonymisationOps,
    SuggestionOps,
    LanguageOps,
    SegmentOps,
    MemoOps,
    RetrievalOps,
    SearchOps,
    SpeakerOps,
    CodingOps,
    CodeOps,
    ParticipantOps,
    DocumentOps,
    BackupOps,
    ProjectBase,
):
    """An open qualcode project (one SQLite file)."""

    @classmethod
    def create(
        cls,
        path: str | Path,
        name: str | None = None,
        codebook: Codebook | None = None,
        language: str | None = None,
        coder: str | None = None,
    ) -> Project:
        """A new project at `path` (a missing or empty file). `language` (a spaCy code)
        given is the user's choice, kept by imports; without it the project is English
        until its first import reads the documents' language (facade.language). Raises
        ProjectError when `path` already holds something."""
        path = Path(path)
        # An empty file (from `touch` or mktemp) may become the project; anything else is kept.
        if path.exists() and (path.is_dir() or path.stat().st_size > 0):
            raise ProjectError(f"{path}: already exists (open it instead, or choose another name)")
        project = cls(store.open_db(path, create=True), path)
        with project.transaction() as conn:
            conn.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [("name", name or path.stem), ("language", language or "en")]
                + ([(LANGUAGE_CHOSEN_KEY, "1")] if language else [])
                + ([("coder", unicodedata.normalize("NFC", coder))] if coder else []),
            )
        if codebook is not None:
            project.load_codebook(codebook)
        return project

    @classmethod
    def open(cls, path: str | Path, daily_backup: bool = True, check: bool = True) -> Project:
        """Open an existing project; on the first open of a day (UTC) a backup is made.
        check=False skips the integrity check (store.open_db), for a second connection
        of a session whose own open made it. Raises ProjectError, CorruptProjectError."""
        path = Path(path)
        project = cls(store.open_db(path, check=check), path)
        if daily_backup:
            project.daily_backup()
        return project

    def another_connection(self) -> Project:
        """This project opened again on a connection of its own, for a worker thread (an
        SQLite connection belongs to the thread that made it). No integrity check and no
        daily backup: this project's own open did both. Close it when done (`with`).
        Raises ProjectError if the file cannot be opened."""
        return type(self).open(self.path, daily_backup=False, check=False)

    @classmethod
    def restore_backup(cls, path: str | Path, name: str) -> tuple[Path | None, Path]:
        """Replace the project at `path` with its backup `name` (qualcode/backups.py).

        The current state is backed up first (reason before-restore; for a damaged file,
        its bytes are copied aside instead). Returns (that backup or None, the restored
        backup's path). Raises NotFoundError for an unknown name, ProjectError if the
        backup itself is not a sound qualcode project."""
        from qualcode import backups

        path = Path(path)
        chosen = backups.find_backup(path, name)
        backups.check_backup(chosen.path)  # a damaged or foreign backup is refused here
        before: Path | None = None
        try:
            with cls.open(path, daily_backup=False) as current:
                before = current.backup("before-restore")
        except CorruptProjectError:
            before = (
                backups.folder_for(path) / f"{path.stem}-damaged-{chosen.time[:10]}.qualcode.bad"
            )
            shutil.copyfile(path, before)
        except ProjectError:
            before = None  # missing or not a project: nothing worth keeping
        try:
            backups.restore_into(chosen.path, path)
        except sqlite3.Error:
            for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                extra.unlink(missing_ok=True)
            shutil.copyfile(chosen.path, path)
        return before, chosen.path

    def summary(self) -> dict:
        """Counts for a status line or `qualcode info`."""
        q = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "name": self.name,
            "path": str(self.path),
            "participants": q("SELECT count(*) FROM participants"),
            "documents": q("SELECT count(*) FROM documents"),
            # Kept per document by a trigger (store.py, v3): see store._WORDS.
            "words": q("SELECT coalesce(sum(words), 0) FROM document_stats"),
            "codes": q("SELECT count(*) FROM codes"),
            "codings": q("SELECT count(*) FROM codings"),
            "coders": self._coder_count(),
            "segments": q("SELECT count(*) FROM segments"),
        }

    def _coder_count(self) -> int:
        """Distinct coders (coders_with_codings)."""
        return len(self.coders_with_codings())

    def coders_with_codings(self, limit: int | None = None) -> list[str]:
        """The coders (sorted) who have codings in the project, at most `limit` of them;
        found by stepping through the codings_by_coder index (one lookup per coder
        instead of a scan of every coding). Empty for a project nobody has coded yet."""
        coders: list[str] = []
        while limit is None or len(coders) < limit:
            row = self.db.execute(
                "SELECT min(coder) FROM codings WHERE coder > ?"
                if coders
                else "SELECT min(coder) FROM codings",
                coders[-1:],
            ).fetchone()
            if row[0] is None:
                break
            coders.append(row[0])
        return coders

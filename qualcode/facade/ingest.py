"""Importing source files into a project: the facade side of qualcode.ingest.

Imports are all-or-nothing per batch. Every file is read and parsed first; if
any file fails (unsupported, binary, empty, undecodable, corrupt, or the same
bytes as a document already in the project or another file of the batch), nothing
is stored and one ImportError_ lists every failed file with its reason. Otherwise
participants and their attributes, the documents, their turn and paragraph
segments and their sentence segments are written in a single transaction.

Sentences (`sentences=`): "now" segments them during the import, "later" (what the
command line and the workbench do) leaves them to be segmented when first needed
(SegmentOps.ensure_sentences: opening the document, coding by sentence, an analysis
by sentence), "no" leaves them out (`qualcode segment` adds them). All the slow work,
decoding, turn detection and segmentation, is done before the write transaction
opens, so the project is locked only while the rows are inserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.bulk import collector_paused
from qualcode.errors import ImportError_, refuse_all
from qualcode.facade.base import ProjectBase
from qualcode.models import NewDocument
from qualcode.plural import noun, plural

if TYPE_CHECKING:
    from qualcode.ingest import ManifestEntry
    from qualcode.ingest.batch import PackedSource

# = qualcode.ingest.formats.DEFAULT_MAX_SOURCE_BYTES (tests/test_startup.py checks): the
# importers are loaded when a file is imported, not by every command that opens a project.
DEFAULT_MAX_SOURCE_BYTES = 50 * 1024 * 1024

_SQL_VARIABLES = 500  # stay far below SQLite's limit on bound parameters


@dataclass(frozen=True)
class ImportedFile:
    """One imported file in an ImportReport: the document made, how it was read
    (encoding), its size in code points and its units (turns, paragraphs, sentences)."""

    document_id: int
    source_name: str
    title: str
    participant: str | None
    kind: str
    encoding: str
    characters: int
    turns: int
    paragraphs: int
    sentences: int | None  # 0 when imported with sentences="no", None when "later"
    notes: tuple[str, ...] = ()  # decisions taken and content left out, for the summary


@dataclass
class ImportReport:
    """What an import did, for its summary: one ImportedFile per document and the
    decisions taken for the whole batch."""

    files: list[ImportedFile] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)  # taken for the whole batch
    # the documents' language: set by this import, or differing from the project's
    # (facade.language.LanguageDecision.lines); shown as they are, also by the workbench
    language: list[str] = field(default_factory=list)

    @property
    def participants(self) -> list[str]:
        return sorted({f.participant for f in self.files if f.participant})

    def lines(self) -> list[str]:
        """One summary line per file (then its notes: what was decided or left out),
        then a total line (what `qualcode import` prints)."""
        out = []
        for f in self.files:
            sentences = "later" if f.sentences is None else format(f.sentences, ",")
            # counts right-aligned, their words (singular of 1: "1 turn ") left-aligned
            said = "sentences" if f.sentences is None else noun(f.sentences, "sentence")
            out.append(
                f"{f.participant or '-':<8} {f.kind:<10} {f.encoding:<10} "
                f"{f.characters:>9,} {noun(f.characters, 'char'):<5} "
                f"{f.turns:>5} {noun(f.turns, 'turn'):<5} {sentences:>6} {said:<9}  "
                f"{f.source_name}"
            )
            out += [f"  note: {f.source_name}: {note}" for note in f.notes]
        out += self.language
        out += [f"note: {decision}" for decision in self.decisions]
        out.append(
            f"imported {plural(len(self.files), 'document')} for "
            f"{plural(len(self.participants), 'participant')}"
        )
        if any(f.sentences is None for f in self.files):
            out.append(LATER_NOTE)
        return out


LATER_NOTE = (
    "sentences: segmented when first needed (opening a document, coding or analysing by "
    "sentence); `qualcode segment PROJECT` does it now"
)
SENTENCE_MODES = ("now", "later", "no")


def sentence_mode(sentences: bool | str) -> str:
    """ "now", "later" or "no" from the `sentences` argument of the imports (True is
    "now", False "no"); raises ImportError_ for anything else."""
    mode = (
        {True: "now", False: "no"}.get(sentences, sentences)
        if isinstance(sentences, bool)
        else sentences
    )
    if mode not in SENTENCE_MODES:
        raise ImportError_(f"sentences={sentences!r}: expected one of {', '.join(SENTENCE_MODES)}")
    return mode


@dataclass(frozen=True)
class _Planned:
    """A source read and checked, waiting to be stored with its participant and kind."""

    source: PackedSource
    participant: str | None
    kind: str


class IngestOps(ProjectBase):
    @collector_paused()
    def import_files(
        self,
        paths: Iterable[str | Path],
        participant: str | None = None,
        kind: str = "interview",
        attributes: dict[str, str] | None = None,
        *,
        sentences: bool | str = True,
        on_notice: Callable[[str], None] | None = None,
        encoding: str | None = None,
        participant_of: Mapping[Path, str | None] | None = None,
        max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    ) -> ImportReport:
        """Import files (.txt, .md, .docx, .vtt, .srt) as documents of one participant,
        or each of the participant `participant_of` maps it to (read from its file name:
        qualcode.ingest.participant_names; the summary says so, with the files left
        without one).

        All-or-nothing: if any file fails, nothing is imported and the ImportError_
        lists each failed file and why. `attributes` are set on `participant`.
        sentences: "now" (or True), "later" or "no" (or False), see the module
        docstring; on_notice receives the segmenter's notices (e.g. model fallback).
        A file over `max_bytes` (a .docx: decompressed) is refused (ingest.read_source);
        `encoding` forces the codec of text and subtitle files (e.g. "cp1251"); without
        it the encoding is detected, with the project language as a hint.
        """
        files = [Path(p) for p in paths]
        if not files:
            raise ImportError_("no files to import")
        participant = (participant or "").strip() or None
        if attributes and not participant:
            raise ImportError_("attributes need a participant (give --participant)")
        kind = _checked_kind(kind)
        people = [(participant, None, dict(attributes or {}))] if participant else []
        if participant or participant_of is None:
            return self._import_planned(
                [(path, participant, kind) for path in files],
                people,
                sentences,
                on_notice,
                max_bytes,
                encoding,
            )
        found = {path: participant_of.get(path) for path in files}
        people = [(pid, None, {}) for pid in dict.fromkeys(v for v in found.values() if v)]
        report = self._import_planned(
            [(path, found[path], kind) for path in files],
            people,
            sentences,
            on_notice,
            max_bytes,
            encoding,
        )
        named = sum(1 for v in found.values() if v)
        report.decisions.append(
            f"participants taken from the file names: {named} of {plural(len(files), 'file')}"
            + (
                f"; {len(files) - named} without a participant id in the name (shown as -)"
                if named < len(files)
                else ""
            )
        )
        return report

    def import_manifest(
        self,
        csv_path: str | Path,
        *,
        sentences: bool | str = True,
        on_notice: Callable[[str], None] | None = None,
        max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    ) -> ImportReport:
        """Import the files a manifest CSV lists, with participants, kinds and attributes.

        The manifest is validated first (every problem reported with its line); then
        the batch is imported all-or-nothing, as in import_files (same options).
        """
        from qualcode.ingest import read_manifest

        entries = read_manifest(csv_path)
        attributes: dict[str, dict[str, str]] = {}
        for entry in entries:
            attributes.setdefault(entry.participant, {}).update(entry.attributes)
        people = [(pid, None, attrs) for pid, attrs in attributes.items()]
        return self._import_planned(
            [_plan_entry(e) for e in entries], people, sentences, on_notice, max_bytes
        )

    # --- internals ------------------------------------------------------------
    def _import_planned(
        self, plan, people, sentences, on_notice, max_bytes=DEFAULT_MAX_SOURCE_BYTES, encoding=None
    ) -> ImportReport:
        from qualcode.ingest.batch import read_sources

        parsed: list[_Planned] = []
        failures: list[str] = []
        # Read, decoded, turns and paragraphs found: across cores for a large batch.
        outcomes = read_sources([path for path, _, _ in plan], max_bytes, encoding, self.language)
        for (_, participant, kind), outcome in zip(plan, outcomes, strict=True):
            if isinstance(outcome, str):
                failures.append(outcome)
            else:
                parsed.append(_Planned(outcome, participant, kind))
        failures.extend(self._duplicate_problems([p.source for p in parsed]))
        header = (
            f"nothing imported: {plural(len(failures), 'problem')} in a batch of "
            f"{plural(len(plan), 'file')}"
        )
        refuse_all(failures, header, ImportError_)
        docs = [_new_document(p) for p in parsed]
        mode = sentence_mode(sentences)
        # Before the sentences: those segmented now use the language the import sets.
        language = self.documents_language([(p.source.source_name, p.source.text) for p in parsed])
        rows = []
        if mode == "now":  # before the transaction: the lock is held only to insert
            rows = self._sentence_rows(
                [
                    (n, p.source.text, p.source.turn_spans(), p.source.paragraphs == 0)
                    for n, p in enumerate(parsed)
                ],
                self.nlp(on_notice, language.language),
            )
        self.auto_backup("before-import")
        with self.transaction("import") as conn:
            if people:
                self._upsert_participants(conn, people)
            ids = self.add_documents(docs)  # joins this transaction
            self._store_sentences(conn, ids, mode, rows)
            self._store_language(conn, language)
        counts = {ids[key]: len(speakers) for key, _, _, speakers in rows}
        decisions = [] if mode == "no" else [self._segmenter_note(mode)]
        return ImportReport(
            [
                ImportedFile(
                    doc_id,
                    p.source.source_name,
                    p.source.title,
                    p.participant,
                    p.kind,
                    p.source.encoding,
                    len(p.source.text),
                    p.source.turns,
                    p.source.paragraphs,
                    None if mode == "later" else counts.get(doc_id, 0),
                    tuple(p.source.notes),
                )
                for doc_id, p in zip(ids, parsed)
            ],
            decisions,
            language.lines,
        )

    def _segmenter_note(self, mode: str) -> str:
        """The summary's line on which pipeline segments (or will segment) the sentences."""
        when = "segmented" if mode == "now" else "to be segmented"
        return f"sentences {when} by the {self.pipeline_description()}"

    def _store_sentences(self, conn, ids: list[int], mode: str, rows) -> None:
        """Inside an import's transaction: the sentence rows computed before it (keyed
        by position in `ids`), or the documents marked for later segmentation."""
        from qualcode.facade.segment import _insert_rows

        if mode == "now":
            _insert_rows(conn, [(ids[key], kind, offsets, who) for key, kind, offsets, who in rows])
        elif mode == "later":
            conn.executemany(
                "INSERT OR IGNORE INTO sentences_pending(document_id) VALUES (?)",
                [(i,) for i in ids],
            )

    def _duplicate_problems(self, sources: list[PackedSource]) -> list[str]:
        """Messages for files whose bytes repeat in the batch or in the project, and for
        files whose text, once decoded, is a document's already: the same transcript in
        another encoding or with other line endings (compared as merge compares
        documents: NFC, \\n newlines, trailing whitespace ignored; facade.merge.text_key).
        Such a file is refused like a byte-for-byte copy: its codings would count twice."""
        from qualcode.facade.merge import text_key

        problems: list[str] = []
        first: dict[str, PackedSource] = {}
        flagged: set[int] = set()
        for source in sources:
            earlier = first.setdefault(source.sha256, source)
            if earlier is not source:
                flagged.add(id(source))
                problems.append(
                    f"{source.source_name}: same content as {earlier.source_name} "
                    f"({earlier.path}) in this batch"
                )
        shas = list(first)
        for i in range(0, len(shas), _SQL_VARIABLES):
            chunk = shas[i : i + _SQL_VARIABLES]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT sha256, id, title, source_name FROM documents WHERE sha256 IN ({marks})",
                chunk,
            ).fetchall()
            for sha, doc_id, title, source_name in rows:
                flagged.add(id(first[sha]))
                problems.append(
                    f"{first[sha].source_name}: same content as document {doc_id} {title!r} "
                    f"(imported from {source_name}) already in the project"
                )
        by_text: dict[str, PackedSource] = {}
        for source in sources:
            if id(source) in flagged:
                continue
            key = text_key(source.text)
            earlier = by_text.setdefault(key, source)
            if earlier is not source:
                problems.append(
                    f"{source.source_name}: same text as {earlier.source_name} in this batch "
                    "once decoded (another encoding or other line endings)"
                )
                continue
            for doc_id, title, source_name, text in self.db.execute(
                "SELECT d.id, d.title, d.source_name, d.text FROM documents d "
                "JOIN document_stats st ON st.document_id = d.id "
                "WHERE st.chars >= ? AND substr(d.text, 1, ?) = ?",
                [len(key), len(key[:64]), key[:64]],
            ):
                if text_key(text) == key:
                    problems.append(
                        f"{source.source_name}: same text as document {doc_id} {title!r} "
                        f"(imported from {source_name}) once decoded (another encoding or "
                        "other line endings): already in the project"
                    )
                    break
        return problems


def _checked_kind(kind: str | None) -> str:
    kind = (kind or "").strip()
    if not kind:
        raise ImportError_("document kind is empty (e.g. --kind interview)")
    return kind


def _plan_entry(entry: ManifestEntry) -> tuple[Path, str, str]:
    return entry.path, entry.participant, entry.kind


def _new_document(planned: _Planned) -> NewDocument:
    source = planned.source
    return NewDocument(
        participant=planned.participant,
        kind=planned.kind,
        title=source.title,
        text=source.text,
        source_name=source.source_name,
        sha256=source.sha256,
        encoding=source.encoding,
        segments=source.segments,  # packed: an import holds every document's at once
    )

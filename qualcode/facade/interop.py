"""REFI-QDA in and out of a project: QDC codebooks and QDPX projects.

Mapping (both directions): users <-> coders, codebook <-> codes (GUIDs kept in
codes.guid), cases <-> participants, variables <-> attributes (types kept in the
project meta, else inferred), text sources <-> documents, selections+codings <->
codings, notes <-> memos (a note on a selection or coding becomes the coding's
memo). An import is all-or-nothing: the archive is read and checked completely
before the one transaction that stores it.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.bulk import collector_paused
from qualcode.codebook import PALETTE, SLASH_RULE, CodeSpec, load_codebook, nfc
from qualcode.codebook import Codebook as YamlCodebook
from qualcode.errors import InteropError
from qualcode.facade.base import ProjectBase, utc_now
from qualcode.models import PackedSegments
from qualcode.plural import plural

if TYPE_CHECKING:
    from qualcode.interop.model import Code, ImportSummary, QdaProject

USER_GUIDS_KEY = "refi_user_guids"  # meta: {coder name: REFI user GUID}
VARIABLE_TYPES_KEY = "refi_variable_types"  # meta: {attribute name: REFI variable type}
NOT_CODABLE_KEY = "refi_not_codable"  # meta: {"guids": [codes imported with isCodable="false"]}


def refi_code_name(name: str, notes: list[str]) -> str:
    """A code name from another tool as qualcode stores it: NFC, and '/' (which
    separates path levels here) replaced by '-', with a note saying so."""
    stored = nfc(name.strip())
    if "/" in stored:
        fixed = stored.replace("/", "-")
        notes.append(f"code {stored!r} renamed {fixed!r}: {SLASH_RULE}")
        return fixed
    return stored


def _to_spec(code: Code, notes: list[str]) -> CodeSpec:
    return CodeSpec(
        refi_code_name(code.name, notes),
        code.description,
        code.color,
        None,
        code.guid,
        [_to_spec(c, notes) for c in code.children],
    )


CODEBOOK_SUFFIXES = (".qdc", ".yaml", ".yml")


def codebook_format(path: str | Path) -> str:
    """ "qdc" or "yaml" for a codebook file: by its suffix (.qdc, .yaml, .yml), else by
    its first bytes (XML is a REFI-QDA codebook, other text YAML). Raises InteropError
    for a qualcode project or another SQLite file, a binary file, or one that cannot be
    read, naming the file and the formats taken."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        return "qdc"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError as exc:
        raise InteropError(f"{path.name}: cannot read ({exc.strerror or exc})") from None
    expected = "expected a REFI-QDA codebook (.qdc) or a YAML codebook (.yaml, .yml)"
    if head.startswith(b"SQLite format 3\x00"):
        raise InteropError(f"{path.name}: a project, not a codebook file ({expected})")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "qdc"
    if b"\x00" in head:
        raise InteropError(f"{path.name}: not a codebook ({expected})")
    return "yaml"


def read_codebook_file(path: str | Path) -> tuple[YamlCodebook, list[str]]:
    """Any codebook file the workbench takes, as (codebook, notes): a REFI-QDA .qdc
    (from NVivo, MAXQDA, ATLAS.ti, qualcode...; its code groups are noted as not
    imported, sibling names made unique) or a qualcode YAML codebook, told apart by
    codebook_format. The one loader of `new --codebook`, `import-codebook`, `codebook
    show` and the workbench's new-project dialog. Raises QualcodeError (InteropError,
    CodebookError) naming the file."""
    from qualcode.errors import CodebookError

    path = Path(path)
    notes: list[str] = []
    if codebook_format(path) == "yaml":
        if path.suffix.lower() in CODEBOOK_SUFFIXES:
            return load_codebook(path), notes
        try:  # a file named otherwise that is no YAML codebook: say what was expected
            return load_codebook(path), notes
        except CodebookError as exc:
            detail = str(exc).removeprefix(f"{path}: ")
            raise InteropError(
                f"{path.name}: not a codebook (expected a REFI-QDA codebook (.qdc) or a YAML "
                f"codebook (.yaml, .yml); read as YAML: {detail})"
            ) from None
    from qualcode.interop.qdc import read_qdc

    book = read_qdc(path)
    yaml_book = YamlCodebook(path.stem, "", [_to_spec(code, notes) for code in book.codes])
    _dedupe_siblings(yaml_book.codes, notes)
    notes += [
        f"code group (Set) {s.name!r} with {plural(len(s.member_codes), 'code')} not imported: "
        "qualcode has no code groups"
        for s in book.sets
    ]
    return yaml_book, notes


class InteropOps(ProjectBase):
    # --- codebooks ---------------------------------------------------------------
    def import_codebook(self, path: str | Path) -> int:
        """Add the codes of a codebook file (read_codebook_file: a REFI-QDA .qdc or a
        YAML codebook); returns how many were added (codes already there, same path, are
        updated, not doubled)."""
        yaml_book, notes = read_codebook_file(path)
        self._free_taken_guids(yaml_book)
        added = self.load_codebook(yaml_book)
        self.codebook_notes = notes + self.codebook_notes
        return added

    def _free_taken_guids(self, book: YamlCodebook) -> None:
        """A GUID already held by a code at another path (renamed or moved since the
        codebook was exported) or repeated in the file would break codes.guid's
        uniqueness: such a code is added with a fresh GUID instead."""
        from qualcode.interop.model import export_guid

        held = {export_guid(c.guid, "code"): nfc(c.path) for c in self.codes() if c.guid}
        seen: set[str] = set()
        for path, spec, _depth in book.walk():
            if not spec.guid:
                continue
            key = export_guid(spec.guid, "code")
            if key in seen or held.get(key, path) != path:
                spec.guid = None
            else:
                seen.add(key)

    def export_qdc(self, path: str | Path) -> int:
        """Write the codebook as a REFI-QDA .qdc file; returns the number of codes. Writes
        nothing to the project: GUIDs are given when rows are made (schema 11)."""
        from qualcode.facade.interop_export import project_codebook
        from qualcode.interop.model import Codebook, walk_codes
        from qualcode.interop.qdc import write_qdc

        _check_output(path, ".qdc")
        book = project_codebook(self)
        _write(write_qdc, Codebook(codes=book), path)
        return sum(1 for _ in walk_codes(book))

    # --- projects ----------------------------------------------------------------
    def export_qdpx(self, path: str | Path) -> QdaProject:
        """Write the whole project as a REFI-QDA .qdpx archive; returns what was written.
        Writes nothing to the project (no log entry, nothing for undo): every document,
        participant and code has kept its GUID since it was made, so exports repeat them."""
        from qualcode.facade.interop_export import project_to_refi
        from qualcode.interop.qdpx import write_qdpx

        _check_output(path, ".qdpx")
        refi = project_to_refi(self)
        _write(write_qdpx, refi, path)
        return refi

    @collector_paused()
    def import_qdpx(
        self, path: str | Path, limits=None, sentences: bool | str = False, on_notice=None
    ) -> ImportSummary:
        """Import a .qdpx archive into this project, all or nothing. sentences: "now"
        (or True), "later" or "no" (or False), as in import_files; turns, paragraphs
        and sentences are found before the write transaction opens. A project with no
        documents yet that still bears its file name takes the archive's project name."""
        from qualcode.facade.ingest import sentence_mode
        from qualcode.interop.model import ImportSummary
        from qualcode.interop.qdpx import read_qdpx
        from qualcode.interop.qdpx_ahead import StructuresAhead
        from qualcode.interop.safezip import DEFAULT_LIMITS

        path = Path(path)
        # Turns and paragraphs of the archive's texts, found by workers while this
        # process reads project.qde and stores everything else; they are wanted last.
        ahead = StructuresAhead(path, limits or DEFAULT_LIMITS)
        try:
            refi = read_qdpx(path, limits or DEFAULT_LIMITS)
            summary = ImportSummary(path.name, not_imported=list(refi.not_imported))
            # Every source where readings differed and one was chosen, with the reason.
            summary.positions = [
                f"{s.name}: {s.positions} ({s.positions_reason})"
                for s in refi.sources
                if s.selections and s.positions_reason
            ]
            if self._holds_a_source_of(refi):
                ahead.stop()
                return self._import_qdpx_by_merging(path, limits, sentences, on_notice)
            mode = sentence_mode(sentences)
            # Before the sentences: those segmented now use the language the import sets.
            language = self.documents_language([(s.name, s.text) for s in refi.sources])
            summary.language = language.lines
            rows: list = []
            if mode == "now" and refi.sources:  # before the transaction: it needs the turns
                found = ahead.structures(refi.sources)
                rows = self._sentence_rows(
                    [
                        (n, s.text, _turn_spans(found[n]), not _has_paragraphs(found[n]))
                        for n, s in enumerate(refi.sources)
                    ],
                    self.nlp(on_notice, language.language),
                )
            self.auto_backup("before-import")
            # A project that holds nothing yet and still has its default name (its file
            # name) takes the archive's project name: export then import keeps it.
            fresh = (
                self.name == self.path.stem
                and not self.db.execute("SELECT 1 FROM documents LIMIT 1").fetchone()
            )
            with self.transaction("import REFI-QDA project") as conn:
                if fresh and refi.name.strip() and refi.name != "qualcode project":
                    conn.execute(
                        "INSERT INTO meta(key, value) VALUES ('name', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        [nfc(refi.name.strip())],
                    )
                doc_ids = self._store_refi(
                    conn, refi, summary, lambda: ahead.structures(refi.sources)
                )
                self._store_sentences(conn, doc_ids, mode, rows)
                self._store_language(conn, language)
            if mode == "now":
                summary.sentences = sum(len(r[3]) for r in rows if r[1] == "sentence")
            elif mode == "later" and doc_ids:
                summary.sentences = None
            summary.segmenter = self.pipeline_description()
        finally:
            ahead.stop()
            self._codes_cache = None
        return summary

    def _holds_a_source_of(self, refi) -> bool:
        """Whether a source of the archive is already here (same GUID or same text)."""
        from qualcode.facade.merge import text_key
        from qualcode.interop.model import export_guid

        held = {
            export_guid(r[0], "document")
            for r in self.db.execute("SELECT guid FROM documents WHERE guid IS NOT NULL")
        }
        if any(s.guid in held for s in refi.sources):
            return True
        texts = {text_key(t) for (t,) in self.db.execute("SELECT text FROM documents")}
        return any(text_key(getattr(s, "text", "") or "") in texts for s in refi.sources)

    def _import_qdpx_by_merging(self, path: Path, limits, sentences, on_notice) -> ImportSummary:
        """Another coder's export of documents this project holds: read it into a scratch
        project, then merge that in (qualcode/facade/merge.py), all in one transaction."""
        import tempfile

        from qualcode.project import Project

        with tempfile.TemporaryDirectory() as tmp:
            # In this project's language, so that the scratch's sentences are this project's
            # and its import changes no language; what the documents read as is said below.
            scratch = Project.create(
                Path(tmp) / "incoming.qualcode", name=path.stem, language=self.language
            )
            try:
                summary = scratch.import_qdpx(
                    path, limits, sentences=sentences, on_notice=on_notice
                )
                summary.merged = self.merge_from(scratch, path.name).lines()
                texts = scratch.db.execute("SELECT title, text FROM documents ORDER BY position")
                summary.language = self.documents_language(list(texts)).lines
            finally:
                scratch.close()
        return summary

    # --- helpers -----------------------------------------------------------------
    def _meta_json(self, key: str) -> dict:
        return json.loads(self.get_meta(key) or "{}")

    def _store_refi(
        self,
        conn,
        refi: QdaProject,
        summary: ImportSummary,
        structures: Callable[[], list[PackedSegments]] | None = None,
    ) -> list[int]:
        """Write what `refi` holds. `structures()` gives the sources' turn and paragraph
        segments (found here when not given); it is called last, after everything else
        is written, so that workers finding them have the most time. Returns the new
        document ids in source order."""
        from qualcode.facade.codings import NewCoding
        from qualcode.facade.interop_export import DOCUMENT_KIND, attribute_text
        from qualcode.ingest.structure import structure
        from qualcode.models import NewDocument, document_segment_rows

        users = {user.guid: user.name for user in refi.users}
        code_ids = self._store_codes(conn, refi.codebook.codes, summary)
        self._codes_cache = None

        # Cases -> participants (by name), variables -> attributes; the document variable
        # "document kind" -> documents.kind, other document variables are reported.
        variables = {v.guid: v for v in refi.variables}
        kind_guids = {v.guid for v in refi.variables if v.name.strip().casefold() == DOCUMENT_KIND}
        other = collections.Counter(
            variables[g].name for s in refi.sources for g in s.values if g not in kind_guids
        )
        summary.not_imported += [
            f"document variable {name!r} on {plural(n, 'source')} (qualcode keeps the document kind)"
            for name, n in other.items()
        ]
        pid_of_case: dict[str, str] = {}
        taken: set[str] = set()
        for case in refi.cases:
            pid = _unique(nfc(case.name.strip()) or case.guid, taken)
            pid_of_case[case.guid] = pid
        rows = [
            (
                pid_of_case[c.guid],
                c.description or None,
                {variables[g].name: attribute_text(v) for g, v in c.values.items()},
            )
            for c in refi.cases
        ]
        # A new participant takes its case's GUID; one already here keeps its own.
        guids = {pid_of_case[c.guid]: c.guid for c in refi.cases}
        if rows:
            self._upsert_participants(conn, rows, guids)
        summary.cases, summary.variables = len(refi.cases), len(refi.variables) - len(kind_guids)
        types = self._meta_json(VARIABLE_TYPES_KEY)
        types.update({v.name: v.type for v in refi.variables if v.guid not in kind_guids})

        participant_of_source: dict[str, str] = {}
        cases_of_source: dict[str, list[str]] = {}
        for case in refi.cases:
            for source_guid in case.source_guids:
                participant_of_source.setdefault(source_guid, pid_of_case[case.guid])
                cases_of_source.setdefault(source_guid, []).append(pid_of_case[case.guid])
        # A source in several cases (a focus group) belongs to each of them; the first is
        # its primary participant. Without a speaker mapping its codings count for all.
        name_of = {s.guid: s.name for s in refi.sources}
        shared = {g: pids for g, pids in cases_of_source.items() if len(pids) > 1 and g in name_of}
        summary.shared += [
            f"{name_of[g]!r}: {', '.join(pids)} (speakers not mapped: each coding counts for "
            f"all; map them with `qualcode set-speaker`)"
            for g, pids in shared.items()
        ]

        def kind(source) -> str:
            found = [str(v) for g, v in source.values.items() if g in kind_guids and v]
            return found[0] if found else "interview"

        docs = [
            NewDocument(
                participant_of_source.get(s.guid),
                kind(s),
                s.name,
                s.text,
                s.name,
                None,
                "utf-8",
                PackedSegments(),  # inserted last (below)
                s.guid,
            )
            for s in refi.sources
        ]
        doc_ids = (
            dict(zip((s.guid for s in refi.sources), self.add_documents(docs))) if docs else {}
        )
        summary.sources = len(docs)
        if shared:
            people = self._participant_ids(conn)
            conn.executemany(
                "INSERT OR IGNORE INTO document_participants(document_id, participant_id) "
                "VALUES (?, ?)",
                [(doc_ids[g], people[pid]) for g, pids in shared.items() for pid in pids],
            )

        # Notes on a selection or coding become that coding's memo.
        coding_memo: dict[str, list[str]] = {}
        for note in refi.notes:
            for target in note.target_guids:
                coding_memo.setdefault(target, []).append(note.text)
        codings, empty = [], 0
        for source in refi.sources:
            for sel in source.selections:
                if sel.end <= sel.start:
                    empty += len(sel.codings)
                    continue
                for coding in sel.codings:
                    memo = "\n\n".join(
                        coding_memo.get(sel.guid, []) + coding_memo.get(coding.guid, [])
                    )
                    codings.append(
                        NewCoding(
                            doc_ids[source.guid],
                            sel.start,
                            sel.end,
                            code_ids[coding.code_guid],
                            users.get(coding.user_guid or "") or None,
                            memo or None,
                            _created(coding.created or sel.created),
                        )
                    )
        if empty:
            summary.not_imported.append(
                f"{plural(empty, 'coding')} of empty selections (start = end)"
            )
        coding_ids = self.add_codings(codings)
        summary.codings = len(coding_ids)

        guid_users = self._meta_json(USER_GUIDS_KEY)
        for user in refi.users:
            guid_users.setdefault(user.name, user.guid)
        summary.users = len(refi.users)
        for key, value in ((USER_GUIDS_KEY, guid_users), (VARIABLE_TYPES_KEY, types)):
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )
        summary.notes = self._store_notes(conn, refi, users, code_ids, doc_ids, pid_of_case)
        found = structures() if structures else [structure(s.text) for s in refi.sources]
        self._insert_segments(
            conn, document_segment_rows(zip(doc_ids.values(), found, strict=True))
        )
        return list(doc_ids.values())

    def _store_codes(self, conn, roots: list[Code], summary: ImportSummary) -> dict[str, int]:
        """Insert the code tree (GUIDs kept); a code whose GUID, or path, is already in
        the project is the same code and is reused."""
        from qualcode.interop.model import export_guid, walk_codes

        by_guid = {
            export_guid(r[1], "code"): r[0]
            for r in conn.execute("SELECT id, guid FROM codes WHERE guid IS NOT NULL")
        }
        existing = {
            (r[1] or 0, nfc(r[2])): r[0]
            for r in conn.execute("SELECT id, parent_id, name FROM codes")
        }
        position, last_id = conn.execute(
            "SELECT coalesce(max(position), 0), coalesce(max(id), 0) FROM codes"
        ).fetchone()
        ids: dict[str, int] = {}
        rows: list[tuple] = []  # ids given here, so one executemany inserts the whole tree
        new_names: dict[int, set[str]] = {}
        renamed: list[str] = []
        not_codable = set(self._meta_json(NOT_CODABLE_KEY).get("guids", []))
        for n, (code, parent, _depth) in enumerate(walk_codes(roots)):
            parent_id = ids[parent.guid] if parent else None
            code_name = refi_code_name(code.name, renamed)
            key = (parent_id or 0, code_name)
            if code.guid in by_guid:
                ids[code.guid] = by_guid[code.guid]
                continue
            if key in existing:
                ids[code.guid] = existing[key]
                continue
            siblings = new_names.setdefault(parent_id or 0, set())
            name = _unique(code_name, siblings)
            if name != code_name:
                renamed.append(f"code {code_name!r} renamed {name!r}: a sibling has the same name")
            position += 1
            last_id += 1
            ids[code.guid] = last_id
            rows.append(
                (
                    last_id,
                    parent_id,
                    name,
                    code.description or "",
                    code.color or PALETTE[n % len(PALETTE)],
                    position,
                    code.guid,
                )
            )
            if not code.is_codable:
                not_codable.add(code.guid)
        conn.executemany(
            "INSERT INTO codes(id, parent_id, name, description, colour, position, guid) "
            "VALUES (?,?,?,?,?,?,?)",
            rows,
        )
        summary.codes = len(rows)
        summary.renamed += renamed
        if not_codable:
            # Kept so that an export says isCodable="false" again (NVivo's aggregate nodes).
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value",
                [NOT_CODABLE_KEY, json.dumps({"guids": sorted(not_codable)})],
            )
        return ids

    def _store_notes(self, conn, refi: QdaProject, users, code_ids, doc_ids, pid_of_case) -> int:
        coding_targets = {sel.guid for s in refi.sources for sel in s.selections}
        coding_targets |= {
            c.guid for s in refi.sources for sel in s.selections for c in sel.codings
        }
        participants = self._participant_ids(conn)
        rows = []
        for note in refi.notes:
            targets = [t for t in note.target_guids if t not in coding_targets]
            if not targets and note.target_guids:
                continue  # stored as coding memos
            for target in targets or ["project"]:
                if target in code_ids:
                    kind, target_id = "code", code_ids[target]
                elif target in doc_ids:
                    kind, target_id = "document", doc_ids[target]
                elif target in pid_of_case:
                    kind, target_id = "participant", participants[pid_of_case[target]]
                else:
                    kind, target_id = "project", None
                rows.append(
                    (
                        kind,
                        target_id,
                        note.name or None,
                        note.text,
                        users.get(note.user_guid),
                        _created(note.created) or utc_now(),
                    )
                )
        conn.executemany(
            "INSERT INTO memos(target_type, target_id, title, text, author, created_at) "
            "VALUES (?,?,?,?,?,?)",
            rows,
        )
        return len(refi.notes)


def _turn_spans(packed: PackedSegments) -> list[tuple[int, int, str | None]]:
    return [(s.start, s.end, s.speaker) for s in packed if s.kind == "turn"]


def _has_paragraphs(packed: PackedSegments) -> bool:
    return any(s.kind == "paragraph" for s in packed)


def _created(text: str | None) -> str | None:
    """A producer's xsd:dateTime as qualcode's ISO time, or None if unreadable."""
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat(timespec="seconds")
    except ValueError:
        return None


def _unique(name: str, taken: set[str], fold: bool = False) -> str:
    """`name`, or `name (2)`, `name (3)`... whichever is not taken yet (and take it)."""
    key = (lambda s: s.casefold()) if fold else (lambda s: s)
    candidate, n = name, 1
    while key(candidate) in taken:
        n += 1
        candidate = f"{name} ({n})"
    taken.add(key(candidate))
    return candidate


def _dedupe_siblings(specs: list[CodeSpec], notes: list[str]) -> None:
    """REFI-QDA allows repeated names under one parent; qualcode paths need them
    distinct. Names differing only in case are distinct; each rename is noted."""
    taken: set[str] = set()
    for spec in specs:
        name = _unique(spec.name, taken)
        if name != spec.name:
            notes.append(f"code {spec.name!r} renamed {name!r}: a sibling has the same name")
            spec.name = name
        _dedupe_siblings(spec.children, notes)


def _check_output(path, suffix: str) -> None:
    """Refuse, before anything is computed, a file another tool would not open by its
    name, or one in a folder that does not exist."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise InteropError(f"{path.name}: a REFI-QDA {suffix} file must be named {suffix}")
    if not path.parent.is_dir():
        raise InteropError(f"{path}: cannot write (folder {path.parent} does not exist)")


def _write(writer, content, path) -> None:
    try:
        writer(content, path)
    except OSError as exc:
        raise InteropError(f"{path}: cannot write ({exc.strerror or exc})") from None

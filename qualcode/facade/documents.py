"""Participants, their attributes, documents and their segments."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence

from qualcode.codebook import nfc
from qualcode.errors import AmbiguousError, ImportError_, NotFoundError, QualcodeError
from qualcode.facade.base import ProjectBase, new_guid, utc_now
from qualcode.facade.memos import delete_memos, memos_on
from qualcode.models import (
    Document,
    DocumentInfo,
    NewDocument,
    Participant,
    Segment,
    SegmentRow,
    document_segment_rows,
    segment_rows,
)
from qualcode.plural import noun
from qualcode.store import SEGMENT_KINDS

_DOC_COLUMNS = "d.id, p.pid, d.kind, d.title, d.source_name"


class DocumentOps(ProjectBase):
    # --- participants -------------------------------------------------------
    def upsert_participants(
        self, rows: Iterable[tuple[str, str | None, Mapping[str, str | None]]]
    ) -> None:
        """Add or update participants (pid, label, attributes) in one transaction.

        Attributes given are set (an empty value removes one); others are kept.
        """
        rows = list(rows)
        with self.transaction("set participants") as conn:
            self._upsert_participants(conn, rows)

    def _upsert_participants(
        self,
        conn: sqlite3.Connection,
        rows: Sequence[tuple[str, str | None, Mapping[str, str | None]]],
        guids: Mapping[str, str] | None = None,
    ) -> dict[str, int]:
        """Insert or update participants (pid, label, attributes); a new one gets its GUID
        from `guids` (by pid as given: a REFI case's) or a fresh one. Returns ids by pid."""
        for pid, _, _ in rows:
            if not pid or not str(pid).strip():
                raise QualcodeError("participant id is empty")
        # Ids, attribute names and values are stored NFC (as typed on any system); the
        # ids returned are keyed by the ids as given too, so callers can look theirs up.
        given = [pid for pid, _, _ in rows]
        rows = [
            (
                nfc(pid),
                label,
                {nfc(k): (nfc(v) if isinstance(v, str) else v) for k, v in (attrs or {}).items()},
            )
            for pid, label, attrs in rows
        ]
        guid_of = {nfc(k): v for k, v in (guids or {}).items()}
        conn.executemany(
            "INSERT INTO participants(pid, label, guid) VALUES (?, ?, ?) "
            "ON CONFLICT(pid) DO UPDATE SET label = coalesce(excluded.label, label)",
            [(pid, label, guid_of.get(pid) or new_guid()) for pid, label, _ in rows],
        )
        ids = self._participant_ids(conn)
        sets: list[tuple[int, str, str | None]] = []
        deletes: list[tuple[int, str, str | None]] = []
        for pid, _, attrs in rows:
            for name, value in (attrs or {}).items():
                (sets if value not in (None, "") else deletes).append((ids[pid], name, value))
        conn.executemany(
            "INSERT INTO attributes(participant_id, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT(participant_id, name) DO UPDATE SET value = excluded.value",
            sets,
        )
        conn.executemany(
            "DELETE FROM attributes WHERE participant_id = ? AND name = ?",
            [(i, n) for i, n, _ in deletes],
        )
        for pid in given:
            ids.setdefault(pid, ids[nfc(pid)])
        return ids

    @staticmethod
    def _participant_ids(conn) -> dict[str, int]:
        return {pid: i for i, pid in conn.execute("SELECT id, pid FROM participants")}

    def participants(self) -> list[Participant]:
        attrs: dict[int, dict[str, str]] = {}
        for pid_id, name, value in self.db.execute(
            "SELECT participant_id, name, value FROM attributes ORDER BY name"
        ):
            attrs.setdefault(pid_id, {})[name] = value
        rows = self.db.execute("SELECT id, pid, label FROM participants").fetchall()
        people = [Participant(i, pid, label, attrs.get(i, {})) for i, pid, label in rows]
        return sorted(people, key=lambda p: _natural_key(p.pid))

    def attribute_names(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT name FROM attributes ORDER BY name")]

    def participants_where(self, name: str, value: str) -> list[str]:
        """Participant ids whose attribute `name` equals `value` (case-insensitive)."""
        rows = self.db.execute(
            "SELECT p.pid FROM participants p JOIN attributes a ON a.participant_id = p.id "
            "WHERE a.name = ? AND a.value = ? COLLATE NOCASE",
            [name, value],
        )
        return sorted((r[0] for r in rows), key=_natural_key)

    # --- documents ----------------------------------------------------------
    def add_documents(self, docs: list[NewDocument]) -> list[int]:
        """Store documents and their segments in one transaction; return their ids.

        A source already in the project (same sha256), or twice in the batch, is
        refused and nothing of the batch is stored.
        """
        shas = [d.sha256 for d in docs if d.sha256]
        seen: dict[str, str] = {}
        for d in docs:
            if d.sha256 and d.sha256 in seen:
                raise ImportError_(
                    f"{d.source_name or d.title}: same content as {seen[d.sha256]} in this batch"
                )
            if d.sha256:
                seen[d.sha256] = d.source_name or d.title
        if shas:
            marks = ",".join("?" * len(shas))
            dup = self.db.execute(
                f"SELECT sha256, title, source_name FROM documents WHERE sha256 IN ({marks})", shas
            ).fetchone()
            if dup:
                raise ImportError_(
                    f"{seen[dup[0]]}: already imported as document {dup[1]!r} (source {dup[2]}, same sha256)"
                )
        now = utc_now()
        with self.transaction("add documents") as conn:
            people = sorted({d.participant for d in docs if d.participant}, key=_natural_key)
            ids = self._upsert_participants(conn, [(pid, None, {}) for pid in people])
            start = conn.execute("SELECT coalesce(max(position), 0) FROM documents").fetchone()[0]
            first = conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0] + 1
            kind_of = self._kind_spelling(conn)
            doc_ids = list(range(first, first + len(docs)))
            conn.executemany(
                "INSERT INTO documents(id, participant_id, kind, title, source_name, sha256, encoding, "
                "text, imported_at, position, guid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    (
                        doc_id,
                        ids.get(d.participant) if d.participant else None,
                        kind_of(d.kind),
                        d.title,
                        d.source_name,
                        d.sha256,
                        d.encoding,
                        d.text,
                        now,
                        start + n,
                        d.guid or new_guid(),
                    )
                    for n, (doc_id, d) in enumerate(zip(doc_ids, docs), start=1)
                ),
            )
            self._insert_segments(
                conn, document_segment_rows((i, d.segments) for i, d in zip(doc_ids, docs))
            )
        return doc_ids

    @staticmethod
    def _kind_spelling(conn):
        """One spelling per kind: 'Interview' joins the project's 'interview', which the
        filters treat as the same kind, instead of making a second column in the tables."""
        spelling = {k.casefold(): k for (k,) in conn.execute("SELECT DISTINCT kind FROM documents")}
        return lambda kind: spelling.setdefault(kind.casefold(), kind)

    def documents(self, participant: str | None = None) -> list[DocumentInfo]:
        sql = (
            # the length from document_stats (store.py v3): no need to read every text, and
            # the columns come from the index documents_listing (v8), not the big rows
            f"SELECT {_DOC_COLUMNS}, coalesce(st.chars, "
            "(SELECT length(t.text) FROM documents t WHERE t.id = d.id)), d.position "
            "FROM documents d LEFT JOIN participants p ON p.id = d.participant_id "
            "LEFT JOIN document_stats st ON st.document_id = d.id"
        )
        args: list = []
        participant = nfc(participant) if participant else participant
        if participant:  # every document of theirs, focus groups included
            sql += (
                " WHERE d.id IN (SELECT dp.document_id FROM document_participants dp "
                "JOIN participants p2 ON p2.id = dp.participant_id WHERE p2.pid = ?)"
            )
            args.append(participant)
        rows = self.db.execute(sql + " ORDER BY d.position", args).fetchall()
        if (
            participant
            and not rows
            and not self.db.execute(
                "SELECT 1 FROM participants WHERE pid = ?", [participant]
            ).fetchone()
        ):
            raise NotFoundError(f"no participant {participant!r}")
        return [DocumentInfo(*r) for r in rows]

    def documents_without_participant(self) -> list[str]:
        """Titles of the documents that belong to nobody (no participant, no mapped
        speaker), in import order: the frequency tables, which count participants, cannot
        count them (a REFI-QDA project without cases, files with no id in their name)."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT d.title FROM documents d WHERE d.participant_id IS NULL AND NOT EXISTS "
                "(SELECT 1 FROM document_participants dp WHERE dp.document_id = d.id) "
                "ORDER BY d.position, d.id"
            )
        ]

    def document(self, ref: int | str) -> Document:
        doc_id = self.resolve_document(ref)
        row = self.db.execute(
            f"SELECT {_DOC_COLUMNS}, d.text, d.encoding, d.sha256, d.imported_at, d.position "
            "FROM documents d LEFT JOIN participants p ON p.id = d.participant_id WHERE d.id = ?",
            [doc_id],
        ).fetchone()
        return Document(*row)

    def resolve_document(self, ref: int | str) -> int:
        """A document by id, title, source file name, or 'R7 interview' style; failing
        those, by title or file name ignoring case, then without its suffix ('admin' for
        the title 'admin.txt', as a listing's reader would type it), when that finds one.
        Raises NotFoundError (naming close titles) or AmbiguousError."""
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            row = self.db.execute("SELECT id FROM documents WHERE id = ?", [int(ref)]).fetchone()
            if row:
                return row[0]
            raise NotFoundError(f"no document with id {ref}")
        ref = nfc(ref)
        rows = self.db.execute(
            "SELECT d.id, d.title FROM documents d LEFT JOIN participants p ON p.id = d.participant_id "
            "WHERE d.title = ? OR d.source_name = ? OR (p.pid || ' ' || d.kind) = ? COLLATE NOCASE",
            [ref, ref, ref],
        ).fetchall()
        if not rows:
            rows = self._loose_document(ref)
        if len(rows) == 1:
            return rows[0][0]
        if not rows:
            raise NotFoundError(
                f"no document named {ref!r} (use an id, or a title or file name as "
                "`qualcode documents` lists them)"
            )
        raise AmbiguousError(
            f"document {ref!r} is ambiguous: ids {', '.join(str(r[0]) for r in rows)}"
        )

    def _loose_document(self, ref: str) -> list:
        """(id, title) of the documents whose title or file name equals ref ignoring case,
        else whose title or file name without its suffix does."""
        folded = ref.casefold()
        every = self.db.execute("SELECT id, title, coalesce(source_name, '') FROM documents")
        rows = every.fetchall()
        same = [(i, t) for i, t, s in rows if folded in (t.casefold(), s.casefold())]
        if same:
            return same

        def stem(name: str) -> str:
            head, dot, tail = name.rpartition(".")
            return head.casefold() if dot and head and tail.isalnum() else name.casefold()

        return [(i, t) for i, t, s in rows if folded in (stem(t), stem(s) if s else "")]

    def update_document(
        self,
        ref: int | str,
        participant: str | None = None,
        kind: str | None = None,
        title: str | None = None,
    ) -> Document:
        """Give a document a participant (e.g. after a QDPX import without cases), a kind or a title.

        Codings, segments and offsets are untouched; the participant is created if new.
        """
        doc = self.document(ref)
        for name, value in (("participant", participant), ("kind", kind), ("title", title)):
            if value is not None and not value.strip():
                raise QualcodeError(f"document {doc.title!r}: {name} cannot be empty")
        with self.transaction("edit document") as conn:
            if participant is not None:
                ids = self._upsert_participants(conn, [(participant.strip(), None, {})])
                conn.execute(
                    "UPDATE documents SET participant_id = ? WHERE id = ?",
                    [ids[participant.strip()], doc.id],
                )
            if kind is not None:
                conn.execute(
                    "UPDATE documents SET kind = ? WHERE id = ?",
                    [self._kind_spelling(conn)(kind.strip()), doc.id],
                )
            if title is not None:
                conn.execute("UPDATE documents SET title = ? WHERE id = ?", [title.strip(), doc.id])
        return self.document(doc.id)

    def set_speaker(self, ref: int | str, speaker: str, participant: str) -> list[str]:
        """Map a speaker label of a document's turns ("Interviewee 2") to a participant,
        who then also belongs to the document (a focus group). From then on a coding in
        this document counts for the participants whose mapped turns it overlaps.

        Mapping a speaker again corrects it: the participant it named before leaves the
        document, unless another of its turns is mapped to them or it is the document's
        own (primary) participant. One transaction.

        Returns the document's participants (pids, primary first). Raises NotFoundError
        if the document has no turn of that speaker, QualcodeError if a name is empty."""
        doc = self.document(ref)
        speaker, participant = nfc(speaker.strip()), nfc(participant.strip())
        if not speaker or not participant:
            raise QualcodeError("give a speaker label and a participant id")
        speakers = [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT speaker FROM segments WHERE document_id = ? AND kind = 'turn' "
                "AND speaker IS NOT NULL ORDER BY speaker",
                [doc.id],
            )
        ]
        if speaker not in speakers:
            raise NotFoundError(
                f"document {doc.title!r} has no turns of speaker {speaker!r} "
                f"(speakers: {', '.join(speakers) or 'none'})"
            )
        with self.transaction("set speaker") as conn:
            ids = self._upsert_participants(conn, [(participant, None, {})])
            if doc.participant is None:
                conn.execute(
                    "UPDATE documents SET participant_id = ? WHERE id = ?",
                    [ids[participant], doc.id],
                )
            conn.execute(
                "INSERT OR IGNORE INTO document_participants(document_id, participant_id) "
                "VALUES (?, ?)",
                [doc.id, ids[participant]],
            )
            before = conn.execute(
                "SELECT participant_id FROM speaker_participants WHERE document_id = ? "
                "AND speaker = ?",
                [doc.id, speaker],
            ).fetchone()
            conn.execute(
                "INSERT INTO speaker_participants(document_id, speaker, participant_id) "
                "VALUES (?, ?, ?) ON CONFLICT(document_id, speaker) DO UPDATE SET "
                "participant_id = excluded.participant_id",
                [doc.id, speaker, ids[participant]],
            )
            if before and before[0] != ids[participant]:
                # A corrected mapping: the participant it named leaves the document unless
                # another turn of it is theirs or it is the document's own participant.
                conn.execute(
                    "DELETE FROM document_participants WHERE document_id = ? "
                    "AND participant_id = ? AND participant_id IS NOT "
                    "(SELECT participant_id FROM documents WHERE id = ?) AND NOT EXISTS "
                    "(SELECT 1 FROM speaker_participants WHERE document_id = ? "
                    "AND participant_id = ?)",
                    [doc.id, before[0], doc.id, doc.id, before[0]],
                )
        return self.document_participants(doc.id)

    def add_document_participants(self, ref: int | str, participants: list[str]) -> list[str]:
        """Make a document belong to these participants too (a focus group), created if
        new; the first becomes its primary participant if it had none. Without a speaker
        map (set_speaker) each coding in it then counts for every one of them.

        Returns the document's participants (pids, primary first). Raises QualcodeError
        for an empty id, NotFoundError for an unknown document."""
        doc = self.document(ref)
        pids = [nfc(p.strip()) for p in participants]
        if not pids or not all(pids):
            raise QualcodeError(f"document {doc.title!r}: give participant ids to add")
        with self.transaction("add document participants") as conn:
            ids = self._upsert_participants(conn, [(p, None, {}) for p in pids])
            if doc.participant is None:
                conn.execute(
                    "UPDATE documents SET participant_id = ? WHERE id = ?", [ids[pids[0]], doc.id]
                )
            conn.executemany(
                "INSERT OR IGNORE INTO document_participants(document_id, participant_id) "
                "VALUES (?, ?)",
                [(doc.id, ids[p]) for p in pids],
            )
        return self.document_participants(doc.id)

    def speaker_map(self, ref: int | str) -> dict[str, str | None]:
        """Every speaker label of a document's turns -> the pid it is mapped to (None when
        not mapped), labels in alphabetical order."""
        doc_id = self.resolve_document(ref)
        rows = self.db.execute(
            "SELECT DISTINCT s.speaker, p.pid FROM segments s LEFT JOIN speaker_participants sp "
            "ON sp.document_id = s.document_id AND sp.speaker = s.speaker "
            "LEFT JOIN participants p ON p.id = sp.participant_id "
            "WHERE s.document_id = ? AND s.kind = 'turn' AND s.speaker IS NOT NULL "
            "ORDER BY s.speaker",
            [doc_id],
        )
        return dict(rows.fetchall())

    def shared_documents(self) -> dict[int, list[str]]:
        """Documents of several participants (focus groups): id -> pids, primary first."""
        out: dict[int, list[str]] = {}
        for doc_id, pid in self.db.execute(
            "SELECT dp.document_id, p.pid FROM document_participants dp JOIN participants p "
            "ON p.id = dp.participant_id JOIN documents d ON d.id = dp.document_id "
            "WHERE dp.document_id IN (SELECT document_id FROM document_participants "
            "GROUP BY document_id HAVING count(*) > 1) "
            "ORDER BY dp.document_id, p.id IS NOT d.participant_id, p.pid"
        ):
            out.setdefault(doc_id, []).append(pid)
        return out

    def document_participants(self, ref: int | str) -> list[str]:
        """The pids a document belongs to, its primary participant first."""
        doc_id = self.resolve_document(ref)
        return [
            r[0]
            for r in self.db.execute(
                "SELECT p.pid FROM document_participants dp JOIN participants p "
                "ON p.id = dp.participant_id JOIN documents d ON d.id = dp.document_id "
                "WHERE dp.document_id = ? ORDER BY p.id IS NOT d.participant_id, p.pid",
                [doc_id],
            )
        ]

    def delete_document(self, ref: int | str) -> int:
        """Delete a document with its segments and codings; a copy goes to the trash first.

        Returns the trash entry id, which `restore` takes to bring it all back.
        """
        doc = self.document(ref)
        self.auto_backup("before-delete")
        codings = self.db.execute(
            'SELECT start, "end", code_id, coder, created_at, NULL, id FROM codings WHERE document_id = ?',
            [doc.id],
        ).fetchall()
        segments = self.db.execute(
            'SELECT start, "end", kind, speaker, t_start, t_end FROM segments WHERE document_id = ?',
            [doc.id],
        ).fetchall()
        with self.transaction("delete document") as conn:
            # Memos on the document and on its codings go with it (and come back with it).
            memos = memos_on(conn, {"document": [doc.id], "coding": [c[6] for c in codings]})
            guid = conn.execute("SELECT guid FROM documents WHERE id = ?", [doc.id]).fetchone()
            payload = {
                "document": doc.__dict__,
                "guid": guid[0] if guid else None,  # its REFI GUID comes back with it
                "codings": codings,
                "segments": segments,
                "memos": memos,
                # a focus group's participants and speaker map come back with it
                "participants": self.document_participants(doc.id),
                "speakers": [[s, p] for s, p in self.speaker_map(doc.id).items() if p],
            }
            trash_id = self._to_trash(
                conn, "document", f"{doc.participant or '-'} {doc.title}", payload
            )
            delete_memos(conn, memos)
            conn.execute("DELETE FROM documents WHERE id = ?", [doc.id])
        return trash_id

    # --- segments -----------------------------------------------------------
    def segments(self, document: int | str, kind: str | None = None) -> list[Segment]:
        doc_id = self.resolve_document(document)
        if kind in (None, "sentence"):
            self.ensure_sentences([doc_id])  # those an import left for later
        sql = (
            'SELECT start, "end", kind, speaker, t_start, t_end FROM segments WHERE document_id = ?'
        )
        args: list = [doc_id]
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        return [Segment(*r) for r in self.db.execute(sql + " ORDER BY start, kind", args)]

    def segment_units(
        self, document_id: int, ensure: bool = True
    ) -> dict[str, list[tuple[int, int]]]:
        """Stored segments of a document by kind, each sorted by start. With `ensure`,
        sentences an import left for later are segmented first (the workbench passes
        False and has them segmented in a worker)."""
        if ensure:
            self.ensure_sentences([document_id])
        units: dict[str, list[tuple[int, int]]] = {}
        for kind, start, end in self.db.execute(
            'SELECT kind, start, "end" FROM segments WHERE document_id = ? ORDER BY kind, start, "end"',
            [document_id],
        ):
            units.setdefault(kind, []).append((start, end))
        return units

    def replace_segments(self, by_document: dict[int, list[Segment]], kinds: Iterable[str]) -> None:
        """Replace the segments of the given kinds for these documents, in one transaction."""
        kinds = list(kinds)
        bad = set(kinds) - set(SEGMENT_KINDS)
        if bad:
            raise QualcodeError(
                f"unknown segment {noun(len(bad), 'kind')}: {', '.join(sorted(bad))}"
            )
        marks = ",".join("?" * len(kinds))
        with self.transaction() as conn:
            conn.executemany(
                f"DELETE FROM segments WHERE document_id = ? AND kind IN ({marks})",
                [(doc_id, *kinds) for doc_id in by_document],
            )
            self._insert_segments(
                conn, ((d, *r) for d, segs in by_document.items() for r in segment_rows(segs))
            )

    @staticmethod
    def _insert_segments(conn, rows: Iterable[tuple[int, *SegmentRow]]) -> None:
        """rows: (document_id, start, end, kind, speaker, t_start, t_end)."""
        # executemany, not sqlite-utils' insert_all, which is about half as fast here: in an
        # import of 100 transcripts with sentences (bench/ingest_import.py 100 --writers) the
        # 20,685 segment rows took 0.27 s (75,000 rows/s) against 0.52 s (40,000 rows/s);
        # 100,000 rows alone: 8.8 s against 17.1 s (bench/bulk_insert.py).
        conn.executemany(
            'INSERT INTO segments(document_id, start, "end", kind, speaker, t_start, t_end) '
            "VALUES (?,?,?,?,?,?,?)",
            # A generator: at 2,300 transcripts a list of rows would hold 650,000 tuples.
            rows,
        )

    # --- trash (backups of deleted things) -------------------------------------
    @staticmethod
    def _to_trash(conn, kind: str, label: str, payload: dict) -> int:
        cur = conn.execute(
            "INSERT INTO trash(kind, label, payload, deleted_at) VALUES (?,?,?,?)",
            [kind, label, json.dumps(payload, ensure_ascii=False), utc_now()],
        )
        return cur.lastrowid


def _natural_key(text: str):
    """Sort R2 before R10."""
    return [int(t) if t.isdigit() else t.lower() for t in _DIGITS.split(text or "")]


_DIGITS = re.compile(r"(\d+)")

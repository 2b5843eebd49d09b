"""Merging another coder's project into this one: project.merge_project(OTHER).

A team often codes in separate files. Merging brings in OTHER's coders, codings, codes,
memos and participant attributes for the documents both hold, and OTHER's other
documents with their participants:

- documents are matched by their normalised text (NFC, \\n newlines, trailing
  whitespace at the end ignored: NVivo's Mac and Windows exports of one project differ
  by a final newline and by CRLF);
- codes by their normalised path (NFC, case and surrounding spaces ignored); a code
  only in OTHER is added under its (matched) parent;
- participants by their id (NFC); attributes only in OTHER are added;
- a coding or memo already here (same document, span, code and coder; same target,
  text and author) is not added again, so merging twice adds nothing.

A conflict (same code path with another description or colour; same attribute with
another value) is listed and this project's value kept. OTHER is read from a copy
(its file is never opened for writing, so an older schema is upgraded on the copy).
Everything is written in one transaction, logged as one audit entry ("merge ..."),
which `qualcode undo` reverses exactly.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.facade.base import ProjectBase, new_guid
from qualcode.plural import noun, plural


@dataclass
class MergeReport:
    """What a merge brought in (or, with dry_run, would bring in)."""

    other: str
    dry_run: bool = False
    documents_matched: int = 0
    documents_added: int = 0
    participants_added: int = 0
    attributes_added: int = 0
    codes_added: list[str] = field(default_factory=list)
    codings_added: dict[str, int] = field(default_factory=dict)
    codings_present: int = 0
    codings_clipped: int = 0
    memos_added: int = 0
    conflicts: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary a user reads after `qualcode merge`."""
        verb = "would merge" if self.dry_run else "merged"
        added = sum(self.codings_added.values())
        by_coder = ", ".join(f"{c} {n}" for c, n in sorted(self.codings_added.items()))
        out = [
            f"{verb} {self.other}: {plural(self.documents_matched, 'document')} matched, "
            f"{self.documents_added} added",
            f"  codings: {added} added"
            + (f" ({by_coder})" if by_coder else "")
            + f", {self.codings_present} already here",
            f"  codes: {len(self.codes_added)} added"
            + (
                f" ({', '.join(self.codes_added[:5])}{', ...' if len(self.codes_added) > 5 else ''})"
                if self.codes_added
                else ""
            ),
            f"  participants: {self.participants_added} added; attributes: "
            f"{self.attributes_added} added",
            f"  memos: {self.memos_added} added",
        ]
        out += [f"  decided: {d}" for d in self.decisions]
        out += [f"  conflict: {c}" for c in self.conflicts]
        return out


class _DryRun(Exception):
    pass


def text_key(text: str) -> str:
    """A document's text as merging compares it: NFC, \\n newlines, no trailing space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).rstrip()


def path_key(path: str) -> str:
    """A code path as merging compares it: NFC, each level stripped and case-folded."""
    return "/".join(unicodedata.normalize("NFC", p).strip().casefold() for p in path.split("/"))


class MergeOps(ProjectBase):
    def merge_project(self, other_path: str | Path, dry_run: bool = False) -> MergeReport:
        """Bring OTHER's coders, codings, codes, memos, participants and attributes into
        this project (see the module docstring for how things are matched).

        Returns a MergeReport; with dry_run nothing is written. Raises QualcodeError
        (ProjectError) when OTHER is not a qualcode project or is this project."""
        from qualcode.project import Project

        other_path = Path(other_path)
        if not other_path.is_file():
            raise QualcodeError(f"{other_path}: no such project file")
        if other_path.resolve() == Path(self.path).resolve():
            raise QualcodeError(f"{other_path}: is this project; merge another coder's file")
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "other.qualcode"
            shutil.copyfile(other_path, copy)
            for suffix in ("-wal", "-shm"):  # committed pages still in OTHER's WAL
                if Path(f"{other_path}{suffix}").exists():
                    shutil.copyfile(f"{other_path}{suffix}", f"{copy}{suffix}")
            with Project.open(copy) as other:
                return self.merge_from(other, other_path.name, dry_run)

    def merge_from(self, other, name: str, dry_run: bool = False) -> MergeReport:
        """merge_project from an open Project (used for a .qdpx read into a scratch
        project, too). Returns a MergeReport."""
        report = MergeReport(name, dry_run)
        try:
            with self.transaction(f"merge {name}") as conn:
                code_map = self._merge_codes(conn, other, report)
                pid_map = self._merge_participants(conn, other, report)
                doc_map, lengths = self._merge_documents(conn, other, pid_map, report)
                self._merge_document_participants(conn, other, pid_map, doc_map)
                coding_map = self._merge_codings(conn, other, doc_map, code_map, lengths, report)
                self._merge_memos(conn, other, pid_map, doc_map, code_map, coding_map, report)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        finally:
            self._codes_cache = None
        return report

    # --- codes --------------------------------------------------------------------
    def _merge_codes(self, conn, other, report: MergeReport) -> dict[int, int]:
        self._codes_cache = None
        ours = {path_key(c.path): c for c in self.codes()}
        shortcuts = {r[0] for r in conn.execute("SELECT shortcut FROM codes") if r[0]}
        guids = {r[0] for r in conn.execute("SELECT guid FROM codes") if r[0]}
        position = conn.execute("SELECT coalesce(max(position), 0) FROM codes").fetchone()[0]
        mapping: dict[int, int] = {}
        for c in other.codes():  # depth-first: a parent comes before its children
            mine = ours.get(path_key(c.path))
            if mine is not None:
                mapping[c.id] = mine.id
                for what in ("description", "colour"):
                    theirs, here = getattr(c, what) or "", getattr(mine, what) or ""
                    if theirs and theirs != here:
                        report.conflicts.append(
                            f"code {mine.path}: {what} differs ({here!r} here, {theirs!r} in "
                            f"{report.other}); kept this project's"
                        )
                continue
            position += 1
            shortcut = c.shortcut if c.shortcut and c.shortcut not in shortcuts else None
            if c.shortcut and shortcut is None:
                report.decisions.append(
                    f"code {c.path}: shortcut {c.shortcut!r} is taken here; added without one"
                )
            cur = conn.execute(
                "INSERT INTO codes(parent_id, name, description, colour, shortcut, position, guid) "
                "VALUES (?,?,?,?,?,?,?)",
                [
                    mapping.get(c.parent_id),
                    unicodedata.normalize("NFC", c.name),
                    c.description or "",
                    c.colour,
                    shortcut,
                    position,
                    c.guid if c.guid and c.guid not in guids else new_guid(),
                ],
            )
            mapping[c.id] = cur.lastrowid
            if shortcut:
                shortcuts.add(shortcut)
            report.codes_added.append(c.path)
        return mapping

    # --- participants and attributes ------------------------------------------------
    def _merge_participants(self, conn, other, report: MergeReport) -> dict[int, int]:
        ours = {
            unicodedata.normalize("NFC", pid): i
            for i, pid in conn.execute("SELECT id, pid FROM participants")
        }
        attrs: dict[int, dict[str, str]] = {}
        for pid_id, name, value in conn.execute(
            "SELECT participant_id, name, value FROM attributes"
        ):
            attrs.setdefault(pid_id, {})[name] = value
        mapping: dict[int, int] = {}
        for p in other.participants():
            pid = unicodedata.normalize("NFC", p.pid)
            if pid not in ours:
                cur = conn.execute(
                    "INSERT INTO participants(pid, label, guid) VALUES (?, ?, ?)",
                    [pid, p.label, new_guid()],
                )
                ours[pid] = cur.lastrowid
                report.participants_added += 1
            mine = ours[pid]
            mapping[p.id] = mine
            here = attrs.get(mine, {})
            for name, value in p.attributes.items():
                if value in (None, ""):
                    continue
                if name not in here:
                    conn.execute(
                        "INSERT INTO attributes(participant_id, name, value) VALUES (?,?,?)",
                        [mine, name, value],
                    )
                    report.attributes_added += 1
                elif here[name] != value:
                    report.conflicts.append(
                        f"participant {pid} {name}: {here[name]!r} here, {value!r} in "
                        f"{report.other}; kept {here[name]!r}"
                    )
        return mapping

    # --- documents ------------------------------------------------------------------
    def _merge_documents(self, conn, other, pid_map, report: MergeReport):
        ours: dict[str, tuple[int, int]] = {}
        for doc_id, text in conn.execute("SELECT id, text FROM documents ORDER BY position, id"):
            ours.setdefault(text_key(text), (doc_id, len(text)))
        position = conn.execute("SELECT coalesce(max(position), 0) FROM documents").fetchone()[0]
        mapping: dict[int, int] = {}
        lengths: dict[int, int] = {}
        self._merge_crlf: dict[int, list[int]] = {}
        for info in other.documents():
            doc = other.document(info.id)
            key = text_key(doc.text)
            if key in ours:
                mapping[doc.id], lengths[doc.id] = ours[key]
                if "\r\n" in doc.text:  # offsets there count the \r of each CRLF
                    self._merge_crlf[doc.id] = [
                        i for i in range(len(doc.text) - 1) if doc.text[i : i + 2] == "\r\n"
                    ]
                report.documents_matched += 1
                continue
            position += 1
            row = other.db.execute(
                "SELECT participant_id, guid FROM documents WHERE id = ?", [doc.id]
            ).fetchone()
            sha_taken = (
                doc.sha256
                and conn.execute(
                    "SELECT 1 FROM documents WHERE sha256 = ?", [doc.sha256]
                ).fetchone()
            )
            cur = conn.execute(
                "INSERT INTO documents(participant_id, kind, title, source_name, sha256, "
                "encoding, text, imported_at, position, guid) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    pid_map.get(row[0]),
                    doc.kind,
                    doc.title,
                    doc.source_name,
                    None if sha_taken else doc.sha256,
                    doc.encoding,
                    doc.text,
                    doc.imported_at,
                    position,
                    row[1] or new_guid(),
                ],
            )
            mapping[doc.id], lengths[doc.id] = cur.lastrowid, len(doc.text)
            ours[key] = (cur.lastrowid, len(doc.text))
            conn.executemany(
                'INSERT INTO segments(document_id, start, "end", kind, speaker, t_start, t_end) '
                "VALUES (?,?,?,?,?,?,?)",
                [
                    (cur.lastrowid, *r)
                    for r in other.db.execute(
                        'SELECT start, "end", kind, speaker, t_start, t_end FROM segments '
                        "WHERE document_id = ?",
                        [doc.id],
                    )
                ],
            )
            report.documents_added += 1
        return mapping, lengths

    @staticmethod
    def _merge_document_participants(conn, other, pid_map, doc_map) -> None:
        """The other project's focus-group participants and speaker maps, on the documents
        they map to; where both projects map one speaker, ours stays."""
        members = other.db.execute("SELECT document_id, participant_id FROM document_participants")
        conn.executemany(
            "INSERT OR IGNORE INTO document_participants(document_id, participant_id) "
            "VALUES (?, ?)",
            [(doc_map[d], pid_map[p]) for d, p in members if d in doc_map and p in pid_map],
        )
        speakers = other.db.execute(
            "SELECT document_id, speaker, participant_id FROM speaker_participants"
        )
        rows = [
            (doc_map[d], s, pid_map[p]) for d, s, p in speakers if d in doc_map and p in pid_map
        ]
        conn.executemany(
            "INSERT OR IGNORE INTO document_participants(document_id, participant_id) "
            "VALUES (?, ?)",
            [(d, p) for d, _, p in rows],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO speaker_participants(document_id, speaker, participant_id) "
            "VALUES (?, ?, ?)",
            rows,
        )

    # --- codings --------------------------------------------------------------------
    def _merge_codings(self, conn, other, doc_map, code_map, lengths, report: MergeReport):
        present: dict[tuple, int] = {}
        targets = sorted(set(doc_map.values()))
        for chunk in range(0, len(targets), 500):
            part = targets[chunk : chunk + 500]
            for row in conn.execute(
                'SELECT id, document_id, start, "end", code_id, coder FROM codings '
                f"WHERE document_id IN ({','.join('?' * len(part))})",
                part,
            ):
                present[row[1:]] = row[0]
        next_id = conn.execute("SELECT coalesce(max(id), 0) FROM codings").fetchone()[0]
        rows, mapping = [], {}
        for cid, doc, start, end, code, coder, created in other.db.execute(
            'SELECT id, document_id, start, "end", code_id, coder, created_at FROM codings '
            "ORDER BY document_id, start, id"
        ):
            if doc not in doc_map:
                continue
            if doc in self._merge_crlf:  # one \n here for each \r\n there
                crlf = self._merge_crlf[doc]
                start, end = start - bisect_left(crlf, start), end - bisect_left(crlf, end)
            end_here = min(end, lengths[doc])
            if end_here <= start:
                report.codings_clipped += 1
                continue
            if end_here != end:
                report.codings_clipped += 1
            key = (doc_map[doc], start, end_here, code_map[code], coder)
            if key in present:
                mapping[cid] = present[key]
                report.codings_present += 1
                continue
            next_id += 1
            present[key] = mapping[cid] = next_id
            rows.append((next_id, *key, created))
            report.codings_added[coder] = report.codings_added.get(coder, 0) + 1
        conn.executemany(
            'INSERT INTO codings(id, document_id, start, "end", code_id, coder, created_at) '
            "VALUES (?,?,?,?,?,?,?)",
            rows,
        )
        if report.codings_clipped:
            report.decisions.append(
                f"{plural(report.codings_clipped, 'coding')} reaching past the end of the matched "
                f"text (trailing whitespace) {noun(report.codings_clipped, 'was')} cut at its "
                "end, or left out when nothing remained"
            )
        return mapping

    # --- memos ----------------------------------------------------------------------
    def _merge_memos(self, conn, other, pid_map, doc_map, code_map, coding_map, report):
        maps = {"participant": pid_map, "document": doc_map, "code": code_map}
        maps["coding"] = coding_map
        present = set(
            conn.execute("SELECT target_type, target_id, text, coalesce(author, '') FROM memos")
        )
        rows, orphans = [], 0
        for m in other.memos():
            target = None
            if m.target_type != "project":
                target = maps[m.target_type].get(m.target_id)
                if target is None:
                    orphans += 1
                    continue
            key = (m.target_type, target, m.text, m.author or "")
            if key in present:
                continue
            present.add(key)
            rows.append((m.target_type, target, m.title, m.text, m.author, m.created_at))
        conn.executemany(
            "INSERT INTO memos(target_type, target_id, title, text, author, created_at) "
            "VALUES (?,?,?,?,?,?)",
            rows,
        )
        report.memos_added = len(rows)
        if orphans:
            report.decisions.append(
                f"{plural(orphans, 'memo')} on things {report.other} no longer has "
                f"{noun(orphans, 'was')} left out"
            )

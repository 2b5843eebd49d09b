"""Merging another coder's project into this one: project.merge_project(OTHER).

A team often codes in separate files. Merging brings in OTHER's coders, codings, codes,
memos and participant attributes for the documents both hold, and OTHER's other
documents with their participants:

- documents are matched by their normalised text (NFC, \\n newlines, trailing
  whitespace at the end ignored: NVivo's Mac and Windows exports of one project differ
  by a final newline and by CRLF). A document of OTHER whose text is not here but
  whose identity is (the same GUID, or the same participant and title or source file)
  is the same document edited in one copy: its codings' offsets do not fit this text,
  so the merge is refused, naming the document and where the texts part, unless
  add_changed asks to add it as a second document (NVivo's import likewise merges
  only items it identifies, and MAXQDA's teamwork import needs identical texts);
- codes by their GUID, then by their path (qualcode/facade/merge_codes.py); a code
  only in OTHER is added under its (matched) parent;
- participants by their id (NFC); attributes only in OTHER are added;
- a coding or memo already here (same document, span, code and coder; same target,
  text and author) is not added again, so merging twice adds nothing.

Coders are matched by name. OTHER's codings by a coder who also has codings here are
pooled with theirs and a warning says so (two coders who both left the default name
"lead" look like one); rename_coders ({"lead": "ben"}, or one name for all of
OTHER's coders) credits OTHER's codings and memos to another name.

A conflict (one code renamed in a copy; same code path with another description or
colour; same attribute with another value) is listed and this project's value kept.
OTHER is read from a copy (its file is never opened for writing, so an older schema is
upgraded on the copy). Everything is written in one transaction, logged as one audit
entry ("merge ..."), which `qualcode undo` reverses exactly.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from bisect import bisect_left
from collections.abc import Mapping
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
    warnings: list[str] = field(default_factory=list)

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
        out += [f"  warning: {w}" for w in self.warnings]
        return out


class _DryRun(Exception):
    pass


def text_key(text: str) -> str:
    """A document's text as merging compares it: NFC, \\n newlines, no trailing space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).rstrip()


def _coder_names(other, name: str, rename: str | Mapping[str, str] | None) -> dict[str, str]:
    """OTHER's coder -> the coder here (every coder of OTHER's codings and memos).
    Raises QualcodeError for one new name when OTHER has several coders, or for a coder
    OTHER does not have."""
    found = [r[0] for r in other.db.execute("SELECT DISTINCT coder FROM codings ORDER BY 1")]
    authors = other.db.execute("SELECT DISTINCT author FROM memos WHERE author IS NOT NULL")
    known = sorted(set(found) | {r[0] for r in authors})
    names = {c: c for c in known}
    if rename is None:
        return names
    if isinstance(rename, str):
        if len(found) > 1:
            raise QualcodeError(
                f"{name} has codings by {', '.join(found)}: say whose to rename, "
                f"e.g. --as-coder {found[0]}=NEW"
            )
        return {c: rename if c in found else c for c in known}
    for old, new in rename.items():
        if old not in names:
            raise QualcodeError(
                f"{name} has no coder {old!r} (its coders: {', '.join(known) or 'none'})"
            )
        names[old] = new
    return names


class _Identities:
    """This project's documents by what names one document across copies: its GUID,
    and its participant with its title or source file name (NFC, case-folded)."""

    def __init__(self) -> None:
        self.keys: dict[tuple, int] = {}

    @staticmethod
    def _keys(guid, pid, title, source) -> list[tuple]:
        def fold(s):
            return unicodedata.normalize("NFC", s).strip().casefold() if s else None

        keys: list[tuple] = [("guid", guid)] if guid else []
        keys += [("title", fold(pid), fold(title))] if fold(title) else []
        keys += [("source", fold(pid), fold(source))] if fold(source) else []
        return keys

    def add(self, doc_id: int, guid, pid, title, source) -> None:
        for key in self._keys(guid, pid, title, source):
            self.keys.setdefault(key, doc_id)

    def find(self, guid, pid, title, source) -> int | None:
        """The document here with this identity (GUID first), or None."""
        for key in self._keys(guid, pid, title, source):
            if key in self.keys:
                return self.keys[key]
        return None


def _name(doc) -> str:
    """A document as a message names it: 'document "P1 interview" (P1)'."""
    return f'document "{doc.title}"' + (f" ({doc.participant})" if doc.participant else "")


def _difference(here: str, there: str, other: str, sizes: tuple[int, int], context: int = 8) -> str:
    """Where two texts part: "at character 120, 'I felt teh cat' here, 'I felt the cat' in
    b.qualcode (490 and 489 characters)": the changed stretch with `context` characters
    either side (offsets in code points, as the codings count; sizes: the two stored
    texts' lengths)."""
    at = 0
    for a, b in zip(here, there):
        if a != b:
            break
        at += 1
    back = 0  # the common ending, so the excerpts show only what changed
    while back < min(len(here), len(there)) - at and here[-1 - back] == there[-1 - back]:
        back += 1

    def excerpt(text: str) -> str:
        part = text[max(0, at - context) : len(text) - back + context]
        return repr(part if len(part) <= 4 * context else part[: 4 * context] + "...")

    return (
        f"at character {at}, {excerpt(here)} here, {excerpt(there)} in {other} "
        f"({sizes[0]} and {sizes[1]} characters)"
    )


class MergeOps(ProjectBase):
    def merge_project(
        self,
        other_path: str | Path,
        dry_run: bool = False,
        *,
        add_changed: bool = False,
        rename_coders: str | Mapping[str, str] | None = None,
        take_renames: bool = False,
    ) -> MergeReport:
        """Bring OTHER's coders, codings, codes, memos, participants and attributes into
        this project (see the module docstring for how things are matched).

        add_changed: add a document whose text differs from the same document's here as
        a second document (else the merge is refused). rename_coders: OTHER's coder
        name -> the name its codings and memos get here, or one name for all of OTHER's
        coders. take_renames: a code renamed in OTHER (same GUID) takes OTHER's name.
        Returns a MergeReport; with dry_run nothing is written. Raises QualcodeError
        (ProjectError) when OTHER is not a qualcode project or is this project, when a
        document differs (see add_changed), or for a rename_coders that does not fit."""
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
                return self.merge_from(
                    other,
                    other_path.name,
                    dry_run,
                    add_changed=add_changed,
                    rename_coders=rename_coders,
                    take_renames=take_renames,
                )

    def merge_from(
        self,
        other,
        name: str,
        dry_run: bool = False,
        *,
        add_changed: bool = False,
        rename_coders: str | Mapping[str, str] | None = None,
        take_renames: bool = False,
    ) -> MergeReport:
        """merge_project from an open Project (used for a .qdpx read into a scratch
        project, too). Returns a MergeReport; raises as merge_project."""
        report = MergeReport(name, dry_run)
        coders = _coder_names(other, name, rename_coders)
        try:
            with self.transaction(f"merge {name}") as conn:
                code_map = self._merge_codes(conn, other, report, take_renames)
                pid_map = self._merge_participants(conn, other, report)
                doc_map, lengths = self._merge_documents(conn, other, pid_map, report, add_changed)
                self._merge_document_participants(conn, other, pid_map, doc_map)
                coding_map = self._merge_codings(
                    conn, other, doc_map, code_map, lengths, coders, report
                )
                self._merge_memos(
                    conn, other, pid_map, doc_map, code_map, coding_map, coders, report
                )
                if report.codings_added:
                    self.log_note(
                        "codings by "
                        + ", ".join(f"{c} {n}" for c, n in sorted(report.codings_added.items()))
                    )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        finally:
            self._codes_cache = None
        return report

    # --- codes --------------------------------------------------------------------
    def _merge_codes(self, conn, other, report: MergeReport, take_renames: bool):
        from qualcode.facade.merge_codes import merge_codes

        self._codes_cache = None
        return merge_codes(conn, self.codes(), other.codes(), report, take_renames)

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
    def _merge_documents(self, conn, other, pid_map, report: MergeReport, add_changed: bool):
        ours: dict[str, tuple[int, int]] = {}
        identities = _Identities()
        for doc_id, text, guid, pid, title, source in conn.execute(
            "SELECT d.id, d.text, d.guid, p.pid, d.title, d.source_name FROM documents d "
            "LEFT JOIN participants p ON p.id = d.participant_id ORDER BY d.position, d.id"
        ):
            ours.setdefault(text_key(text), (doc_id, len(text)))
            identities.add(doc_id, guid, pid, title, source)
        position = conn.execute("SELECT coalesce(max(position), 0) FROM documents").fetchone()[0]
        mapping: dict[int, int] = {}
        lengths: dict[int, int] = {}
        changed: list[str] = []
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
            guid = other.db.execute("SELECT guid FROM documents WHERE id = ?", [doc.id])
            same = identities.find(guid.fetchone()[0], doc.participant, doc.title, doc.source_name)
            if same is not None:
                here = conn.execute("SELECT text FROM documents WHERE id = ?", [same]).fetchone()
                sizes = (len(here[0]), len(doc.text))  # as `qualcode documents` lists them
                difference = _difference(text_key(here[0]), key, report.other, sizes)
                if not add_changed:
                    changed.append(f"{_name(doc)} differs: {difference}")
                    continue
                report.decisions.append(
                    f"{_name(doc)} differs from this project's ({difference}); added as a "
                    "second document (--add-changed)"
                )
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
        if changed:
            more = f" (and {len(changed) - 1} more)" if len(changed) > 1 else ""
            raise QualcodeError(
                f"{report.other}: {changed[0]}{more}; its codings would not fit this text: "
                "make the two copies' texts the same, or merge with --add-changed to add "
                "it as a second document"
            )
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
    def _merge_codings(self, conn, other, doc_map, code_map, lengths, coders, report):
        coding_here = {
            r[0]: r[1] for r in conn.execute("SELECT coder, count(*) FROM codings GROUP BY 1")
        }
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
        shared: dict[str, int] = {}  # coder -> OTHER's codings of theirs already here
        for cid, doc, start, end, code, theirs, created in other.db.execute(
            'SELECT id, document_id, start, "end", code_id, coder, created_at FROM codings '
            "ORDER BY document_id, start, id"
        ):
            if doc not in doc_map:
                continue
            coder = coders.get(theirs, theirs)
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
                shared[coder] = shared.get(coder, 0) + 1
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
        renamed = sorted((old, new) for old, new in coders.items() if old != new)
        if renamed:
            report.decisions.append(
                f"{report.other}'s codings and memos by "
                + ", ".join(f"{old} credited to {new}" for old, new in renamed)
            )
        # Each side holding codings by one name that the other lacks is two people (or
        # one on two machines) under one name; a copy that only adds to what is here (a
        # second merge after more coding) is not.
        for coder, added in sorted(report.codings_added.items()):
            only_here = coding_here.get(coder, 0) - shared.get(coder, 0)
            if only_here > 0:
                report.warnings.append(
                    f"{plural(added, 'coding')} by {coder} in {report.other} joined "
                    f"{plural(only_here, 'coding')} by {coder} here that {report.other} does "
                    "not have: they now count as one coder's (if two people coded under one "
                    f"name, undo and merge again with --as-coder {coder}=NAME)"
                )
        return mapping

    # --- memos ----------------------------------------------------------------------
    def _merge_memos(self, conn, other, pid_map, doc_map, code_map, coding_map, coders, report):
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
            author = coders.get(m.author, m.author) if m.author else m.author
            key = (m.target_type, target, m.text, author or "")
            if key in present:
                continue
            present.add(key)
            rows.append((m.target_type, target, m.title, m.text, author, m.created_at))
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

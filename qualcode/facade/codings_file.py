"""Portable codings files: CSV rows of participant, document, start, end, code, coder,
text (and optionally memo, created_at) that move codings between projects.

Import is all-or-nothing: every row is checked (known participant, document of that
participant, known code, offsets inside the document, text equal to the document's
text at those offsets) before one transaction stores them all; when any row is wrong
nothing is stored and every problem is reported, one line each naming the file and
line (as a manifest import does). Codings already in the project (same document,
span, code and coder) are skipped, so importing a file twice changes nothing.
Offsets are code points in the stored text and round-trip unchanged.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from qualcode.errors import QualcodeError, refuse_all
from qualcode.export import neutralise, restore
from qualcode.facade.base import ProjectBase
from qualcode.facade.memos import coding_memo_sql
from qualcode.ingest.decode import normalise_text
from qualcode.plural import noun

REQUIRED = ("participant", "document", "start", "end", "code")
COLUMNS = ("participant", "document", "start", "end", "code", "coder", "text", "memo", "created_at")


@dataclass(frozen=True)
class CodingsImport:
    """What Project.import_codings did: codings added and skipped, participants and
    documents they touched."""

    added: int
    skipped: int  # already in the project, or repeated in the file
    participants: int
    documents: int


class CodingsFileOps(ProjectBase):
    def import_codings_csv(self, path: str | Path) -> CodingsImport:
        """Add the codings of a codings CSV (module docstring) in one transaction.
        Raises QualcodeError listing every bad row (file and line each) when any is
        wrong; then nothing is stored."""
        path = Path(path)
        rows, bad_lines = _read_rows(path)
        docs = self.db.execute(
            "SELECT d.id, p.pid, d.title, d.source_name, d.text FROM documents d "
            "LEFT JOIN participants p ON p.id = d.participant_id"
        ).fetchall()
        known_people = {r[0] for r in self.db.execute("SELECT pid FROM participants")}
        finder = _DocumentFinder(docs)
        text_of = {d[0]: d[4] for d in docs}
        code_ids: dict[str, int] = {}
        pending, keys = [], set()
        problems = list(bad_lines)
        for line, row in rows:
            try:
                coding = self._checked_row(path, line, row, finder, known_people, text_of, code_ids)
            except QualcodeError as exc:
                problems.append(str(exc))
                continue
            key = (coding.document_id, coding.start, coding.end, coding.code_id, coding.coder)
            if key in keys:
                continue
            keys.add(key)
            pending.append(coding)
        problems.sort(key=_line_of)
        refuse_all(problems, f"{path.name}: {len(problems)} problems (nothing imported)")
        existing = self._existing_codings({k[0] for k in keys})
        fresh = [
            c
            for c in pending
            if (c.document_id, c.start, c.end, c.code_id, c.coder) not in existing
        ]
        self.auto_backup("before-import")
        self.add_codings(fresh)  # one transaction
        people = {r.get("participant") for _, r in rows} - {None, ""}
        return CodingsImport(
            len(fresh), len(rows) - len(fresh), len(people), len({c.document_id for c in pending})
        )

    def _checked_row(self, path, line, row, finder, known_people, text_of, code_ids):
        """One row as a NewCoding; QualcodeError naming the file and line when wrong."""
        from qualcode.facade.codings import NewCoding

        where = f"{path.name} line {line}"
        pid = row.get("participant") or None
        if pid is not None and pid not in known_people:
            raise QualcodeError(f"{where}: unknown participant {pid!r}")
        doc_id = finder.find(row["document"], pid, where)
        code = row["code"]
        if code not in code_ids:
            try:
                code_ids[code] = self.resolve_code(code)
            except QualcodeError as exc:
                raise QualcodeError(f"{where}: {exc}") from None
        start, end = _offset(row["start"], "start", where), _offset(row["end"], "end", where)
        text = text_of[doc_id]
        if not 0 <= start < end <= len(text):
            raise QualcodeError(
                f"{where}: span {start}-{end} is outside the document (0-{len(text)}) or empty"
            )
        expected = row.get("text")
        if expected:
            expected = normalise_text(expected)
            if text[start:end] != expected:
                raise QualcodeError(
                    f"{where}: text does not match the document at {start}-{end} "
                    f"(file has {expected[:40]!r}, document has {text[start:end][:40]!r})"
                )
        return NewCoding(
            doc_id,
            start,
            end,
            code_ids[code],
            row.get("coder") or self.coder,
            row.get("memo") or None,
            row.get("created_at") or None,
        )

    def _existing_codings(self, doc_ids: set[int]) -> set[tuple]:
        if not doc_ids:
            return set()
        marks = ",".join("?" * len(doc_ids))
        return set(
            self.db.execute(
                f'SELECT document_id, start, "end", code_id, coder FROM codings WHERE document_id IN ({marks})',
                sorted(doc_ids),
            ).fetchall()
        )

    def export_codings_csv(self, path: str | Path) -> int:
        """Write every coding (document order); returns the number written."""
        path = Path(path)
        if path.suffix.lower() != ".csv":
            # A CSV under an .xlsx (or other) name would not open where the name promises.
            raise QualcodeError(f"{path.name}: codings are written as CSV; name the file .csv")
        docs = self.db.execute(
            "SELECT d.id, p.pid, d.title, d.source_name FROM documents d "
            "LEFT JOIN participants p ON p.id = d.participant_id"
        ).fetchall()
        finder = _DocumentFinder([(*d, "") for d in docs])
        name_of = {d[0]: finder.label(d[0]) for d in docs}
        paths = {c.id: c.path for c in self.codes()}
        cursor = self.db.execute(
            'SELECT p.pid, c.document_id, c.start, c."end", c.code_id, c.coder, '
            'substr(d.text, c.start + 1, c."end" - c.start), '
            + coding_memo_sql("c")
            + ", c.created_at "
            "FROM codings c JOIN documents d ON d.id = c.document_id "
            "LEFT JOIN participants p ON p.id = d.participant_id ORDER BY d.position, c.start, c.id"
        )
        count = 0
        try:
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)  # CRLF: a \r inside a cell gets quoted
                writer.writerow(COLUMNS)
                for pid, doc_id, start, end, code_id, coder, text, memo, created in cursor:
                    writer.writerow(
                        [
                            neutralise(pid or ""),
                            neutralise(name_of[doc_id]),
                            start,
                            end,
                            neutralise(paths[code_id]),
                            neutralise(coder),
                            neutralise(text),
                            neutralise(memo or ""),
                            created,
                        ]
                    )
                    count += 1
        except OSError as exc:
            raise QualcodeError(f"{path}: cannot write ({exc.strerror or exc})") from None
        return count


def _line_of(problem: str) -> int:
    """The line number a problem names ("codings.csv line 6: ..."), for sorting."""
    head = problem.split(":", 1)[0].rsplit(" line ", 1)
    return int(head[1]) if len(head) == 2 and head[1].isdigit() else 0


def _read_rows(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """(line, row) of every non-blank row, and the problems of rows with the wrong
    number of cells; QualcodeError for a file that cannot be read or lacks a column."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QualcodeError(f"{path.name}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QualcodeError(f"{path.name}: not UTF-8 text (save the CSV as UTF-8)") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().casefold() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise QualcodeError(
            f"{path.name} line 1: missing {noun(len(missing), 'column')} {', '.join(missing)} "
            f"(expected {', '.join(COLUMNS[:7])})"
        )
    rows, problems, line = [], [], reader.line_num
    for cells in reader:
        start_line, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                f"{path.name} line {start_line}: {len(cells)} cells, the header has {len(header)}"
            )
            continue
        rows.append((start_line, {h: restore(c) for h, c in zip(header, cells)}))
    return rows, problems


def _offset(value: str, name: str, where: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise QualcodeError(f"{where}: {name} {value!r} is not a whole number") from None


class _DocumentFinder:
    """Documents by the names a codings file may use: "#id", title, file name, or a
    manifest path ("interviews/R1_interview.txt") matched by its file name or stem."""

    def __init__(self, docs: list[tuple[int, str | None, str, str | None, str]]) -> None:
        self.by_name: dict[tuple[str, str], set[int]] = {}
        self.owner: dict[int, str | None] = {}
        for doc_id, pid, title, source, _text in docs:
            self.owner[doc_id] = pid
            for name in (n for n in {title, source} if n):
                self.by_name.setdefault((pid or "", name), set()).add(doc_id)
                self.by_name.setdefault(("*", name), set()).add(doc_id)
        self.info = {d[0]: (d[3], d[2]) for d in docs}  # file name first, then title

    def candidates(self, name: str, pid: str | None) -> set[int]:
        scope = pid or ""
        if name.startswith("#") and name[1:].isdigit() and int(name[1:]) in self.owner:
            return {int(name[1:])} if self.owner[int(name[1:])] == pid else set()
        found = self.by_name.get((scope, name), set())
        if not found:
            stem = PurePosixPath(name.replace("\\", "/"))
            found = self.by_name.get((scope, stem.name), set()) or self.by_name.get(
                (scope, stem.stem), set()
            )
        return found

    def find(self, name: str, pid: str | None, where: str) -> int:
        found = self.candidates(name.strip(), pid)
        if len(found) == 1:
            return next(iter(found))
        whose = f"participant {pid}" if pid else "no participant"
        if not found:
            raise QualcodeError(f"{where}: no document {name!r} of {whose}")
        raise QualcodeError(
            f"{where}: document {name!r} of {whose} is ambiguous (ids {sorted(found)})"
        )

    def label(self, doc_id: int) -> str:
        """The shortest name that finds this document again."""
        pid = self.owner[doc_id]
        for name in self.info[doc_id]:
            if name and self.candidates(name, pid) == {doc_id}:
                return name
        return f"#{doc_id}"

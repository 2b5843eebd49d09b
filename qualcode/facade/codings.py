"""Codings: spans of a document tied to a code and a coder; excerpts; autocoding."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace

from qualcode.errors import NotFoundError, QualcodeError, StaleTextError
from qualcode.facade.base import ProjectBase, utc_now
from qualcode.facade.memos import (
    add_coding_memos,
    coding_memo_sql,
    delete_memos,
    memos_on,
    restore_memos,
)
from qualcode.models import Coding, Excerpt, text_revision

_INSERT = 'INSERT INTO codings(id, document_id, start, "end", code_id, coder, created_at) '
_INSERT += "VALUES (?,?,?,?,?,?,?)"
_COLS = 'id, document_id, start, "end", code_id, coder, created_at, ' + coding_memo_sql("codings")
_COLUMNS = ("id", "document_id", "start", "end", "code_id", "coder", "created_at")


def _insert_few(conn, rows) -> None:
    conn.executemany(_INSERT, rows)


def _insert_many(conn, rows) -> None:
    from qualcode.bulk import insert_staged

    insert_staged(conn, "codings", _COLUMNS, rows)


@dataclass(frozen=True)
class NewCoding:
    """A coding to add (Project.add_codings): the code on [start, end) of a document, in
    code points; coder and time default to the project's coder and now."""

    document_id: int
    start: int
    end: int
    code_id: int
    coder: str | None = None
    memo: str | None = None
    created_at: str | None = None


@dataclass(frozen=True)
class AutocodeMatch:
    """A passage an autocode search found: its span (code points) and text in a
    document, and whether the code is already on it."""

    document_id: int
    participant: str | None
    document: str
    start: int
    end: int
    text: str
    already_coded: bool


def _one_coder(rows: list[NewCoding]) -> str | None:
    """The coder of all these codings when they share one (the log entry's coder)."""
    coders = {r.coder for r in rows}
    return coders.pop() if len(coders) == 1 else None


class CodingOps(ProjectBase):
    def add_coding(
        self,
        document,
        start: int,
        end: int,
        code,
        coder: str | None = None,
        memo: str | None = None,
        revision: str | None = None,
    ) -> Coding:
        """Code a span at once (committed before this returns). `revision`, when given, is
        the models.text_revision of the text the offsets were taken from (what a screen
        shows): if the stored text is no longer that one, StaleTextError and nothing saved."""
        doc_id = self.resolve_document(document)
        code_id = self.resolve_code(code)
        if revision is not None:
            # Checked inside the write transaction: no other session can change the text
            # between the check and the insert.
            with self.transaction("code", coder=coder):
                self._check_revision(doc_id, revision)
                return self.add_coding(doc_id, start, end, code_id, coder, memo)
        self._check_span(doc_id, start, end)
        same = self.db.execute(
            'SELECT id, coder FROM codings WHERE document_id = ? AND start = ? AND "end" = ? '
            "AND code_id = ? AND coder = ?",
            [doc_id, start, end, code_id, coder or self.coder],
        ).fetchone()
        if same:
            # A second identical coding would count twice in every table.
            raise QualcodeError(
                f"{self.document(doc_id).title} {start}-{end} is already coded with "
                f"{self.code(code_id).path} by {same[1]} (coding {same[0]})"
            )
        [coding_id] = self.add_codings([NewCoding(doc_id, start, end, code_id, coder, memo)])
        return self.coding(coding_id)

    def _check_revision(self, doc_id: int, revision: str) -> None:
        """StaleTextError unless the document's stored text has this revision."""
        row = self.db.execute("SELECT title, text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        if text_revision(row[1]) != revision:
            raise StaleTextError(
                f"{row[0]}: its text was changed by another session since it was shown, "
                "so the offsets would fall on other words; nothing was coded"
            )

    def _check_span(self, doc_id: int, start: int, end: int) -> None:
        """One line naming the document and what is wrong with the span."""
        row = self.db.execute(
            "SELECT title, length(text) FROM documents WHERE id = ?", [doc_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        title, length = row
        if start < 0 or end > length:
            raise QualcodeError(f"{title}: span {start}-{end} is outside the text (0-{length})")
        if start >= end:
            raise QualcodeError(
                f"{title}: span {start}-{end} is empty (the end must be after the start)"
            )

    def add_codings(self, rows: list[NewCoding]) -> list[int]:
        """Bulk insert in one transaction; every span is checked against its document."""
        if not rows:
            return []
        doc_ids = sorted({r.document_id for r in rows})
        lengths: dict[int, int] = {}
        for chunk in range(0, len(doc_ids), 500):  # stay under SQLite's variable limit
            part = doc_ids[chunk : chunk + 500]
            lengths.update(
                self.db.execute(
                    f"SELECT id, length(text) FROM documents WHERE id IN ({','.join('?' * len(part))})",
                    part,
                ).fetchall()
            )
        code_ids = {c.id for c in self.codes()}
        for r in rows:
            if r.document_id not in lengths:
                raise NotFoundError(f"no document with id {r.document_id}")
            if r.code_id not in code_ids:
                raise NotFoundError(f"no code with id {r.code_id}")
            if not (0 <= r.start < r.end <= lengths[r.document_id]):
                raise QualcodeError(
                    f"span {r.start}-{r.end} is outside document {r.document_id} "
                    f"(0-{lengths[r.document_id]}) or empty"
                )
        now, default_coder = utc_now(), self.coder
        with self.transaction("code", coder=_one_coder(rows)) as conn:
            first = conn.execute("SELECT coalesce(max(id), 0) FROM codings").fetchone()[0]
            # Not sqlite-utils' insert_all: executemany was 3-4 times faster on 25,000
            # codings (bench/bulk_insert.py); many rows go through a TEMP table, which
            # runs the audit-log triggers in one statement (bulk.insert_staged).
            insert = _insert_many if len(rows) > 100 else _insert_few
            insert(
                conn,
                (
                    (
                        first + n,
                        r.document_id,
                        r.start,
                        r.end,
                        r.code_id,
                        unicodedata.normalize("NFC", r.coder or default_coder),
                        r.created_at or now,
                    )
                    for n, r in enumerate(rows, start=1)
                ),
            )
            add_coding_memos(
                conn,
                [
                    (first + n, r.memo, r.coder or default_coder, r.created_at or now)
                    for n, r in enumerate(rows, start=1)
                    if r.memo
                ],
            )
        return list(range(first + 1, first + 1 + len(rows)))

    def coding(self, coding_id: int) -> Coding:
        row = self.db.execute(f"SELECT {_COLS} FROM codings WHERE id = ?", [coding_id]).fetchone()
        if not row:
            raise NotFoundError(f"no coding with id {coding_id}")
        return Coding(*row)

    def codings(self, document=None, code=None) -> list[Coding]:
        sql, args, where = f"SELECT {_COLS} FROM codings", [], []
        if document is not None:
            where.append("document_id = ?")
            args.append(self.resolve_document(document))
        if code is not None:
            where.append("code_id = ?")
            args.append(self.resolve_code(code))
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [Coding(*r) for r in self.db.execute(sql + " ORDER BY document_id, start, id", args)]

    def codings_at(self, document, offset: int) -> list[Coding]:
        doc_id = self.resolve_document(document)
        rows = self.db.execute(
            f'SELECT {_COLS} FROM codings WHERE document_id = ? AND start <= ? AND "end" > ? ORDER BY start, id',
            [doc_id, offset, offset],
        )
        return [Coding(*r) for r in rows]

    def remove_coding(self, coding_id: int) -> Coding:
        """Delete one coding and the memos on it; returns it (with its memo rows) so that
        restore_coding can put both back (undo)."""
        coding = self.coding(coding_id)
        with self.transaction("uncode") as conn:
            memos = memos_on(conn, {"coding": [coding_id]})
            delete_memos(conn, memos)
            conn.execute("DELETE FROM codings WHERE id = ?", [coding_id])
        return replace(coding, memo_rows=tuple(tuple(m) for m in memos))

    def restore_coding(self, coding: Coding, revision: str | None = None) -> Coding:
        """Put back a removed coding with its original id, coder, time and memos; with a
        `revision` (as add_coding), only onto that text (else StaleTextError)."""
        with self.transaction("restore coding") as conn:
            if revision is not None:
                self._check_revision(coding.document_id, revision)
            conn.execute(
                _INSERT,
                [
                    coding.id,
                    coding.document_id,
                    coding.start,
                    coding.end,
                    coding.code_id,
                    coding.coder,
                    coding.created_at,
                ],
            )
            if coding.memo_rows:
                restore_memos(conn, [list(m) for m in coding.memo_rows], {})
            elif coding.memo:
                add_coding_memos(conn, [(coding.id, coding.memo, coding.coder, coding.created_at)])
        return coding

    def uncode(
        self, document, start: int, end: int, code=None, coder: str | None = None
    ) -> list[Coding]:
        """Remove the codings with exactly this span (of one code / coder if given)."""
        doc_id = self.resolve_document(document)
        sql = f'SELECT {_COLS} FROM codings WHERE document_id = ? AND start = ? AND "end" = ?'
        args: list = [doc_id, start, end]
        if code is not None:
            sql += " AND code_id = ?"
            args.append(self.resolve_code(code))
        if coder:
            sql += " AND coder = ?"
            args.append(coder)
        found = [Coding(*r) for r in self.db.execute(sql, args)]
        if not found:
            raise NotFoundError(
                f"{self.document(doc_id).title}: no coding with exactly the span {start}-{end}"
                + (" of that code" if code is not None else "")
                + (f" by {coder}" if coder else "")
            )
        with self.transaction("uncode") as conn:
            delete_memos(conn, memos_on(conn, {"coding": [c.id for c in found]}))
            conn.executemany("DELETE FROM codings WHERE id = ?", [(c.id,) for c in found])
        return found

    def coding_memo(self, coding_id: int) -> str:
        """The text of the coding's first memo (what `m` in the TUI edits); '' if none."""
        row = self.db.execute(
            "SELECT text FROM memos WHERE target_type = 'coding' AND target_id = ? ORDER BY id",
            [coding_id],
        ).fetchone()
        return row[0] if row else ""

    def set_coding_memo(self, coding_id: int, memo: str | None) -> Coding:
        """Set the memo of a coding (the TUI's `m`): the text of its first memo, which is
        made if there is none and deleted when the text is empty. Other memos on the
        coding (from `qualcode memo --on coding N`) stay."""
        coding = self.coding(coding_id)
        first = self.db.execute(
            "SELECT id FROM memos WHERE target_type = 'coding' AND target_id = ? ORDER BY id",
            [coding_id],
        ).fetchone()
        with self.transaction("edit coding memo") as conn:
            if first and memo and memo.strip():
                conn.execute("UPDATE memos SET text = ? WHERE id = ?", [memo, first[0]])
            elif first:
                conn.execute("DELETE FROM memos WHERE id = ?", [first[0]])
            elif memo and memo.strip():
                add_coding_memos(conn, [(coding_id, memo, self.coder, utc_now())])
        return self.coding(coding.id)

    def excerpts(
        self, code=None, with_children: bool = False, document=None, filters=None
    ) -> list[Excerpt]:
        """Coded passages with participant, document and position, in document order.

        `filters` (qualcode.analysis.Filters) keeps the excerpts the analysis tables would
        count: same checks, same one-line errors, the same SQL conditions on documents."""
        paths = {c.id: c.path for c in self.codes()}
        where, args = [], []
        if filters is not None:
            from qualcode.analysis.filters import document_scope, resolve_filters

            filters = resolve_filters(self.db, filters)
            cond, cond_args = document_scope(filters)
            where.append(cond)
            args += cond_args
            if filters.coders:
                where.append(f"c.coder IN ({','.join('?' * len(filters.coders))})")
                args += filters.coders
        if code is not None:
            code_id = self.resolve_code(code)
            ids = self.descendants(code_id) if with_children else [code_id]
            where.append(f"c.code_id IN ({','.join('?' * len(ids))})")
            args += ids
        if document is not None:
            where.append("c.document_id = ?")
            args.append(self.resolve_document(document))
        sql = (
            'SELECT c.id, p.pid, d.id, d.title, d.kind, c.code_id, c.start, c."end", '
            'substr(d.text, c.start + 1, c."end" - c.start), c.coder, ' + coding_memo_sql("c") + " "
            "FROM codings c JOIN documents d ON d.id = c.document_id "
            "LEFT JOIN participants p ON p.id = d.participant_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.db.execute(sql + " ORDER BY d.position, c.start, c.id", args).fetchall()
        out = [Excerpt(r[0], r[1], r[2], r[3], r[4], paths[r[5]], *r[6:]) for r in rows]
        return self._credit_excerpts(out, filters)

    def _credit_excerpts(self, excerpts: list[Excerpt], filters) -> list[Excerpt]:
        """An excerpt of a focus group (a document of several participants, or with mapped
        speakers) names the participants its coding counts for (qualcode.analysis.credit),
        "P20, P21", or none; with participant filters, one that counts for nobody in scope
        is left out, as the tables leave it out."""
        from qualcode.analysis.credit import load_scope, shared_credit, shared_document_ids

        if not shared_document_ids(self.db) & {e.document_id for e in excerpts}:
            return excerpts
        from dataclasses import replace

        from qualcode.facade.documents import _natural_key as natural_key

        scope = load_scope(self.db, filters)
        credit = {row[0]: row[5] for row in shared_credit(self.db, scope)}
        restricted = scope.filters.restricts_participants
        out = []
        for e in excerpts:
            if e.document_id in scope.shared:
                people = sorted(
                    (scope.people[p] for p in credit.get(e.coding_id, ())), key=natural_key
                )
                if restricted and not people:
                    continue
                e = replace(e, participant=", ".join(people) or None)
            out.append(e)
        return out

    def autocode(
        self,
        pattern: str,
        code,
        unit: str = "sentence",
        speaker: str | None = None,
        coder: str | None = None,
        dry_run: bool = False,
        ignore_case: bool = True,
        documents=None,
        skip_interviewer: bool = False,
    ) -> list[AutocodeMatch]:
        """Code every unit (sentence, turn or paragraph segment) whose text matches `pattern`.

        Units already coded with this code are listed but not coded twice. With dry_run
        nothing is written. Documents without segments of that unit are matched by line.
        With skip_interviewer, units inside the turns of the labels marked as the
        interviewer's (Project.mark_interviewer) are left out.
        """
        try:
            regex = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
        except re.error as exc:
            raise QualcodeError(f"invalid regular expression {pattern!r}: {exc}") from None
        if regex.search(""):
            raise QualcodeError(
                f"the pattern {pattern!r} matches empty text, so it would code every {unit}"
            )
        code_id = self.resolve_code(code)
        doc_filter = {self.resolve_document(d) for d in documents} if documents else None
        units = self._units(unit, speaker)
        existing = {
            (d, s, e)
            for d, s, e in self.db.execute(
                'SELECT document_id, start, "end" FROM codings WHERE code_id = ?', [code_id]
            )
        }
        matches = []
        for doc_id, pid, title, text, spans in units:
            if doc_filter is not None and doc_id not in doc_filter:
                continue
            if skip_interviewer:
                asked = set(_within(spans, self.interviewer_turns(doc_id)))
                spans = [u for u in spans if u not in asked]
            for start, end in spans:
                piece = text[start:end]
                if regex.search(piece):
                    matches.append(
                        AutocodeMatch(
                            doc_id, pid, title, start, end, piece, (doc_id, start, end) in existing
                        )
                    )
        if not dry_run:
            self.add_codings(
                [
                    NewCoding(m.document_id, m.start, m.end, code_id, coder)
                    for m in matches
                    if not m.already_coded
                ]
            )
        return self._credit_matches(matches)

    def _credit_matches(self, matches: list[AutocodeMatch]) -> list[AutocodeMatch]:
        """A match in a focus group names the participants its coding counts for."""
        from qualcode.analysis.credit import shared_document_ids, span_participants

        shared = shared_document_ids(self.db)
        if not shared & {m.document_id for m in matches}:
            return matches
        from dataclasses import replace

        return [
            replace(
                m,
                participant=", ".join(span_participants(self.db, m.document_id, m.start, m.end))
                or None,
            )
            if m.document_id in shared
            else m
            for m in matches
        ]

    def _units(self, unit: str, speaker: str | None):
        """(doc_id, pid, title, text, [(start, end)]) per document for autocoding."""
        if unit not in ("sentence", "turn", "paragraph"):
            raise QualcodeError(f"unknown unit {unit!r} (sentence, turn or paragraph)")
        if unit == "sentence":
            self.ensure_sentences()  # those an import left for later
        docs = self.db.execute(
            "SELECT d.id, p.pid, d.title, d.text FROM documents d "
            "LEFT JOIN participants p ON p.id = d.participant_id ORDER BY d.position"
        ).fetchall()
        spans: dict[int, list[tuple[int, int]]] = {}
        for doc_id, start, end in self.db.execute(
            'SELECT document_id, start, "end" FROM segments WHERE kind = ? ORDER BY document_id, start',
            [unit],
        ):
            spans.setdefault(doc_id, []).append((start, end))
        if speaker:
            turns: dict[int, list[tuple[int, int]]] = {}
            for doc_id, start, end in self.db.execute(
                'SELECT document_id, start, "end" FROM segments WHERE kind = ? AND speaker = ? COLLATE NOCASE',
                ["turn", speaker],
            ):
                turns.setdefault(doc_id, []).append((start, end))
            if not turns:
                known = [
                    r[0]
                    for r in self.db.execute(
                        "SELECT DISTINCT speaker FROM segments WHERE kind = 'turn' AND speaker IS NOT NULL "
                        "ORDER BY speaker LIMIT 11"
                    )
                ]
                raise NotFoundError(
                    f"no turns spoken by {speaker!r} (speakers: {', '.join(known[:10]) or 'none found'}"
                    f"{', ...' if len(known) > 10 else ''})"
                )
        out = []
        for doc_id, pid, title, text in docs:
            units = spans.get(doc_id) or [
                (m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)
            ]
            if speaker:
                units = _within(units, sorted(turns.get(doc_id, [])))
            out.append((doc_id, pid, title, text, units))
        return out


def _within(units: list[tuple[int, int]], turns: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The units that lie inside one of the (sorted, non-overlapping) turns: a bisect per
    unit, not a scan of every turn, so a long corpus stays linear."""
    starts = [t[0] for t in turns]
    kept = []
    for s, e in units:
        i = bisect_right(starts, s) - 1
        if i >= 0 and e <= turns[i][1]:
            kept.append((s, e))
    return kept

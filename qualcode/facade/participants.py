"""Participants after import: set or remove attributes, rename an id, read an attribute
sheet (qualcode.ingest.attributes_csv). Each write is one transaction, logged in the
audit trail (qualcode.audit) under an action naming what was done."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.codebook import nfc
from qualcode.errors import NotFoundError, QualcodeError
from qualcode.facade.base import ProjectBase
from qualcode.plural import noun, plural


@dataclass(frozen=True)
class ParticipantRow:
    """A participant as the editor lists it: id, label, attributes, documents held."""

    pid: str
    label: str | None
    attributes: dict[str, str]
    documents: int


@dataclass(frozen=True)
class AttributeChange:
    """What set_attributes did to one participant: attribute names, by what happened."""

    pid: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    respelled: tuple[str, ...] = ()  # "'f' written as 'F' (sex: ...)", see Spellings


@dataclass(frozen=True)
class RenameResult:
    """What renaming a participant did: the old and new ids and the documents, trash
    entries and titles it touched."""

    old: str
    new: str
    documents: int  # documents of the participant (they follow the id; nothing else moves)
    trash_entries: int  # deleted documents in the trash whose participant was renamed too
    forgot_old: bool  # the old id was also replaced in the audit trail and the file rewritten
    titles_with_old: int = 0  # documents whose title or file name still holds the old id


@dataclass
class AttributeImport:
    """The plan, then the result, of import_attributes; `lines()` is the summary."""

    file: str
    encoding: str
    delimiter: str
    id_column: str
    attributes: tuple[str, ...]
    matched: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # skipped (not in the project)
    near: dict[str, str] = field(default_factory=dict)  # unknown id -> id differing by case
    added: int = 0  # attribute values new to their participant
    changed: int = 0
    unchanged: int = 0
    empty: int = 0  # empty cells (not recorded: the value was left as it was)
    written: bool = False
    dry_run: bool = False
    respelled: list[str] = field(default_factory=list)

    def lines(self, create_hint: str = " (--create adds them)") -> list[str]:
        """The import summary, one decision a line; `create_hint` follows the skipped
        participants (the CLI names its option, the workbench its own choice)."""
        out = [
            f"{self.file}: {self.encoding}, {self.delimiter}-separated; participant ids from "
            f"column {self.id_column!r}; attributes: {', '.join(self.attributes)}",
            f"matched {plural(len(self.matched), 'participant')} of the project: "
            f"{_ids(self.matched)}",
        ]
        if self.created:
            out.append(
                f"created {plural(len(self.created), 'new participant')}: {_ids(self.created)}"
            )
        if self.unknown:
            hints = "".join(
                f" ({u}: did you mean {self.near[u]}?)" for u in self.unknown if u in self.near
            )
            out.append(
                f"skipped {plural(len(self.unknown), 'participant')} not in the project: "
                f"{_ids(self.unknown)}{hints}{create_hint}"
            )
        out.append(
            f"values: {self.added} added, {self.changed} changed, {self.unchanged} unchanged"
        )
        out += self.respelled
        if self.empty:
            out.append(
                f"{plural(self.empty, 'empty cell')}: not recorded, the "
                f"{noun(self.empty, 'value')} left as {'it was' if self.empty == 1 else 'they were'}"
            )
        if self.dry_run:
            out.append("nothing written (dry run)")
        else:
            out.append("written in one transaction" if self.written else "nothing to change")
        return out


def _ids(ids: list[str], limit: int = 12) -> str:
    if not ids:
        return "-"
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


class Spellings:
    """The project's spelling of each attribute name and value, so that a name or value
    typed or read in another case joins the existing one instead of making a second
    one: `Sex` next to `sex` would be a second attribute that the tables read apart,
    and `f` next to `F` a second group in a crosstab while `--where sex=F` (which
    matches without case) counts both. Where a value already has several spellings the
    most frequent one is used. Every respelling is reported (notes), never silent."""

    def __init__(self, conn) -> None:
        self.names: dict[str, str] = {}
        counts: dict[tuple[str, str], dict[str, int]] = {}
        for name, value, n in conn.execute(
            "SELECT name, value, count(*) FROM attributes GROUP BY name, value"
        ):
            self.names.setdefault(name.casefold(), name)
            spelled = counts.setdefault((name, value.casefold()), {})
            spelled[value] = spelled.get(value, 0) + n
        self.values = {
            key: max(sorted(spelled), key=lambda v: spelled[v]) for key, spelled in counts.items()
        }
        self.notes: list[str] = []

    def name(self, name: str) -> str:
        """The project's spelling of an attribute name (the name itself if new)."""
        known = self.names.setdefault(name.casefold(), name)
        if known != name:
            self._note(f"attribute {name!r} written as {known!r}, the name the project has")
        return known

    def value(self, name: str, value: str) -> str:
        """The project's spelling of a value of attribute `name` (already respelled)."""
        known = self.values.setdefault((name, value.casefold()), value)
        if known != value:
            self._note(f"{name}={value!r} written as {known!r}, the value the project has")
        return known

    def _note(self, line: str) -> None:
        if line not in self.notes:
            self.notes.append(line)


class ParticipantOps(ProjectBase):
    def participant_rows(self) -> list[ParticipantRow]:
        """Every participant (natural order, R2 before R10) with its attributes and the
        number of documents it holds (a focus group counts for each of its participants)."""
        counts = dict(
            self.db.execute(
                "SELECT participant_id, count(*) FROM document_participants GROUP BY participant_id"
            ).fetchall()
        )
        return [
            ParticipantRow(p.pid, p.label, dict(p.attributes), counts.get(p.id, 0))
            for p in self.participants()
        ]

    def _participant_id(self, pid: str) -> int:
        row = self.db.execute("SELECT id FROM participants WHERE pid = ?", [nfc(pid)]).fetchone()
        if row is None:
            near = [
                p
                for (p,) in self.db.execute("SELECT pid FROM participants")
                if p.casefold() == nfc(pid).casefold()
            ]
            hint = f" (did you mean {near[0]}?)" if len(near) == 1 else ""
            raise NotFoundError(f"no participant {pid!r}{hint}")
        return int(row[0])

    def set_attributes(self, pid: str, values: Mapping[str, str | None]) -> AttributeChange:
        """Set (add or replace) attributes of an existing participant; a value of None or
        "" removes that attribute. Names and values are stored NFC, stripped. One
        transaction, logged as "set attributes of PID". Raises NotFoundError for an
        unknown participant, QualcodeError for an empty attribute name."""
        person = self._participant_id(pid)
        spell = Spellings(self.db.conn)
        clean: dict[str, str | None] = {}
        for name, value in values.items():
            key = nfc(name.strip())
            if not key:
                raise QualcodeError("attribute name is empty")
            key = spell.name(key)
            text = nfc(value.strip()) if isinstance(value, str) else ""
            clean[key] = spell.value(key, text) if text else None
        current = dict(
            self.db.execute(
                "SELECT name, value FROM attributes WHERE participant_id = ?", [person]
            ).fetchall()
        )
        missing = [k for k, v in clean.items() if v is None and k not in current]
        if missing:
            raise NotFoundError(
                f"{nfc(pid)} has no attribute {missing[0]!r} to remove "
                f"(its attributes: {', '.join(sorted(current)) or 'none'})"
            )
        added: list[str] = []
        changed: list[str] = []
        removed: list[str] = []
        same: list[str] = []
        for key, value in clean.items():
            if value is None:
                (removed if key in current else same).append(key)
            elif key not in current:
                added.append(key)
            else:
                (changed if current[key] != value else same).append(key)
        pid = nfc(pid)
        if added or changed or removed:
            with self.transaction(f"set attributes of {pid}") as conn:
                conn.executemany(
                    "INSERT INTO attributes(participant_id, name, value) VALUES (?, ?, ?) "
                    "ON CONFLICT(participant_id, name) DO UPDATE SET value = excluded.value",
                    [(person, k, clean[k]) for k in added + changed],
                )
                conn.executemany(
                    "DELETE FROM attributes WHERE participant_id = ? AND name = ?",
                    [(person, k) for k in removed],
                )
        return AttributeChange(
            pid, tuple(added), tuple(changed), tuple(removed), tuple(same), tuple(spell.notes)
        )

    def was_pseudonymised(self) -> bool:
        """True if the audit trail records a pseudonymisation of this project."""
        return (
            self.db.execute("SELECT 1 FROM log WHERE action = 'pseudonymise' LIMIT 1").fetchone()
            is not None
        )

    def rename_participant(
        self, old: str, new: str, forget_old: bool | None = None
    ) -> RenameResult:
        """Give participant `old` the id `new`; its documents, attributes and memos follow
        (they refer to it by row id), and deleted documents of it in the trash are renamed
        too, so that restoring one does not bring the old id back.

        forget_old (default: when the project was pseudonymised) also replaces the old id
        in the audit trail (the participant rows logged before and after), names neither
        id in the log entry's action, then zeroes freed pages and folds in the WAL as
        pseudonymisation does, so that the old id is nowhere in the file's bytes.
        Raises NotFoundError for an unknown `old`, QualcodeError when `new` is empty or
        already the id of another participant (ids are compared exactly, after NFC)."""
        old, new = nfc(old.strip()), nfc(new.strip())
        person = self._participant_id(old)
        if not new:
            raise QualcodeError("the new participant id is empty")
        if new == old:
            raise QualcodeError(f"participant {old!r} already has that id")
        if self.db.execute("SELECT 1 FROM participants WHERE pid = ?", [new]).fetchone():
            raise QualcodeError(
                f"participant {new!r} already exists: choose another id "
                "(two participants cannot share an id)"
            )
        if forget_old is None:
            forget_old = self.was_pseudonymised()
        action = "rename participant" if forget_old else f"rename participant {old} to {new}"
        documents = self.db.execute(
            "SELECT count(*) FROM documents WHERE participant_id = ?", [person]
        ).fetchone()[0]
        if forget_old:
            self.db.execute("PRAGMA secure_delete=ON")  # pages freed from now on are zeroed
        with self.transaction(action) as conn:
            conn.execute("UPDATE participants SET pid = ? WHERE id = ?", [new, person])
            trash = []
            for trash_id, label, payload in conn.execute(
                "SELECT id, label, payload FROM trash WHERE kind = 'document'"
            ).fetchall():
                data = json.loads(payload)
                doc = data.get("document") or {}
                # a focus group's participants and speaker map (schema 7) name it too
                members = data.get("participants") or []
                speakers = data.get("speakers") or []
                if (
                    doc.get("participant") == old
                    or old in members
                    or any(p == old for _, p in speakers)
                ):
                    if doc.get("participant") == old:
                        doc["participant"] = new
                    data["participants"] = [new if p == old else p for p in members]
                    data["speakers"] = [[s, new if p == old else p] for s, p in speakers]
                    if label.startswith(f"{old} "):
                        label = f"{new} {label[len(old) + 1 :]}"
                    trash.append((label, json.dumps(data, ensure_ascii=False), trash_id))
            conn.executemany("UPDATE trash SET label = ?, payload = ? WHERE id = ?", trash)
            if forget_old:
                _forget_in_log(conn, person, old, new)
        if forget_old:
            self.db.execute("VACUUM")
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return RenameResult(
            old, new, int(documents), len(trash), forget_old, self._titles_holding(old)
        )

    def _titles_holding(self, word: str) -> int:
        """Documents whose title or file name holds `word` as a whole word (any case)."""
        from qualcode.pseudonymise_elsewhere import NameReplacer

        replacer = NameReplacer([(word, word)], whole_words=True, fold_accents=False)
        return sum(
            1
            for title, source in self.db.execute("SELECT title, source_name FROM documents")
            if replacer.triples(title or "") or replacer.triples(source or "")
        )

    def import_attributes(
        self,
        path: str | Path,
        create: bool = False,
        dry_run: bool = False,
        encoding: str | None = None,
    ) -> AttributeImport:
        """Set participants' attributes from a sheet (qualcode.ingest.attributes_csv).

        Rows of participants not in the project are skipped and listed, or created with
        `create`; an empty cell leaves the attribute as it was. Nothing is written with
        `dry_run`; otherwise a backup is made and every value is written in one
        transaction (logged as "import attributes from FILE"). Returns the plan, whose
        lines() are the summary. Raises ImportError_ naming the file and line."""
        from qualcode.ingest.attributes_csv import read_attribute_sheet

        sheet = read_attribute_sheet(path, encoding, self.language)
        plan = AttributeImport(
            sheet.name, sheet.encoding, sheet.delimiter, sheet.id_column, sheet.attributes
        )
        plan.dry_run = dry_run
        ids = self._participant_ids(self.db.conn)
        folded: dict[str, list[str]] = {}
        for pid in ids:
            folded.setdefault(pid.casefold(), []).append(pid)
        current: dict[tuple[int, str], str] = {
            (pid_id, name): value
            for pid_id, name, value in self.db.execute(
                "SELECT participant_id, name, value FROM attributes"
            )
        }
        spell = Spellings(self.db.conn)
        merged: dict[str, dict[str, str]] = {}
        for row in sheet.rows:
            merged.setdefault(row.pid, {}).update(
                {
                    spell.name(name): spell.value(spell.name(name), value)
                    for name, value in row.values.items()
                }
            )
            plan.empty += len(row.empty)
        writes: list[tuple[str, str, str]] = []
        for pid, values in merged.items():
            if pid in ids:
                plan.matched.append(pid)
            elif create and len(folded.get(pid.casefold(), [])) == 0:
                plan.created.append(pid)
            else:  # not created when it differs from a project id only by case
                plan.unknown.append(pid)
                near = folded.get(pid.casefold(), [])
                if len(near) == 1:
                    plan.near[pid] = near[0]
                continue
            for name, value in values.items():
                before = current.get((ids[pid], name)) if pid in ids else None
                if before is None:
                    plan.added += 1
                elif before != value:
                    plan.changed += 1
                else:
                    plan.unchanged += 1
                    continue
                writes.append((pid, name, value))
        plan.respelled = spell.notes
        if dry_run or not (writes or plan.created):
            return plan
        self.auto_backup("before-import")
        with self.transaction(f"import attributes from {sheet.name}") as conn:
            people = self._upsert_participants(conn, [(pid, None, {}) for pid in plan.created])
            conn.executemany(
                "INSERT INTO attributes(participant_id, name, value) VALUES (?, ?, ?) "
                "ON CONFLICT(participant_id, name) DO UPDATE SET value = excluded.value",
                [(people[pid], name, value) for pid, name, value in writes],
            )
        plan.written = True
        return plan


def _forget_in_log(conn, person: int, old: str, new: str) -> None:
    """Replace the old id in the audit trail's participant rows (JSON before/after) and in
    the summaries and actions of past entries that named it (e.g. an earlier rename)."""
    from qualcode.pseudonymise_elsewhere import NameReplacer

    rows = []
    for change_id, before, after in conn.execute(
        "SELECT id, before, after FROM log_changes WHERE tbl = 'participants' AND row_id = ?",
        [person],
    ).fetchall():
        rows.append((_with_pid(before, old, new), _with_pid(after, old, new), change_id))
    conn.executemany("UPDATE log_changes SET before = ?, after = ? WHERE id = ?", rows)
    replacer = NameReplacer([(old, new)], whole_words=True, fold_accents=False)
    entries = [
        (replacer.text(action), replacer.text(summary), entry_id)
        for entry_id, action, summary in conn.execute("SELECT id, action, summary FROM log")
        if replacer.triples(action) or replacer.triples(summary)
    ]
    conn.executemany("UPDATE log SET action = ?, summary = ? WHERE id = ?", entries)


def _with_pid(value: str | None, old: str, new: str) -> str | None:
    if value is None:
        return None
    data = json.loads(value)
    if data.get("pid") == old:
        data["pid"] = new
    return json.dumps(data, ensure_ascii=False)

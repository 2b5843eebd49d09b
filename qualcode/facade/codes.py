"""The codebook inside a project: codes by path, and edits that keep every coding."""

from __future__ import annotations

import uuid
from pathlib import Path

from qualcode.codebook import (
    PALETTE,
    WORKBENCH_KEYS,
    Codebook,
    CodeSpec,
    check_code_name,
    check_colour,
    join_path,
    nfc,
    save_codebook,
    shortcut_problem,
    split_path,
    validate,
)
from qualcode.errors import AmbiguousError, CodebookError, NotFoundError
from qualcode.facade.base import ProjectBase, inserted_id
from qualcode.facade.memos import delete_memos, memos_on
from qualcode.models import Code
from qualcode.plural import plural

_CODE_COLUMNS = "id, parent_id, name, description, colour, shortcut, position, guid"


class CodeOps(ProjectBase):
    # --- reading --------------------------------------------------------------
    def codes(self) -> list[Code]:
        """All codes depth-first in codebook order, with their paths (cached until an edit)."""
        if self._codes_cache is None:
            from qualcode.models import Code

            rows = self.db.execute(
                f"SELECT {_CODE_COLUMNS} FROM codes ORDER BY position, id"
            ).fetchall()
            children: dict[int | None, list] = {}
            for row in rows:
                children.setdefault(row[1], []).append(row)
            out: list[Code] = []

            def visit(parent, prefix, depth):
                for r in children.get(parent, []):
                    path = join_path(prefix + [r[2]])
                    out.append(Code(r[0], r[1], r[2], path, r[3], r[4], r[5], r[6], r[7], depth))
                    visit(r[0], prefix + [r[2]], depth + 1)

            visit(None, [], 0)
            self._codes_cache = out
        return self._codes_cache

    def code(self, ref: int | str) -> Code:
        code_id = self.resolve_code(ref)
        return next(c for c in self.codes() if c.id == code_id)

    def resolve_code(self, ref: int | str) -> int:
        """A code by id, by path ('Leadership/Decision making') or by a unique name.

        Names are compared in NFC. The exact spelling is tried first (siblings "trust"
        and "Trust" are two codes); ignoring case only when that finds one code.
        Raises NotFoundError, or AmbiguousError listing the candidates' paths."""
        codes = self.codes()
        if isinstance(ref, int):
            if any(c.id == ref for c in codes):
                return ref
            raise NotFoundError(f"no code with id {ref}")
        ref = nfc(str(ref).strip())
        for same in (lambda a, b: a == b, lambda a, b: a.casefold() == b.casefold()):
            by_path = [c for c in codes if same(nfc(c.path), ref)]
            if len(by_path) == 1:
                return by_path[0].id
            by_name = [c for c in codes if same(nfc(c.name), ref)]
            if len(by_name) == 1 and not by_path:
                return by_name[0].id
            found = by_path or by_name
            if len(found) > 1:
                raise AmbiguousError(
                    f"code {ref!r} is ambiguous; use a path: " + ", ".join(c.path for c in found)
                )
        raise NotFoundError(f"no code named {ref!r}")

    def code_usage(self) -> dict[int, tuple[int, int]]:
        """Per code id: (codings, participants) of that code alone; a focus group's coding
        counts for the participants qualcode.analysis.credit gives it."""
        from qualcode.analysis.credit import code_usage, shared_document_ids

        if shared_document_ids(self.db):
            return code_usage(self.db)
        return {cid: (n, people) for cid, n, people in self.db.execute(_usage_sql())}

    def theme_usage(self) -> dict[int, tuple[int, int]]:
        """Per code id that has subcodes: (codings, participants) of the code and all its
        descendants together (a participant counts once however many subcodes they have:
        the n of the frequency table, without filters). Codes without subcodes are left
        out: their own code_usage is the same."""
        rows = self.db.execute(
            # Each coding counted under every ancestor of its code (and the code itself).
            "WITH RECURSIVE up(code_id, ancestor) AS ("
            " SELECT id, id FROM codes"
            " UNION ALL SELECT up.code_id, c.parent_id FROM up JOIN codes c ON c.id = up.ancestor"
            " WHERE c.parent_id IS NOT NULL) "
            "SELECT up.ancestor, count(*), count(DISTINCT d.participant_id) FROM up "
            "JOIN codings k ON k.code_id = up.code_id JOIN documents d ON d.id = k.document_id "
            "WHERE up.ancestor IN (SELECT parent_id FROM codes WHERE parent_id IS NOT NULL) "
            "GROUP BY up.ancestor"
        )
        return {cid: (n, people) for cid, n, people in rows}

    def descendants(self, code_id: int, include_self: bool = True) -> list[int]:
        codes = self.codes()
        kids: dict[int | None, list[int]] = {}
        for c in codes:
            kids.setdefault(c.parent_id, []).append(c.id)
        out, stack = [], [code_id]
        while stack:
            cid = stack.pop()
            out.append(cid)
            stack.extend(kids.get(cid, []))
        return out if include_self else out[1:]

    def codebook(self) -> Codebook:
        """The project's codebook as a tree (for export and round trips)."""
        specs: dict[int, CodeSpec] = {}
        roots: list[CodeSpec] = []
        for c in self.codes():
            spec = CodeSpec(c.name, c.description, c.colour, c.shortcut, c.guid)
            specs[c.id] = spec
            (specs[c.parent_id].children if c.parent_id else roots).append(spec)
        return Codebook(
            self.get_meta("codebook_name") or "Codebook",
            self.get_meta("codebook_description") or "",
            roots,
        )

    def export_codebook(self, path: str | Path) -> int:
        """Write the codebook as .yaml (qualcode's own) or .qdc (REFI-QDA), chosen by the
        suffix; returns the number of codes."""
        suffix = Path(path).suffix.lower()
        if suffix == ".qdc":
            return self.export_qdc(path)
        if suffix not in (".yaml", ".yml"):
            raise CodebookError(f"{Path(path).name}: a codebook is written as .yaml or .qdc")
        book = self.codebook()
        save_codebook(book, path)
        return len(book)

    # --- loading a whole codebook ----------------------------------------------
    def load_codebook(self, book: Codebook) -> int:
        """Add a codebook's codes; codes already present (same path) are updated, not doubled.

        Returns the number of codes added. One transaction.
        """
        validate(book)
        existing = {nfc(c.path): c for c in self.codes()}
        used_shortcuts = {c.shortcut for c in self.codes() if c.shortcut}
        added = 0
        notes: list[str] = []
        with self.transaction("load codebook") as conn:
            ids: dict[str, int] = {}
            position = conn.execute("SELECT coalesce(max(position), 0) FROM codes").fetchone()[0]
            for n, (path, spec, depth) in enumerate(book.walk()):
                parent_path = path.rsplit("/", 1)[0] if depth else None
                colour = spec.colour or PALETTE[n % len(PALETTE)]
                if path in existing:
                    code = existing[path]
                    ids[path] = code.id
                    conn.execute(
                        "UPDATE codes SET description = coalesce(nullif(?, ''), description), "
                        "colour = coalesce(?, colour) WHERE id = ?",
                        [spec.description, spec.colour, code.id],
                    )
                    continue
                # A shortcut already taken, or one the workbench needs, is left off (not an error:
                # the codebook file may come from another tool).
                shortcut = (
                    spec.shortcut if spec.shortcut not in used_shortcuts | WORKBENCH_KEYS else None
                )
                if spec.shortcut and not shortcut:
                    why = (
                        "the workbench uses that key"
                        if spec.shortcut in WORKBENCH_KEYS
                        else "another code has it"
                    )
                    notes.append(f"shortcut {spec.shortcut!r} of {path!r} dropped: {why}")
                elif shortcut:
                    used_shortcuts.add(shortcut)
                position += 1
                cur = conn.execute(
                    "INSERT INTO codes(parent_id, name, description, colour, shortcut, position, guid) "
                    "VALUES (?,?,?,?,?,?,?)",
                    [
                        ids[parent_path] if parent_path else None,
                        spec.name,
                        spec.description,
                        colour,
                        shortcut,
                        position,
                        spec.guid or str(uuid.uuid4()),
                    ],
                )
                ids[path] = inserted_id(cur)
                added += 1
            if not self.get_meta("codebook_name"):
                for key, value in (
                    ("codebook_name", book.name),
                    ("codebook_description", book.description),
                ):
                    conn.execute(
                        "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", [key, value]
                    )
        self._codes_cache = None
        self.codebook_notes = notes
        return added

    # --- edits ----------------------------------------------------------------
    def add_code(
        self,
        path_or_name: str,
        parent=None,
        description: str = "",
        colour: str | None = None,
        shortcut: str | None = None,
        guid: str | None = None,
    ):
        """Add a code. `path_or_name` may be a path whose parents exist ('Leadership/New')."""
        if parent is not None:
            check_code_name(nfc(path_or_name.strip()))  # under a parent it is one name
        parts = split_path(path_or_name)
        name = parts[-1]
        parent_id = self.resolve_code(parent) if parent is not None else None
        if len(parts) > 1:
            if parent_id is not None:
                raise CodebookError("give either a path or a parent, not both")
            parent_id = self.resolve_code(join_path(parts[:-1]))
        self._check_sibling_free(parent_id, name)
        self._check_shortcut_free(shortcut, None)
        check_colour(colour, name)
        colour = colour or PALETTE[len(self.codes()) % len(PALETTE)]
        with self.transaction("add code") as conn:
            position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM codes").fetchone()[
                0
            ]
            cur = conn.execute(
                "INSERT INTO codes(parent_id, name, description, colour, shortcut, position, guid) "
                "VALUES (?,?,?,?,?,?,?)",
                [
                    parent_id,
                    name,
                    description,
                    colour,
                    shortcut,
                    position,
                    guid or str(uuid.uuid4()),
                ],
            )
        self._codes_cache = None
        return self.code(inserted_id(cur))

    def update_code(self, ref, **fields):
        """Change name, description, colour or shortcut of a code."""
        allowed = {"name", "description", "colour", "shortcut"}
        unknown = set(fields) - allowed
        if unknown:
            raise CodebookError(f"cannot set {', '.join(sorted(unknown))} on a code")
        code = self.code(ref)
        if "name" in fields:
            fields["name"] = nfc((fields["name"] or "").strip())
            if not fields["name"]:
                raise CodebookError("a code name cannot be empty")
            check_code_name(fields["name"])
            if fields["name"] != code.name:
                self._check_sibling_free(code.parent_id, fields["name"])
        if fields.get("shortcut"):
            self._check_shortcut_free(fields["shortcut"], code.id)
        check_colour(fields.get("colour"), code.name)
        if not fields:
            return code
        sets = ", ".join(f"{k} = ?" for k in fields)
        with self.transaction("rename code" if "name" in fields else "edit code") as conn:
            conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", [*fields.values(), code.id])
        self._codes_cache = None
        return self.code(code.id)

    def rename_code(self, ref, new_name: str):
        return self.update_code(ref, name=new_name)

    def move_code(self, ref, new_parent):
        """Re-parent a code (None: to the top level). Its codings and children move with it."""
        code = self.code(ref)
        parent_id = self.resolve_code(new_parent) if new_parent not in (None, "", "/") else None
        if parent_id is not None and parent_id in self.descendants(code.id):
            raise CodebookError(f"cannot move {code.path!r} under itself or its own descendant")
        if parent_id != code.parent_id:
            self._check_sibling_free(parent_id, code.name)
        with self.transaction("move code") as conn:
            conn.execute("UPDATE codes SET parent_id = ? WHERE id = ?", [parent_id, code.id])
        self._codes_cache = None
        return self.code(code.id)

    def merge_codes(self, source, target):
        """Merge `source` into `target`: its codings and children go to target, then it goes.

        A coding that would duplicate one already on target (same span, coder) is dropped.
        """
        src, dst = self.code(source), self.code(target)
        if src.id == dst.id:
            raise CodebookError("cannot merge a code into itself")
        self.auto_backup("before-merge")
        if dst.id in self.descendants(src.id):
            raise CodebookError(f"cannot merge {src.path!r} into its own descendant {dst.path!r}")
        taken = {nfc(c.name) for c in self.codes() if c.parent_id == dst.id}
        clash = [c.name for c in self.codes() if c.parent_id == src.id and nfc(c.name) in taken]
        if clash:
            raise CodebookError(
                f"cannot merge: {dst.path!r} already has children named {', '.join(clash)}"
            )
        with self.transaction("merge codes") as conn:
            # A dropped duplicate's memos go to the coding it duplicates.
            conn.execute(
                "UPDATE memos SET target_id = (SELECT o.id FROM codings c JOIN codings o ON "
                "o.code_id = ? AND o.document_id = c.document_id AND o.start = c.start "
                'AND o."end" = c."end" AND o.coder = c.coder WHERE c.id = memos.target_id) '
                "WHERE target_type = 'coding' AND target_id IN (SELECT c.id FROM codings c "
                "JOIN codings o ON o.code_id = ? AND o.document_id = c.document_id AND "
                'o.start = c.start AND o."end" = c."end" AND o.coder = c.coder WHERE c.code_id = ?)',
                [dst.id, dst.id, src.id],
            )
            conn.execute(
                "DELETE FROM codings WHERE code_id = ? AND EXISTS (SELECT 1 FROM codings o WHERE "
                "o.code_id = ? AND o.document_id = codings.document_id AND o.start = codings.start "
                'AND o."end" = codings."end" AND o.coder = codings.coder)',
                [src.id, dst.id],
            )
            conn.execute("UPDATE codings SET code_id = ? WHERE code_id = ?", [dst.id, src.id])
            # Memos about the merged code now speak about the code it became part of.
            conn.execute(
                "UPDATE memos SET target_id = ? WHERE target_type = 'code' AND target_id = ?",
                [dst.id, src.id],
            )
            conn.execute("UPDATE codes SET parent_id = ? WHERE parent_id = ?", [dst.id, src.id])
            conn.execute("DELETE FROM codes WHERE id = ?", [src.id])
        self._codes_cache = None
        return self.code(dst.id)

    def delete_code(self, ref, force: bool = False) -> int | None:
        """Delete a code and its children. Refused while codings exist unless forced;
        a forced delete copies the codes and their codings to the trash first.
        Returns the trash entry id (or None when nothing needed backing up)."""
        code = self.code(ref)
        ids = self.descendants(code.id)
        marks = ",".join("?" * len(ids))
        codings = self.db.execute(
            f'SELECT document_id, start, "end", code_id, coder, created_at, NULL, id FROM codings '
            f"WHERE code_id IN ({marks})",
            ids,
        ).fetchall()
        if codings and force:
            self.auto_backup("before-delete")
        if codings and not force:
            raise CodebookError(
                f"code {code.path!r} has {plural(len(codings), 'coding')} (with its children); "
                "use --force to delete them too (a backup goes to the trash)"
            )
        rows = [c.__dict__ for c in self.codes() if c.id in set(ids)]
        with self.transaction("delete code") as conn:
            # Memos on the codes and on their codings go with them (and come back with them).
            memos = memos_on(conn, {"code": ids, "coding": [c[7] for c in codings]})
            trash_id = self._to_trash(
                conn, "code", code.path, {"codes": rows, "codings": codings, "memos": memos}
            )
            delete_memos(conn, memos)
            conn.execute(f"DELETE FROM codings WHERE code_id IN ({marks})", ids)
            for cid in reversed(self._depth_first(ids)):
                conn.execute("DELETE FROM codes WHERE id = ?", [cid])
        self._codes_cache = None
        return trash_id

    def _depth_first(self, ids: list[int]) -> list[int]:
        order = {c.id: n for n, c in enumerate(self.codes())}
        return sorted(ids, key=order.__getitem__)

    def _check_sibling_free(self, parent_id, name: str, exclude: int | None = None) -> None:
        for c in self.codes():
            if c.id != exclude and c.parent_id == parent_id and nfc(c.name) == nfc(name):
                raise CodebookError(f"a code named {name!r} already exists there ({c.path})")

    def _check_shortcut_free(self, shortcut, code_id) -> None:
        if not shortcut:
            return
        problem = shortcut_problem(shortcut)
        if problem:
            raise CodebookError(problem)
        for c in self.codes():
            if c.shortcut == shortcut and c.id != code_id:
                raise CodebookError(f"shortcut {shortcut!r} is already used by {c.path!r}")


def _usage_sql() -> str:
    return (
        "SELECT c.code_id, count(*), count(DISTINCT d.participant_id) FROM codings c "
        "JOIN documents d ON d.id = c.document_id GROUP BY c.code_id"
    )

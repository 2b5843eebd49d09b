"""Facade part for pseudonymisation: plan the replacements of names (shown to the user
first), then apply them in one transaction, moving every coding's and segment's offsets.
The finding and offset mapping are pure functions in qualcode.pseudonymise."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.errors import QualcodeError
from qualcode.facade.base import ProjectBase, utc_now

PSEUDONYMISE = "pseudonymise"  # the log entry's action: undo refuses it (no originals kept)
CODINGS_BY = "; codings by "  # how a merge's log summary names whose codings it added


@dataclass(frozen=True)
class PseudonymisationPlan:
    """What `apply_pseudonymisation` will do; show `lines()` to the user first."""

    replacements: tuple = ()  # qualcode.pseudonymise.Replacement, by document then offset
    titles: dict = field(default_factory=dict)  # document id -> title
    contexts: tuple = ()  # one line of context per replacement
    rules: tuple = ()  # the names file's NameRules: replaced everywhere else too
    # Whether names not in the list were looked for: True only when asked (use_ner) and
    # the project's spaCy pipeline has an NER component (the default install has none).
    entities_checked: bool = False
    # Whether a listed name also matches its accent variants (Novák for Novak): the
    # default; False with exact spelling (case is ignored either way).
    fold_accents: bool = True

    def lines(self) -> list[str]:
        return [
            f"{self.titles.get(r.document_id, r.document_id)}  {r.start}-{r.end}  {ctx}  "
            f"{r.old} -> {r.new}{'  (entity)' if r.source == 'ner' else ''}"
            f"{f'  (accent variant of {r.variant_of})' if r.variant_of else ''}"
            for r, ctx in zip(self.replacements, self.contexts)
        ]

    @property
    def documents(self) -> int:
        return len({r.document_id for r in self.replacements})


class PseudonymisationOps(ProjectBase):
    # --- pseudonymisation ---------------------------------------------------------
    def pseudonymise_plan(
        self, names, use_ner: bool = True, exact_spelling: bool = False
    ) -> PseudonymisationPlan:
        """Find the names (a names.csv path or NameRules) in every document, ignoring
        case and, unless exact_spelling, accents ("Novák" for the listed "Novak"); with
        use_ner and a project pipeline that has NER, PERSON/GPE/LOC entities too (the
        plan's entities_checked says whether they were looked for). Raises
        PseudonymiseError for a bad names file."""
        from qualcode.pseudonymise import context, find_replacements, load_names

        rules = load_names(names) if isinstance(names, (str, Path)) else list(names)
        rows = self.db.execute("SELECT id, title, text FROM documents ORDER BY position").fetchall()
        texts = {doc_id: text for doc_id, _, text in rows}
        nlp = None
        if use_ner:
            from qualcode.nlp.pipeline import has_ner

            nlp = self.nlp()
            use_ner = has_ner(nlp)
        found = find_replacements(
            ((d, t) for d, t in texts.items()),
            rules,
            lang=self.language,
            nlp=nlp,
            use_ner=use_ner,
            fold_accents=not exact_spelling,
        )
        return PseudonymisationPlan(
            tuple(found),
            {d: title for d, title, _ in rows},
            tuple(context(texts[r.document_id], r.start, r.end) for r in found),
            tuple(rules),
            use_ner,
            not exact_spelling,
        )

    def names_elsewhere(self, plan: PseudonymisationPlan) -> int:
        """How many values outside the document texts hold a name of the plan (memos,
        titles, labels, attribute values, code descriptions, the trash...)."""
        from qualcode.pseudonymise_elsewhere import CODER_META, FIELDS, NameReplacer

        replacer = NameReplacer(_pairs(plan), fold_accents=plan.fold_accents)
        return sum(
            1
            for table, column in FIELDS + [("trash", "payload")]
            for (key, value) in self.db.execute(
                f"SELECT {'key' if table == 'meta' else 'NULL'}, {column} FROM {table}"
            )
            if isinstance(value, str)
            and key not in CODER_META  # coder names are kept (apply_pseudonymisation)
            and _replaced(table, column, value, replacer) != value
        )

    def accent_variants(self, plan: PseudonymisationPlan) -> list[tuple[str, str, str]]:
        """(as written, listed name, replacement) of every accent variant of a listed name
        the plan replaces, in the texts or anywhere else in the project, each once, in
        order of the listed names ("Novák", "Novak", "Li")."""
        from qualcode.pseudonymise_elsewhere import FIELDS, NameReplacer

        found = {(r.old, r.variant_of, r.new) for r in plan.replacements if r.variant_of}
        if plan.fold_accents:
            replacer = NameReplacer(
                [(rule.name, rule.replacement) for rule in plan.rules], fold_accents=True
            )
            for table, column in FIELDS + [("trash", "payload")]:
                for (value,) in self.db.execute(f"SELECT {column} FROM {table}"):
                    if isinstance(value, str):
                        found.update(replacer.variants(value))
        order = {rule.name: n for n, rule in enumerate(plan.rules)}
        return sorted(found, key=lambda v: (order.get(v[1], len(order)), v[0]))

    def apply_pseudonymisation(
        self,
        plan: PseudonymisationPlan,
        keep_original: bool = False,
        original_path: str | Path | None = None,
    ) -> dict[str, Any]:
        """Pseudonymise every place a name can be, in one transaction, then rewrite the file
        so that no original text survives in free pages or the WAL.

        The document texts get the plan's replacements, with every coding's and segment's
        offsets moved so that each still covers the same words; every other text (titles,
        file names, participant ids and labels, attribute values, speakers, code names and
        descriptions, memos, metadata, the trash) gets the same names replaced as whole
        words (qualcode.pseudonymise_elsewhere). Then PRAGMA secure_delete (freed pages are
        zeroed), VACUUM and a WAL checkpoint(TRUNCATE).

        keep_original writes a full copy of the project as it was to a separate file
        (`original_path`, default STEM-original-TIME.qualcode in the user's own data folder,
        $XDG_DATA_HOME/qualcode/originals, not beside the project in the folder one
        shares; readable by the user only), named in the result as "original_file"; without it no copy is made, not even a backup, and
        any originals kept in the project by earlier versions are removed. The result also
        counts "elsewhere" (values changed outside the texts) and says whether the WAL was
        truncated ("wal_truncated": False when another program has the project open)."""
        from qualcode import audit
        from qualcode.plural import plural
        from qualcode.pseudonymise import apply_to_text, map_offsets
        from qualcode.pseudonymise_elsewhere import (
            CODER_META,
            FIELDS,
            NameReplacer,
            trash_payload,
        )

        by_doc: dict[int, list] = {}
        for r in plan.replacements:
            by_doc.setdefault(r.document_id, []).append(r)
        moved: dict[str, Any] = {"documents": 0, "replacements": 0, "codings": 0, "segments": 0}
        if keep_original:
            kept = self.backup("original", original_path or self._original_path())
            kept.chmod(0o600)
            moved["original_file"] = kept
        replacer = NameReplacer(_pairs(plan), fold_accents=plan.fold_accents)
        live: dict[int, list[tuple[int, int, int]]] = {}
        self.db.execute("PRAGMA secure_delete=ON")  # pages freed from now on are zeroed
        with self.transaction(PSEUDONYMISE) as conn:
            # Read texts, codings and segments of every planned document in one query each.
            planned = json.dumps(list(by_doc))
            texts = dict(
                conn.execute(
                    "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                    [planned],
                )
            )
            spans: dict[tuple[str, int], list] = {}
            for table in ("codings", "segments"):
                for row in conn.execute(
                    f'SELECT document_id, id, start, "end" FROM {table} '
                    "WHERE document_id IN (SELECT value FROM json_each(?))",
                    [planned],
                ):
                    spans.setdefault((table, row[0]), []).append(row[1:])
            originals: list[tuple] = []
            new_texts: list[tuple[str, int]] = []
            changed: dict[str, list[tuple[int, int, int]]] = {"codings": [], "segments": []}
            for doc_id, reps in by_doc.items():
                reps.sort(key=lambda r: r.start)
                old_text = texts.get(doc_id)
                if (
                    old_text is None
                    or any(old_text[r.start : r.end] != r.old for r in reps)
                    or any(a.end > b.start for a, b in zip(reps, reps[1:]))
                ):
                    raise QualcodeError(
                        f"document {doc_id}: text changed since the plan was made; "
                        "make the plan again"
                    )
                triples = [(r.start, r.end, len(r.new)) for r in reps]
                live[doc_id] = triples
                originals.append((doc_id, old_text, utc_now()))
                new_texts.append((apply_to_text(old_text, reps), doc_id))
                for table in ("codings", "segments"):
                    rows = spans.get((table, doc_id), [])
                    starts = map_offsets([r[1] for r in rows], triples, "start")
                    ends = map_offsets([r[2] for r in rows], triples, "end")
                    changed[table] += [
                        (s, e, r[0])
                        for r, s, e in zip(rows, starts, ends)
                        if (s, e) != (r[1], r[2])
                    ]
                moved["documents"] += 1
                moved["replacements"] += len(reps)
            del originals  # kept only in the separate file (keep_original), never in here
            conn.execute("DELETE FROM documents_original")  # kept here by earlier versions
            conn.executemany("UPDATE documents SET text = ? WHERE id = ?", new_texts)
            for table, rows in changed.items():
                conn.executemany(f'UPDATE {table} SET start = ?, "end" = ? WHERE id = ?', rows)
                moved[table] = len(rows)
            elsewhere = 0
            for table, column in FIELDS:
                rows = [
                    (new, rowid)
                    for rowid, value in conn.execute(f"SELECT rowid, {column} FROM {table}")
                    if isinstance(value, str)
                    and (new := _replaced(table, column, value, replacer)) != value
                ]
                if table == "meta":  # the project's coder and REFI users: coder names
                    coder_rows = {
                        r[0]
                        for r in conn.execute(
                            "SELECT rowid FROM meta WHERE key IN (SELECT value FROM json_each(?))",
                            [json.dumps(sorted(CODER_META))],
                        )
                    }
                    rows = [row for row in rows if row[1] not in coder_rows]
                conn.executemany(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", rows)
                elsewhere += len(rows)
            trash = [
                (new, rowid)
                for rowid, kind, payload in conn.execute("SELECT id, kind, payload FROM trash")
                if (new := trash_payload(kind, payload, replacer, live)) != payload
            ]
            conn.executemany("UPDATE trash SET payload = ? WHERE id = ?", trash)
            moved["elsewhere"] = elsewhere + len(trash)
            # The pseudonymisation is in the log even when no logged row changed (only
            # labels, memos' text or the log itself), by counts: never the names.
            audit.close_entry(
                conn,
                PSEUDONYMISE,
                self.coder,
                note=f"{plural(moved['replacements'], 'replacement')} in "
                f"{plural(moved['documents'], 'document')}, "
                f"{plural(moved['elsewhere'], 'other value')} rewritten; coder names kept",
                always=True,
            )
        moved["wal_truncated"] = self._rewrite_file()
        return moved

    def coders_listed(self, plan: PseudonymisationPlan) -> list[tuple[str, str]]:
        """(coder, listed name) for every coder whose name is a listed name (any case, and
        accents as the plan matches them): coder names are left as they are (coders are
        the researchers; pseudonymise_elsewhere.CODER_KEYS), which the CLI says."""
        from qualcode.pseudonymise import NameMatcher

        matcher = NameMatcher(  # whole_words: the name as listed, not in the coder's case
            [(rule.name, rule.name) for rule in plan.rules],
            whole_words=True,
            fold_accents=plan.fold_accents,
        )
        coders = {
            r[0]
            for r in self.db.execute(
                "SELECT coder FROM codings UNION SELECT author FROM memos "
                "UNION SELECT coder FROM log UNION SELECT value FROM meta WHERE key = 'coder'"
            )
            if isinstance(r[0], str)
        }
        out = []
        for coder in sorted(coders):
            found = matcher.matches(coder)
            if len(found) == 1 and found[0][:2] == (0, len(coder)):
                out.append((coder, found[0][2]))
        return out

    def _original_path(self) -> Path:
        """Where keep_original puts the copy with the real names by default: the user's own
        data folder ($XDG_DATA_HOME/qualcode/originals, ~/.local/share/... without it;
        made readable by the user only), not beside the project, in the folder one shares.
        """
        import os

        stamp = utc_now().replace(":", "").replace("-", "").split("+")[0]
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        folder = Path(base) / "qualcode" / "originals"
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        return folder / f"{self.path.stem}-original-{stamp}.qualcode"

    def _rewrite_file(self) -> bool:
        """VACUUM (no free page keeps old text) and fold the WAL in and truncate it;
        True if the WAL is now empty."""
        self.db.execute("VACUUM")
        busy, _, _ = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        wal = Path(f"{self.path}-wal")
        return not busy and (not wal.exists() or wal.stat().st_size == 0)


def _replaced(table: str, column: str, value: str, replacer) -> str:
    """`value` of table.column with the names replaced: the log's rows as JSON, keeping
    coder names (pseudonymise_elsewhere.logged_row), anything else as text."""
    from qualcode.pseudonymise_elsewhere import logged_row

    if table == "log_changes":
        return logged_row(value, replacer)
    if table == "log" and column == "summary" and CODINGS_BY in value:
        # A merge's "; codings by ben 13, ana 2" names coders: kept, as everywhere.
        head, _, tail = value.partition(CODINGS_BY)
        coders, sep, rest = tail.partition("; ")
        return (
            (replacer.text(head) or head)
            + CODINGS_BY
            + coders
            + sep
            + (replacer.text(rest) or rest)
        )
    return replacer.text(value) or value


def _pairs(plan: PseudonymisationPlan) -> list[tuple[str, str]]:
    """(name, replacement) from the names file, then every entity the plan found (a
    listed name's case and accent variants are matched by the rules themselves; adding
    them as written would give "Novák" the case of its first occurrence, "LI")."""
    return [(rule.name, rule.replacement) for rule in plan.rules] + [
        (r.old, r.new) for r in plan.replacements if r.source != "list"
    ]

"""Facade part for pseudonymisation: plan the replacements of names (shown to the user
first), then apply them in one transaction, moving every coding's and segment's offsets.
The finding and offset mapping are pure functions in qualcode.pseudonymise."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.facade.base import ProjectBase, utc_now


@dataclass(frozen=True)
class PseudonymisationPlan:
    """What `apply_pseudonymisation` will do; show `lines()` to the user first."""

    replacements: tuple = ()  # qualcode.pseudonymise.Replacement, by document then offset
    titles: dict = field(default_factory=dict)  # document id -> title
    contexts: tuple = ()  # one line of context per replacement

    def lines(self) -> list[str]:
        return [
            f"{self.titles.get(r.document_id, r.document_id)}  {r.start}-{r.end}  {ctx}  "
            f"{r.old} -> {r.new}{'  (entity)' if r.source == 'ner' else ''}"
            for r, ctx in zip(self.replacements, self.contexts)
        ]

    @property
    def documents(self) -> int:
        return len({r.document_id for r in self.replacements})


class PseudonymisationOps(ProjectBase):
    # --- pseudonymisation ---------------------------------------------------------
    def pseudonymise_plan(self, names, use_ner: bool = True) -> PseudonymisationPlan:
        """Find the names (a names.csv path or NameRules) in every document."""
        from qualcode.pseudonymise import context, find_replacements, load_names

        rules = load_names(names) if isinstance(names, (str, Path)) else list(names)
        rows = self.db.execute("SELECT id, title, text FROM documents ORDER BY position").fetchall()
        texts = {doc_id: text for doc_id, _, text in rows}
        found = find_replacements(
            ((d, t) for d, t in texts.items()),
            rules,
            lang=self.language,
            nlp=self.nlp(),
            use_ner=use_ner,
        )
        return PseudonymisationPlan(
            tuple(found),
            {d: title for d, title, _ in rows},
            tuple(context(texts[r.document_id], r.start, r.end) for r in found),
        )

    def apply_pseudonymisation(
        self, plan: PseudonymisationPlan, keep_original: bool = False
    ) -> dict[str, int]:
        """Write the pseudonymised texts and move every coding's and segment's offsets so
        that each still covers the same words; one transaction. With keep_original the
        text before the first pseudonymisation is kept in table documents_original."""
        from qualcode.pseudonymise import apply_to_text, map_offsets

        by_doc: dict[int, list] = {}
        for r in plan.replacements:
            by_doc.setdefault(r.document_id, []).append(r)
        moved = {"documents": 0, "replacements": 0, "codings": 0, "segments": 0}
        with self.transaction() as conn:
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
            if keep_original:
                conn.executemany(
                    "INSERT OR IGNORE INTO documents_original(document_id, text, saved_at) "
                    "VALUES (?, ?, ?)",
                    originals,
                )
            conn.executemany("UPDATE documents SET text = ? WHERE id = ?", new_texts)
            for table, rows in changed.items():
                conn.executemany(f'UPDATE {table} SET start = ?, "end" = ? WHERE id = ?', rows)
                moved[table] = len(rows)
        return moved

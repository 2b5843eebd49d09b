"""Facade part for language processing: sentence segmentation, code suggestions and
pseudonymisation. spaCy is imported only inside these methods (via qualcode.segment,
qualcode.suggest and qualcode.pseudonymise)."""

from __future__ import annotations

import json
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import NotFoundError, QualcodeError
from qualcode.facade.base import utc_now

Progress = Callable[[int, int], None]
_CHUNK = 200  # documents read and segmented at a time, to bound memory on big corpora


@dataclass(frozen=True)
class CodeSuggestion:
    code_id: int
    path: str
    score: float


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


class SegmentOps:
    # --- pipeline -----------------------------------------------------------
    def nlp(self, on_notice: Callable[[str], None] | None = None):
        """The project's spaCy pipeline: settings' "spacy_model" when installed, else blank."""
        from qualcode.nlp.pipeline import make_pipeline

        return make_pipeline(self.language, self.settings().get("spacy_model"), on_notice)

    def set_language(self, lang: str) -> None:
        """Set the documents' language after checking that spaCy can segment it (a
        wrong code would otherwise only fail at the next import or `segment`)."""
        from qualcode.nlp.pipeline import make_pipeline

        lang = lang.strip()
        make_pipeline(lang)
        self.set_meta("language", lang)

    def set_spacy_model(self, model: str | None) -> None:
        """Remember a trained spaCy pipeline (e.g. en_core_web_sm) for this project; None
        goes back to the rule-based blank pipeline."""
        settings = self.settings()
        if model:
            settings["spacy_model"] = model
        else:
            settings.pop("spacy_model", None)
        self.set_meta("settings", json.dumps(settings))
        self._suggester_cache = None

    # --- segmentation ---------------------------------------------------------
    def segment_documents(
        self,
        doc_ids: Iterable[int] | None = None,
        progress: Progress | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> dict[str, int]:
        """Compute sentence segments from each document's text and turns, replacing the
        old sentences, in one transaction; documents the importer left without paragraph
        segments get those too. Returns counts of what was stored."""
        from qualcode.nlp.pieces import paragraph_spans
        from qualcode.segment import sentence_spans

        nlp = self.nlp(on_notice)
        if doc_ids is None:
            ids = [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY position")]
        else:
            ids = [d if isinstance(d, int) else self.resolve_document(d) for d in doc_ids]
            # One query for the whole list, not one per document (an import passes thousands).
            missing = self.db.execute(
                "SELECT value FROM json_each(?) WHERE value NOT IN "
                "(SELECT id FROM documents) LIMIT 1",
                [json.dumps(ids)],
            ).fetchone()
            if missing:
                raise NotFoundError(f"no document with id {missing[0]}")
        # Kept compact until the write (flat int arrays, shared speaker strings): a
        # 2,300-transcript corpus has over a million sentences.
        found: list[tuple[int, str, array, list]] = []
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first : first + _CHUNK]
            texts = self._texts(chunk)
            turns = self._segments_of_kind(chunk, "turn")
            has_paragraphs = self._segments_of_kind(chunk, "paragraph")
            inputs = [(texts[d], turns.get(d)) for d in chunk]
            done = first
            sentences = sentence_spans(
                inputs,
                self.language,
                nlp=nlp,
                progress=None
                if progress is None
                else lambda n, _total, done=done: progress(done + n, len(ids)),
            )
            for doc_id, (text, doc_turns), spans in zip(chunk, inputs, sentences):
                found.append(_compact(doc_id, "sentence", spans, doc_turns, text))
                if doc_id not in has_paragraphs:
                    found.append(
                        _compact(
                            doc_id, "paragraph", paragraph_spans(text, doc_turns), doc_turns, text
                        )
                    )
        with self.transaction() as conn:
            conn.executemany(
                "DELETE FROM segments WHERE document_id = ? AND kind = ?",
                [(doc_id, kind) for doc_id, kind, _, _ in found],
            )
            conn.executemany(
                'INSERT INTO segments(document_id, start, "end", kind, speaker) VALUES (?,?,?,?,?)',
                (
                    (doc_id, offsets[2 * n], offsets[2 * n + 1], kind, speakers[n])
                    for doc_id, kind, offsets, speakers in found
                    for n in range(len(speakers))
                ),
            )
        count = {"sentence": 0, "paragraph": 0}
        for _, kind, _, speakers in found:
            count[kind] += len(speakers)
        return {
            "documents": len(ids),
            "sentences": count["sentence"],
            "paragraphs": count["paragraph"],
        }

    def _texts(self, ids: list[int]) -> dict[int, str]:
        marks = ",".join("?" * len(ids))
        return dict(
            self.db.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", ids).fetchall()
        )

    def _segments_of_kind(
        self, ids: list[int], kind: str
    ) -> dict[int, list[tuple[int, int, str | None]]]:
        marks = ",".join("?" * len(ids))
        out: dict[int, list] = {}
        for doc_id, start, end, speaker in self.db.execute(
            f'SELECT document_id, start, "end", speaker FROM segments WHERE kind = ? '
            f"AND document_id IN ({marks}) ORDER BY document_id, start",
            [kind, *ids],
        ):
            out.setdefault(doc_id, []).append((start, end, speaker))
        return out

    def topic_shifts(self, document, start: int = 0, end: int | None = None) -> list:
        """Proposed excerpt boundaries where the topic changes in the document (or in its
        span start-end, e.g. one turn): a list of segment.TopicShift(offset, strength),
        in text order. Sentences are found here for the span (with the project's
        pipeline, within its turns), whether or not the project has stored them, so the
        answer does not depend on when sentences were segmented. Raises NotFoundError
        for an unknown document."""
        from qualcode.segment import sentence_spans, topic_shifts

        doc = self.document(document)
        end = len(doc.text) if end is None else end
        turns = self._segments_of_kind([doc.id], "turn").get(doc.id, [])
        nlp = self.nlp()
        [sentences] = sentence_spans([(doc.text, turns or None)], nlp=nlp)
        spans = [(s, e) for s, e in sentences if start <= s and e <= end]
        inside = [t for t in turns if t[0] < end and t[1] > start]
        return topic_shifts(doc.text, spans, turns=inside, nlp=nlp)

    # --- code suggestions -------------------------------------------------------
    def suggest_codes(self, doc_id, start: int, end: int, k: int = 3) -> list[CodeSuggestion]:
        """The k codes most like the passage. Never writes anything."""
        doc = self.document(doc_id)
        self._check_span(doc.id, start, end)
        text = doc.text
        suggester = self.code_suggester()
        paths = {c.id: c.path for c in suggester.codes}
        return [
            CodeSuggestion(code_id, paths[code_id], score)
            for code_id, score in suggester.suggest(text[start:end], k)
        ]

    def code_suggester(self):
        """The fitted CodeSuggester, refitted only when the project changed since."""
        from qualcode.suggest import MAX_EXCERPTS_PER_CODE, CodeSuggester

        # total_changes moves with every write on this connection, data_version with
        # commits by other connections: together, "has anything changed?" in O(1).
        state = (self.db.conn.total_changes, self.db.execute("PRAGMA data_version").fetchone()[0])
        cached = getattr(self, "_suggester_cache", None)
        if cached is not None and cached[0] == state:
            return cached[1]
        excerpts = self.db.execute(
            'SELECT code_id, substr(d.text, c.start + 1, c."end" - c.start) FROM '
            '(SELECT code_id, document_id, start, "end", row_number() OVER '
            " (PARTITION BY code_id ORDER BY id DESC) AS rank FROM codings) c "
            "JOIN documents d ON d.id = c.document_id WHERE c.rank <= ?",
            [MAX_EXCERPTS_PER_CODE],
        ).fetchall()
        codes = [(c.id, c.path, c.description) for c in self.codes()]
        suggester = CodeSuggester(codes, excerpts, nlp=self.nlp())
        self._suggester_cache = (state, suggester)
        return suggester

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


def _compact(doc_id: int, kind: str, spans, turns, text: str) -> tuple[int, str, array, list]:
    from qualcode.nlp.pieces import turn_body

    speaker = _speaker_lookup([(*turn_body(text, t), t[2]) for t in turns or []])
    offsets = array("q", (x for span in spans for x in span))
    return doc_id, kind, offsets, [speaker(start) for start, _ in spans]


def _speaker_lookup(bodies: list[tuple[int, int, str | None]]) -> Callable[[int], str | None]:
    """offset -> speaker of the turn containing it (None outside turns)."""
    starts = [b[0] for b in bodies]

    def speaker(offset: int) -> str | None:
        i = bisect_right(starts, offset) - 1
        return bodies[i][2] if i >= 0 and offset < bodies[i][1] else None

    return speaker

"""Facade part for sentence segmentation and topic shifts, and the pipeline of the
project's language they run on (the language itself: qualcode/facade/language.py). spaCy
is imported only inside these methods (via qualcode.segment and qualcode.nlp)."""

from __future__ import annotations

import json
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from typing import Any

from qualcode.errors import NotFoundError
from qualcode.facade.base import ProjectBase

Progress = Callable[[int, int], None]
_CHUNK = 200  # documents read and segmented at a time, to bound memory on big corpora


class SegmentOps(ProjectBase):
    # --- pipeline -----------------------------------------------------------
    def nlp(self, on_notice: Callable[[str], None] | None = None, language: str | None = None):
        """The project's spaCy pipeline: settings' "spacy_model" when installed, else blank;
        for `language` (a spaCy code) instead of the project's when given (an import
        that is setting the language segments with the new one)."""
        from qualcode.nlp.pipeline import make_pipeline

        return make_pipeline(
            language or self.language, self.settings().get("spacy_model"), on_notice
        )

    def pipeline_description(self) -> str:
        """Which pipeline segments this project's sentences, in one line (loads nothing):
        qualcode.nlp.pipeline.describe_pipeline for the language and "spacy_model"."""
        from qualcode.nlp.pipeline import describe_pipeline

        return describe_pipeline(self.language, self.settings().get("spacy_model"))

    def set_spacy_model(self, model: str | None) -> None:
        """Remember a trained spaCy pipeline (e.g. en_core_web_sm) for this project; None
        goes back to the default (the language's trained pipeline when installed, see
        qualcode.nlp.pipeline.TRAINED_PIPELINES, else the rule-based blank one), "blank"
        asks for the rule-based blank pipeline always."""
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
        characters: Progress | None = None,
        segmenter: Any = None,
    ) -> dict[str, int]:
        """Compute sentence segments from each document's text and turns, replacing the
        old sentences, in one transaction; documents the importer left without paragraph
        segments get those too. Returns counts of what was stored. `progress(documents
        done, total)`; `characters(characters done, total)` (qualcode.segment.sentence_spans).
        `segmenter`: a qualcode.nlp.elsewhere.SegmenterProcess to segment in (the
        workbench's worker), instead of this process."""
        nlp = None if segmenter is not None else self.nlp(on_notice)
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
        total_chars = done_chars = 0
        if characters is not None:
            total_chars = self.db.execute(
                "SELECT coalesce(sum(length(text)), 0) FROM documents WHERE id IN "
                "(SELECT value FROM json_each(?))",
                [json.dumps(ids)],
            ).fetchone()[0]
        for first in range(0, len(ids), _CHUNK):
            chunk = ids[first : first + _CHUNK]
            texts = self._texts(chunk)
            turns = self._segments_of_kind(chunk, "turn")
            has_paragraphs = self._segments_of_kind(chunk, "paragraph")
            found += self._sentence_rows(
                [(d, texts[d], turns.get(d), d not in has_paragraphs) for d in chunk],
                nlp,
                None if progress is None else _shifted(progress, first, len(ids)),
                None if characters is None else _shifted(characters, done_chars, total_chars),
                segmenter,
            )
            done_chars += sum(len(texts[d]) for d in chunk)
        with self.transaction() as conn:
            conn.executemany(
                "DELETE FROM segments WHERE document_id = ? AND kind = ?",
                [(doc_id, kind) for doc_id, kind, _, _ in found],
            )
            _insert_rows(conn, found)
            conn.executemany(
                "DELETE FROM sentences_pending WHERE document_id = ?", [(d,) for d in ids]
            )
        count = {"sentence": 0, "paragraph": 0}
        for _, kind, _, speakers in found:
            count[kind] += len(speakers)
        return {
            "documents": len(ids),
            "sentences": count["sentence"],
            "paragraphs": count["paragraph"],
        }

    def _sentence_rows(
        self, items, nlp, progress=None, characters=None, segmenter=None
    ) -> list[tuple[int, str, array, list]]:
        """Sentences (and paragraphs where asked) of (key, text, turns, paragraphs?)
        items, as compact (key, kind, flat offsets, speakers) rows for _insert_rows.
        Reads and writes nothing: imports run it before their write transaction."""
        from qualcode.nlp.pieces import paragraph_spans
        from qualcode.segment import sentence_spans

        inputs = [(text, turns) for _, text, turns, _ in items]
        if segmenter is not None:
            sentences = segmenter.spans(inputs, characters)
        else:
            sentences = sentence_spans(
                inputs, self.language, nlp=nlp, progress=progress, characters=characters
            )
        rows = []
        for (key, text, turns, paragraphs), spans in zip(items, sentences):
            rows.append(_compact(key, "sentence", spans, turns, text))
            if paragraphs:
                rows.append(_compact(key, "paragraph", paragraph_spans(text, turns), turns, text))
        return rows

    def ensure_sentences(
        self,
        doc_ids: Iterable[int] | None = None,
        characters: Progress | None = None,
        segmenter: Any = None,
    ) -> int:
        """Segment now the documents (all when None) whose sentences an import left for
        later (table sentences_pending); returns how many were segmented. Called by
        everything that reads sentences, so that they are always there when needed.
        `characters(done, total)`: progress in characters; `segmenter`: a child process
        to segment in (both as segment_documents)."""
        if doc_ids is None:
            rows = self.db.execute("SELECT document_id FROM sentences_pending")
        else:
            rows = self.db.execute(
                "SELECT document_id FROM sentences_pending "
                "WHERE document_id IN (SELECT value FROM json_each(?))",
                [json.dumps([int(d) for d in doc_ids])],
            )
        pending = [r[0] for r in rows]
        if pending:
            self.segment_documents(pending, characters=characters, segmenter=segmenter)
        return len(pending)

    def sentences_pending(self) -> int:
        """How many documents have their sentences still to be segmented."""
        return self.db.execute("SELECT count(*) FROM sentences_pending").fetchone()[0]

    def pending_documents(self, limit: int) -> list[int]:
        """Up to `limit` ids of documents whose sentences wait, in document order."""
        rows = self.db.execute(
            "SELECT s.document_id FROM sentences_pending s JOIN documents d "
            "ON d.id = s.document_id ORDER BY d.position LIMIT ?",
            [limit],
        )
        return [r[0] for r in rows]

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


def _shifted(progress: Progress, done: int, total: int) -> Progress:
    """A chunk's progress (n of its own total) as progress over all documents."""
    return lambda n, _chunk_total: progress(done + n, total)


def _insert_rows(conn, rows: list[tuple[int, str, array, list]]) -> None:
    """Insert compact segment rows (document id, kind, flat offsets, speakers)."""
    # executemany, not sqlite-utils' insert_all, which is about half as fast here: in an
    # import of 100 transcripts with sentences (bench/ingest_import.py 100 --writers) the
    # 20,685 segment rows took 0.27 s (75,000 rows/s) against 0.52 s (40,000 rows/s);
    # 100,000 rows alone: 8.8 s against 17.1 s (bench/bulk_insert.py).
    # A generator, too: no million-row list in memory.
    conn.executemany(
        'INSERT INTO segments(document_id, start, "end", kind, speaker) VALUES (?,?,?,?,?)',
        (
            (doc_id, offsets[2 * n], offsets[2 * n + 1], kind, speakers[n])
            for doc_id, kind, offsets, speakers in rows
            for n in range(len(speakers))
        ),
    )


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

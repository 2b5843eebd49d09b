"""Speakers: the labels of the turns (`R7:`, `Interviewer:`), their turns and words per
document, merging labels that name the same person, and marking interviewers so that
autocoding by speaker and code suggestions can leave the interviewer's turns out.

Labels live on the turn segments (segments.speaker, set by import and `segment`); the text
itself is never changed, so a merge renames the label on the segments only. The
interviewer labels are a list in the project's meta table ("interviewer_speakers").
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass

from qualcode.errors import NotFoundError, QualcodeError
from qualcode.facade.base import ProjectBase
from qualcode.text_units import speaker_label
from qualcode.words import count_words

INTERVIEWERS = "interviewer_speakers"


@dataclass(frozen=True)
class SpeakerTurns:
    """One speaker in one document: turns, and words in them (qualcode.words.count_words,
    the label left out)."""

    document_id: int
    participant: str | None
    document: str
    speaker: str
    turns: int
    words: int
    interviewer: bool


class SpeakerOps(ProjectBase):
    def speakers(self, document=None) -> list[SpeakerTurns]:
        """Every speaker label per document (one document with `document`: id or title), in
        document order then by first turn. Raises NotFoundError for an unknown document."""
        doc_id = self.resolve_document(document) if document is not None else None
        sql = (
            'SELECT s.document_id, s.start, s."end", s.speaker FROM segments s '
            "WHERE s.kind = 'turn' AND s.speaker IS NOT NULL"
        )
        args: list = []
        if doc_id is not None:
            sql += " AND s.document_id = ?"
            args.append(doc_id)
        rows = self.db.execute(sql + " ORDER BY s.document_id, s.start", args).fetchall()
        interviewers = set(self.interviewer_speakers())
        docs = {d.id: d for d in self.documents()}
        counts: dict[tuple[int, str], list[int]] = {}
        texts: dict[int, str] = {}
        for d, start, end, speaker in rows:
            if d not in texts:
                texts[d] = self.db.execute(
                    "SELECT text FROM documents WHERE id = ?", [d]
                ).fetchone()[0]
            body = texts[d][start:end]
            label = speaker_label(body[:60])  # the label as written, whatever it is called now
            if label is not None:
                body = body[label[1] :]
            entry = counts.setdefault((d, speaker), [0, 0])
            entry[0] += 1
            entry[1] += count_words(body)  # CJK characters each a word (qualcode.words)
        order = {d.id: n for n, d in enumerate(docs.values())}
        return [
            SpeakerTurns(
                d,
                docs[d].participant,
                docs[d].title,
                speaker,
                turns,
                words,
                speaker in interviewers,
            )
            for (d, speaker), (turns, words) in sorted(
                counts.items(), key=lambda kv: order[kv[0][0]]
            )
        ]

    def speaker_labels(self) -> list[str]:
        """Every distinct speaker label in the project, sorted."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT speaker FROM segments WHERE speaker IS NOT NULL ORDER BY speaker"
            )
        ]

    def interviewer_speakers(self) -> list[str]:
        """The labels marked as the interviewer's."""
        return list(json.loads(self.get_meta(INTERVIEWERS) or "[]"))

    def mark_interviewer(self, labels: list[str], interviewer: bool = True) -> list[str]:
        """Mark (or unmark) speaker labels as the interviewer's; labels match case-insensitively.
        Returns the new list. Raises NotFoundError naming the known labels."""
        stored = self._stored_labels(labels)
        now = set(self.interviewer_speakers())
        now = now | set(stored) if interviewer else now - set(stored)
        self.set_meta(INTERVIEWERS, json.dumps(sorted(now)))
        return sorted(now)

    def merge_speakers(self, labels: list[str], into: str) -> int:
        """Give every turn (and sentence, paragraph) of `labels` the label `into` (NFC, not
        empty), in one transaction after a backup (Project.auto_backup); `into` is an
        interviewer if any merged label was. Returns the number of segments relabelled.
        Raises NotFoundError for an unknown label, QualcodeError for an empty `into`."""
        into = unicodedata.normalize("NFC", into).strip()
        if not into:
            raise QualcodeError("give the label to merge into")
        stored = self._stored_labels(labels)
        interviewers = set(self.interviewer_speakers())
        # Merged labels cannot be told apart again (only by reading the text): back up first,
        # as a code merge does.
        self.auto_backup("before-merge")
        with self.transaction() as conn:
            marks = ",".join("?" * len(stored))
            changed = conn.execute(
                f"UPDATE segments SET speaker = ? WHERE speaker IN ({marks})", [into, *stored]
            ).rowcount
            if interviewers & set(stored):
                interviewers = (interviewers - set(stored)) | {into}
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [INTERVIEWERS, json.dumps(sorted(interviewers))],
                )
        return changed

    def interviewer_turns(self, document_id: int) -> list[tuple[int, int]]:
        """(start, end) of the interviewer's turns in a document, sorted."""
        labels = self.interviewer_speakers()
        if not labels:
            return []
        marks = ",".join("?" * len(labels))
        return [
            (s, e)
            for s, e in self.db.execute(
                f"SELECT start, \"end\" FROM segments WHERE document_id = ? AND kind = 'turn' "
                f"AND speaker IN ({marks}) ORDER BY start",
                [document_id, *labels],
            )
        ]

    def in_interviewer_turn(self, document_id: int, start: int, end: int) -> bool:
        """True if [start, end) holds some of the interviewer's words and no one else's:
        every turn it overlaps is an interviewer's, and it overlaps one (labels and blank
        lines between turns are nobody's words). The rule of Filters.skip_interviewer."""
        labels = set(self.interviewer_speakers())
        if not labels:
            return False
        speakers = [
            row[0]
            for row in self.db.execute(
                "SELECT speaker FROM segments WHERE document_id = ? AND kind = 'turn' "
                'AND start < ? AND "end" > ?',
                [document_id, end, start],
            )
        ]
        return bool(speakers) and all(s in labels for s in speakers)

    def _stored_labels(self, labels: list[str]) -> list[str]:
        known = self.speaker_labels()
        by_fold: dict[str, list[str]] = {}
        for k in known:
            by_fold.setdefault(unicodedata.normalize("NFC", k).casefold(), []).append(k)
        out: list[str] = []
        for label in labels:
            found = by_fold.get(unicodedata.normalize("NFC", label).strip().casefold())
            if not found:
                raise NotFoundError(
                    f"no speaker {label!r} in this project (speakers: {', '.join(known) or 'none'})"
                )
            out += found
        return out

"""Where the coding is: coverage per document and counts per code or participant, as the
workbench shows them after each keystroke.

Every statement stays beside the store (no screen runs SQL); all reads are single aggregate
queries (no per-row queries), so they stay fast on a large corpus.
"""

from __future__ import annotations

from qualcode.facade.base import ProjectBase

_COVERAGE_SQL = """
WITH ordered AS (
    SELECT document_id, start, "end",
           max("end") OVER (PARTITION BY document_id ORDER BY start, "end"
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM codings {where}
)
SELECT document_id, sum(max(0, "end" - max(start, coalesce(reach, 0)))) FROM ordered GROUP BY document_id
"""


class CoverageOps(ProjectBase):
    def coded_chars(self, document_id: int | None = None) -> dict[int, int]:
        """Per document id: characters covered by at least one coding (overlaps counted once)."""
        where, args = (
            ("WHERE document_id = ?", [document_id]) if document_id is not None else ("", [])
        )
        return {d: n for d, n in self.db.execute(_COVERAGE_SQL.format(where=where), args)}

    def coverage(self, document_id: int | None = None) -> dict[int, float]:
        """Per document id: share (0..1) of its text that is coded."""
        covered = self.coded_chars(document_id)
        # lengths from document_stats (store.py v3): no need to read every text
        sql = (
            "SELECT d.id, coalesce(st.chars, length(d.text)) FROM documents d "
            "LEFT JOIN document_stats st ON st.document_id = d.id"
        )
        args: list[int] = []
        if document_id is not None:
            sql, args = sql + " WHERE d.id = ?", [document_id]
        return {d: (covered.get(d, 0) / n if n else 0.0) for d, n in self.db.execute(sql, args)}

    def code_usage_of(self, code_id: int) -> tuple[int, int]:
        """(codings, participants) of one code, for updating one row after a keystroke
        (a focus group's coding counts for the participants qualcode.analysis.credit gives it)."""
        from qualcode.analysis.credit import code_usage, shared_document_ids

        if shared_document_ids(self.db):
            return code_usage(self.db, code_id).get(code_id, (0, 0))
        row = self.db.execute(
            "SELECT count(*), count(DISTINCT d.participant_id) FROM codings c "
            "JOIN documents d ON d.id = c.document_id WHERE c.code_id = ?",
            [code_id],
        ).fetchone()
        return row[0], row[1]

    def participant_has_code(
        self, document_id: int, code_id: int, besides: int | None = None
    ) -> bool | None:
        """Whether the participant of this document has another coding (not `besides`) of the code
        in any of their documents; None when the document has no participant or is a focus
        group's (several participants, or mapped speakers: recount with code_usage_of). Uses the
        per-document index, so it stays fast however many codings the code has."""
        row = self.db.execute(
            # CROSS JOIN fixes the order: the participant's documents first, then their codings.
            "SELECT d.participant_id, EXISTS (SELECT 1 FROM documents o CROSS JOIN codings c "
            "ON c.document_id = o.id WHERE o.participant_id = d.participant_id AND c.code_id = ? AND c.id IS NOT ?) "
            "FROM documents d WHERE d.id = ?",
            [code_id, besides, document_id],
        ).fetchone()
        if row is None or row[0] is None:
            return None
        from qualcode.analysis.credit import shared_document_ids

        if document_id in shared_document_ids(self.db):
            return None
        return bool(row[1])

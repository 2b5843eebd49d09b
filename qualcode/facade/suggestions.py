"""Facade part for code suggestions: the codes most like a passage, from the codebook's
descriptions and the excerpts already coded (qualcode.suggest). Never writes anything."""

from __future__ import annotations

from dataclasses import dataclass

from qualcode.facade.base import ProjectBase


@dataclass(frozen=True)
class CodeSuggestion:
    code_id: int
    path: str
    score: float


class SuggestionOps(ProjectBase):
    # --- code suggestions -------------------------------------------------------
    def suggest_codes(self, doc_id, start: int, end: int, k: int = 3) -> list[CodeSuggestion]:
        """The k codes most like the passage. Never writes anything. None for a passage
        inside one of the interviewer's turns (Project.mark_interviewer)."""
        doc = self.document(doc_id)
        self._check_span(doc.id, start, end)
        if self.in_interviewer_turn(doc.id, start, end):
            return []
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

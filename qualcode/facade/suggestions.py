"""Facade part for code suggestions: the codes most like a passage, learnt from the
project's own codings with their context (qualcode.suggest). Never writes anything."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from statistics import median

from qualcode.facade.base import ProjectBase

QUESTION_CHARS = 300  # how much of the question before a passage is its context
NEIGHBOUR_CHARS = 300  # codings within this many characters are its neighbours
SAMPLE_CODINGS = 300  # coded passages whose words tell the language (suggestion_models)


WEAK = 0.5  # a suggestion whose relative strength is below this is weak (relative_strengths)


@dataclass(frozen=True)
class CodeSuggestion:
    """A suggested code for a passage, with the suggester's score (higher is better; not
    a probability, and may be negative) and `typical`: the median score, for the same
    passage, of every code that could have been suggested (None when not known), the
    yardstick of relative_strengths."""

    code_id: int
    path: str
    score: float
    typical: float | None = None


def relative_strengths(suggestions: list) -> list[float | None]:
    """How strong each suggestion is next to the first of the list, in 0..1:
    (score - typical) / (first's score - typical), the first 1.0; None for a suggestion
    without a `typical` (shapes other than CodeSuggestion).

    Why this rule: the score is a blend of terms in different units (cosines, SVM
    decision values, log priors; qualcode.suggest), so neither its value nor a difference
    of two scores means the same from one project or passage to the next, and it is no
    probability. Measured from the passage's typical score (the median over the codes:
    most codes have nothing to do with a passage) in units of the first's lead over it,
    the strength stays the same when the blend is shifted or scaled, as its weights are
    tuned. Below WEAK a suggestion is nearer the run of unrelated codes than the first."""
    if not suggestions:
        return []
    first = suggestions[0]
    out: list[float | None] = []
    for s in suggestions:
        typical = getattr(s, "typical", None)
        if typical is None or getattr(first, "typical", None) is None:
            out.append(None)
            continue
        lead = first.score - typical
        if lead <= 0:  # the first is no better than a typical code: nothing stands out
            out.append(1.0 if s.score >= first.score else 0.0)
        else:
            out.append(min(1.0, max(0.0, (s.score - typical) / lead)))
    return out


def is_weak(strength: float | None) -> bool:
    """A relative strength (relative_strengths) below WEAK; None (unknown) is not weak."""
    return strength is not None and strength < WEAK


class SuggestionOps(ProjectBase):
    # --- code suggestions -------------------------------------------------------
    def suggest_codes(
        self, doc_id, start: int, end: int, k: int = 3, suggester=None
    ) -> list[CodeSuggestion]:
        """The k codes most like the passage [start, end) (code points), with its context
        (the question it answers, neighbouring codings, the participant's other codings),
        best first. `suggester`: a fitted CodeSuggester to use (the workbench's session
        keeps one), else the project's own (`code_suggester`). Codes of
        `themes_coded_below` are left out (k others come instead), for the workbench and
        `qualcode suggest` alike. An empty list for a passage inside one of the
        interviewer's turns (Project.mark_interviewer). Raises NotFoundError for an
        unknown document, QualcodeError for a span outside its text. Never writes."""
        doc = self.document(doc_id)
        self._check_span(doc.id, start, end)
        if self.in_interviewer_turn(doc.id, start, end):
            return []
        suggester = suggester if suggester is not None else self.code_suggester()
        paths = {c.id: c.path for c in suggester.codes}
        context = self.suggestion_context(doc.id, start, end)
        below = self.themes_coded_below()
        # every code ranked (a sort of the scores the suggester computes anyway), for the
        # median of relative_strengths
        ranked = [
            (code_id, score)
            for code_id, score in suggester.suggest(doc.text[start:end], len(paths), context)
            if code_id not in below
        ]
        typical = median([score for _, score in ranked]) if ranked else None
        return [
            CodeSuggestion(code_id, paths[code_id], score, typical)
            for code_id, score in ranked[: max(0, k)]
        ]

    def themes_coded_below(self) -> dict[int, str]:
        """{code id: path} of the codes never suggested: those with subcodes and no coding
        of their own in the project. Coders there code at the subcodes' level, so the
        theme itself would only be noise; once a passage is coded with the theme itself,
        it is suggested again."""
        ids = {
            row[0]
            for row in self.db.execute(
                "SELECT c.id FROM codes c WHERE EXISTS (SELECT 1 FROM codes k WHERE "
                "k.parent_id = c.id) AND NOT EXISTS (SELECT 1 FROM codings g WHERE "
                "g.code_id = c.id)"
            )
        }
        return {c.id: c.path for c in self.codes() if c.id in ids}

    def suggestion_models(self) -> str:
        """What the code suggestions of this project use, in words, and why: the n-gram
        models always, and the sentence model qualcode.suggest_embed.choose_model picks
        for a sample of SAMPLE_CODINGS coded passages and the project's language. Reads
        at most a vocabulary file, never loads a model."""
        from qualcode import suggest_embed

        texts = [
            row[0]
            for row in self.db.execute(
                'SELECT substr(d.text, c.start + 1, c."end" - c.start) FROM codings c '
                "JOIN documents d ON d.id = c.document_id ORDER BY c.id LIMIT ?",
                [SAMPLE_CODINGS],
            )
        ]
        model, why = suggest_embed.choose_model(texts, self.language)
        if model is None:
            hint = ""
            if not suggest_embed.installed() and not suggest_embed.turned_off():
                hint = "; for English, pip install 'qualcode[embeddings]'"
            return f"n-gram models ({why}{hint})"
        return f"n-gram models and the sentence model {model.name} ({why})"

    def code_suggester(self):
        """The fitted CodeSuggester, refitted only when the project changed since."""
        from qualcode.suggest import CodeSuggester

        # total_changes moves with every write on this connection, data_version with
        # commits by other connections: together, "has anything changed?" in O(1).
        state = (self.db.conn.total_changes, self.db.execute("PRAGMA data_version").fetchone()[0])
        cached = getattr(self, "_suggester_cache", None)
        if cached is not None and cached[0] == state:
            return cached[1]
        codes = [(c.id, c.path, c.description) for c in self.codes()]
        examples, _ = self.suggestion_examples()
        suggester = CodeSuggester(codes, examples, lang=self.language)
        self._suggester_cache = (state, suggester)
        return suggester

    def suggestion_examples(self, after: int = 0) -> tuple[list[tuple], int]:
        """Training examples (code_id, text, suggest.Context) of the codings with id >
        `after` (at most MAX_EXCERPTS_PER_CODE newest per code), and the largest coding id
        seen (pass it back as `after` to get only newer ones: incremental updates)."""
        from qualcode.suggest import MAX_EXCERPTS_PER_CODE

        rows = self.db.execute(
            'SELECT id, code_id, document_id, start, "end" FROM (SELECT id, code_id, '
            'document_id, start, "end", row_number() OVER (PARTITION BY code_id ORDER BY '
            "id DESC) AS rank FROM codings WHERE id > ?) WHERE rank <= ? ORDER BY id",
            [after, MAX_EXCERPTS_PER_CODE],
        ).fetchall()
        if not rows:
            return [], after
        contexts = self._contexts([(r[2], r[3], r[4], r[0]) for r in rows])
        texts = self._span_texts([(r[2], r[3], r[4]) for r in rows])
        examples = [(r[1], text, ctx) for r, text, ctx in zip(rows, texts, contexts)]
        return examples, max(r[0] for r in rows)

    def suggestion_context(self, doc_id: int, start: int, end: int):
        """suggest.Context of a passage: the question before it, the codes of codings
        near it, the codes of the participant's other codings, and where it starts in
        its document (start / the document's length in characters)."""
        return self._contexts([(doc_id, start, end, None)])[0]

    def _span_texts(self, spans: list[tuple[int, int, int]]) -> list[str]:
        docs = sorted({d for d, _, _ in spans})
        texts = dict(
            self.db.execute(
                f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(docs))})", docs
            ).fetchall()
        )
        return [texts[d][s:e] for d, s, e in spans]

    def _contexts(self, spans: list[tuple[int, int, int, int | None]]) -> list:
        """Context of each (document, start, end, own coding id or None)."""
        from qualcode.suggest import Context

        docs = sorted({s[0] for s in spans})
        marks = ",".join("?" * len(docs))
        texts = dict(self.db.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", docs))
        turns: dict[int, list[tuple[int, int, str | None]]] = {}
        for d, s, e, who in self.db.execute(
            f'SELECT document_id, start, "end", speaker FROM segments WHERE kind = ? '
            f"AND document_id IN ({marks}) ORDER BY document_id, start",
            ["turn", *docs],
        ):
            turns.setdefault(d, []).append((s, e, who))
        codings: dict[int, list[tuple[int, int, int, int]]] = {}
        for cid, d, s, e, code in self.db.execute(
            f'SELECT id, document_id, start, "end", code_id FROM codings '
            f"WHERE document_id IN ({marks}) ORDER BY document_id, start",
            docs,
        ):
            codings.setdefault(d, []).append((s, e, code, cid))
        participant_of = dict(
            self.db.execute(f"SELECT id, participant_id FROM documents WHERE id IN ({marks})", docs)
        )
        by_participant: dict[object, dict[int, int]] = {}
        for pid, code, count in self.db.execute(
            "SELECT d.participant_id, c.code_id, count(*) FROM codings c JOIN documents d "
            "ON d.id = c.document_id WHERE d.participant_id IN (SELECT participant_id FROM "
            f"documents WHERE id IN ({marks})) GROUP BY d.participant_id, c.code_id",
            docs,
        ):
            by_participant.setdefault(pid, {})[code] = count
        own_code = {cid: code for rows in codings.values() for _, _, code, cid in rows}
        out = []
        for doc_id, start, end, own in spans:
            doc_turns = turns.get(doc_id, [])
            question = ""
            i = bisect_right([t[0] for t in doc_turns], start) - 1
            if i >= 0:
                speaker = doc_turns[i][2]
                j = i - 1
                while j >= 0 and doc_turns[j][2] == speaker:
                    j -= 1
                if j >= 0:  # the last turn by someone else: the question answered
                    s, e, _ = doc_turns[j]
                    question = texts[doc_id][max(s, e - QUESTION_CHARS) : e]
            near = sorted(
                {
                    code
                    for s, e, code, cid in codings.get(doc_id, [])
                    if cid != own
                    and s < end + NEIGHBOUR_CHARS
                    and e > start - NEIGHBOUR_CHARS
                    and not (s == start and e == end)
                }
            )
            counts = dict(by_participant.get(participant_of.get(doc_id), {}))
            if own is not None and own in own_code:  # not the coding itself
                counts[own_code[own]] = counts.get(own_code[own], 0) - 1
            others = sorted(c for c, n in counts.items() if n > 0 and c not in near)
            length = len(texts[doc_id])
            position = start / length if length else None
            out.append(Context(question, tuple(near), tuple(others), position, doc_id))
        return out

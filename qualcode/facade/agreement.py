"""Inter-coder agreement on the facade: project.agreement(...) and project.disagreements(...).

Both load the coders' codings in scope with one bulk query (qualcode/analysis/
agreement_data.py) and compute with numpy interval arithmetic. pandas is imported only
for the DataFrames of the Python API; agreement_table() (the CLI's) needs none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qualcode.analysis.filters import Filters
from qualcode.errors import QualcodeError
from qualcode.facade.base import ProjectBase

if TYPE_CHECKING:
    from qualcode.analysis.agreement import AgreementTable
    from qualcode.analysis.table import Table

CONSENSUS = "consensus"  # the coder who writes the resolved codings
RESOLUTIONS = ("a", "b", "both", "drop")
CONTEXT = 160  # characters of context on each side of a passage


@dataclass(frozen=True)
class Disagreement:
    """A passage of one code coded by one coder and not the other."""

    code_id: int
    code: str
    document_id: int
    document: str
    participant: str
    start: int
    end: int
    who: str  # the coder who coded it
    before: str
    text: str
    after: str
    resolved: bool


def _documents_coded(data) -> dict:
    """attrs: documents_coded {coder: documents in scope they coded something in} and
    documents_by_all (those every coder coded something in)."""
    import numpy as np

    size = len(data.documents)
    every = np.ones(size, dtype=bool)
    coded = {}
    for i, coder in enumerate(data.coders):
        mine = np.bincount(data.codings.doc[data.codings.coder == i], minlength=size) > 0
        coded[coder] = int(mine.sum())
        every &= mine
    return {"documents_coded": coded, "documents_by_all": int(every.sum())}


class AgreementOps(ProjectBase):
    def agreement(
        self,
        *coders: str,
        unit: str = "character",
        segment_kind: str = "sentence",
        filters: Filters | None = None,
        double_coded: bool = False,
    ):
        """Inter-coder agreement per code and in total, by characters or by stored
        segments of one kind, between the coders named (when none is: every coder with a
        coding in the documents in scope; attrs["left_out"] lists the other known
        coders, such as a configured coder who codes nothing).

        Every document in scope is compared, as NVivo's coding comparison compares
        every file of the scope chosen (NVivo 12 help, "Coding comparison query"), so
        what one coder coded in a document the other never coded counts as
        disagreement; MAXQDA's intercoder agreement compares the two coders' copies of
        a document both coded (MAXQDA 24 manual, "Intercoder agreement"). double_coded
        gives MAXQDA's scope (the documents every coder coded something in);
        attrs["documents_coded"] ({coder: documents they coded in}) and
        attrs["documents_by_all"] tell when the two differ.

        Returns a DataFrame (columns in qualcode/analysis/agreement.py: agreement): for
        two coders the 2x2 counts, percent agreement, Cohen's kappa; for more, units
        coded per coder and Cohen's kappa per pair; always Fleiss' kappa and
        Krippendorff's alpha. A coder who coded nothing counts as coding no unit; a code
        nobody used gives NaN. attrs["uncoded"] lists the coders with no codings in scope.
        double_coded: only the documents every coder coded something in.
        Raises QualcodeError for an unknown unit or segment kind, fewer than two coders,
        or no segments of the kind asked for."""
        return self._agreement(coders, unit, segment_kind, filters, double_coded).to_frame()

    def agreement_table(
        self,
        *coders: str,
        unit: str = "character",
        segment_kind: str = "sentence",
        filters: Filters | None = None,
        double_coded: bool = False,
    ) -> Table:
        """agreement(...) as a plain Table (NaN as None): what the CLI writes, without
        pandas. Same arguments and errors as agreement()."""
        return self._agreement(coders, unit, segment_kind, filters, double_coded).to_table()

    def _agreement(self, coders, unit, segment_kind, filters, double_coded) -> AgreementTable:
        from qualcode.analysis import agreement as ag
        from qualcode.analysis.agreement_data import load_coders, load_segments
        from qualcode.analysis.filters import known_coders

        if unit not in ag.UNITS:
            raise QualcodeError(f"unknown agreement unit {unit!r} (character or segment)")
        if unit == "segment" and segment_kind not in ag.SEGMENT_KINDS:
            raise QualcodeError(
                f"unknown segment kind {segment_kind!r} (sentence, turn or paragraph)"
            )
        codes = self.codes()
        data = load_coders(self.db, codes, list(coders) or None, filters, double_coded)
        segments = None
        if unit == "segment":
            if segment_kind == "sentence":
                self.ensure_sentences(data.documents.ids.tolist())
            segments = load_segments(self.db, segment_kind, data.documents)
            if not len(segments.doc):
                raise QualcodeError(
                    f"{self.path.name}: no {segment_kind} segments in the documents in scope "
                    f"(run `qualcode segment {self.path.name}` first, or choose another kind)"
                )
        table = ag.agreement(data, codes, unit=unit, segments=segments)
        active = set(data.codings.coder.tolist())
        table.attrs["uncoded"] = [c for i, c in enumerate(data.coders) if i not in active]
        table.attrs["left_out"] = (
            [] if coders else [c for c in known_coders(self.db) if c not in data.coders]
        )
        table.attrs["double_coded"] = double_coded
        table.attrs.update(_documents_coded(data))
        table.attrs["filters"] = ", ".join(
            filter(None, [data.filters.describe(), "double-coded" if double_coded else ""])
        )
        return table

    def disagreements(
        self,
        coder_a: str,
        coder_b: str,
        code,
        filters: Filters | None = None,
        double_coded: bool = False,
    ):
        """Passages coded with `code` (or a descendant) by one coder and not the other:
        document, participant, start, end, text, who."""
        from qualcode.analysis.agreement_data import load_pair
        from qualcode.analysis.disagreements import disagreements

        code_ids = self.descendants(self.resolve_code(code))
        pair, documents, codings, scope = load_pair(
            self.db, self.codes(), coder_a, coder_b, filters, double_coded
        )
        table = disagreements(self.db, pair, code_ids, documents, codings).drop(
            columns="document_id"
        )
        table.attrs.update(
            table="disagreements",
            coder_a=pair[0],
            coder_b=pair[1],
            code=self.code(code_ids[0]).path,
            filters=scope.describe(),
        )
        return table

    def coder_counts(self) -> list[tuple[str, int]]:
        """(coder, codings) for every coder with codings, most codings first."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT coder, count(*) FROM codings GROUP BY coder ORDER BY 2 DESC, 1"
            )
        ]

    def disagreement_queue(
        self, coder_a: str, coder_b: str, consensus: str = CONSENSUS
    ) -> list[Disagreement]:
        """Every passage coded by one of two coders and not the other, in the documents
        both coded in, code by code (codebook order; each code's own codings, not its
        subcodes'), in document order:
        what the review screen walks through. `resolved` is True where the consensus
        coder has already coded the code over the passage."""
        from qualcode.analysis.agreement_data import load_pair
        from qualcode.analysis.disagreements import disagreements

        # Only the documents both coded in: elsewhere the other coder never looked.
        pair, documents, codings, _ = load_pair(self.db, self.codes(), coder_a, coder_b, None, True)
        used = set(codings.code_id.tolist())
        texts: dict[int, str] = {}
        out: list[Disagreement] = []
        for code in self.codes():
            if code.id not in used:
                continue
            found = disagreements(self.db, pair, [code.id], documents, codings)
            for r in found.to_dict("records"):
                doc = int(r["document_id"])
                if doc not in texts:
                    texts[doc] = self.document(doc).text
                text, start, end = texts[doc], int(r["start"]), int(r["end"])
                resolved = self.db.execute(
                    "SELECT 1 FROM codings WHERE document_id = ? AND code_id = ? AND coder = ? "
                    'AND start < ? AND "end" > ?',
                    [doc, code.id, consensus, end, start],
                ).fetchone()
                out.append(
                    Disagreement(
                        code.id,
                        code.path,
                        doc,
                        str(r["document"]),
                        str(r["participant"] or ""),
                        start,
                        end,
                        str(r["who"]),
                        text[max(0, start - CONTEXT) : start],
                        text[start:end],
                        text[end : end + CONTEXT],
                        resolved is not None,
                    )
                )
        return out

    def resolution_spans(
        self, item: Disagreement, choice: str, coder_a: str, coder_b: str
    ) -> list[tuple[int, int]]:
        """The spans the consensus coder codes to resolve `item`: "a" keeps coder A's
        codings of the code that overlap the passage (A's own boundaries), "b" B's,
        "both" the union of the two, "drop" none. Raises QualcodeError for another choice."""
        from qualcode.analysis.agreement import merge_spans

        if choice not in RESOLUTIONS:
            raise QualcodeError(f"resolve with one of {', '.join(RESOLUTIONS)}, not {choice!r}")
        coders = {"a": [coder_a], "b": [coder_b], "both": [coder_a, coder_b], "drop": []}[choice]
        if not coders:
            return []
        rows = self.db.execute(
            'SELECT start, "end" FROM codings WHERE document_id = ? AND code_id = ? '
            f'AND coder IN ({",".join("?" * len(coders))}) AND start < ? AND "end" > ?',
            [item.document_id, item.code_id, *coders, item.end, item.start],
        ).fetchall()
        if not rows:
            return []
        import numpy as np

        starts, ends = merge_spans(
            np.array([r[0] for r in rows], dtype="int64"),
            np.array([r[1] for r in rows], dtype="int64"),
        )
        return [(int(s), int(e)) for s, e in zip(starts, ends)]

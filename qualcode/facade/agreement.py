"""Inter-coder agreement on the facade: project.agreement(...) and project.disagreements(...).

Both load the two coders' codings in scope with one bulk query (qualcode/analysis/
agreement.py) and compute with numpy interval arithmetic; pandas is imported only
when one of them is called."""

from __future__ import annotations

from qualcode.analysis.filters import Filters
from qualcode.facade.base import ProjectBase


class AgreementOps(ProjectBase):
    def agreement(
        self,
        coder_a: str,
        coder_b: str,
        unit: str = "character",
        segment_kind: str = "sentence",
        filters: Filters | None = None,
        double_coded: bool = False,
    ):
        """Per code and in total: units coded by both, A only, B only, neither; percent
        agreement and Cohen's kappa, by characters or by stored segments of one kind.
        double_coded: only the documents both coders coded something in."""
        from qualcode.analysis import agreement as ag
        from qualcode.analysis.data import load_segments
        from qualcode.errors import QualcodeError

        if unit not in ag.UNITS:
            raise QualcodeError(f"unknown agreement unit {unit!r} (character or segment)")
        if unit == "segment" and segment_kind not in ag.SEGMENT_KINDS:
            raise QualcodeError(
                f"unknown segment kind {segment_kind!r} (sentence, turn or paragraph)"
            )
        pair, codes, ancestors, documents, codings, scope = ag.load_pair(
            self.db, self.codes(), coder_a, coder_b, filters, double_coded
        )
        segments = None
        if unit == "segment":
            if segment_kind == "sentence":
                self.ensure_sentences(documents["id"].tolist())
            segments = load_segments(self.db, segment_kind, documents)
            if not len(segments):
                raise QualcodeError(
                    f"{self.path.name}: no {segment_kind} segments in the documents in scope "
                    f"(run `qualcode segment {self.path.name}` first, or choose another kind)"
                )
        table = ag.agreement(
            pair, codes, ancestors, documents, codings, unit=unit, segments=segments
        )
        table.attrs["filters"] = ", ".join(
            filter(None, [scope.describe(), "double-coded" if double_coded else ""])
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
        from qualcode.analysis import agreement as ag
        from qualcode.analysis.disagreements import disagreements

        code_ids = self.descendants(self.resolve_code(code))
        pair, _, _, documents, codings, scope = ag.load_pair(
            self.db, self.codes(), coder_a, coder_b, filters, double_coded
        )
        table = disagreements(self.db, pair, code_ids, documents, codings)
        table.attrs.update(
            coder_a=pair[0],
            coder_b=pair[1],
            code=self.code(code_ids[0]).path,
            filters=scope.describe(),
        )
        return table

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
        *coders: str,
        unit: str = "character",
        segment_kind: str = "sentence",
        filters: Filters | None = None,
        double_coded: bool = False,
    ):
        """Inter-coder agreement per code and in total, by characters or by stored
        segments of one kind, between the coders named (every known coder when none is:
        those with codings and the project's configured coder).

        Returns a DataFrame (columns in qualcode/analysis/agreement.py: agreement): for
        two coders the 2x2 counts, percent agreement, Cohen's kappa; for more, units
        coded per coder and Cohen's kappa per pair; always Fleiss' kappa and
        Krippendorff's alpha. A coder who coded nothing counts as coding no unit; a code
        nobody used gives NaN. attrs["uncoded"] lists the coders with no codings in scope.
        double_coded: only the documents every coder coded something in.
        Raises QualcodeError for an unknown unit or segment kind, fewer than two coders,
        or no segments of the kind asked for."""
        from qualcode.analysis import agreement as ag
        from qualcode.analysis.data import load_segments
        from qualcode.errors import QualcodeError

        if unit not in ag.UNITS:
            raise QualcodeError(f"unknown agreement unit {unit!r} (character or segment)")
        if unit == "segment" and segment_kind not in ag.SEGMENT_KINDS:
            raise QualcodeError(
                f"unknown segment kind {segment_kind!r} (sentence, turn or paragraph)"
            )
        names, codes, ancestors, documents, codings, scope = ag.load_coders(
            self.db, self.codes(), list(coders) or None, filters, double_coded
        )
        segments = None
        if unit == "segment":
            segments = load_segments(self.db, segment_kind, documents)
            if not len(segments):
                raise QualcodeError(
                    f"{self.path.name}: no {segment_kind} segments in the documents in scope "
                    f"(run `qualcode segment {self.path.name}` first, or choose another kind)"
                )
        table = ag.agreement(
            names, codes, ancestors, documents, codings, unit=unit, segments=segments
        )
        active = set(codings["coder"].unique().tolist())
        table.attrs["uncoded"] = [c for i, c in enumerate(names) if i not in active]
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

"""Analysis tables on the facade: project.frequencies(filters), crosstab, matrix,
cooccurrence, saturation. Each loads its rows in bulk (qualcode/analysis/data.py)
and computes in pandas; pandas is imported only when one of these is called."""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.analysis.filters import Filters
from qualcode.facade.base import ProjectBase


class AnalysisOps(ProjectBase):
    def export_facts(self, coders: Iterable[str] = ()) -> dict[str, str]:
        """What an exported table is made from, for its About sheet: project file, coder(s)
        (those filtered on, else every coder with a coding), date (UTC), qualcode version."""
        from datetime import UTC, datetime

        from qualcode import __version__

        coders = list(coders) or [
            row[0]
            for row in self.db.execute(
                "SELECT DISTINCT coder FROM codings WHERE coder IS NOT NULL ORDER BY coder"
            )
        ]
        return {
            "project": str(self.path),
            "coders": ", ".join(coders) if coders else "(no codings)",
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "qualcode": __version__,
        }

    def _analysis_data(self, filters: Filters | None, spans: bool = False):
        from qualcode.analysis import data

        return data.load(self.db, self.codes(), filters, spans=spans)

    def frequencies(self, filters: Filters | None = None, order: str = "frequency"):
        """Participants per code (n of N), codings, documents, split by kind, as a
        pandas DataFrame (see frequency_table for the columns)."""
        return self.frequency_table(filters, order=order).to_frame()

    def frequency_table(self, filters: Filters | None = None, order: str = "frequency"):
        """The frequencies as a plain Table (no pandas): what `qualcode freq` writes.
        Columns and definitions in qualcode/analysis/frequencies.py."""
        from qualcode.analysis.frequencies import frequency_table

        return frequency_table(self.db, self.codes(), filters, order=order)

    def crosstab(self, attribute: str, filters: Filters | None = None, order: str = "frequency"):
        """Codes by the values of one participant attribute, n/N within each group."""
        from qualcode.analysis import data
        from qualcode.analysis.crosstab import crosstab

        values = data.load_attribute(self.db, attribute)
        table = crosstab(self._analysis_data(filters), values, order=order)
        table.attrs["attribute"] = attribute
        return table

    def matrix(
        self, filters: Filters | None = None, values: str = "presence", max_depth: int | None = None
    ):
        """The participant-by-code (framework) matrix of presence or counts."""
        from qualcode.analysis.matrix import matrix

        return matrix(self._analysis_data(filters), values=values, max_depth=max_depth)

    def cooccurrence(
        self,
        filters: Filters | None = None,
        mode: str = "segment",
        unit: str | None = None,
        depth: int | None = None,
    ):
        """Code-by-code co-occurrence, by overlapping spans (or shared `unit` segments)
        or within participants."""
        from qualcode.analysis import data as loader
        from qualcode.analysis.cooccurrence import cooccurrence

        data = self._analysis_data(filters, spans=(mode == "segment"))
        segments = None
        if unit is not None and mode == "segment":
            from qualcode.errors import QualcodeError

            if unit not in ("sentence", "turn", "paragraph", "topic"):
                raise QualcodeError(
                    f"unknown segment unit {unit!r} (sentence, turn, paragraph or topic)"
                )
            if unit == "sentence":
                self.ensure_sentences(data.documents["id"].tolist())
            segments = loader.load_segments(self.db, unit, data.documents)
        return cooccurrence(data, mode=mode, depth=depth, segments=segments)

    def saturation(
        self,
        filters: Filters | None = None,
        unit: str = "document",
        order: list | None = None,
        depth: int | None = None,
    ):
        """New codes per successive document (or participant) and the cumulative curve."""
        from qualcode.analysis.saturation import saturation

        return saturation(self._analysis_data(filters), unit=unit, order=order, depth=depth)

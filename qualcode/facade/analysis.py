"""Analysis tables on the facade: project.frequencies(filters), crosstab, matrix,
cooccurrence, saturation. Each `x_table` method computes a plain Table without pandas
(SQL groups and Python sets, qualcode/analysis/counts.py; numpy only for co-occurrence
of spans): what the CLI writes. The methods without `_table` return the same table as
a pandas DataFrame (the Python API), importing pandas then."""

from __future__ import annotations

from collections.abc import Iterable

from qualcode.analysis.filters import Filters
from qualcode.facade.base import ProjectBase


class AnalysisOps(ProjectBase):
    def export_facts(self, coders: Iterable[str] = ()) -> dict[str, str]:
        """What an exported table is made from, for its About sheet: the project's file
        name (not its folder, which can name the user: /home/ana/...), coder(s) (those
        filtered on, else every coder with a coding), date (UTC), qualcode version."""
        from datetime import UTC, datetime

        from qualcode import __version__

        coders = list(coders) or [
            row[0]
            for row in self.db.execute(
                "SELECT DISTINCT coder FROM codings WHERE coder IS NOT NULL ORDER BY coder"
            )
        ]
        return {
            "project": self.path.name,
            "coders": ", ".join(coders) if coders else "(no codings)",
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "qualcode": __version__,
        }

    def frequencies(
        self, filters: Filters | None = None, order: str = "frequency", depth: int | None = None
    ):
        """Participants per code (n of N), codings, documents, split by kind, as a
        pandas DataFrame (see frequency_table for the columns and depth)."""
        return self.frequency_table(filters, order=order, depth=depth).to_frame()

    def frequency_table(
        self, filters: Filters | None = None, order: str = "frequency", depth: int | None = None
    ):
        """The frequencies as a plain Table (no pandas): what `qualcode freq` writes.
        Columns and definitions in qualcode/analysis/frequencies.py. depth: only the
        codes down to this depth (0: the main themes), each still counting its whole
        subtree (a union), as `matrix --depth` and `cooccur --depth` roll codes up."""
        from qualcode.analysis.frequencies import frequency_table
        from qualcode.analysis.table import Table

        table = frequency_table(self.db, self.codes(), filters, order=order)
        if depth is None:
            return table
        at = table.columns.index("depth")
        rows = [r for r in table.rows if int(r[at]) <= depth]
        return Table(table.columns, rows, {**table.attrs, "depth": depth})

    def crosstab(self, attribute: str, filters: Filters | None = None, order: str = "frequency"):
        """Codes by the values of one participant attribute, n/N within each group, as a
        pandas DataFrame (columns in qualcode/analysis/crosstab.py)."""
        return self.crosstab_table(attribute, filters, order=order).to_frame()

    def crosstab_table(
        self, attribute: str, filters: Filters | None = None, order: str = "frequency"
    ):
        """The crosstab as a plain Table (no pandas): what `qualcode crosstab` writes.
        Raises QualcodeError for an attribute or filter value the project does not have."""
        from qualcode.analysis.counts import CodeTree, load_attribute, load_counts
        from qualcode.analysis.crosstab import crosstab

        values = load_attribute(self.db, attribute)
        table = crosstab(load_counts(self.db, filters), CodeTree(self.codes()), values, order)
        table.attrs["attribute"] = attribute
        return table

    def matrix(
        self, filters: Filters | None = None, values: str = "presence", max_depth: int | None = None
    ):
        """The participant-by-code (framework) matrix of presence or counts, as a pandas
        DataFrame indexed by participant (see qualcode/analysis/matrix.py)."""
        return self.matrix_table(filters, values, max_depth).to_frame()

    def matrix_table(
        self, filters: Filters | None = None, values: str = "presence", max_depth: int | None = None
    ):
        """The framework matrix as a plain Table (no pandas): what `qualcode matrix` writes."""
        from qualcode.analysis.counts import CodeTree, load_counts
        from qualcode.analysis.matrix import VALUES, matrix
        from qualcode.errors import QualcodeError

        if values not in VALUES:  # before the codings are read
            raise QualcodeError(f"unknown matrix values {values!r} (presence or counts)")
        return matrix(load_counts(self.db, filters), CodeTree(self.codes()), values, max_depth)

    def cooccurrence(
        self,
        filters: Filters | None = None,
        mode: str = "segment",
        unit: str | None = None,
        depth: int | None = None,
        pooled: bool = False,
    ):
        """Code-by-code co-occurrence, by overlapping spans (or shared `unit` segments)
        or within participants, as a pandas DataFrame indexed by code path. By spans,
        pairs count within each coder's own codings unless pooled=True
        (qualcode/analysis/cooccurrence.py)."""
        return self.cooccurrence_table(
            filters, mode=mode, unit=unit, depth=depth, pooled=pooled
        ).to_frame()

    def cooccurrence_table(
        self,
        filters: Filters | None = None,
        mode: str = "segment",
        unit: str | None = None,
        depth: int | None = None,
        pooled: bool = False,
    ):
        """The co-occurrence table as a plain Table (no pandas; numpy for mode "segment"):
        what `qualcode cooccur` writes; pooled as in cooccurrence(). Raises
        QualcodeError for an unknown mode or unit."""
        from qualcode.analysis.cooccurrence import MODES, cooccurrence
        from qualcode.analysis.counts import CodeTree
        from qualcode.errors import QualcodeError

        if mode not in MODES:
            raise QualcodeError(f"unknown co-occurrence mode {mode!r} (segment or participant)")
        if unit is not None and mode == "segment":
            if unit not in ("sentence", "turn", "paragraph", "topic"):
                raise QualcodeError(
                    f"unknown segment unit {unit!r} (sentence, turn, paragraph or topic)"
                )
        else:
            unit = None
        prepare = self.ensure_sentences if unit == "sentence" else None
        return cooccurrence(
            self.db,
            CodeTree(self.codes()),
            filters,
            mode,
            depth,
            unit,
            prepare=prepare,
            pooled=pooled,
        )

    def saturation(
        self,
        filters: Filters | None = None,
        unit: str = "document",
        order: list | None = None,
        depth: int | None = None,
    ):
        """New codes per successive document (or participant) and the cumulative curve,
        as a pandas DataFrame (columns in qualcode/analysis/saturation.py)."""
        return self.saturation_table(filters, unit=unit, order=order, depth=depth).to_frame()

    def saturation_table(
        self,
        filters: Filters | None = None,
        unit: str = "document",
        order: list | None = None,
        depth: int | None = None,
    ):
        """The saturation table as a plain Table (no pandas): what `qualcode saturation`
        writes. Raises QualcodeError for an unknown unit or a bad order."""
        from qualcode.analysis.counts import CodeTree, load_counts
        from qualcode.analysis.saturation import UNITS, saturation
        from qualcode.errors import QualcodeError

        if unit not in UNITS:
            raise QualcodeError(f"unknown saturation unit {unit!r} (document or participant)")
        tree = CodeTree(self.codes())
        return saturation(self.db, load_counts(self.db, filters), tree, unit, order, depth)

"""The framework matrix: participants (rows) by codes (columns).

- presence: 1 when the participant has a coding in scope of the code or of any of
  its descendants (a union), else 0.
- counts: the number of such codings (codes' subtrees are disjoint, so a sum).
Every participant in scope has a row (natural order, R2 before R10), every code a
column in codebook order (path as the column name); `max_depth` keeps only codes
down to that depth (0: main themes only), still counting their whole subtree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.data import AnalysisData
from qualcode.analysis.rollup import distinct, with_ancestors

VALUES = ("presence", "counts")


def matrix(
    data: AnalysisData, values: str = "presence", max_depth: int | None = None
) -> pd.DataFrame:
    if values not in VALUES:
        from qualcode.errors import QualcodeError

        raise QualcodeError(f"unknown matrix values {values!r} (presence or counts)")
    codes = data.codes
    if max_depth is not None:
        codes = codes[codes["depth"] <= max_depth]
    people = data.participants
    codings = data.codings[data.codings["participant_id"] >= 0]
    per_pair = codings.groupby(["participant_id", "code_id"]).size().rename("count").reset_index()
    rolled = with_ancestors(per_pair, data.ancestors)
    if values == "presence":
        rolled = distinct(rolled, ["participant_id", "ancestor_id"]).assign(count=1)
    cells = rolled.groupby(["participant_id", "ancestor_id"])["count"].sum()

    row_at = pd.Index(people["participant_id"])
    col_at = pd.Index(codes["id"])
    grid = np.zeros((len(row_at), len(col_at)), dtype="int64")
    if len(cells):
        rows = row_at.get_indexer(cells.index.get_level_values(0))
        cols = col_at.get_indexer(cells.index.get_level_values(1))
        keep = (rows >= 0) & (cols >= 0)
        grid[rows[keep], cols[keep]] = cells.to_numpy()[keep]
    out = pd.DataFrame(
        grid,
        index=pd.Index(people["participant"].to_list(), name="participant"),
        columns=codes["path"].to_list(),
    )
    out.attrs["values"] = values
    out.attrs["table"] = "matrix"
    out.attrs["filters"] = data.filters.describe()
    return out

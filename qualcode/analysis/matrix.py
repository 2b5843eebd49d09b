"""The framework matrix: participants (rows) by codes (columns).

- presence: 1 when the participant has a coding in scope of the code or of any of
  its descendants (a union), else 0.
- counts: the number of such codings (codes' subtrees are disjoint, so a sum).
Every participant in scope has a row (natural order, R2 before R10), every code a
column in codebook order (path as the column name); `max_depth` keeps only codes
down to that depth (0: main themes only), still counting their whole subtree.
Computed over the groups of codings (qualcode/analysis/counts.py), without pandas.
"""

from __future__ import annotations

from qualcode.analysis.counts import CodeTree, Counts
from qualcode.analysis.table import Table
from qualcode.errors import QualcodeError

VALUES = ("presence", "counts")


def matrix(
    counts: Counts, tree: CodeTree, values: str = "presence", max_depth: int | None = None
) -> Table:
    """Columns: participant (the pid, the table's index) and one per code kept (its
    path), cells 0/1 or counts of codings. attrs: values, table, filters.
    Raises QualcodeError for `values` other than presence or counts."""
    if values not in VALUES:
        raise QualcodeError(f"unknown matrix values {values!r} (presence or counts)")
    own: dict[tuple[int, int], int] = {}  # (participant, code) -> codings
    for code, _doc, people, n in counts.groups:
        for p in people:
            own[p, code] = own.get((p, code), 0) + n
    cell: dict[tuple[int, int], int] = {}
    for (p, code), n in own.items():
        for ancestor in tree.lineage.get(code, ()):
            cell[p, ancestor] = cell.get((p, ancestor), 0) + n
    if values == "presence":
        cell = dict.fromkeys(cell, 1)
    codes = tree.kept(max_depth)
    names = counts.scope.people
    rows = [(names[p], *(cell.get((p, c.id), 0) for c in codes)) for p in counts.people()]
    attrs = {"values": values, "table": "matrix", "filters": counts.filters.describe()}
    return Table(["participant", *(c.path for c in codes)], rows, attrs, index="participant")

"""Codes by one participant attribute: n/N within each group (e.g. women and men).

For a group g of the attribute's values: N_g is the number of participants in scope
with that value, n_g those of them with the code or any descendant coded (a union,
as in the frequencies). Participants without the attribute form the group "(none)".
Columns per group: "<g> n", "<g> N", "<g> %" (rounded once to one decimal from n/N by
qualcode.percent); groups in alphabetical order. Computed with sets over the groups of
codings (qualcode/analysis/counts.py), without pandas.
"""

from __future__ import annotations

from qualcode.analysis.counts import CodeTree, Counts
from qualcode.analysis.table import Cell, Table
from qualcode.percent import percent_value

MISSING = "(none)"


def crosstab(
    counts: Counts, tree: CodeTree, values: dict[int, str | None], order: str = "frequency"
) -> Table:
    """One row per code (columns code, name, depth, parent, then n, N, % per group);
    `values`: participant_id -> attribute value (from counts.load_attribute); `order`
    "frequency" (siblings by n over all groups) or "codebook". attrs: groups, table,
    filters."""
    group_of = {p: MISSING if values.get(p) is None else str(values[p]) for p in counts.people()}
    named = set(group_of.values())
    groups = sorted(named - {MISSING}) + ([MISSING] if MISSING in named else [])
    members = {g: {p for p, v in group_of.items() if v == g} for g in groups}
    rolled = tree.rolled(counts.participants_of())
    cells: dict[int, tuple[Cell, ...]] = {}
    for c in tree.codes:
        row: list[Cell] = [c.path, c.name, c.depth, tree.parent_path(c)]
        for g in groups:
            n, size = len(rolled[c.id] & members[g]), len(members[g])
            row += [n, size, percent_value(n, size)]
        cells[c.id] = tuple(row)
    total = {c: len(people) for c, people in rolled.items()}  # every participant has a group
    ids = tree.order(total if order == "frequency" else None)
    columns = ["code", "name", "depth", "parent"]
    columns += [f"{g} {part}" for g in groups for part in ("n", "N", "%")]
    attrs = {"groups": groups, "table": "crosstab", "filters": counts.filters.describe()}
    return Table(columns, [cells[i] for i in ids], attrs)

"""Codes by one participant attribute: n/N within each group (e.g. women and men).

For a group g of the attribute's values: N_g is the number of participants in scope
with that value, n_g those of them with the code or any descendant coded (a union,
as in the frequencies). Participants without the attribute form the group "(none)".
Columns per group: "<g> n", "<g> N", "<g> %" (rounded once to one decimal from n/N by
qualcode.percent); groups in alphabetical order.
"""

from __future__ import annotations

import pandas as pd

from qualcode.analysis.data import AnalysisData
from qualcode.analysis.rollup import group_slice, order_tree, union_counts
from qualcode.percent import percent_value

MISSING = "(none)"


def crosstab(data: AnalysisData, values: dict[int, str], order: str = "frequency") -> pd.DataFrame:
    """`values`: participant_id -> attribute value (from data.load_attribute)."""
    people = data.participants
    group_of = people["participant_id"].map(values).fillna(MISSING)
    groups = sorted(set(group_of) - {MISSING}) + ([MISSING] if (group_of == MISSING).any() else [])
    sizes = group_of.value_counts()
    group_code = {g: i for i, g in enumerate(groups)}
    by_person = dict(zip(people["participant_id"], group_of.map(group_code)))

    codings = data.codings[data.codings["participant_id"] >= 0]
    codings = codings.assign(group=codings["participant_id"].map(by_person))
    codings = codings[codings["group"].notna()].astype({"group": "int64"})
    counts = union_counts(codings, "participant_id", data.ancestors, ["group"])

    frame = data.codes.set_index("id")
    out = pd.DataFrame(index=frame.index)
    out["code"] = frame["path"]
    out["name"] = frame["name"]
    out["depth"] = frame["depth"]
    out["parent"] = frame["parent_id"].map(frame["path"]).fillna("")
    total = pd.Series(0, index=frame.index, dtype="int64")
    for g in groups:
        n = group_slice(counts, group_code[g], frame.index)
        size = int(sizes.get(g, 0))
        out[f"{g} n"] = n
        out[f"{g} N"] = size
        out[f"{g} %"] = [percent_value(v, size) for v in n]
        total += n
    ids = order_tree(data.codes, total if order == "frequency" else None)
    result = out.loc[ids].reset_index(drop=True)
    result.attrs["groups"] = groups
    result.attrs["table"] = "crosstab"
    result.attrs["filters"] = data.filters.describe()
    return result

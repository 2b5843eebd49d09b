"""Theme frequencies: for each code, how many participants in scope voice it.

Definitions (the property test recomputes each of these in plain Python):
- N: participants with at least one document in scope (after every filter).
- n: participants with a coding in scope of the code or of any of its descendants
  (a union: a participant counts once per code however often it is coded).
- percent: 100 * n / N (0 when N is 0), rounded once to one decimal from the exact
  fraction (qualcode.percent); every screen and export formats from n and N, not this.
- codings: codings in scope of the code and its descendants.
- documents: distinct documents in scope with such a coding.
- n_<kind>: like n, counting only codings in documents of that kind (one column per
  kind in scope, in alphabetical order); N_<kind> (participants with a document of
  that kind) is in `frame.attrs["N_by_kind"]`.
"""

from __future__ import annotations

import pandas as pd

from qualcode.analysis.data import AnalysisData
from qualcode.analysis.rollup import group_slice, order_tree, subtree_sums, union_counts
from qualcode.percent import percent_value

BASE_COLUMNS = ["code", "name", "depth", "parent", "n", "N", "percent", "codings", "documents"]


def frequencies(data: AnalysisData, order: str = "frequency") -> pd.DataFrame:
    """One row per code; `order` is "frequency" (siblings by n, the study's layout)
    or "codebook"."""
    codes, anc, codings = data.codes, data.ancestors, data.codings
    total = len(data.participants)
    n = union_counts(codings, "participant_id", anc)
    docs = union_counts(codings, "document_id", anc)
    per_code = codings.groupby("code_id").size()
    coding_counts = subtree_sums(per_code, anc)
    kinds = list(codings["kind"].cat.categories)  # the kinds of the documents in scope, sorted
    by_kind = union_counts(
        codings.assign(kind_code=codings["kind"].cat.codes.astype("int64")),
        "participant_id",
        anc,
        ["kind_code"],
    )

    frame = codes.set_index("id")
    path_of = frame["path"]
    out = pd.DataFrame(index=frame.index)
    out["code"] = frame["path"]
    out["name"] = frame["name"]
    out["depth"] = frame["depth"]
    out["parent"] = frame["parent_id"].map(path_of).fillna("")
    out["n"] = n.reindex(frame.index, fill_value=0).astype("int64")
    out["N"] = total
    out["percent"] = [percent_value(n, total) for n in out["n"]]
    out["codings"] = coding_counts.reindex(frame.index, fill_value=0).astype("int64")
    out["documents"] = docs.reindex(frame.index, fill_value=0).astype("int64")
    for code, kind in enumerate(kinds):
        out[f"n_{kind}"] = group_slice(by_kind, code, frame.index)
    ids = order_tree(codes, out["n"] if order == "frequency" else None)
    result = out.loc[ids].reset_index(drop=True)
    docs_frame = data.documents[data.documents["participant_id"] >= 0]
    result.attrs["N_by_kind"] = {
        k: int(docs_frame.loc[docs_frame["kind"] == k, "participant_id"].nunique()) for k in kinds
    }
    result.attrs["N"] = total
    result.attrs["table"] = "frequencies"
    result.attrs["documents_in_scope"] = len(data.documents)
    result.attrs["filters"] = data.filters.describe()
    return result

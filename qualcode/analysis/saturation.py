"""Saturation: how many codes are new in each successive document (or participant).

Steps are the documents in scope in import order (or the order given), or, with
unit="participant", the participants in order of their first document (or as given).
A code is new at the first step with a coding in scope of it (codes as coded, or
rolled up to `depth`). Columns: step, label, participant, kind (documents only),
codings, new, cumulative, new_codes (the new codes' paths joined by "; ").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qualcode.analysis.cooccurrence import mapped_codes
from qualcode.analysis.data import AnalysisData
from qualcode.errors import QualcodeError

UNITS = ("document", "participant")


def saturation(
    data: AnalysisData,
    unit: str = "document",
    order: Sequence[str | int] | None = None,
    depth: int | None = None,
) -> pd.DataFrame:
    if unit not in UNITS:
        raise QualcodeError(f"unknown saturation unit {unit!r} (document or participant)")
    codes, code_ids = mapped_codes(data, depth)
    steps = _steps(data, unit, order)
    step_key = data.codings["document_id" if unit == "document" else "participant_id"].to_numpy()
    rank = pd.Index(steps["key"]).get_indexer(step_key)
    keep = rank >= 0
    rank, code_ids = rank[keep], code_ids[keep]
    codings_per_step = np.bincount(rank, minlength=len(steps))
    first = pd.Series(rank).groupby(code_ids).min() if len(rank) else pd.Series(dtype="int64")
    new = np.bincount(first.to_numpy(dtype="int64"), minlength=len(steps))
    path_of = codes.set_index("id")["path"]
    order_of = codes.set_index("id")["order"]
    names = pd.DataFrame(
        {
            "step": first.to_numpy(),
            "path": first.index.map(path_of.to_dict()),
            "order": first.index.map(order_of.to_dict()),
        }
    ).sort_values(["step", "order"])
    joined = names.groupby("step")["path"].agg("; ".join)
    out = pd.DataFrame(
        {
            "step": np.arange(1, len(steps) + 1),
            "label": steps["label"].to_numpy(),
            "participant": steps["participant"].to_numpy(),
        }
    )
    if unit == "document":
        out["kind"] = steps["kind"].to_numpy()
    out["codings"] = codings_per_step
    out["new"] = new[: len(steps)]
    out["cumulative"] = out["new"].cumsum()
    new_codes = joined.to_dict()  # one entry per step at most: no per-coding loop
    out["new_codes"] = [new_codes.get(i, "") for i in range(len(steps))]
    out.attrs.update(
        table="saturation", unit=unit, codes=len(codes), filters=data.filters.describe()
    )
    return out


def _steps(data: AnalysisData, unit: str, order: Sequence[str | int] | None) -> pd.DataFrame:
    docs = data.documents
    if unit == "document":
        steps = pd.DataFrame(
            {
                "key": docs["id"],
                "label": docs["title"],
                "participant": docs["participant"],
                "kind": docs["kind"],
            }
        )
        lookup = {
            **{str(i): i for i in docs["id"]},
            **{t: i for t, i in zip(docs["title"], docs["id"])},
        }
    else:
        people = docs[docs["participant_id"] >= 0].drop_duplicates(
            "participant_id"
        )  # by first document
        steps = pd.DataFrame(
            {
                "key": people["participant_id"],
                "label": people["participant"],
                "participant": people["participant"],
            }
        )
        lookup = dict(zip(people["participant"], people["participant_id"]))
    steps = steps.reset_index(drop=True)
    if order:
        keys = []
        for item in order:
            if str(item) not in lookup:
                raise QualcodeError(f"saturation order: no {unit} {item!r} in scope")
            keys.append(lookup[str(item)])
        if len(set(keys)) != len(keys):
            raise QualcodeError(f"saturation order: a {unit} is listed twice")
        rest = [k for k in steps["key"] if k not in set(keys)]
        steps = steps.set_index("key").loc[keys + rest].reset_index()
    return steps

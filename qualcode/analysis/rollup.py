"""Vectorised building blocks shared by the tables: distinct pairs and parent unions.

A parent code counts the UNION of the entities (participants, documents) of itself and
all its descendants: an entity coded with two subthemes of one theme counts once for
the theme. That is done by pairing each distinct (entity, code) with each ancestor of
the code, then keeping distinct (entity, ancestor) pairs, never by adding children up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def distinct(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Distinct rows over integer columns, in order of first appearance.

    The columns are packed into one int64 key and deduplicated by hashing (pd.unique,
    linear time) when their ranges fit, which is much faster than sorting a million rows.
    """
    if frame.empty:
        return frame[columns].iloc[0:0].reset_index(drop=True)
    arrays = [frame[c].to_numpy(dtype="int64") for c in columns]
    lows = [int(a.min()) for a in arrays]
    spans = [int(a.max()) - lo + 1 for a, lo in zip(arrays, lows)]
    if float(np.prod([float(s) for s in spans])) >= 2**62:
        return frame[columns].drop_duplicates().reset_index(drop=True)
    key = np.zeros(len(frame), dtype="int64")
    for a, lo, span in zip(arrays, lows, spans):
        key = key * span + (a - lo)
    key = pd.unique(key)
    out = {}
    for name, lo, span in reversed(list(zip(columns, lows, spans))):
        key, part = np.divmod(key, span)
        out[name] = part + lo
    return pd.DataFrame({c: out[c] for c in columns})


def with_ancestors(pairs: pd.DataFrame, ancestors: pd.DataFrame) -> pd.DataFrame:
    """Each (…, code_id) row repeated for every ancestor of the code (itself included)."""
    return pairs.merge(ancestors, on="code_id", how="inner")


def union_counts(
    frame: pd.DataFrame, entity: str, ancestors: pd.DataFrame, groups: list[str] | None = None
) -> pd.Series:
    """Number of distinct `entity` values per (groups..., code), parents as unions.

    Returns a Series indexed by (*groups, ancestor_id) — just ancestor_id without groups.
    """
    groups = groups or []
    pairs = distinct(frame[frame[entity] >= 0], [*groups, entity, "code_id"])
    rolled = with_ancestors(pairs, ancestors)
    rolled = distinct(rolled, [*groups, entity, "ancestor_id"])
    return rolled.groupby([*groups, "ancestor_id"]).size()


def group_slice(counts: pd.Series, group: int, index: pd.Index) -> pd.Series:
    """One group's counts from union_counts(..., groups=[g]) over `index`, 0 where absent."""
    if len(counts) and group in counts.index.get_level_values(0):
        return counts.xs(group, level=0).reindex(index, fill_value=0).astype("int64")
    return pd.Series(0, index=index, dtype="int64")


def subtree_sums(values: pd.Series, ancestors: pd.DataFrame) -> pd.Series:
    """Sum of a per-code quantity over each code's subtree (for counts of codings,
    which are disjoint: every coding has exactly one code)."""
    frame = values.rename("value").rename_axis("code_id").reset_index()
    rolled = with_ancestors(frame, ancestors)
    return rolled.groupby("ancestor_id")["value"].sum()


def order_tree(codes: pd.DataFrame, key: pd.Series | None) -> list[int]:
    """Code ids depth-first; siblings by descending `key` (code id -> number), ties in
    codebook order. Without a key: codebook order."""
    children: dict[int, list[tuple[float, int, int]]] = {}
    for cid, parent, order in zip(codes["id"], codes["parent_id"], codes["order"]):
        weight = -float(key.get(cid, 0)) if key is not None else 0.0
        children.setdefault(int(parent), []).append((weight, int(order), int(cid)))
    out: list[int] = []

    def visit(parent: int) -> None:
        for _, _, cid in sorted(children.get(parent, [])):
            out.append(cid)
            visit(cid)

    visit(-1)
    return out


def at_depth(codes: pd.DataFrame, ancestors: pd.DataFrame, depth: int) -> pd.Series:
    """code id -> the id of its ancestor at `depth` (itself when it is not deeper)."""
    depth_of = codes.set_index("id")["depth"]
    frame = ancestors.assign(
        adepth=ancestors["ancestor_id"].map(depth_of), cdepth=ancestors["code_id"].map(depth_of)
    )
    keep = frame[(frame["adepth"] == np.minimum(frame["cdepth"], depth))]
    return keep.set_index("code_id")["ancestor_id"]

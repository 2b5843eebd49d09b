"""The row order of the pandas tables (inter-coder agreement): codes depth-first.

The other tables order their rows with qualcode.analysis.counts.CodeTree.order, the
same rule without pandas.
"""

from __future__ import annotations

import pandas as pd


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

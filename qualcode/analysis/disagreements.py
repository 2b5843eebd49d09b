"""The passages two coders disagree on for one code, for a discussion meeting.

For the code (with its descendants, as in the agreement table) each coder's codings
are merged per document; the text is cut at every boundary of either coder's spans
and the pieces covered by exactly one coder are kept, joined with their neighbours
when the same coder continues. Interval arithmetic on numpy arrays, as in agreement.py.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from qualcode.analysis.agreement import merge_spans
from qualcode.analysis.agreement_data import Codings, Documents, Ints

if TYPE_CHECKING:
    from qualcode.store import ProjectDatabase

COLUMNS = ["document", "participant", "start", "end", "text", "who"]


def disagreements(
    db: ProjectDatabase,
    pair: Sequence[str],
    code_ids: list[int],
    documents: Documents,
    codings: Codings,
) -> pd.DataFrame:
    """Passages coded (with `code_ids`) by one coder of `pair` and not the other, in
    document order: document title, participant, start, end, text, who (the coder),
    document_id. documents and codings: from agreement_data.load_pair."""
    codings = codings.take(np.isin(codings.code_id, code_ids))
    big = int(documents.lengths.max() if len(documents) else 0) + 1
    key_start = codings.doc * big + codings.start
    key_end = codings.doc * big + codings.end
    is_b = codings.is_b
    a = merge_spans(key_start[~is_b], key_end[~is_b])
    b = merge_spans(key_start[is_b], key_end[is_b])
    cuts = np.unique(np.concatenate([*a, *b]))
    if len(cuts) < 2:
        return pd.DataFrame(columns=[*COLUMNS, "document_id"])
    lo, hi = cuts[:-1], cuts[1:]
    in_a, in_b = _covered(a, lo), _covered(b, lo)
    keep = in_a != in_b
    lo, hi, by_b = lo[keep], hi[keep], in_b[keep]
    # Join a piece to the one before when it continues it for the same coder.
    new = np.ones(len(lo), dtype=bool)
    new[1:] = (lo[1:] != hi[:-1]) | (by_b[1:] != by_b[:-1])
    at = np.flatnonzero(new)
    start, end, by_b = lo[at], np.maximum.reduceat(hi, at) if len(at) else hi[at], by_b[at]
    doc = start // big
    out = pd.DataFrame({"doc": doc, "start": start - doc * big, "end": end - doc * big})
    texts = _texts(db, documents.ids[np.unique(doc)])
    ids = documents.ids[doc]
    out["text"] = [texts[i][s:e] for i, s, e in zip(ids, out["start"], out["end"])]
    out["document"] = [documents.titles[d] for d in doc.tolist()]
    out["participant"] = [documents.participants[d] or "" for d in doc.tolist()]
    out["who"] = np.where(by_b, pair[1], pair[0])
    out["document_id"] = ids
    return out[[*COLUMNS, "document_id"]].astype({"start": "int64", "end": "int64"})


def _covered(spans: tuple[Ints, Ints], points: Ints) -> npt.NDArray[np.bool_]:
    """Whether each point lies inside one of the disjoint sorted spans."""
    start, end = spans
    if not len(start):
        return np.zeros(len(points), dtype=bool)
    at = np.searchsorted(start, points, side="right") - 1
    inside: npt.NDArray[np.bool_] = (at >= 0) & (end[np.maximum(at, 0)] > points)
    return inside


def _texts(db: ProjectDatabase, ids: Ints) -> dict[int, str]:
    """The texts of these documents, in one query (ids passed as one JSON parameter)."""
    rows = db.execute(
        "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps([int(i) for i in ids])],
    )
    return dict(rows.fetchall())

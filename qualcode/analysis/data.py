"""Loading what inter-coder agreement needs (qualcode/analysis/agreement.py) into
pandas frames: the codes and their ancestors, the documents in scope, segments.

The other tables read without pandas (qualcode/analysis/counts.py, overlap.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from qualcode.analysis.filters import Filters, document_scope

if TYPE_CHECKING:
    from qualcode.models import Code
    from qualcode.store import ProjectDatabase

# Integer keys, offsets and counts (the analysis kernels work on numpy int64 arrays).
Ints = npt.NDArray[np.int64]

NO_PARTICIPANT = -1


def codes_frame(codes: Sequence[Code]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Codes (from Project.codes(), depth-first order) and their ancestor pairs."""
    frame = pd.DataFrame(
        {
            "id": [c.id for c in codes],
            "parent_id": [c.parent_id if c.parent_id is not None else -1 for c in codes],
            "name": [c.name for c in codes],
            "path": [c.path for c in codes],
            "depth": [c.depth for c in codes],
            "order": range(len(codes)),
        }
    )
    parent = dict(zip(frame["id"], frame["parent_id"]))
    pairs: list[tuple[int, int]] = []
    for cid in frame["id"]:
        node = cid
        while node != -1:
            pairs.append((cid, node))
            node = parent[node]
    ancestors = pd.DataFrame(pairs, columns=["code_id", "ancestor_id"], dtype="int64")
    return frame, ancestors


def load_documents(db: ProjectDatabase, filters: Filters) -> pd.DataFrame:
    """The documents in scope of `filters`, in position order (columns as in
    AnalysisData.documents)."""
    cond, args = document_scope(filters)
    rows = db.execute(
        "SELECT d.id, coalesce(d.participant_id, ?), p.pid, d.kind, d.position, d.title "
        f"FROM documents d LEFT JOIN participants p ON p.id = d.participant_id WHERE {cond} "
        "ORDER BY d.position, d.id",
        [NO_PARTICIPANT, *args],
    ).fetchall()
    return pd.DataFrame(
        rows, columns=["id", "participant_id", "participant", "kind", "position", "title"]
    ).astype({"id": "int64", "participant_id": "int64", "position": "int64"})


def load_segments(db: ProjectDatabase, kind: str, documents: pd.DataFrame) -> pd.DataFrame:
    """Segments of one kind (sentence, turn, paragraph) of the documents in scope."""
    array = np.fromiter(
        db.execute('SELECT document_id, start, "end" FROM segments WHERE kind = ?', [kind]),
        dtype=[("document_id", "i8"), ("start", "i8"), ("end", "i8")],
    )
    frame = pd.DataFrame({c: array[c] for c in ("document_id", "start", "end")})
    frame = frame[frame["document_id"].isin(documents["id"])]
    frame.attrs["unit"] = kind
    return frame

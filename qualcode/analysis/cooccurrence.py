"""Co-occurrence of codes: a symmetric code-by-code table of counts.

Codes are taken as coded, or, with `depth`, each replaced by its ancestor at that
depth (depth 0: main themes). Then:

- mode "segment": two codings of the same document co-occur when their spans
  overlap, or, with `unit` (sentence, turn, paragraph), when one segment of that kind
  overlaps both. Cell (X, Y), X != Y, is the number of co-occurring unordered pairs of
  codings with codes X and Y; the diagonal is the number of codings of X.
  (Segments of one kind are assumed not to overlap each other, as the segmenter makes
  them; a coding is then widened to the segments it touches, and widened spans that
  overlap are exactly the pairs that overlap or share a segment.)
- mode "participant": cell (X, Y), X != Y, is the number of participants in scope
  with both X and Y coded; the diagonal, those with X.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.data import AnalysisData
from qualcode.analysis.rollup import at_depth, distinct
from qualcode.errors import QualcodeError

MODES = ("segment", "participant")


def mapped_codes(data: AnalysisData, depth: int | None) -> tuple[pd.DataFrame, np.ndarray]:
    """(codes kept as rows/columns, mapped code id per coding)."""
    codes = data.codes
    ids = data.codings["code_id"].to_numpy()
    if depth is None:
        return codes, ids
    mapping = at_depth(codes, data.ancestors, depth)
    return codes[codes["depth"] <= depth], mapping.reindex(ids).to_numpy(dtype="int64")


def cooccurrence(data: AnalysisData, mode: str = "segment", depth: int | None = None,
                 segments: pd.DataFrame | None = None) -> pd.DataFrame:
    if mode not in MODES:
        raise QualcodeError(f"unknown co-occurrence mode {mode!r} (segment or participant)")
    codes, code_ids = mapped_codes(data, depth)
    at = pd.Index(codes["id"])
    size = len(at)
    position = at.get_indexer(code_ids) if len(code_ids) else np.zeros(0, dtype="int64")
    if mode == "participant":
        grid = _by_participant(data, position, size)
    else:
        grid = _by_span(data, position, size, segments)
    labels = codes["path"].to_list()
    out = pd.DataFrame(grid, index=pd.Index(labels, name="code"), columns=labels)
    unit = None if segments is None or mode != "segment" else str(segments.attrs.get("unit", "segment"))
    out.attrs.update(mode=mode, unit=unit, filters=data.filters.describe())
    return out


def _by_participant(data: AnalysisData, position: np.ndarray, size: int) -> np.ndarray:
    people = pd.Index(data.participants["participant_id"])
    frame = pd.DataFrame({"p": people.get_indexer(data.codings["participant_id"]), "c": position})
    frame = distinct(frame[frame["p"] >= 0], ["p", "c"])
    presence = np.zeros((len(people), size), dtype="int64")
    presence[frame["p"].to_numpy(), frame["c"].to_numpy()] = 1
    return presence.T @ presence


def _by_span(data: AnalysisData, position: np.ndarray, size: int, segments: pd.DataFrame | None) -> np.ndarray:
    codings = data.codings
    grid = np.zeros((size, size), dtype="int64")
    if not len(codings):
        return grid
    doc_rank = pd.Index(data.documents["id"]).get_indexer(codings["document_id"]).astype("int64")
    start, end = codings["start"].to_numpy(), codings["end"].to_numpy()
    big = int(end.max()) + 1
    if segments is not None and len(segments):
        big = max(big, int(segments["end"].max()) + 1)
    key_start, key_end = doc_rank * big + start, doc_rank * big + end
    if segments is not None and len(segments):
        key_start, key_end = _widen(key_start, key_end, segments, data.documents, big)

    order = np.lexsort((key_start,))
    ks, ke, codes = key_start[order], key_end[order], position[order]
    upto = np.searchsorted(ks, ke, side="left")  # partners of i: i+1 .. upto-1
    count = upto - np.arange(len(ks)) - 1
    total = int(count.sum())
    if total:
        left = np.repeat(np.arange(len(ks)), count)
        first_of = np.repeat(np.cumsum(count) - count, count)
        right = left + 1 + (np.arange(total) - first_of)
        a, b = codes[left], codes[right]
        differ = a != b
        low, high = np.minimum(a, b)[differ], np.maximum(a, b)[differ]
        pairs = np.bincount(low * size + high, minlength=size * size).reshape(size, size)
        grid += pairs + pairs.T
    grid[np.diag_indices(size)] = np.bincount(position, minlength=size)
    return grid


def _widen(key_start, key_end, segments: pd.DataFrame, documents: pd.DataFrame, big: int):
    """Widen each coding to cover the segments it overlaps."""
    segments = segments[segments["end"] > segments["start"]]
    seg_rank = pd.Index(documents["id"]).get_indexer(segments["document_id"]).astype("int64")
    s_start = seg_rank * big + segments["start"].to_numpy()
    s_end = seg_rank * big + segments["end"].to_numpy()
    order = np.argsort(s_start, kind="stable")
    s_start, s_end = s_start[order], s_end[order]
    first = np.searchsorted(s_end, key_start, side="right")  # first segment ending after start
    last = np.searchsorted(s_start, key_end, side="left") - 1  # last segment starting before end
    touches = first <= last
    wide_start, wide_end = key_start.copy(), key_end.copy()
    wide_start[touches] = np.minimum(key_start[touches], s_start[first[touches]])
    wide_end[touches] = np.maximum(key_end[touches], s_end[last[touches]])
    return wide_start, wide_end

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
  with both X and Y coded; the diagonal, those with X. A code counts as coded for a
  participant when it or any descendant is (a union, as in the frequencies), so theme
  rows are filled whether or not `depth` is given.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.data import AnalysisData, Ints
from qualcode.analysis.rollup import at_depth, distinct, with_ancestors
from qualcode.errors import QualcodeError

MODES = ("segment", "participant")
# Below this many co-occurring pairs per coding, listing the pairs beats running totals per code.
LIST_PAIRS_BELOW = 8


def mapped_codes(data: AnalysisData, depth: int | None) -> tuple[pd.DataFrame, np.ndarray]:
    """(codes kept as rows/columns, mapped code id per coding)."""
    codes = data.codes
    ids = data.codings["code_id"].to_numpy()
    if depth is None:
        return codes, ids
    mapping = at_depth(codes, data.ancestors, depth)
    return codes[codes["depth"] <= depth], mapping.reindex(ids).to_numpy(dtype="int64")


def cooccurrence(
    data: AnalysisData,
    mode: str = "segment",
    depth: int | None = None,
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    if mode not in MODES:
        raise QualcodeError(f"unknown co-occurrence mode {mode!r} (segment or participant)")
    codes, code_ids = mapped_codes(data, depth)
    at = pd.Index(codes["id"])
    size = len(at)
    position = at.get_indexer(code_ids) if len(code_ids) else np.zeros(0, dtype="int64")
    if mode == "participant":
        grid = _by_participant(data, codes, size)
    else:
        grid = _by_span(data, position, size, segments)
    labels = codes["path"].to_list()
    out = pd.DataFrame(grid, index=pd.Index(labels, name="code"), columns=labels)
    unit = (
        None
        if segments is None or mode != "segment"
        else str(segments.attrs.get("unit", "segment"))
    )
    out.attrs.update(table="cooccurrence", mode=mode, unit=unit, filters=data.filters.describe())
    return out


def _by_participant(data: AnalysisData, codes: pd.DataFrame, size: int) -> np.ndarray:
    """Participants with both codes, each code counting its whole subtree (a union, as
    in the frequencies: a theme is present when any of its subthemes is coded)."""
    people = pd.Index(data.participants["participant_id"])
    pairs = distinct(
        data.codings[data.codings["participant_id"] >= 0], ["participant_id", "code_id"]
    )
    rolled = distinct(with_ancestors(pairs, data.ancestors), ["participant_id", "ancestor_id"])
    rows = people.get_indexer(rolled["participant_id"])
    cols = pd.Index(codes["id"]).get_indexer(rolled["ancestor_id"])
    keep = (rows >= 0) & (cols >= 0)
    presence = np.zeros((len(people), size), dtype="int64")
    presence[rows[keep], cols[keep]] = 1
    return presence.T @ presence


def _by_span(
    data: AnalysisData, position: np.ndarray, size: int, segments: pd.DataFrame | None
) -> np.ndarray:
    codings = data.codings
    grid = np.zeros((size, size), dtype="int64")
    if not len(codings):
        return grid
    # One sortable key per offset: documents laid end to end, `big` apart.
    doc_rank = pd.Index(data.documents["id"]).get_indexer(codings["document_id"]).astype("int64")
    start, end = codings["start"].to_numpy(), codings["end"].to_numpy()
    big = int(end.max()) + 1
    if segments is not None and len(segments):
        big = max(big, int(segments["end"].max()) + 1)
    key_start = doc_rank * big + start
    order = np.argsort(key_start)
    ks, ke, codes = key_start[order], (doc_rank * big + end)[order], position[order]
    if segments is not None and len(segments):
        ks, ke = _widen(ks, ke, segments, data.documents, big)  # keeps ks sorted
    upto = np.searchsorted(ks, ke, side="left")  # the partners of i are i+1 .. upto-1
    count = upto - np.arange(len(ks)) - 1
    pairs = (
        _pairs_listed(codes, count, size)
        if count.sum() < LIST_PAIRS_BELOW * len(ks)
        else _pairs_by_code(codes, upto, size)
    )
    np.fill_diagonal(pairs, 0)  # two codings of one code are not a co-occurrence
    grid += pairs + pairs.T
    grid[np.diag_indices(size)] = np.bincount(position, minlength=size)
    return grid


def _pairs_listed(codes: np.ndarray, count: np.ndarray, size: int) -> np.ndarray:
    """Pair counts (code of i, code of j) for i < j, listing every pair: for sparse overlaps."""
    total = int(count.sum())
    left = np.repeat(np.arange(len(codes)), count)
    first_of = np.repeat(np.cumsum(count) - count, count)
    right = left + 1 + (np.arange(total) - first_of)
    return np.bincount(codes[left] * size + codes[right], minlength=size * size).reshape(size, size)


def _pairs_by_code(codes: np.ndarray, upto: np.ndarray, size: int) -> np.ndarray:
    """The same counts through running totals per code: time grows with codes, not pairs."""
    pairs = np.zeros((size, size), dtype="int64")
    after = np.arange(1, len(codes) + 1)
    for code in np.unique(codes):
        running = np.concatenate(([0], np.cumsum(codes == code)))
        partners = running[upto] - running[after]
        pairs[:, code] = np.bincount(codes, weights=partners, minlength=size).astype("int64")
    return pairs


def _widen(
    key_start: Ints, key_end: Ints, segments: pd.DataFrame, documents: pd.DataFrame, big: int
) -> tuple[Ints, Ints]:
    """Widen each coding to cover the segments it overlaps (starts stay sorted: the
    first segment touched moves forward with the coding's start)."""
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

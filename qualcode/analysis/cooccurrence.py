"""Co-occurrence of codes: a symmetric code-by-code table of counts.

Codes are taken as coded, or, with `depth`, each replaced by its ancestor at that
depth (depth 0: main themes). Then:

- mode "segment": two codings of the same document co-occur when their spans
  overlap, or, with `unit` (sentence, turn, paragraph, topic), when one segment of that
  kind overlaps both. Cell (X, Y), X != Y, is the number of co-occurring unordered
  pairs of codings with codes X and Y; the diagonal is the number of codings of X.
  (Segments of one kind are assumed not to overlap each other, as the segmenter makes
  them; a coding is then widened to the segments it touches, and widened spans that
  overlap are exactly the pairs that overlap or share a segment.) Counted with numpy
  in qualcode/analysis/overlap.py.
- mode "participant": cell (X, Y), X != Y, is the number of participants in scope
  with both X and Y coded; the diagonal, those with X. A code counts as coded for a
  participant when it or any descendant is (a union, as in the frequencies), so theme
  rows are filled whether or not `depth` is given. Counted with sets over the groups
  of codings (qualcode/analysis/counts.py): no numpy.

The table's index is the code path (first column "code"), then one column per code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from qualcode.analysis.counts import CodeTree, load_counts
from qualcode.analysis.credit import load_scope
from qualcode.analysis.filters import Filters
from qualcode.analysis.table import Table
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.models import Code

MODES = ("segment", "participant")


def cooccurrence(
    db: Any,
    tree: CodeTree,
    filters: Filters | None,
    mode: str = "segment",
    depth: int | None = None,
    unit: str | None = None,
    prepare: Callable[[list[int]], object] | None = None,
) -> Table:
    """The co-occurrence table (see the module docstring); `unit` only with mode
    "segment"; `prepare` is called with the ids of the documents in scope before their
    segments are read (the facade segments pending sentences there). attrs: table,
    mode, unit, filters. Raises QualcodeError for an unknown mode or a filter value the
    project does not have."""
    if mode not in MODES:
        raise QualcodeError(f"unknown co-occurrence mode {mode!r} (segment or participant)")
    codes = tree.kept(depth)
    if mode == "participant":
        counts = load_counts(db, filters)
        grid = _by_participant(counts.participants_of(), tree, codes)
        described = counts.filters.describe()
    else:
        import numpy as np

        from qualcode.analysis import overlap

        scope = load_scope(db, filters)
        doc, code_ids, start, end = overlap.load_spans(db, scope)
        mapped = tree.at_depth(depth)
        at = {c.id: n for n, c in enumerate(codes)}
        lookup = [0] * (max(mapped, default=0) + 1)
        for code, target in mapped.items():
            lookup[code] = at[target]
        position = np.asarray(lookup, dtype="int64")[code_ids]
        segments = None
        if unit:
            if prepare is not None:
                prepare(list(scope.documents))
            segments = overlap.load_segment_spans(db, scope, unit)
        grid = overlap.overlap_counts(doc, position, start, end, len(codes), segments).tolist()
        described = scope.filters.describe()
    labels = [c.path for c in codes]
    rows = [(label, *cells) for label, cells in zip(labels, grid)]
    attrs = {
        "table": "cooccurrence",
        "mode": mode,
        "unit": unit if mode == "segment" else None,
        "filters": described,
    }
    return Table(["code", *labels], rows, attrs, index="code")


def _by_participant(own: dict[int, set[int]], tree: CodeTree, codes: list[Code]) -> list[list[int]]:
    """Participants with both codes, each code counting its whole subtree (a union, as
    in the frequencies: a theme is present when any of its subthemes is coded)."""
    rolled = tree.rolled(own)
    present = [rolled[c.id] for c in codes]
    return [[len(a & b) for b in present] for a in present]

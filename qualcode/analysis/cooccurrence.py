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
  When several coders' codings are in scope (double coding), pairs are counted within
  each coder's own codings and summed over the coders: coder1's coding overlapping
  coder2's is two coders coding one passage, not one coder applying two codes (what
  NVivo's and MAXQDA's code relations count within one user's codings). pooled=True
  counts every pair whoever coded it, as before. attrs["coders"] lists the coders
  counted, attrs["pooled"] says which.
- mode "participant": cell (X, Y), X != Y, is the number of participants in scope
  with both X and Y coded; the diagonal, those with X. A code counts as coded for a
  participant when it or any descendant is (a union, as in the frequencies), so theme
  rows are filled whether or not `depth` is given. Counted with sets over the groups
  of codings (qualcode/analysis/counts.py): no numpy. Every coder's codings count
  (pooled; the table's note says so when there are several).

The table's index is the code path (first column "code"), then one column per code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from qualcode.analysis.counts import CodeTree, load_counts
from qualcode.analysis.credit import load_scope
from qualcode.analysis.filters import Filters, coders_with_codings
from qualcode.analysis.table import Table
from qualcode.errors import QualcodeError
from qualcode.plural import plural

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
    pooled: bool = False,
) -> Table:
    """The co-occurrence table (see the module docstring); `unit` only with mode
    "segment"; `prepare` is called with the ids of the documents in scope before their
    segments are read (the facade segments pending sentences there). pooled: mode
    "segment" only; count pairs across coders too (default: within each coder). attrs:
    table, mode, unit, filters, coders (those with codings in scope, sorted), pooled
    (whether pairs across coders count). Raises QualcodeError for an unknown mode or a
    filter value the project does not have."""
    if mode not in MODES:
        raise QualcodeError(f"unknown co-occurrence mode {mode!r} (segment or participant)")
    codes = tree.kept(depth)
    if mode == "participant":
        counts = load_counts(db, filters)
        grid = _by_participant(counts.participants_of(), tree, codes)
        described = counts.filters.describe()
        coders = coders_with_codings(db, counts.filters)
        pooled = True
    else:
        import numpy as np

        from qualcode.analysis import overlap

        scope = load_scope(db, filters)
        coders = coders_with_codings(db, scope.filters)
        mapped = tree.at_depth(depth)
        at = {c.id: n for n, c in enumerate(codes)}
        lookup = [0] * (max(mapped, default=0) + 1)
        for code, target in mapped.items():
            lookup[code] = at[target]
        segments = None
        if unit:
            if prepare is not None:
                prepare(list(scope.documents))
            segments = overlap.load_segment_spans(db, scope, unit)
        runs: list[tuple[str | None, Any]] = [(None, scope)]
        if not pooled and len(coders) > 1:
            runs = [
                (c, replace(scope, filters=replace(scope.filters, coders=(c,)))) for c in coders
            ]
        total = np.zeros((len(codes), len(codes)), dtype="int64")
        counted = []
        for coder, one in runs:
            doc, code_ids, start, end = overlap.load_spans(db, one)
            if coder is not None and len(doc):
                counted.append(coder)
            position = np.asarray(lookup, dtype="int64")[code_ids]
            total += overlap.overlap_counts(doc, position, start, end, len(codes), segments)
        if runs[0][0] is not None:
            coders = counted  # the coders with codings in the documents in scope
        grid = total.tolist()
        described = scope.filters.describe()
    labels = [c.path for c in codes]
    rows = [(label, *cells) for label, cells in zip(labels, grid)]
    # a theme with subcodes counts only the codings made with the theme itself (as
    # MAXQDA's Code Relations Browser does by default): one coded only through its
    # subcodes reads 0 throughout, which the outputs explain (themes_note)
    below = []
    if mode == "segment" and depth is None:
        below = [c.path for n, c in enumerate(codes) if tree.children.get(c.id) and not grid[n][n]]
    attrs = {
        "table": "cooccurrence",
        "mode": mode,
        "unit": unit if mode == "segment" else None,
        "filters": described,
        "coders": coders,
        "pooled": bool(pooled),
        "themes_coded_below": below,
    }
    return Table(["code", *labels], rows, attrs, index="code")


def themes_note(attrs: dict[str, Any]) -> str:
    """What the table says of themes coded only through their subcodes (their cells
    are 0: they count codings made with the theme itself); "" when there are none."""
    below = attrs.get("themes_coded_below") or []
    if not below:
        return ""
    names = ", ".join(p.rsplit("/", 1)[-1] for p in below[:3]) + (", …" if len(below) > 3 else "")
    return (
        f"{plural(len(below), 'theme')} coded only through {'its' if len(below) == 1 else 'their'}"
        f" subcodes ({names}) {'reads' if len(below) == 1 else 'read'} 0: a code's cells count"
        " the codings made with that code itself; --depth 0 counts each main theme with its"
        " subcodes"
    )


def coders_note(attrs: dict[str, Any]) -> str:
    """What the table says about coders: "" for one coder; else whether pairs are
    counted within each coder or across them (pooled)."""
    coders = attrs.get("coders") or []
    if len(coders) < 2:
        return ""
    names = ", ".join(coders)
    if attrs.get("mode") == "participant":
        return f"codings of all {len(coders)} coders pooled ({names})"
    if attrs.get("pooled"):
        return f"codings of all {len(coders)} coders pooled ({names}): pairs across coders count"
    return f"pairs within each coder's own codings, summed over {len(coders)} coders ({names})"


def _by_participant(own: dict[int, set[int]], tree: CodeTree, codes: list[Code]) -> list[list[int]]:
    """Participants with both codes, each code counting its whole subtree (a union, as
    in the frequencies: a theme is present when any of its subthemes is coded)."""
    rolled = tree.rolled(own)
    present = [rolled[c.id] for c in codes]
    return [[len(a & b) for b in present] for a in present]

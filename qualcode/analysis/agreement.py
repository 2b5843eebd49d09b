"""Inter-coder agreement between two coders, per code, by characters or by segments.

Character level (as NVivo's coding comparison): every character of every document in
scope is a unit. For a code, a coder "codes" a character when one of their codings of
the code, or of any of its descendants (a union, as in the frequency table), covers
it. Each character is then coded by A only, B only, both or neither; the counts are
pooled over the documents in scope.

Segment level (predefined units, as in studies that code by sentence or turn; MAXQDA's
segment agreement instead pairs up the coders' own coded segments): every stored
segment of one kind (sentence, turn, paragraph) is a unit; a
coder codes it for a code when any of their codings of the code or a descendant
overlaps it. Segments of one kind are assumed not to overlap, as the segmenter makes
them.

From the 2x2 table: agreement = (both + neither) / units and Cohen's kappa
= (po - pe) / (1 - pe), pe = pA pB + (1 - pA)(1 - pB). When pe is 1 (both coders code
every unit, or neither codes any) kappa is undefined: NaN, shown as "n/a".
The total row pools the units of every code, each coding counted for its own code
only (no parent unions, so no coding counts twice).

Everything is interval arithmetic on numpy arrays (no pandas, no per-character
arrays). By characters, every coding's start and end (once for its own code, once for
each ancestor) become events with a sortable key (code, document, offset); one sort,
then a running count of open codings per coder gives the pattern (which coders code
it) of every stretch between two events, and the stretch lengths are summed per
pattern. By segments, each coder's spans are merged per (code, document) and the
segments they overlap found by binary search.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from qualcode.analysis.agreement_data import MAX_CODERS, CoderData, Codings, Ints, Segments
from qualcode.analysis.counts import CodeTree
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.analysis.table import Table
    from qualcode.models import Code

__all__ = ["MAX_CODERS", "agreement", "merge_spans", "strength", "two_by_two"]

UNITS = ("character", "segment")
SEGMENT_KINDS = ("sentence", "turn", "paragraph")
COUNTS = ["both", "A_only", "B_only", "neither"]
TOTAL = "(all codes)"
# Landis JR, Koch GG (1977). The measurement of observer agreement for categorical
# data. Biometrics 33(1):159-174, Table 1: < 0.00 poor, 0.00-0.20 slight, 0.21-0.40
# fair, 0.41-0.60 moderate, 0.61-0.80 substantial, 0.81-1.00 almost perfect; the labels
# medical-education papers quote next to kappa. Upper bounds, inclusive.
STRENGTH = [
    (0.2, "slight"),
    (0.4, "fair"),
    (0.6, "moderate"),
    (0.8, "substantial"),
    (1.0, "almost perfect"),
]


@dataclass
class AgreementTable:
    """The agreement table as named columns (lists or numpy arrays, one value per row:
    each code in codebook order, then the total row) and attrs (coders, unit, ...)."""

    columns: dict[str, Any]
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_table(self) -> Table:
        """A plain Table (Python values; NaN as None), for the CLI's writers."""
        from qualcode.analysis.table import Table

        values = []
        for column in self.columns.values():
            cells = column.tolist() if isinstance(column, np.ndarray) else list(column)
            values.append([None if isinstance(v, float) and v != v else v for v in cells])
        return Table(list(self.columns), list(zip(*values)), dict(self.attrs))

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame (the Python API's result; imports pandas)."""
        import pandas as pd

        frame = pd.DataFrame(self.columns)
        frame.attrs.update(self.attrs)
        return frame


def merge_spans(start: Ints, end: Ints) -> tuple[Ints, Ints]:
    """The union of spans given as sortable keys (group * BIG + offset): disjoint
    (start, end) pairs in order. Spans of different groups never merge because every
    offset is below BIG."""
    if not len(start):
        return start, end
    order = np.argsort(start)  # equal starts in any order: the running reach is the same
    start, end = start[order], end[order]
    reach = np.maximum.accumulate(end)
    new = np.empty(len(start), dtype=bool)
    new[0] = True
    new[1:] = start[1:] > reach[:-1]  # touching spans merge: the union is the same
    at = np.flatnonzero(new)
    return start[at], np.maximum.reduceat(end, at)


def two_by_two(
    both: npt.ArrayLike, a_only: npt.ArrayLike, b_only: npt.ArrayLike, neither: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(percent agreement, Cohen's kappa) for arrays of 2x2 counts (NaN when undefined)."""
    both, a_only, b_only, neither = (
        np.asarray(x, dtype="float64") for x in (both, a_only, b_only, neither)
    )
    n = both + a_only + b_only + neither
    a1, b1 = both + a_only, both + b_only
    chance = a1 * b1 + (n - a1) * (n - b1)  # pe * n^2
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(n > 0, (both + neither) / n, np.nan)
        degenerate = (a1 == b1) & ((a1 == 0) | (a1 == n))  # pe == 1 exactly, decided on integers
        kappa = np.where(degenerate, np.nan, (n * (both + neither) - chance) / (n * n - chance))
    return agreement, kappa


def significant(values: npt.ArrayLike, digits: int = 12) -> npt.NDArray[np.float64]:
    """Statistics rounded to `digits` significant digits (NaN kept): the float error of
    one formula (Fleiss' kappa 0.37499999999999983 where Cohen's gives 0.375) does not
    reach the exports, and the tables' half-up rounding reads both alike."""
    # one row per code: a Python loop over a few hundred values, exact at any magnitude
    cells = np.asarray(values, dtype="float64").tolist()
    return np.array([float(f"{v:.{digits}g}") for v in cells], dtype="float64")


def strength(kappa: float) -> str:
    """Landis & Koch's (1977) label for a chance-corrected statistic (Cohen's kappa,
    Fleiss' kappa; the one label function of every table), '' when undefined (NaN).

    Any value below 0 is "poor" (Landis & Koch's "< 0.00"; the tables show its sign,
    agreement_report.kappa_cell: -0.0031 reads "-0.003"). At or above 0 the label is of
    the value as shown to two decimals (agreement_report.half_up), so that two cells
    that read the same carry the same label: 0.204 reads 0.20, "slight"; 0.206 and
    0.205 read 0.21, "fair". A value within
    1e-12 of 0 (float error) is 0."""
    if kappa != kappa:
        return ""
    from qualcode.analysis.agreement_report import half_up

    kappa = float(kappa)
    if kappa < 0 and abs(kappa) >= 1e-12:
        return "poor"
    kappa = max(float(half_up(kappa, 2)), 0.0)
    for bound, label in STRENGTH:
        if kappa <= bound:
            return label
    return STRENGTH[-1][1]


def agreement(
    data: CoderData,
    codes: list[Code],
    unit: str = "character",
    segments: Segments | None = None,
) -> AgreementTable:
    """One row per code (codebook order) and a total row.

    data: from qualcode.analysis.agreement_data.load_coders; codes: Project.codes().
    Two coders: the 2x2 counts (both, A_only, B_only, neither), agreement, Cohen's
    kappa, Fleiss' kappa, Krippendorff's alpha, strength (of kappa). More coders: units
    coded by each coder (`coded:NAME`), agreement (all agree), Cohen's kappa for each
    pair (`kappa:A/B`), Fleiss' kappa, alpha, strength (of Fleiss' kappa). Statistics
    from qualcode/analysis/reliability.py; NaN where undefined (a code nobody used).
    Raises QualcodeError for an unknown unit, or unit "segment" without segments."""
    from qualcode.analysis import reliability as rel

    if unit not in UNITS:
        raise QualcodeError(f"unknown agreement unit {unit!r} (character or segment)")
    if unit == "segment" and segments is None:
        raise QualcodeError("agreement by segment needs the segments table")
    coders, documents, codings = data.coders, data.documents, data.codings
    n = len(coders)
    tree = CodeTree(codes)
    ids = tree.order(None)
    n_docs = len(documents)
    longest = int(documents.lengths.max()) if n_docs else 0
    if segments is not None and len(segments.end):
        longest = max(longest, int(segments.end.max()))
    big = longest + 1
    if unit == "character":
        units_per_code = int(documents.lengths.sum())

        def count(rows: Codings) -> Ints:
            return _character_counts(rows, big, n)

    else:
        assert segments is not None  # checked above
        seg_start, seg_end = _segment_keys(segments, big)
        units_per_code = len(seg_start)
        codings = _unit_spans(codings, big, seg_start, seg_end)

        def count(rows: Codings) -> Ints:
            return _segment_counts(rows, units_per_code, n)

    by_code = _ByCode(codings)
    below = _descendants(tree)
    per_code = np.zeros((len(ids), 1 << n), dtype="int64")
    own = np.zeros((len(ids), 1 << n), dtype="int64")
    for p, cid in enumerate(ids):
        rows = by_code.rows(below[cid])  # the code and its descendants: a union
        per_code[p] = count(rows)
        mine = by_code.rows([cid])
        own[p] = per_code[p] if len(mine.doc) == len(rows.doc) else count(mine)
    per_code[:, 0] = units_per_code - per_code[:, 1:].sum(axis=1)
    total = own.sum(axis=0, keepdims=True)
    total[:, 0] = units_per_code * len(ids) - total[:, 1:].sum(axis=1)
    patterns = np.concatenate([per_code, total])
    chosen = [tree.by_id[i] for i in ids]
    columns: dict[str, Any] = {
        "code": [c.path for c in chosen] + [TOTAL],
        "name": [c.name for c in chosen] + [TOTAL],
        "depth": [c.depth for c in chosen] + [0],
    }
    pairs = rel.pair_tables(patterns, n)
    if n == 2:
        for name, counts in zip(COUNTS, pairs[0, 1]):
            columns[name] = np.asarray(counts, dtype="int64")
        columns["agreement"], columns["kappa"] = two_by_two(*pairs[0, 1])
    else:
        coded = rel.coded_by(patterns, n)
        for i, name in enumerate(coders):
            columns[f"coded:{name}"] = coded[:, i]
        columns["units"] = patterns.sum(axis=1)
        columns["agreement"] = rel.percent_agreement(patterns)
        for (i, j), cells in pairs.items():
            columns[f"kappa:{coders[i]}/{coders[j]}"] = two_by_two(*cells)[1]
    columns["fleiss_kappa"] = rel.fleiss_kappa(patterns, n)
    columns["alpha"] = rel.krippendorff_alpha(patterns, n)
    for name in columns:
        if name in ("agreement", "kappa", "fleiss_kappa", "alpha") or name.startswith("kappa:"):
            columns[name] = significant(columns[name])
    columns["strength"] = [strength(k) for k in columns["kappa" if n == 2 else "fleiss_kappa"]]
    attrs = dict(
        table="agreement",
        coders=list(coders),
        coder_a=coders[0],
        coder_b=coders[1],
        unit=unit,
        documents_in_scope=n_docs,
        units_per_code=units_per_code,
        unit_name="characters"
        if unit == "character" or segments is None
        else f"{segments.kind} segments",
    )
    return AgreementTable(columns, attrs)


class _ByCode:
    """The codings grouped by code (load_coders reads them in code order; others are
    sorted here): the codings of a set of codes without scanning them all."""

    def __init__(self, codings: Codings) -> None:
        code = codings.code_id
        if not (code[1:] >= code[:-1]).all():
            small = code.astype("uint16") if int(code.max(initial=0)) < 1 << 16 else code
            order = np.argsort(small, kind="stable")  # a radix sort on 16 bits
            codings = Codings(*(field[order] for field in codings))
        self.codings = codings
        width = int(code.max(initial=0)) + 1
        self.bounds = np.concatenate([[0], np.cumsum(np.bincount(code, minlength=width))])

    def rows(self, code_ids: list[int]) -> Codings:
        """The codings of these codes (views when they are of one code)."""
        top = len(self.bounds) - 1
        spans = [
            (int(self.bounds[c]), int(self.bounds[c + 1]))
            for c in code_ids
            if c < top and self.bounds[c + 1] > self.bounds[c]
        ]
        if len(spans) == 1:
            lo, hi = spans[0]
            return Codings(*(field[lo:hi] for field in self.codings))
        return Codings(
            *(
                np.concatenate([field[lo:hi] for lo, hi in spans] or [field[:0]])
                for field in self.codings
            )
        )


def _descendants(tree: CodeTree) -> dict[int, list[int]]:
    """code id -> itself and every code below it."""
    out: dict[int, list[int]] = {cid: [] for cid in tree.lineage}
    for cid, lineage in tree.lineage.items():
        for ancestor in lineage:
            out[ancestor].append(cid)
    return out


def _character_counts(rows: Codings, big: int, n: int) -> Ints:
    """(2**n,) characters of one code by coder pattern; entry 0 (nobody) is left at 0.

    Each coding gives two events keyed (document, offset): its start (+1) and its end
    (-1) for its coder. Sorted together, the open codings of each coder after an event
    tell whether that coder codes the stretch up to the next event."""
    out = np.zeros(1 << n, dtype="int64")
    m = len(rows.doc)
    if not m:
        return out
    bits = max(n - 1, 1).bit_length() + 1  # coder, start
    keys = np.empty(2 * m, dtype="int64")
    np.multiply(rows.doc, big, out=keys[:m])
    keys[m:] = keys[:m]
    keys[:m] += rows.start
    keys[m:] += rows.end
    payload = np.concatenate([(rows.coder << 1) | 1, rows.coder << 1])
    if int(keys.max()) < 1 << (62 - bits):  # packed: sorted as values, vectorised
        keys <<= bits
        keys |= payload
        keys.sort()  # at one key, ends before starts
        payload = keys & ((1 << bits) - 1)
        keys >>= bits
    else:
        order = np.lexsort((payload, keys))
        keys, payload = keys[order], payload[order]
    mask = _coded_by(payload, n)
    length = np.diff(keys)
    flat = np.bincount(mask[:-1], weights=length, minlength=1 << n)
    out[1:] = np.rint(flat[1:]).astype("int64")
    return out


def _coded_by(payload: Ints, n: int) -> Ints:
    """For events sorted by key (payload: coder << 1 | is start), the pattern mask of
    the coders with an open coding after each event.

    The open codings of every coder are counted in one running sum, each coder in its
    own bit field, when the fields are wide enough (a count never exceeds the events,
    and is never negative because an end sorts after its start); else one running sum
    per coder."""
    field = 62 // n
    mask = np.zeros(len(payload), dtype="int64")
    if len(payload) < 1 << (field - 1):
        step = np.zeros(2 * n, dtype="int64")
        for i in range(n):
            step[2 * i], step[2 * i + 1] = -(1 << (field * i)), 1 << (field * i)
        opened = np.cumsum(step[payload])
        full = (1 << field) - 1
        for i in range(n):
            mask |= (((opened >> (field * i)) & full) > 0).astype("int64") << i
        return mask
    sign = np.where(payload & 1, 1, -1)
    for i in range(n):
        opened = np.cumsum(np.where(payload >> 1 == i, sign, 0))
        mask |= (opened > 0).astype("int64") << i
    return mask


def _segment_keys(segments: Segments, big: int) -> tuple[Ints, Ints]:
    """Sorted (document, offset) keys of the unit segments' starts and ends."""
    keep = segments.end > segments.start
    start = segments.doc[keep] * big + segments.start[keep]
    end = segments.doc[keep] * big + segments.end[keep]
    start, first = np.unique(start, return_index=True)  # one unit per distinct start
    return start, end[first]


def _unit_spans(codings: Codings, big: int, seg_start: Ints, seg_end: Ints) -> Codings:
    """The codings with start and end replaced by the unit segments they overlap, as
    unit numbers [first, stop) (first == stop for a coding that overlaps none)."""
    key = codings.doc * big
    first = np.searchsorted(seg_end, key + codings.start, side="right")  # ends after the start
    stop = np.searchsorted(seg_start, key + codings.end, side="left")  # starts before the end
    return codings._replace(start=first, end=np.maximum(stop, first))


def _segment_counts(rows: Codings, n_units: int, n: int) -> Ints:
    """(2**n,) segments of one code by coder pattern; entry 0 (nobody) is left at 0.
    rows: codings as unit spans (_unit_spans). A coder codes a unit when one of their
    codings covers it: a running count over the units of the coder's spans opened
    minus closed."""
    out = np.zeros(1 << n, dtype="int64")
    if not len(rows.doc):
        return out
    lo, hi = int(rows.start.min()), int(rows.end.max())  # the units any span covers
    mask = np.zeros(hi - lo, dtype="int64")
    for i in range(n):
        mine = rows.coder == i
        opened = np.bincount(rows.start[mine] - lo, minlength=hi - lo + 1)
        opened -= np.bincount(rows.end[mine] - lo, minlength=hi - lo + 1)
        mask |= (np.cumsum(opened[:-1]) > 0).astype("int64") << i
    out[1:] = np.bincount(mask, minlength=1 << n)[1:]
    return out

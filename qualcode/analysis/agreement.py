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

Everything is interval arithmetic on numpy arrays: spans are sorted and merged per
(coder, code, document) and lengths summed; no per-character arrays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qualcode.analysis.data import _packed_integers, codes_frame, load_documents, resolve_filters
from qualcode.analysis.filters import Filters
from qualcode.analysis.rollup import order_tree
from qualcode.errors import QualcodeError

UNITS = ("character", "segment")
SEGMENT_KINDS = ("sentence", "turn", "paragraph")
COUNTS = ["both", "A_only", "B_only", "neither"]
TOTAL = "(all codes)"
# Landis & Koch (1977), the labels medical-education papers quote next to kappa.
# Upper bounds, inclusive; below 0 is "poor".
STRENGTH = [
    (0.2, "slight"),
    (0.4, "fair"),
    (0.6, "moderate"),
    (0.8, "substantial"),
    (1.0, "almost perfect"),
]


def resolve_coder(name: str, known: list[str]) -> str:
    """The stored coder name (exact, else the one case-insensitive match), or a one-line
    error listing the coders that exist."""
    if name in known:
        return name
    folded = [k for k in known if k.casefold() == name.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise QualcodeError(f"no coder {name!r} in this project (coders: {', '.join(known) or 'none'})")


def load_pair(
    db, codes, coder_a: str, coder_b: str, filters: Filters | None, double_coded: bool = False
):
    """(coders as stored, codes frame, ancestors, documents with length, codings) in scope.

    codings: doc (row in documents), code_id, start, end, is_b; spans clipped to the text.
    double_coded keeps only the documents both coders coded something in (a second
    coder often codes a sample of the transcripts only).
    """
    known = sorted(
        r[0] for r in db.execute("SELECT DISTINCT coder FROM codings") if r[0] is not None
    )
    a, b = resolve_coder(coder_a, known), resolve_coder(coder_b, known)
    if a == b:
        raise QualcodeError(f"compare two different coders (both are {a!r})")
    filters = filters or Filters()
    if filters.coders:
        raise QualcodeError(
            "agreement compares the two coders given; a coder filter does not apply"
        )
    filters = resolve_filters(db, filters)
    code_frame, ancestors = codes_frame(codes)
    documents = load_documents(db, filters)
    lengths = dict(db.execute("SELECT id, length(text) FROM documents").fetchall())
    documents["length"] = documents["id"].map(lengths).astype("int64")
    width = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM codes").fetchone()[0])
    packed = _packed_integers(
        db,
        f"(document_id * {width} + code_id) * 2 + (coder = ?)",
        'start * 4294967296 + "end"',
        "FROM codings WHERE coder IN (?, ?)",
        [b, a, b],
    )
    first, span = packed[:, 0], packed[:, 1]
    doc = pd.Index(documents["id"]).get_indexer(first // 2 // width)
    codings = pd.DataFrame(
        {
            "doc": doc,
            "code_id": first // 2 % width,
            "start": span >> 32,
            "end": span & 0xFFFFFFFF,
            "is_b": (first % 2).astype(bool),
        }
    )
    codings = codings[doc >= 0]
    length = documents["length"].to_numpy()[codings["doc"].to_numpy()]
    codings = codings.assign(
        start=np.minimum(codings["start"], length), end=np.minimum(codings["end"], length)
    )
    codings = codings[codings["end"] > codings["start"]].reset_index(drop=True)
    if double_coded:
        documents, codings = _double_coded(documents, codings)
    return (a, b), code_frame, ancestors, documents, codings, filters


def _double_coded(documents: pd.DataFrame, codings: pd.DataFrame):
    doc, is_b = codings["doc"].to_numpy(), codings["is_b"].to_numpy()
    n = len(documents)
    keep = (np.bincount(doc[~is_b], minlength=n) > 0) & (np.bincount(doc[is_b], minlength=n) > 0)
    renumber = np.cumsum(keep) - 1
    codings = (
        codings[keep[doc]]
        .assign(doc=lambda f: renumber[f["doc"].to_numpy()])
        .reset_index(drop=True)
    )
    return documents[keep].reset_index(drop=True), codings


def merge_spans(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def two_by_two(both, a_only, b_only, neither) -> pd.DataFrame:
    """Percent agreement and Cohen's kappa for arrays of 2x2 counts (NaN when undefined)."""
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
    return pd.DataFrame({"agreement": agreement, "kappa": kappa})


def strength(kappa: float) -> str:
    """Landis & Koch's label for a kappa ('' when undefined)."""
    if kappa != kappa:
        return ""
    if kappa < 0:
        return "poor"
    for bound, label in STRENGTH:
        if kappa <= bound:
            return label
    return STRENGTH[-1][1]


def agreement(
    pair,
    codes: pd.DataFrame,
    ancestors: pd.DataFrame,
    documents: pd.DataFrame,
    codings: pd.DataFrame,
    unit: str = "character",
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per code (codebook order) and a total row: the 2x2 counts, agreement, kappa."""
    if unit not in UNITS:
        raise QualcodeError(f"unknown agreement unit {unit!r} (character or segment)")
    if unit == "segment" and segments is None:
        raise QualcodeError("agreement by segment needs the segments table")
    ids = order_tree(codes, None)
    position = pd.Index(ids)
    big = (
        int(
            max(
                documents["length"].max() if len(documents) else 0,
                segments["end"].max() if segments is not None and len(segments) else 0,
            )
        )
        + 1
    )
    rolled = codings.merge(ancestors, on="code_id")
    code_of = [
        position.get_indexer(pd.Index(rolled["ancestor_id"])),
        position.get_indexer(pd.Index(codings["code_id"])),
    ]
    frames = [rolled, codings]
    if unit == "character":
        units_per_code = int(documents["length"].sum())
        counts = [
            _character_counts(f, c, len(ids), len(documents), big) for f, c in zip(frames, code_of)
        ]
    else:
        assert segments is not None  # checked above
        seg_start, seg_end = _segment_keys(segments, documents, big)
        units_per_code = len(seg_start)
        counts = [
            _segment_counts(f, c, len(ids), len(documents), big, seg_start, seg_end)
            for f, c in zip(frames, code_of)
        ]
    (both, a_only, b_only), (t_both, t_a, t_b) = counts
    table = pd.DataFrame({"both": both, "A_only": a_only, "B_only": b_only})
    table["neither"] = units_per_code - table[["both", "A_only", "B_only"]].sum(axis=1)
    total = pd.DataFrame({"both": [t_both.sum()], "A_only": [t_a.sum()], "B_only": [t_b.sum()]})
    total["neither"] = units_per_code * len(ids) - total[["both", "A_only", "B_only"]].sum(axis=1)
    frame = codes.set_index("id").loc[ids]
    out = pd.DataFrame(
        {
            "code": list(frame["path"]) + [TOTAL],
            "name": list(frame["name"]) + [TOTAL],
            "depth": list(frame["depth"]) + [0],
        }
    )
    stacked = pd.concat([table, total], ignore_index=True).astype("int64")
    out = pd.concat([out, stacked, two_by_two(*(stacked[c] for c in COUNTS))], axis=1)
    out["strength"] = out["kappa"].map(strength)
    out.attrs.update(
        coder_a=pair[0],
        coder_b=pair[1],
        unit=unit,
        documents_in_scope=len(documents),
        units_per_code=units_per_code,
        unit_name="characters"
        if unit == "character" or segments is None
        else f"{segments.attrs.get('unit')} segments",
    )
    return out


def _by_coder(frame: pd.DataFrame, code_pos: np.ndarray, n_docs: int, big: int):
    """Span keys (code, document, offset) of each coder's codings, and of both together."""
    group = code_pos.astype("int64") * n_docs + frame["doc"].to_numpy()
    start = group * big + frame["start"].to_numpy()
    end = group * big + frame["end"].to_numpy()
    is_b = frame["is_b"].to_numpy()
    return (start[~is_b], end[~is_b]), (start[is_b], end[is_b])


def _character_counts(frame, code_pos, n_codes: int, n_docs: int, big: int):
    """Per code: characters coded by both, by A only, by B only."""
    (sa, ea), (sb, eb) = _by_coder(frame, code_pos, n_docs, big)

    def covered(spans):
        code = spans[0] // big // n_docs
        return np.bincount(code, weights=spans[1] - spans[0], minlength=n_codes).astype("int64")

    a, b = merge_spans(sa, ea), merge_spans(sb, eb)
    union = merge_spans(
        np.concatenate([a[0], b[0]]), np.concatenate([a[1], b[1]])
    )  # fewer spans than codings
    len_a, len_b, union = covered(a), covered(b), covered(union)
    return len_a + len_b - union, union - len_b, union - len_a


def _segment_keys(segments: pd.DataFrame, documents: pd.DataFrame, big: int):
    """Sorted (document, offset) keys of the unit segments' starts and ends."""
    doc = pd.Index(documents["id"]).get_indexer(segments["document_id"]).astype("int64")
    keep = (doc >= 0) & (segments["end"].to_numpy() > segments["start"].to_numpy())
    start = doc[keep] * big + segments["start"].to_numpy()[keep]
    end = doc[keep] * big + segments["end"].to_numpy()[keep]
    start, first = np.unique(start, return_index=True)  # one unit per distinct start
    return start, end[first]


def _segment_counts(frame, code_pos, n_codes: int, n_docs: int, big: int, seg_start, seg_end):
    """Per code: segments coded by both, by A only, by B only."""
    n_units = len(seg_start)
    (sa, ea), (sb, eb) = _by_coder(frame, code_pos, n_docs, big)

    def units(start, end):
        start, end = merge_spans(start, end)
        code = start // big // n_docs
        per_doc = big * n_docs
        s, e = start - code * per_doc, end - code * per_doc  # back to (document, offset) keys
        first = np.searchsorted(seg_end, s, side="right")  # first segment ending after the start
        last = (
            np.searchsorted(seg_start, e, side="left") - 1
        )  # last segment starting before the end
        count = np.maximum(last - first + 1, 0)
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        keys = np.repeat(code, count) * n_units + np.repeat(first, count) + offset
        # Merged spans come sorted and disjoint, so the keys never decrease; two spans
        # can only share the segment where one ends and the next begins.
        fresh = np.ones(len(keys), dtype=bool)
        fresh[1:] = keys[1:] != keys[:-1]
        return keys[fresh]

    a, b = units(sa, ea), units(sb, eb)
    at = np.minimum(np.searchsorted(b, a), max(len(b) - 1, 0))
    both = a[b[at] == a] if len(b) else a[:0]
    count = lambda keys: np.bincount(keys // max(n_units, 1), minlength=n_codes).astype("int64")  # noqa: E731
    n_both = count(both)
    return n_both, count(a) - n_both, count(b) - n_both

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

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from qualcode.analysis.data import Ints, codes_frame, load_documents
from qualcode.analysis.filters import Filters, resolve_filters
from qualcode.analysis.overlap import packed_integers as _packed_integers
from qualcode.analysis.rollup import order_tree
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.models import Code
    from qualcode.store import ProjectDatabase

UNITS = ("character", "segment")
SEGMENT_KINDS = ("sentence", "turn", "paragraph")
COUNTS = ["both", "A_only", "B_only", "neither"]
TOTAL = "(all codes)"
MAX_CODERS = 12  # 2**12 patterns per code
# Landis & Koch (1977), the labels medical-education papers quote next to kappa.
# Upper bounds, inclusive; below 0 is "poor".
STRENGTH = [
    (0.2, "slight"),
    (0.4, "fair"),
    (0.6, "moderate"),
    (0.8, "substantial"),
    (1.0, "almost perfect"),
]


def known_coders(db: ProjectDatabase) -> list[str]:
    """Coders with codings, and the project's configured coder (who may have none)."""
    known = {r[0] for r in db.execute("SELECT DISTINCT coder FROM codings") if r[0] is not None}
    configured = db.execute("SELECT value FROM meta WHERE key = 'coder'").fetchone()
    if configured and configured[0]:
        known.add(configured[0])
    return sorted(known)


def resolve_coder(name: str, known: list[str]) -> str:
    """The stored coder name (exact, else the one case-insensitive match); a name that
    matches no coder is a coder who coded nothing, kept as given (stripped)."""
    if name in known:
        return name
    folded = [k for k in known if k.casefold() == name.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    return name.strip()


def resolve_coders(db: ProjectDatabase, names: Sequence[str] | None) -> list[str]:
    """The coders to compare: the names given (resolved), or every known coder.

    Raises QualcodeError for fewer than two, a repeated coder, or more than MAX_CODERS."""
    known = known_coders(db)
    coders = [resolve_coder(n, known) for n in names] if names else known
    if len(coders) < 2:
        raise QualcodeError(
            "agreement needs at least two coders "
            f"(coders in this project: {', '.join(known) or 'none'})"
        )
    repeated = sorted({c for c in coders if coders.count(c) > 1})
    if repeated:
        raise QualcodeError(f"compare different coders ({repeated[0]!r} is named twice)")
    if len(coders) > MAX_CODERS:
        raise QualcodeError(f"agreement compares at most {MAX_CODERS} coders at once")
    return coders


class CoderData(NamedTuple):
    """What load_coders reads (unpacks as a tuple in this order)."""

    coders: list[str]
    codes: pd.DataFrame
    ancestors: pd.DataFrame
    documents: pd.DataFrame
    codings: pd.DataFrame
    filters: Filters


def load_coders(
    db: ProjectDatabase,
    codes: Sequence[Code],
    coders: Sequence[str] | None,
    filters: Filters | None,
    double_coded: bool = False,
) -> CoderData:
    """(coders as stored, codes frame, ancestors, documents with length, codings, filters).

    codings: doc (row in documents), code_id, start, end, coder (index into coders),
    is_b (coder == 1, for pairs); spans clipped to the text. double_coded keeps only the
    documents every coder coded something in (a second coder often codes a sample of
    the transcripts only).
    """
    names = resolve_coders(db, coders)
    filters = filters or Filters()
    if filters.coders:
        raise QualcodeError("agreement compares the coders given; a coder filter does not apply")
    filters = resolve_filters(db, filters)
    code_frame, ancestors = codes_frame(codes)
    documents = load_documents(db, filters)
    lengths = dict(db.execute("SELECT id, length(text) FROM documents").fetchall())
    documents["length"] = documents["id"].map(lengths).astype("int64")
    width = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM codes").fetchone()[0])
    n = len(names)
    which = "CASE coder " + " ".join(f"WHEN ? THEN {i}" for i in range(n)) + " END"
    packed = _packed_integers(
        db,
        f"(document_id * {width} + code_id) * {n} + ({which})",
        'start * 4294967296 + "end"',
        f"FROM codings WHERE coder IN ({', '.join('?' * n)})",
        [*names, *names],
    )
    first, span = packed[:, 0], packed[:, 1]
    doc = pd.Index(documents["id"]).get_indexer(first // n // width)
    codings = pd.DataFrame(
        {
            "doc": doc,
            "code_id": first // n % width,
            "start": span >> 32,
            "end": span & 0xFFFFFFFF,
            "coder": first % n,
        }
    )
    codings = codings[doc >= 0]
    length = documents["length"].to_numpy()[codings["doc"].to_numpy()]
    codings = codings.assign(
        start=np.minimum(codings["start"], length),
        end=np.minimum(codings["end"], length),
        is_b=codings["coder"] == 1,
    )
    codings = codings[codings["end"] > codings["start"]].reset_index(drop=True)
    if double_coded:
        documents, codings = _double_coded(documents, codings, n)
    return CoderData(names, code_frame, ancestors, documents, codings, filters)


def load_pair(
    db: ProjectDatabase,
    codes: Sequence[Code],
    coder_a: str,
    coder_b: str,
    filters: Filters | None,
    double_coded: bool = False,
) -> CoderData:
    """load_coders for exactly two coders (the disagreement list and review)."""
    return load_coders(db, codes, [coder_a, coder_b], filters, double_coded)


def _double_coded(
    documents: pd.DataFrame, codings: pd.DataFrame, n: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The documents every one of the n coders coded something in, and their codings
    (doc renumbered to the kept documents' rows)."""
    doc, coder = codings["doc"].to_numpy(), codings["coder"].to_numpy()
    size = len(documents)
    keep = np.ones(size, dtype=bool)
    for i in range(n):
        keep &= np.bincount(doc[coder == i], minlength=size) > 0
    renumber = np.cumsum(keep) - 1
    codings = (
        codings[keep[doc]]
        .assign(doc=lambda f: renumber[f["doc"].to_numpy()])
        .reset_index(drop=True)
    )
    return documents[keep].reset_index(drop=True), codings


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
) -> pd.DataFrame:
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
    coders: Sequence[str],
    codes: pd.DataFrame,
    ancestors: pd.DataFrame,
    documents: pd.DataFrame,
    codings: pd.DataFrame,
    unit: str = "character",
    segments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per code (codebook order) and a total row.

    Two coders: the 2x2 counts (both, A_only, B_only, neither), agreement, Cohen's
    kappa, Fleiss' kappa, Krippendorff's alpha, strength (of kappa). More coders: units
    coded by each coder (`coded:NAME`), agreement (all agree), Cohen's kappa for each
    pair (`kappa:A/B`), Fleiss' kappa, alpha, strength (of Fleiss' kappa). Statistics
    from qualcode/analysis/reliability.py; NaN where undefined (a code nobody used)."""
    from qualcode.analysis import reliability as rel

    if unit not in UNITS:
        raise QualcodeError(f"unknown agreement unit {unit!r} (character or segment)")
    if unit == "segment" and segments is None:
        raise QualcodeError("agreement by segment needs the segments table")
    n = len(coders)
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
        per_code, own = (
            _character_patterns(f, c, len(ids), len(documents), big, n)
            for f, c in zip(frames, code_of)
        )
    else:
        assert segments is not None  # checked above
        seg_start, seg_end = _segment_keys(segments, documents, big)
        units_per_code = len(seg_start)
        per_code, own = (
            _segment_patterns(f, c, len(ids), len(documents), big, seg_start, seg_end, n)
            for f, c in zip(frames, code_of)
        )
    per_code[:, 0] = units_per_code - per_code[:, 1:].sum(axis=1)
    total = own.sum(axis=0, keepdims=True)
    total[:, 0] = units_per_code * len(ids) - total[:, 1:].sum(axis=1)
    patterns = np.concatenate([per_code, total])
    frame = codes.set_index("id").loc[ids]
    out = pd.DataFrame(
        {
            "code": list(frame["path"]) + [TOTAL],
            "name": list(frame["name"]) + [TOTAL],
            "depth": list(frame["depth"]) + [0],
        }
    )
    pairs = rel.pair_tables(patterns, n)
    if n == 2:
        table = pd.DataFrame(dict(zip(COUNTS, pairs[0, 1]))).astype("int64")
        out = pd.concat([out, table, two_by_two(*pairs[0, 1])], axis=1)
    else:
        coded = rel.coded_by(patterns, n)
        for i, name in enumerate(coders):
            out[f"coded:{name}"] = coded[:, i]
        out["units"] = patterns.sum(axis=1)
        out["agreement"] = rel.percent_agreement(patterns)
        for (i, j), cells in pairs.items():
            out[f"kappa:{coders[i]}/{coders[j]}"] = two_by_two(*cells)["kappa"].to_numpy()
    out["fleiss_kappa"] = rel.fleiss_kappa(patterns, n)
    out["alpha"] = rel.krippendorff_alpha(patterns, n)
    out["strength"] = out["kappa" if n == 2 else "fleiss_kappa"].map(strength)
    out.attrs.update(
        coders=list(coders),
        coder_a=coders[0],
        coder_b=coders[1],
        unit=unit,
        documents_in_scope=len(documents),
        units_per_code=units_per_code,
        unit_name="characters"
        if unit == "character" or segments is None
        else f"{segments.attrs.get('unit')} segments",
    )
    return out


def _coder_spans(
    frame: pd.DataFrame, code_pos: npt.NDArray[np.intp], n_docs: int, big: int, n: int
) -> list[tuple[Ints, Ints]]:
    """Per coder: merged span keys (code, document, offset) of their codings."""
    group = code_pos.astype("int64") * n_docs + frame["doc"].to_numpy()
    start = group * big + frame["start"].to_numpy()
    end = group * big + frame["end"].to_numpy()
    coder = frame["coder"].to_numpy()
    return [merge_spans(start[coder == i], end[coder == i]) for i in range(n)]


def _character_patterns(
    frame: pd.DataFrame,
    code_pos: npt.NDArray[np.intp],
    n_codes: int,
    n_docs: int,
    big: int,
    n: int,
) -> Ints:
    """(codes, 2**n) characters per coder pattern; column 0 (nobody) is left at 0.

    Each coder's merged spans add their bit at the start and take it off at the end;
    sorted together, the running sum is the pattern of the stretch up to the next
    boundary."""
    spans = _coder_spans(frame, code_pos, n_docs, big, n)
    pos = np.concatenate([s for s, _ in spans] + [e for _, e in spans])
    bit = np.concatenate(
        [np.full(len(s), 1 << i, dtype="int64") for i, (s, _) in enumerate(spans)]
        + [np.full(len(e), -(1 << i), dtype="int64") for i, (_, e) in enumerate(spans)]
    )
    out = np.zeros((n_codes, 1 << n), dtype="int64")
    if len(pos) < 2:
        return out
    order = np.argsort(pos, kind="stable")
    pos, mask = pos[order], np.cumsum(bit[order])
    length = np.diff(pos)
    mask = mask[:-1]
    keep = (length > 0) & (mask > 0)
    code = pos[:-1][keep] // big // n_docs
    flat = np.bincount(code * (1 << n) + mask[keep], weights=length[keep], minlength=n_codes << n)
    return np.rint(flat).astype("int64").reshape(n_codes, 1 << n)


def _segment_keys(segments: pd.DataFrame, documents: pd.DataFrame, big: int) -> tuple[Ints, Ints]:
    """Sorted (document, offset) keys of the unit segments' starts and ends."""
    doc = pd.Index(documents["id"]).get_indexer(segments["document_id"]).astype("int64")
    keep = (doc >= 0) & (segments["end"].to_numpy() > segments["start"].to_numpy())
    start = doc[keep] * big + segments["start"].to_numpy()[keep]
    end = doc[keep] * big + segments["end"].to_numpy()[keep]
    start, first = np.unique(start, return_index=True)  # one unit per distinct start
    return start, end[first]


def _segment_patterns(
    frame: pd.DataFrame,
    code_pos: npt.NDArray[np.intp],
    n_codes: int,
    n_docs: int,
    big: int,
    seg_start: Ints,
    seg_end: Ints,
    n: int,
) -> Ints:
    """(codes, 2**n) segments per coder pattern; column 0 (nobody) is left at 0."""
    n_units = len(seg_start)

    def units(start: Ints, end: Ints) -> Ints:
        code = start // big // n_docs
        per_doc = big * n_docs
        s, e = start - code * per_doc, end - code * per_doc  # back to (document, offset) keys
        first = np.searchsorted(seg_end, s, side="right")  # first segment ending after the start
        last = np.searchsorted(seg_start, e, side="left") - 1  # last starting before the end
        count = np.maximum(last - first + 1, 0)
        offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        # Two merged spans can share the segment where one ends and the next begins.
        return np.unique(np.repeat(code, count) * n_units + np.repeat(first, count) + offset)

    keys = [units(s, e) for s, e in _coder_spans(frame, code_pos, n_docs, big, n)]
    out = np.zeros((n_codes, 1 << n), dtype="int64")
    every = np.concatenate(keys)
    if not len(every):
        return out
    bits = np.concatenate([np.full(len(k), 1 << i, dtype="int64") for i, k in enumerate(keys)])
    unique, inverse = np.unique(every, return_inverse=True)
    mask = np.bincount(inverse, weights=bits).astype("int64")
    code = unique // max(n_units, 1)
    flat = np.bincount(code * (1 << n) + mask, minlength=n_codes << n)
    return flat.astype("int64").reshape(n_codes, 1 << n)

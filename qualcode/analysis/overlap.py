"""Co-occurrence by overlapping spans: the one table that needs every coding's span,
counted with numpy (no pandas).

The codings in scope are read as packed integers (one SQLite string, parsed by numpy
in C: far cheaper than a Python tuple per row), laid end to end per document (`big`
apart, so that spans of different documents never meet), sorted by start, and each
coding's partners found with one binary search: the codings that start inside it.
See qualcode/analysis/cooccurrence.py for what a cell counts.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import numpy as np
import numpy.typing as npt

from qualcode.analysis.credit import Scope, shared_credit
from qualcode.analysis.filters import coding_conditions

# Integer keys, offsets and counts (the kernels work on numpy int64 arrays).
Ints = npt.NDArray[np.int64]

# Below this many co-occurring pairs per coding, listing the pairs beats running totals per code.
LIST_PAIRS_BELOW = 24  # measured: listing 9.3 pairs per coding is 3x faster than the totals
PAIRS_AT_ONCE = 2_000_000  # pairs listed in one go (memory: about 30 bytes each)


def packed_integers(
    db: Any, first: str, second: str | None, source: str, args: list[Any]
) -> npt.NDArray[np.int64]:
    """Rows of one or two integer expressions as an (n, k) int64 array.

    SQLite joins them into one string (group_concat) that numpy parses in C: about
    twice as fast as building a Python tuple per row. A result too long for one
    SQLite string falls back to reading row by row.
    """
    columns = 1 if second is None else 2
    expr = first if second is None else f"({first}) || ' ' || ({second})"
    try:
        text = db.execute(f"SELECT group_concat({expr}, ' ') {source}", args).fetchone()[0]
    except (sqlite3.DataError, sqlite3.OperationalError) as exc:
        if "too big" not in str(exc):
            raise
        rows = db.execute(f"SELECT {first}{'' if second is None else ', ' + second} {source}", args)
        array = np.fromiter(rows, dtype=[(f"c{i}", "i8") for i in range(columns)])
        return np.column_stack([array[f"c{i}"] for i in range(columns)]).reshape(-1, columns)
    if not text:
        return np.zeros((0, columns), dtype="int64")
    return np.fromstring(text, dtype="int64", sep=" ").reshape(-1, columns)


def load_spans(db: Any, scope: Scope) -> tuple[Ints, Ints, Ints, Ints]:
    """(document rank, code id, start, end) of every coding in scope, each once: the rank
    is the document's position in scope.documents. A coding of a shared document that
    counts for nobody in scope is left out under participant filters (as in every
    table). Raises nothing of its own."""
    conds, args = coding_conditions(scope.filters)
    where = " WHERE " + " AND ".join(conds) if conds else ""
    top = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0])
    width: int = db.execute("SELECT coalesce(max(id), 0) + 1 FROM codes").fetchone()[0]
    rank = np.full(int(top), -1, dtype="int64")
    for n, doc in enumerate(scope.documents):
        if doc not in scope.shared:
            rank[doc] = n
    # One integer per coding when (document, code, start, end) fit in 63 bits with
    # offsets below the longest text; a coding reaching past it (which the store does
    # not make) shows in max(end), and then every coding is read as two integers.
    longest = db.execute("SELECT coalesce(max(chars), 0) + 1 FROM document_stats").fetchone()[0]
    off_bits, code_bits = int(longest).bit_length(), int(width).bit_length()
    source = f"FROM codings c{where}"
    rows = None
    if int(top).bit_length() + code_bits + 2 * off_bits < 63:
        # Bit fields, decoded with shifts (cheaper than divisions).
        key = (
            f"(((c.document_id << {code_bits}) | c.code_id) << {off_bits} | c.start) "
            f'<< {off_bits} | c."end"'
        )
        one = packed_below(db, key, 'c."end"', 1 << off_bits, source, args)
        if one is not None:
            low = (1 << off_bits) - 1
            end = one & low
            one >>= off_bits
            start = one & low
            one >>= off_bits  # in place: a million codings are 8 MB per array
            rows = (one, start, end)
            del start, end
    if rows is None:
        both = packed_integers(
            db,
            f"(c.document_id << {code_bits}) | c.code_id",
            'c.start * 4294967296 + c."end"',
            source,
            args,
        )
        rows = (both[:, 0], both[:, 1] >> 32, both[:, 1] & 0xFFFFFFFF)
    docs, code = rows[0] >> code_bits, rows[0] & ((1 << code_bits) - 1)
    start, end = rows[1], rows[2]
    at = rank[docs]
    del docs, rows
    keep = at >= 0
    if not keep.all():
        at, code, start, end = at[keep], code[keep], start[keep], end[keep]
    if scope.shared:
        position = {doc: n for n, doc in enumerate(scope.documents)}
        restricted = scope.filters.restricts_participants
        extra = [
            (position[doc], code_id, s, e)
            for _id, doc, code_id, s, e, credited in shared_credit(db, scope, spans=True)
            if credited or not restricted
        ]
        if extra:
            more = np.array(extra, dtype="int64")
            at, code = np.concatenate([at, more[:, 0]]), np.concatenate([code, more[:, 1]])
            start, end = np.concatenate([start, more[:, 2]]), np.concatenate([end, more[:, 3]])
    return at, code, start, end


def packed_below(
    db: Any, key: str, bound: str, limit: int, source: str, args: list[Any]
) -> Ints | None:
    """The integer `key` of every row (as packed_integers), or None when some row's
    `bound` reaches `limit` (then the keys overflowed and are not parsed); one pass."""
    try:
        text, high = db.execute(
            f"SELECT group_concat({key}, ' '), max({bound}) {source}", args
        ).fetchone()
    except (sqlite3.DataError, sqlite3.OperationalError) as exc:
        if "too big" not in str(exc):
            raise
        high = db.execute(f"SELECT max({bound}) {source}", args).fetchone()[0]
        if high is not None and high >= limit:
            return None
        return packed_integers(db, key, None, source, args)[:, 0]
    if high is not None and high >= limit:
        return None
    return np.fromstring(text or "", dtype="int64", sep=" ") if text else np.zeros(0, "int64")


def read_segments(db: Any, kind: str, top: int, bits: int) -> tuple[Ints, Ints, Ints]:
    """(document id, start, end) of every segment of one kind, each read as one packed
    integer when document ids below `top` and offsets of `bits` bits fit in 63 bits, else
    as two integers. Shared by co-occurrence and agreement."""
    source, args = "FROM segments WHERE kind = ?", [kind]
    one = None
    if top.bit_length() + 2 * bits < 63:  # one integer per segment
        key = f'(document_id << {bits} | start) << {bits} | "end"'
        one = packed_below(db, key, '"end"', 1 << bits, source, args)
    if one is not None:
        low = (1 << bits) - 1
        return one >> (2 * bits), (one >> bits) & low, one & low
    rows = packed_integers(db, "document_id * 4294967296 + start", '"end"', source, args)
    return rows[:, 0] >> 32, rows[:, 0] & 0xFFFFFFFF, rows[:, 1]


def load_segment_spans(db: Any, scope: Scope, kind: str) -> tuple[Ints, Ints, Ints]:
    """(document rank, start, end) of the segments of one kind (sentence, turn,
    paragraph, topic) of the documents in scope, in no particular order."""
    top = db.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
    rank = np.full(int(top), -1, dtype="int64")
    for n, document in enumerate(scope.documents):
        rank[document] = n
    longest = db.execute("SELECT coalesce(max(chars), 0) + 1 FROM document_stats").fetchone()[0]
    bits = int(longest).bit_length()
    doc, start, end = read_segments(db, kind, int(top), bits)
    at = rank[doc]
    keep = at >= 0
    return at[keep], start[keep], end[keep]


def overlap_counts(
    doc: Ints,
    position: Ints,
    start: Ints,
    end: Ints,
    size: int,
    segments: tuple[Ints, Ints, Ints] | None,
) -> Ints:
    """The (size, size) co-occurrence grid of codings given as parallel arrays (document
    rank, code position in the table, start, end): off the diagonal, unordered pairs of
    codings of the two codes whose spans overlap (or, with `segments` as from
    load_segment_spans, that touch one common segment); on it, codings per code."""
    grid = np.zeros((size, size), dtype="int64")
    if not len(doc):
        return grid
    big = int(end.max()) + 1
    if segments is not None and len(segments[0]):
        big = max(big, int(segments[2].max()) + 1)
    ks = doc * big
    ke = ks + end
    ks += start
    ks, ke, codes = _sorted_by_start(ks, ke, position, size)
    if segments is not None and len(segments[0]):
        ks, ke = _widen(ks, ke, segments, big)  # keeps ks sorted
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


def _sorted_by_start(
    key_start: Ints, key_end: Ints, codes: Ints, size: int
) -> tuple[Ints, Ints, Ints]:
    """The spans sorted by start. When start, length and code fit in one int64 they
    are packed and sorted as values (numpy's vectorised sort, several times faster
    than an argsort and its three gathers); else by argsort."""
    length = key_end - key_start
    code_bits = max(size - 1, 1).bit_length()
    length_bits = int(length.max()).bit_length()
    if int(key_start.max()).bit_length() + length_bits + code_bits < 63:
        packed = key_start << (length_bits + code_bits)
        packed |= length << code_bits
        packed |= codes
        del length
        packed.sort()
        codes = packed & ((1 << code_bits) - 1)
        packed >>= code_bits
        length = packed & ((1 << length_bits) - 1)
        packed >>= length_bits
        return packed, packed + length, codes
    order = np.argsort(key_start)
    return key_start[order], key_end[order], codes[order]


def _pairs_listed(codes: Ints, count: Ints, size: int) -> Ints:
    """Pair counts (code of i, code of j) for i < j, listing every pair: for sparse
    overlaps. The partners of i are i+1 .. i+count[i]; the pairs are listed a few
    million at a time (32-bit where that is enough), which bounds the memory."""
    pairs = np.zeros(size * size, dtype="int64")
    small = "int32" if size * size < 2**31 else "int64"
    as_left, as_right = (codes * size).astype(small), codes.astype(small)
    ends = np.cumsum(count)
    at = 0
    while at < len(count):
        stop = max(
            int(np.searchsorted(ends, ends[at] - count[at] + PAIRS_AT_ONCE, "right")), at + 1
        )
        part = count[at:stop]
        first = ends[at] - count[at]  # pairs before this chunk
        # the k-th pair of the chunk is (i, j) with j = k + (i + 1 - pairs before i)
        shift = np.arange(at + 1, stop + 1, dtype="int64") - (
            ends[at:stop] - count[at:stop] - first
        )
        right = np.arange(int(part.sum()), dtype="int64") + np.repeat(shift, part)
        left = np.repeat(as_left[at:stop], part)
        pairs += np.bincount(left + as_right[right], minlength=size * size)
        at = stop
    return pairs.reshape(size, size)


def _pairs_by_code(codes: Ints, upto: Ints, size: int) -> Ints:
    """The same counts through running totals per code: time grows with codes, not pairs."""
    pairs = np.zeros((size, size), dtype="int64")
    after = np.arange(1, len(codes) + 1)
    for code in np.unique(codes):
        running = np.concatenate(([0], np.cumsum(codes == code)))
        partners = running[upto] - running[after]
        pairs[:, code] = np.bincount(codes, weights=partners, minlength=size).astype("int64")
    return pairs


def _widen(
    key_start: Ints, key_end: Ints, segments: tuple[Ints, Ints, Ints], big: int
) -> tuple[Ints, Ints]:
    """Widen each coding to cover the segments it overlaps (starts stay sorted: the
    first segment touched moves forward with the coding's start)."""
    rank, start, end = segments
    keep = end > start
    s_start, s_end = rank[keep] * big + start[keep], rank[keep] * big + end[keep]
    order = np.argsort(s_start, kind="stable")
    s_start, s_end = s_start[order], s_end[order]
    first = np.searchsorted(s_end, key_start, side="right")  # first segment ending after start
    last = np.searchsorted(s_start, key_end, side="left") - 1  # last segment starting before end
    touches = first <= last
    wide_start, wide_end = key_start.copy(), key_end.copy()
    wide_start[touches] = np.minimum(key_start[touches], s_start[first[touches]])
    wide_end[touches] = np.maximum(key_end[touches], s_end[last[touches]])
    return wide_start, wide_end

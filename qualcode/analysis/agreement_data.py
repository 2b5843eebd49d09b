"""What inter-coder agreement reads (qualcode/analysis/agreement.py): the coders, the
documents in scope with their lengths, every coding of the coders compared, and the
unit segments, as numpy arrays (no pandas: the CLI starts without it).

The codings are read in one query, each as one packed integer (document, code, coder,
start, end) parsed by numpy in C (qualcode/analysis/overlap.py: packed_integers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import numpy.typing as npt

from qualcode.analysis.filters import (
    Filters,
    document_scope,
    known_coders,
    resolve_filters,
    stored_coder,
)
from qualcode.analysis.overlap import packed_below, packed_integers, read_segments
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.models import Code
    from qualcode.store import ProjectDatabase

# Integer keys, offsets and counts (the kernels work on numpy int64 arrays).
Ints = npt.NDArray[np.int64]

MAX_CODERS = 12  # 2**12 patterns per code


def resolve_coder(name: str, known: list[str]) -> str:
    """The stored coder name for `name` (filters.stored_coder: exact, else the one
    case-insensitive match). Raises QualcodeError, listing the known coders, for a name
    that is no coder of the project."""
    return stored_coder(name, known)


def resolve_coders(
    db: ProjectDatabase, names: Sequence[str] | None, in_scope: Filters | None = None
) -> list[str]:
    """The coders to compare: the names given (resolved), or every known coder (those
    with codings, and the project's configured coder, who may have none); with
    in_scope (resolved filters) and no names, only the known coders with a coding in
    the documents in scope (a coder who coded nothing there would count as coding
    nothing and pull every statistic down).

    Raises QualcodeError for an unknown coder, fewer than two, a repeated coder, or more
    than MAX_CODERS."""
    known = known_coders(db)
    coders = [resolve_coder(n, known) for n in names] if names else known
    if not names and in_scope is not None:
        coders = coded_in_scope(db, known, in_scope)
        if len(coders) < 2:
            idle = [c for c in known if c not in coders]
            raise QualcodeError(
                "agreement needs at least two coders with codings in scope (with codings: "
                f"{', '.join(coders) or 'none'}; without: {', '.join(idle) or 'none'}); "
                "name coders with --coders to count one without codings as coding nothing"
            )
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


def coded_in_scope(db: ProjectDatabase, coders: Sequence[str], filters: Filters) -> list[str]:
    """The coders (of `coders`, in their order) with at least one coding in the
    documents in scope of `filters` (resolved): one indexed EXISTS per coder."""
    cond, args = document_scope(filters)
    return [
        coder
        for coder in coders
        if db.execute(
            "SELECT EXISTS (SELECT 1 FROM codings c JOIN documents d ON d.id = c.document_id "
            f'WHERE c.coder = ? AND c."end" > c.start AND {cond})',
            [coder, *args],
        ).fetchone()[0]
    ]


@dataclass(frozen=True)
class Documents:
    """The documents in scope in position order; row i of each field is one document.

    ids: document ids; lengths: characters of the text; titles; participants: the
    pid of the document's participant (None for a document of nobody)."""

    ids: Ints
    lengths: Ints
    titles: list[str]
    participants: list[str | None]

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, keep: npt.NDArray[np.bool_]) -> Documents:
        """The documents where `keep` is True."""
        rows = np.flatnonzero(keep).tolist()
        return Documents(
            self.ids[keep],
            self.lengths[keep],
            [self.titles[i] for i in rows],
            [self.participants[i] for i in rows],
        )


class Codings(NamedTuple):
    """Codings as parallel arrays: doc (row in Documents), code_id, start, end (clipped
    to the text, end > start) and coder (index into the coders compared)."""

    doc: Ints
    code_id: Ints
    start: Ints
    end: Ints
    coder: Ints

    def take(self, keep: npt.NDArray[np.bool_]) -> Codings:
        """The codings where `keep` is True."""
        return Codings(*(field[keep] for field in self))

    @property
    def is_b(self) -> npt.NDArray[np.bool_]:
        """True for the second coder's codings (the disagreement list's coder B)."""
        b: npt.NDArray[np.bool_] = self.coder == 1
        return b


class CoderData(NamedTuple):
    """What load_coders reads (unpacks as a tuple in this order)."""

    coders: list[str]
    documents: Documents
    codings: Codings
    filters: Filters


class Segments(NamedTuple):
    """The unit segments of one kind in the documents in scope, in store order:
    doc (row in Documents), start, end; kind names them ("paragraph")."""

    doc: Ints
    start: Ints
    end: Ints
    kind: str


def load_documents(db: ProjectDatabase, filters: Filters) -> Documents:
    """The documents in scope of `filters`, in position order, with their lengths (from
    document_stats, kept by triggers, so no text is read)."""
    cond, args = document_scope(filters)
    rows = db.execute(
        "SELECT d.id, coalesce(st.chars, length(d.text)), d.title, p.pid "
        "FROM documents d LEFT JOIN participants p ON p.id = d.participant_id "
        f"LEFT JOIN document_stats st ON st.document_id = d.id WHERE {cond} "
        "ORDER BY d.position, d.id",
        args,
    ).fetchall()
    return Documents(
        np.array([r[0] for r in rows], dtype="int64"),
        np.array([r[1] for r in rows], dtype="int64"),
        [r[2] for r in rows],
        [r[3] for r in rows],
    )


def load_coders(
    db: ProjectDatabase,
    codes: Sequence[Code],
    coders: Sequence[str] | None,
    filters: Filters | None,
    double_coded: bool = False,
) -> CoderData:
    """(coders as stored, documents in scope, their codings by those coders, filters).

    coders: the names to compare; None or empty for every coder with a coding in
    scope (resolve_coders). codes is unused (kept for callers that pass
    Project.codes()). double_coded keeps
    only the documents every coder coded something in (a second coder often codes a
    sample of the transcripts only). Raises QualcodeError for a coder filter, bad coders
    (resolve_coders) or a bad filter value (resolve_filters)."""
    filters = filters or Filters()
    if filters.coders:
        raise QualcodeError("agreement compares the coders given; a coder filter does not apply")
    filters = resolve_filters(db, filters)
    names = resolve_coders(db, coders, filters)
    documents = load_documents(db, filters)
    codings = _load_codings(db, names, documents)
    if double_coded:
        documents, codings = _double_coded(documents, codings, len(names))
    return CoderData(names, documents, codings, filters)


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


def _load_codings(db: ProjectDatabase, names: list[str], documents: Documents) -> Codings:
    """Every coding of the coders `names` in the documents, clipped to the text, in
    order of code id (qualcode/analysis/agreement.py takes them code by code)."""
    top, width = db.execute(
        "SELECT (SELECT coalesce(max(id), 0) + 1 FROM documents), "
        "(SELECT coalesce(max(id), 0) + 1 FROM codes)"
    ).fetchone()
    n = len(names)
    doc_bits, coder_bits = int(top).bit_length(), max(n - 1, 1).bit_length()
    which = "CASE c.coder " + " ".join(f"WHEN ? THEN {i}" for i in range(n)) + " END"
    # Bit fields (code, document, coder): decoded with shifts, and sorted by code.
    first = f"((c.code_id << {doc_bits}) | c.document_id) << {coder_bits} | ({which})"
    # +c.coder: scan the table in order; through the codings_by_coder index each row is a
    # random seek into the table (about 6 s instead of 0.4 s at 1,000,000 codings).
    source = f"FROM codings c WHERE +c.coder IN ({', '.join('?' * n)})"
    args = [*names, *names]
    # One integer per coding when it fits in 63 bits with offsets below the longest
    # text; a coding reaching past it (which the store does not make) shows in
    # max(end), and then every coding is read as two integers.
    longest = db.execute("SELECT coalesce(max(chars), 0) + 1 FROM document_stats").fetchone()[0]
    off_bits = int(longest).bit_length()
    packed = None
    if int(width).bit_length() + doc_bits + coder_bits + 2 * off_bits < 63:
        key = f'((({first}) << {off_bits}) | c.start) << {off_bits} | c."end"'
        packed = packed_below(db, key, 'c."end"', 1 << off_bits, source, args)
    if packed is not None:
        packed.sort()  # by code, then document: vectorised, cheaper than an argsort
        low = (1 << off_bits) - 1
        end = packed & low
        packed >>= off_bits
        start = packed & low
        packed >>= off_bits
    else:
        both = packed_integers(db, first, 'c.start * 4294967296 + c."end"', source, args)
        order = np.argsort(both[:, 0], kind="stable")
        both = both[order]
        packed, start, end = both[:, 0], both[:, 1] >> 32, both[:, 1] & 0xFFFFFFFF
    coder = packed & ((1 << coder_bits) - 1)
    packed >>= coder_bits
    doc_id = packed & ((1 << doc_bits) - 1)
    code_id = packed >> doc_bits
    del packed
    rank = np.full(int(top), -1, dtype="int64")
    rank[documents.ids] = np.arange(len(documents.ids))
    codings = Codings(rank[doc_id], code_id, start, end, coder)
    del doc_id, code_id, start, end, coder
    if not (codings.doc >= 0).all():
        codings = codings.take(codings.doc >= 0)
    length = documents.lengths[codings.doc]
    if (codings.end > length).any():  # the store keeps codings inside the text
        codings = codings._replace(
            start=np.minimum(codings.start, length), end=np.minimum(codings.end, length)
        )
        codings = codings.take(codings.end > codings.start)
    return codings


def _double_coded(documents: Documents, codings: Codings, n: int) -> tuple[Documents, Codings]:
    """The documents every one of the n coders coded something in, and their codings
    (doc renumbered to the kept documents' rows)."""
    size = len(documents)
    keep = np.ones(size, dtype=bool)
    for i in range(n):
        keep &= np.bincount(codings.doc[codings.coder == i], minlength=size) > 0
    renumber = np.cumsum(keep) - 1
    codings = codings.take(keep[codings.doc])
    return documents.take(keep), codings._replace(doc=renumber[codings.doc])


def load_segments(db: ProjectDatabase, kind: str, documents: Documents) -> Segments:
    """Segments of one kind (sentence, turn, paragraph) of the documents in scope, each
    read as one packed integer (as the codings) when it fits."""
    top, longest = db.execute(
        "SELECT (SELECT coalesce(max(id), 0) + 1 FROM documents), "
        "(SELECT coalesce(max(chars), 0) + 1 FROM document_stats)"
    ).fetchone()
    bits = int(longest).bit_length()
    doc_id, start, end = read_segments(db, kind, int(top), bits)
    rank = np.full(int(top), -1, dtype="int64")
    rank[documents.ids] = np.arange(len(documents.ids))
    doc = rank[doc_id]
    keep = doc >= 0
    return Segments(doc[keep], start[keep], end[keep], kind)

"""Loading what the analysis tables need: one bulk query per table into DataFrames.

Filters are checked against the project first (an unknown kind, coder, attribute,
value or participant is a one-line error listing what exists), then pushed into the
SQL so that only rows in scope are read. Codings are read as plain integer columns
straight into numpy (no per-row Python objects beyond the cursor's tuples), and tied
to their participant and kind through the small documents frame, in pandas.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from qualcode.analysis.credit import Scope, load_scope, shared_credit

# The filter checks and their SQL live with Filters (no pandas), so that `qualcode excerpts`
# filters without loading pandas.
from qualcode.analysis.filters import (
    Filters,
    _listing,
    _marks,
    coding_conditions,
    document_scope,
)
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.models import Code
    from qualcode.store import ProjectDatabase

# Integer keys, offsets and counts (the analysis kernels work on numpy int64 arrays).
Ints = npt.NDArray[np.int64]

NO_PARTICIPANT = -1
FEW_DOCUMENTS = 500  # up to this many documents in scope, codings are read through their index


@dataclass
class AnalysisData:
    """The rows in scope of one set of filters.

    codes: id, parent_id, name, path, depth, order (codebook order), all codes.
    ancestors: code_id, ancestor_id for every code and each of its ancestors and itself.
    documents: id, participant_id (NO_PARTICIPANT if none), participant, kind, position, title.
    participants: participant_id, participant (pid), natural-sort order; those with a
        document in scope (the N of every table), every participant of a shared document.
    codings: document_id, code_id (+ start, end when asked), participant_id, kind, primary.
        A coding in a document of several participants (a focus group) is one row per
        participant it counts for: those whose mapped speaker turns it overlaps when the
        document's speakers are mapped (`qualcode set-speaker`), else every participant
        of the document; participant_id NO_PARTICIPANT when it lies in no mapped turn.
        `primary` is True on exactly one row per coding: count codings on those.
    members: document_id, participant_id, participant for every (document, participant in
        scope) pair.
    """

    codes: pd.DataFrame
    ancestors: pd.DataFrame
    documents: pd.DataFrame
    participants: pd.DataFrame
    codings: pd.DataFrame
    filters: Filters
    members: pd.DataFrame


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


def participants_in_scope(documents: pd.DataFrame) -> pd.DataFrame:
    """Participants with at least one document in scope, in natural order (R2 before R10)."""
    people = documents.loc[
        documents["participant_id"] != NO_PARTICIPANT, ["participant_id", "participant"]
    ]  # documents: any frame with these two columns (the members of each document)
    people = people.drop_duplicates("participant_id")
    order = sorted(people["participant"], key=natural_key)
    rank = {pid: n for n, pid in enumerate(order)}
    people = people.assign(order=people["participant"].map(rank)).sort_values("order")
    return people.reset_index(drop=True)


def load_codings(
    db: ProjectDatabase, filters: Filters, documents: pd.DataFrame, spans: bool = False
) -> pd.DataFrame:
    """Codings in scope as integer columns, tied to participant and kind.

    A few documents in scope are looked up through the codings' document index; many
    are cheaper to filter in numpy after one sequential read of the table.
    """
    conds: list[str] = []
    args: list[Any] = []
    filter_later = False
    if filters.kinds or filters.restricts_participants:
        ids = documents["id"].tolist()
        if len(ids) <= FEW_DOCUMENTS:
            conds.append(f"c.document_id IN ({_marks(ids) or 'NULL'})")
            args += ids
        else:
            filter_later = True
    more, more_args = coding_conditions(filters)
    conds += more
    args += more_args
    where = " WHERE " + " AND ".join(conds) if conds else ""
    width = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM codes").fetchone()[0])
    packed = _packed_integers(
        db,
        f"c.document_id * {width} + c.code_id",
        'c.start * 4294967296 + c."end"' if spans else None,
        f"FROM codings c{where}",
        args,
    )
    codings = pd.DataFrame({"document_id": packed[:, 0] // width, "code_id": packed[:, 0] % width})
    if spans:
        codings["start"], codings["end"] = packed[:, 1] >> 32, packed[:, 1] & 0xFFFFFFFF
    doc_index = pd.Index(documents["id"])
    at = doc_index.get_indexer(codings["document_id"])
    if filter_later:
        keep = at >= 0
        codings, at = codings[keep].reset_index(drop=True), at[keep]
    codings["participant_id"] = documents["participant_id"].to_numpy()[at]
    codings["kind"] = pd.Categorical.from_codes(*_kind_codes(documents, at))
    codings["primary"] = True
    return codings


def _packed_integers(
    db: ProjectDatabase, first: str, second: str | None, source: str, args: list[Any]
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


def _kind_codes(
    documents: pd.DataFrame, at: npt.NDArray[np.intp]
) -> tuple[npt.NDArray[np.signedinteger[Any]], pd.Index]:
    """The category codes of the documents' kinds at positions `at`, and the categories
    (the arguments of pd.Categorical.from_codes)."""
    kinds = pd.Categorical(documents["kind"])
    return kinds.codes[at], kinds.categories


def load(
    db: ProjectDatabase, codes: Sequence[Code], filters: Filters | None, spans: bool = False
) -> AnalysisData:
    """The rows in scope of `filters` (see AnalysisData; checked first: an unknown name
    raises QualcodeError listing what exists); spans adds start/end. A coding of a shared
    document (a focus group) is one row per participant it counts for
    (qualcode.analysis.credit)."""
    scope = load_scope(db, filters)
    filters = scope.filters
    code_frame, ancestors = codes_frame(codes)
    documents = load_documents(db, filters)
    documents = documents[documents["id"].isin(list(scope.documents))].reset_index(drop=True)
    members = pd.DataFrame(
        [
            (d, p, scope.people[p])
            for d in documents["id"]
            for p in sorted(scope.members[int(d)], key=lambda p: natural_key(scope.people[p]))
        ],
        columns=["document_id", "participant_id", "participant"],
    ).astype({"document_id": "int64", "participant_id": "int64"})
    if scope.shared:  # a focus group is shown as all its participants in scope
        shown = {
            d: ", ".join(sorted((scope.people[p] for p in scope.members[d]), key=natural_key))
            for d in scope.shared
        }
        documents["participant"] = [
            shown.get(int(d), p) for d, p in zip(documents["id"], documents["participant"])
        ]
    codings = load_codings(db, filters, documents, spans)
    if scope.shared:
        codings = _credit_shared(db, scope, codings, documents, spans)
    people = participants_in_scope(members)
    return AnalysisData(code_frame, ancestors, documents, people, codings, filters, members)


def _credit_shared(
    db: ProjectDatabase,
    scope: Scope,
    codings: pd.DataFrame,
    documents: pd.DataFrame,
    spans: bool,
) -> pd.DataFrame:
    """Replace the rows of shared documents' codings by one row per participant each
    counts for (one NO_PARTICIPANT row for a coding of nobody, kept only without
    participant filters); `primary` marks the first row of each coding."""
    restricted = scope.filters.restricts_participants
    rows = []
    for _id, doc, code, start, end, credited in shared_credit(db, scope, spans):
        if not credited:
            if not restricted:
                rows.append((doc, code, start, end, NO_PARTICIPANT, True))
            continue
        rows += [(doc, code, start, end, p, i == 0) for i, p in enumerate(credited)]
    extra = pd.DataFrame(
        rows, columns=["document_id", "code_id", "start", "end", "participant_id", "primary"]
    ).astype({c: "int64" for c in ("document_id", "code_id", "start", "end", "participant_id")})
    extra["primary"] = extra["primary"].astype(bool)
    at = pd.Index(documents["id"]).get_indexer(extra["document_id"])
    extra["kind"] = pd.Categorical.from_codes(*_kind_codes(documents, at))
    kept = codings[~codings["document_id"].isin(list(scope.shared))]
    merged = pd.concat([kept, extra[list(codings.columns)]], ignore_index=True)
    merged["kind"] = pd.Categorical.from_codes(
        *_kind_codes(documents, pd.Index(documents["id"]).get_indexer(merged["document_id"]))
    )
    return merged


def load_attribute(db: ProjectDatabase, name: str) -> dict[int, str]:
    """participant_id -> value of one attribute (the name must exist)."""
    names = {r[0].casefold(): r[0] for r in db.execute("SELECT DISTINCT name FROM attributes")}
    if name.casefold() not in names:
        raise QualcodeError(
            f"no participant attribute {name!r} (attributes: {_listing(names.values())})"
        )
    rows = db.execute(
        "SELECT participant_id, value FROM attributes WHERE name = ?", [names[name.casefold()]]
    )
    return dict(rows.fetchall())


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


def natural_key(text: str | None) -> list[int | str]:
    """A sort key that orders numbers inside names by value: R2 before R10."""
    import re

    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text or "")]

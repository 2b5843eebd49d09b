"""Theme frequencies: for each code, how many participants in scope voice it.

Definitions (the property test recomputes each of these in plain Python):
- N: participants with at least one document in scope (after every filter).
- n: participants with a coding in scope of the code or of any of its descendants
  (a union: a participant counts once per code however often it is coded).
- percent: 100 * n / N (0 when N is 0), one decimal.
- codings: codings in scope of the code and its descendants.
- documents: distinct documents in scope with such a coding.
- n_<kind>: like n, counting only codings in documents of that kind (one column per
  kind in scope, in alphabetical order); N_<kind> (participants with a document of
  that kind) is in `attrs["N_by_kind"]`.

Computed without pandas, so that `qualcode freq` starts fast: SQLite groups the codings
by (coder, code, document) along the `codings_by_coder` index, which holds exactly
those columns (a 1,000,000-coding project gives about 120,000 groups), and Python
takes the unions as sets, one per code, rolled up the code tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from qualcode.analysis.filters import (
    Filters,
    _marks,
    coding_scope,
    document_scope,
    resolve_filters,
)
from qualcode.analysis.table import Cell, Table
from qualcode.percent import percent_value

if TYPE_CHECKING:
    from qualcode.models import Code
    from qualcode.store import ProjectDatabase

BASE_COLUMNS = ["code", "name", "depth", "parent", "n", "N", "percent", "codings", "documents"]
NO_PARTICIPANT = -1


def frequency_table(
    db: ProjectDatabase,
    codes: Sequence[Code],
    filters: Filters | None = None,
    order: str = "frequency",
) -> Table:
    """One row per code (columns BASE_COLUMNS + n_<kind>); `codes` as Project.codes()
    (depth-first); `order` is "frequency" (siblings by n, the study's layout) or
    "codebook". attrs: N, N_by_kind, documents_in_scope, filters (a label).
    Raises QualcodeError for a filter value the project does not have."""
    filters = resolve_filters(db, filters or Filters())
    cond, args = document_scope(filters)
    documents: dict[int, tuple[int, str]] = {  # document id -> (participant id, kind)
        d: (p, k)
        for d, p, k in db.execute(
            f"SELECT d.id, coalesce(d.participant_id, {NO_PARTICIPANT}), d.kind "
            f"FROM documents d LEFT JOIN participants p ON p.id = d.participant_id WHERE {cond}",
            args,
        )
    }
    kinds = sorted({k for _, k in documents.values()})
    conds: list[str] = []
    coding_args: list[object] = []
    if filters.coders:
        conds.append(f"c.coder IN ({_marks(filters.coders)})")
        coding_args += filters.coders
    if filters.skip_interviewer:
        turn_cond, turn_args = coding_scope(filters)
        conds.append(turn_cond)
        coding_args += turn_args
    coding_cond = " WHERE " + " AND ".join(conds) if conds else ""
    docs_of: dict[int, set[int]] = {}
    codings_of: dict[int, int] = {}
    rows = db.execute(
        "SELECT c.code_id, c.document_id, count(*) FROM codings c"
        f"{coding_cond} GROUP BY c.coder, c.code_id, c.document_id",
        coding_args,
    )
    for code_id, document_id, count in rows:
        if document_id in documents:
            docs_of.setdefault(code_id, set()).add(document_id)
            codings_of[code_id] = codings_of.get(code_id, 0) + count

    children: dict[int | None, list[int]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c.id)
    subtree_docs: dict[int, set[int]] = {}
    subtree_codings: dict[int, int] = {}

    def roll(code_id: int) -> None:  # post-order: children first
        docs = set(docs_of.get(code_id, ()))
        total = codings_of.get(code_id, 0)
        for child in children.get(code_id, []):
            roll(child)
            docs |= subtree_docs[child]
            total += subtree_codings[child]
        subtree_docs[code_id], subtree_codings[code_id] = docs, total

    for root in children.get(None, []):
        roll(root)

    people = {p for p, _ in documents.values() if p != NO_PARTICIPANT}
    n_total = len(people)
    by_id = {c.id: c for c in codes}
    cells: dict[int, tuple[Cell, ...]] = {}
    n_of: dict[int, int] = {}
    for c in codes:
        docs = subtree_docs.get(c.id, set())
        coded = [documents[d] for d in docs]
        n = len({p for p, _ in coded if p != NO_PARTICIPANT})
        n_of[c.id] = n
        per_kind = [
            len({p for p, k in coded if k == kind and p != NO_PARTICIPANT}) for kind in kinds
        ]
        parent = by_id[c.parent_id].path if c.parent_id in by_id else ""
        percent = percent_value(n, n_total)
        cells[c.id] = (
            c.path, c.name, c.depth, parent, n, n_total, percent,
            subtree_codings.get(c.id, 0), len(docs), *per_kind,
        )  # fmt: skip
    ordered = _order_tree(codes, n_of if order == "frequency" else None)
    attrs = {
        "N_by_kind": {
            kind: len({p for p, k in documents.values() if k == kind and p != NO_PARTICIPANT})
            for kind in kinds
        },
        "N": n_total,
        "table": "frequencies",
        "documents_in_scope": len(documents),
        "filters": filters.describe(),
    }
    columns = BASE_COLUMNS + [f"n_{kind}" for kind in kinds]
    return Table(columns, [cells[i] for i in ordered], attrs)


def _order_tree(codes: Sequence[Code], key: dict[int, int] | None) -> list[int]:
    """Code ids depth-first; siblings by descending `key`, ties in codebook order."""
    rank = {c.id: n for n, c in enumerate(codes)}
    children: dict[int | None, list[int]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c.id)
    out: list[int] = []

    def visit(parent: int | None) -> None:
        siblings = children.get(parent, [])
        for cid in sorted(siblings, key=lambda i: (-(key or {}).get(i, 0), rank[i])):
            out.append(cid)
            visit(cid)

    visit(None)
    return out

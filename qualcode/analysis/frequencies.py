"""Theme frequencies: for each code, how many participants in scope voice it.

Definitions (the property test recomputes each of these in plain Python):
- N: participants with at least one document in scope (after every filter); a
  document may belong to several participants (a focus group).
- n: participants for whom a coding in scope of the code or of any of its descendants
  counts (a union: a participant counts once per code however often it is coded). A
  coding counts for the participant(s) of its document; in a document whose speakers
  are mapped to participants, only for those whose turns it lies in
  (qualcode/analysis/credit.py).
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

from qualcode.analysis.credit import load_scope, shared_credit
from qualcode.analysis.filters import Filters, coding_conditions
from qualcode.analysis.table import Cell, Table
from qualcode.percent import percent_value

if TYPE_CHECKING:
    from qualcode.models import Code
    from qualcode.store import ProjectDatabase

BASE_COLUMNS = ["code", "name", "depth", "parent", "n", "N", "percent", "codings", "documents"]


def frequency_table(
    db: ProjectDatabase,
    codes: Sequence[Code],
    filters: Filters | None = None,
    order: str = "frequency",
) -> Table:
    """One row per code (columns BASE_COLUMNS + n_<kind>); `codes` as Project.codes()
    (depth-first); `order` is "frequency" (siblings by n, the study's layout) or
    "codebook". attrs: N, N_by_kind, documents_in_scope, filters (a label).
    A coding counts for the participants qualcode.analysis.credit gives it (a focus
    group's coding for those whose mapped turns it lies in, each once).
    Raises QualcodeError for a filter value the project does not have."""
    scope = load_scope(db, filters)
    filters = scope.filters
    documents, members = scope.documents, scope.members
    kinds = sorted({k for k, _ in documents.values()})
    conds, coding_args = coding_conditions(filters)
    coding_cond = " WHERE " + " AND ".join(conds) if conds else ""
    docs_of: dict[int, set[int]] = {}
    codings_of: dict[int, int] = {}
    people_of: dict[int, set[tuple[int, str]]] = {}  # code -> (participant, kind) credited
    rows = db.execute(
        "SELECT c.code_id, c.document_id, count(*) FROM codings c"
        f"{coding_cond} GROUP BY c.coder, c.code_id, c.document_id",
        coding_args,
    )
    for code_id, document_id, count in rows:
        if document_id in documents and document_id not in scope.shared:
            docs_of.setdefault(code_id, set()).add(document_id)
            codings_of[code_id] = codings_of.get(code_id, 0) + count
            kind = documents[document_id][0]
            people_of.setdefault(code_id, set()).update((p, kind) for p in members[document_id])
    restricted = filters.restricts_participants
    for _id, document_id, code_id, _s, _e, credited in shared_credit(db, scope):
        if restricted and not credited:
            continue  # a coding of nobody in scope (another participant's turn)
        docs_of.setdefault(code_id, set()).add(document_id)
        codings_of[code_id] = codings_of.get(code_id, 0) + 1
        kind = documents[document_id][0]
        people_of.setdefault(code_id, set()).update((p, kind) for p in credited)

    children: dict[int | None, list[int]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c.id)
    subtree_docs: dict[int, set[int]] = {}
    subtree_codings: dict[int, int] = {}
    subtree_people: dict[int, set[tuple[int, str]]] = {}

    def roll(code_id: int) -> None:  # post-order: children first
        docs = set(docs_of.get(code_id, ()))
        people = set(people_of.get(code_id, ()))
        total = codings_of.get(code_id, 0)
        for child in children.get(code_id, []):
            roll(child)
            docs |= subtree_docs[child]
            people |= subtree_people[child]
            total += subtree_codings[child]
        subtree_docs[code_id], subtree_codings[code_id] = docs, total
        subtree_people[code_id] = people

    for root in children.get(None, []):
        roll(root)

    n_total = len(scope.people)
    by_id = {c.id: c for c in codes}
    cells: dict[int, tuple[Cell, ...]] = {}
    n_of: dict[int, int] = {}
    for c in codes:
        docs = subtree_docs.get(c.id, set())
        pairs = subtree_people.get(c.id, set())
        n = len({p for p, _ in pairs})
        n_of[c.id] = n
        per_kind = [len({p for p, k in pairs if k == kind}) for kind in kinds]
        parent = by_id[c.parent_id].path if c.parent_id in by_id else ""
        percent = percent_value(n, n_total)
        cells[c.id] = (
            c.path, c.name, c.depth, parent, n, n_total, percent,
            subtree_codings.get(c.id, 0), len(docs), *per_kind,
        )  # fmt: skip
    ordered = _order_tree(codes, n_of if order == "frequency" else None)
    attrs = {
        "N_by_kind": {
            kind: len({p for d, (k, _) in documents.items() if k == kind for p in members[d]})
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

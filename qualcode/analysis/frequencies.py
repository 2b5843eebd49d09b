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
- attrs["coders"]: the coders whose codings count (sorted); with several, the codings
  column pools them (a passage two coders coded counts twice), which the tables say.

Computed without pandas, so that `qualcode freq` starts fast: SQLite lists each code's
documents along an index (`codings_by_code`, or `codings_by_coder` when the codings are
filtered by coder), and Python takes the unions as sets, one per code, rolled up the
code tree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from qualcode.analysis.credit import load_scope, shared_credit
from qualcode.analysis.filters import Filters, coders_with_codings, coding_conditions
from qualcode.analysis.table import Cell, Table
from qualcode.percent import percent_value

if TYPE_CHECKING:
    from qualcode.models import Code
    from qualcode.store import ProjectDatabase

NO_PARTICIPANTS = (
    "no document in scope belongs to a participant, so participants cannot be counted "
    "(n/a; the codings and documents columns still count)"
)


def no_participants_note(attrs: Mapping[Any, Any]) -> str | None:
    """Why every n/N of a frequency table reads n/a, when it does (attrs: the table's
    attrs): documents in scope but none belongs to a participant (a REFI-QDA project
    without cases); else None. The CLI's table and the frequencies screen say the same."""
    if not attrs.get("N", 0) and attrs.get("documents_in_scope", 0):
        return NO_PARTICIPANTS
    return None


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
    people_of: dict[int, dict[str, set[int]]] = {}  # code -> kind -> participants credited
    grouped = {d for d in documents if d not in scope.shared}
    docs_of_kind: dict[str, set[int]] = {}
    for document in grouped:
        docs_of_kind.setdefault(documents[document][0], set()).add(document)
    for code_id, docs, total in _code_documents(db, grouped, coding_cond, coding_args):
        docs_of[code_id], codings_of[code_id] = docs, total
        people_of[code_id] = {
            kind: set().union(*map(members.__getitem__, docs & of_kind))
            for kind, of_kind in docs_of_kind.items()
            if not docs.isdisjoint(of_kind)
        }
    restricted = filters.restricts_participants
    for _id, document_id, code_id, _s, _e, credited in shared_credit(db, scope):
        if restricted and not credited:
            continue  # a coding of nobody in scope (another participant's turn)
        docs_of.setdefault(code_id, set()).add(document_id)
        codings_of[code_id] = codings_of.get(code_id, 0) + 1
        kind = documents[document_id][0]
        people_of.setdefault(code_id, {}).setdefault(kind, set()).update(credited)

    children: dict[int | None, list[int]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c.id)
    subtree_docs: dict[int, set[int]] = {}
    subtree_codings: dict[int, int] = {}
    subtree_people: dict[int, dict[str, set[int]]] = {}

    def roll(code_id: int) -> None:  # post-order: children first
        docs = set(docs_of.get(code_id, ()))
        people = {kind: set(ps) for kind, ps in people_of.get(code_id, {}).items()}
        total = codings_of.get(code_id, 0)
        for child in children.get(code_id, []):
            roll(child)
            docs |= subtree_docs[child]
            for kind, ps in subtree_people[child].items():
                people.setdefault(kind, set()).update(ps)
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
        by_kind = subtree_people.get(c.id, {})
        n = len(set().union(*by_kind.values()))
        n_of[c.id] = n
        per_kind = [len(by_kind.get(kind, ())) for kind in kinds]
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
        "coders": coders_with_codings(db, filters),
    }
    columns = BASE_COLUMNS + [f"n_{kind}" for kind in kinds]
    return Table(columns, [cells[i] for i in ordered], attrs)


def _code_documents(
    db: ProjectDatabase, grouped: set[int], coding_cond: str, coding_args: list[object]
) -> Iterator[tuple[int, set[int], int]]:
    """(code id, its documents among `grouped`, its codings in them) for each code with
    a coding there. Each code's documents come as one group_concat row, so that Python
    works with set operations per code instead of a loop turn per (code, document) group
    (~100,000 groups at 150,000 codings: that loop was 0.2 s of a 0.5 s command).
    Without a condition on the codings, the documents are read along codings_by_code
    (code, document) and the counts per code apart, and a code's counts per document
    only when some of its documents are out of `grouped`; with one, (coder, code,
    document) groups along codings_by_coder, which holds the coder."""
    if not coding_cond:
        totals = dict(db.execute("SELECT code_id, count(*) FROM codings GROUP BY code_id"))
        rows = db.execute(
            "SELECT code_id, group_concat(document_id) FROM ("
            " SELECT code_id, document_id FROM codings GROUP BY code_id, document_id"
            ") GROUP BY code_id"
        ).fetchall()
        for code_id, document_list in rows:
            docs = set(map(int, document_list.split(",")))
            total = totals[code_id]
            if not docs <= grouped:
                docs &= grouped
                total = sum(
                    n
                    for d, n in db.execute(
                        "SELECT document_id, count(*) FROM codings WHERE code_id = ?"
                        " GROUP BY document_id",
                        (code_id,),
                    )
                    if d in grouped
                )
            if docs:
                yield code_id, docs, total
        return
    rows = db.execute(
        "SELECT code_id, group_concat(document_id), group_concat(n) FROM ("
        " SELECT c.code_id, c.document_id, count(*) AS n FROM codings c"
        f"{coding_cond} GROUP BY c.coder, c.code_id, c.document_id"
        ") GROUP BY code_id",
        coding_args,
    ).fetchall()
    for code_id, document_list, count_list in rows:
        ids = list(map(int, document_list.split(",")))
        docs = set(ids)
        if docs <= grouped:
            total = sum(map(int, count_list.split(",")))
        else:
            docs &= grouped
            counts = map(int, count_list.split(","))
            total = sum(n for d, n in zip(ids, counts, strict=True) if d in grouped)
        if docs:
            yield code_id, docs, total


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

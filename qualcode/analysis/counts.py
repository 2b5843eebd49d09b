"""What the participant tables count (crosstab, matrix, co-occurrence by participant,
saturation), read without pandas or numpy.

SQLite groups the codings in scope by (coder, code, document) along the
`codings_by_coder` index, which holds exactly those columns (about 220,000 groups for
a 1,000,000-coding project, against a million rows); the codings of shared documents
(focus groups, mapped speakers) are credited one by one (qualcode/analysis/credit.py).
Each table then works on those groups with sets and dicts, and rolls codes up the
code tree as unions (CodeTree): a participant coded with two subthemes of a theme
counts once for the theme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qualcode.analysis.credit import Scope, load_scope, shared_credit
from qualcode.analysis.filters import Filters, _listing, coding_conditions
from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.models import Code

# (code id, document id, participants it counts for (ids, sorted; empty for nobody), codings)
Group = tuple[int, int, tuple[int, ...], int]


def natural_key(text: str | None) -> list[int | str]:
    """A sort key that orders numbers inside names by value: R2 before R10."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", text or "")]


@dataclass
class Counts:
    """The codings in scope of one set of filters, in groups.

    scope: the documents and participants in scope (qualcode.analysis.credit.Scope).
    groups: (code id, document id, participants the codings count for, codings): the
        codings of one coder, code and document together for a document of one
        participant (or none); one group per coding in a shared document, its
        participants those credit.py gives it. A shared coding of nobody is kept only
        without participant filters (it still counts as a coding of its document).
    """

    scope: Scope
    groups: list[Group]

    @property
    def filters(self) -> Filters:
        return self.scope.filters

    def people(self) -> list[int]:
        """Participant ids in scope in natural order of their pids (R2 before R10): the
        rows of the matrix, the N of every table."""
        return sorted(self.first_seen(), key=lambda p: natural_key(self.scope.people[p]))

    def first_seen(self) -> list[int]:
        """Participant ids in order of their first document in scope (a document's
        participants in natural order): the steps of saturation by participant."""
        seen: dict[int, None] = {}
        for members in self.scope.members.values():
            for p in sorted(members, key=lambda p: natural_key(self.scope.people[p])):
                seen.setdefault(p, None)
        return list(seen)

    def participants_of(self) -> dict[int, set[int]]:
        """code id -> the participants with a coding of that code alone (not rolled up)."""
        out: dict[int, set[int]] = {}
        for code, _doc, people, _n in self.groups:
            if people:
                out.setdefault(code, set()).update(people)
        return out


def load_counts(db: Any, filters: Filters | None) -> Counts:
    """The Counts of `filters` (checked first: an unknown kind, coder, attribute, value or
    participant raises QualcodeError listing what exists)."""
    scope = load_scope(db, filters)
    documents, members, shared = scope.documents, scope.members, scope.shared
    conds, args = coding_conditions(scope.filters)
    where = " WHERE " + " AND ".join(conds) if conds else ""
    groups: list[Group] = [
        (code, doc, members[doc], n)
        for code, doc, n in db.execute(
            "SELECT c.code_id, c.document_id, count(*) FROM codings c"
            f"{where} GROUP BY c.coder, c.code_id, c.document_id",
            args,
        )
        if doc in documents and doc not in shared
    ]
    restricted = scope.filters.restricts_participants
    for _id, doc, code, _s, _e, credited in shared_credit(db, scope):
        if credited or not restricted:
            groups.append((code, doc, credited, 1))
    return Counts(scope, groups)


class CodeTree:
    """The codebook as a tree (codes as Project.codes() gives them: depth-first, parents
    before children): lineages, parents' paths, roll-ups and the tables' row order."""

    def __init__(self, codes: Sequence[Code]) -> None:
        self.codes = list(codes)
        self.by_id = {c.id: c for c in self.codes}
        self.children: dict[int | None, list[int]] = {}
        for c in self.codes:
            self.children.setdefault(c.parent_id, []).append(c.id)
        self.lineage: dict[int, tuple[int, ...]] = {}  # code -> itself and its ancestors
        for c in self.codes:
            parent = self.lineage.get(c.parent_id, ()) if c.parent_id is not None else ()
            self.lineage[c.id] = (c.id, *parent)

    def parent_path(self, code: Code) -> str:
        """The parent's path ('' for a main theme)."""
        parent = self.by_id.get(code.parent_id) if code.parent_id is not None else None
        return parent.path if parent is not None else ""

    def kept(self, depth: int | None) -> list[Code]:
        """The codes down to `depth` (all of them for None), in codebook order."""
        return [c for c in self.codes if depth is None or c.depth <= depth]

    def at_depth(self, depth: int | None) -> dict[int, int]:
        """code id -> its ancestor at `depth` (itself when it is not deeper, or for None)."""
        if depth is None:
            return {c.id: c.id for c in self.codes}
        return {c.id: self.lineage[c.id][max(c.depth - depth, 0)] for c in self.codes}

    def rolled(self, own: dict[int, set[int]]) -> dict[int, set[int]]:
        """code id -> the union of `own` over the code and its descendants, every code."""
        out: dict[int, set[int]] = {c.id: set() for c in self.codes}
        for code, members in own.items():
            for ancestor in self.lineage.get(code, ()):
                out[ancestor] |= members
        return out

    def order(self, key: dict[int, int] | None) -> list[int]:
        """Code ids depth-first; siblings by descending `key` (code id -> number, 0 when
        absent), ties in codebook order. Without a key: codebook order."""
        rank = {c.id: n for n, c in enumerate(self.codes)}
        weight = key or {}
        out: list[int] = []

        def visit(parent: int | None) -> None:
            for cid in sorted(
                self.children.get(parent, []), key=lambda i: (-weight.get(i, 0), rank[i])
            ):
                out.append(cid)
                visit(cid)

        visit(None)
        return out


def subtree_sums(tree: CodeTree, own: Iterable[tuple[int, int]]) -> dict[int, int]:
    """code id -> the sum of (code id, number) pairs over its subtree (for counts of
    codings, which are disjoint: every coding has one code)."""
    out: dict[int, int] = {}
    for code, n in own:
        for ancestor in tree.lineage.get(code, ()):
            out[ancestor] = out.get(ancestor, 0) + n
    return out


def load_attribute(db: Any, name: str) -> dict[int, str | None]:
    """participant_id -> value of one attribute (matched case-insensitively).

    Raises QualcodeError naming the attributes that exist when no attribute has that name."""
    names = {r[0].casefold(): r[0] for r in db.execute("SELECT DISTINCT name FROM attributes")}
    if name.casefold() not in names:
        raise QualcodeError(
            f"no participant attribute {name!r} (attributes: {_listing(names.values())})"
        )
    rows = db.execute(
        "SELECT participant_id, value FROM attributes WHERE name = ?", [names[name.casefold()]]
    )
    return dict(rows.fetchall())

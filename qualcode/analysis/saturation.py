"""Saturation: how many codes are new in each successive document (or participant).

Steps are the documents in scope in import order (or the order given), or, with
unit="participant", the participants in order of their first document (or as given).
A coding of a focus group is one step's coding for each participant it counts for
(qualcode.analysis.credit); by document, it is one coding.
A code is new at the first step with a coding in scope of it (codes as coded, or
rolled up to `depth`). Columns: step, label, participant, kind (documents only),
codings, new, cumulative, new_codes (the new codes' paths joined by "; ").
Computed over the groups of codings (qualcode/analysis/counts.py), without pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.analysis.counts import CodeTree, Counts, natural_key
from qualcode.analysis.filters import _marks
from qualcode.analysis.table import Table
from qualcode.errors import QualcodeError

UNITS = ("document", "participant")
# (key: document or participant id, label, participant[, kind])
Step = tuple[Any, ...]


def saturation(
    db: Any,
    counts: Counts,
    tree: CodeTree,
    unit: str = "document",
    order: Sequence[str | int] | None = None,
    depth: int | None = None,
) -> Table:
    """One row per step (see the module docstring); `order`: document titles or ids, or
    participant ids, to come first in that order (the rest follow in their own).
    attrs: table, unit, codes (codes counted), filters.
    Raises QualcodeError for an unknown unit, or an order naming a step not in scope
    or one twice."""
    if unit not in UNITS:
        raise QualcodeError(f"unknown saturation unit {unit!r} (document or participant)")
    codes = tree.kept(depth)
    mapped = tree.at_depth(depth)
    steps, lookup = _steps(db, counts, unit)
    steps = _ordered(steps, lookup, order, unit)
    rank = {step[0]: n for n, step in enumerate(steps)}
    codings = [0] * len(steps)
    first: dict[int, int] = {}  # mapped code -> first step
    for code, doc, people, n in counts.groups:
        # By document, a coding is one coding; by participant, a coding in a shared
        # document is a step of each participant it counts for.
        for key in (doc,) if unit == "document" else people:
            at = rank.get(key)
            if at is None:
                continue
            codings[at] += n
            target = mapped[code]
            if first.get(target, len(steps)) > at:
                first[target] = at
    new_codes: list[list[str]] = [[] for _ in steps]
    for c in codes:  # codebook order within a step
        if c.id in first:
            new_codes[first[c.id]].append(c.path)
    rows, cumulative = [], 0
    for n, (step, names) in enumerate(zip(steps, new_codes)):
        cumulative += len(names)
        rows.append((n + 1, *step[1:], codings[n], len(names), cumulative, "; ".join(names)))
    columns = ["step", "label", "participant"] + (["kind"] if unit == "document" else [])
    columns += ["codings", "new", "cumulative", "new_codes"]
    attrs = {
        "table": "saturation",
        "unit": unit,
        "codes": len(codes),
        "filters": counts.filters.describe(),
    }
    return Table(columns, rows, attrs)


def _steps(db: Any, counts: Counts, unit: str) -> tuple[list[Step], dict[str, int]]:
    """The steps in their own order, as (key, label, participant[, kind]), and the
    names an order may give for each key."""
    scope = counts.scope
    if unit == "participant":
        people = counts.first_seen()
        by_person: list[Step] = [(p, scope.people[p], scope.people[p]) for p in people]
        return by_person, {scope.people[p]: p for p in people}
    ids = list(scope.documents)
    shown: dict[int, tuple[str, str | None]] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        for doc, title, pid in db.execute(
            "SELECT d.id, d.title, p.pid FROM documents d LEFT JOIN participants p "
            f"ON p.id = d.participant_id WHERE d.id IN ({_marks(part)})",
            part,
        ):
            shown[doc] = (title, pid)
    steps: list[Step] = []
    for doc, (kind, _) in scope.documents.items():
        title, pid = shown[doc]
        if doc in scope.shared:  # a focus group is shown as all its participants in scope
            names = sorted((scope.people[p] for p in scope.members[doc]), key=natural_key)
            pid = ", ".join(names)
        steps.append((doc, title, pid, kind))
    lookup = {str(doc): doc for doc in ids}
    lookup.update({step[1]: step[0] for step in steps})
    return steps, lookup


def _ordered(
    steps: list[Step], lookup: dict[str, int], order: Sequence[str | int] | None, unit: str
) -> list[Step]:
    """The steps named in `order` first, in that order, then the rest in their own."""
    if not order:
        return steps
    keys = []
    for item in order:
        if str(item) not in lookup:
            raise QualcodeError(f"saturation order: no {unit} {item!r} in scope")
        keys.append(lookup[str(item)])
    if len(set(keys)) != len(keys):
        raise QualcodeError(f"saturation order: a {unit} is listed twice")
    by_key = {step[0]: step for step in steps}
    named = set(keys)
    return [by_key[k] for k in keys] + [s for s in steps if s[0] not in named]

"""Which participants a coding counts for: the one rule every count follows.

A document belongs to one or more participants (document_participants; a focus group
belongs to every participant who speaks in it). A coding counts for a participant when
it is in a document of theirs and, where the document has speaker turns mapped to
participants (speaker_participants, `qualcode set-speaker`), when it overlaps one of
that participant's turns. A coding counts once per participant, however many of the
participant's turns it overlaps; a coding in a mapped document that lies in no mapped
turn (the moderator's) counts for nobody.

Most documents belong to one participant and have no mapping: their codings count for
that participant, and the tables count them in groups (see frequencies.py). Only the
codings of *shared* documents (several participants, or mapped speakers) are credited
one by one, here. No pandas here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from qualcode.analysis.filters import (
    Filters,
    _marks,
    coding_conditions,
    participant_condition,
    resolve_filters,
)

NO_PARTICIPANT = -1


@dataclass
class Scope:
    """The documents and participants one set of filters keeps.

    filters: as resolved against the project.
    documents: document id -> (kind, primary participant id or NO_PARTICIPANT), every
        document in scope, in import order (position, id).
    members: document id -> the ids of its participants that are in scope (sorted);
        empty for a document of nobody.
    shared: documents in scope whose codings are credited one by one (several
        participants, or speakers mapped to participants).
    people: participant id -> pid, every participant in scope (the N of every table):
        those with a document in scope that passes the participant filters.
    """

    filters: Filters
    documents: dict[int, tuple[str, int]]
    members: dict[int, tuple[int, ...]]
    shared: set[int]
    people: dict[int, str]


def load_scope(db: Any, filters: Filters | None) -> Scope:
    """The Scope of `filters` (checked first: an unknown kind, coder, attribute, value or
    participant raises QualcodeError listing what exists).

    A document is in scope when its kind passes and, with participant filters (`where`,
    `participants`), when at least one of its participants passes them; a document of
    nobody is kept only without participant filters."""
    filters = resolve_filters(db, filters or Filters())
    cond, args = "1", []
    if filters.kinds:
        cond, args = f"d.kind IN ({_marks(filters.kinds)})", list(filters.kinds)
    allowed: set[int] | None = None
    if filters.restricts_participants:
        person, person_args = participant_condition(filters, "p")
        allowed = {
            r[0] for r in db.execute(f"SELECT p.id FROM participants p WHERE {person}", person_args)
        }
    everyone: dict[int, list[int]] = {}
    documents: dict[int, tuple[str, int]] = {}
    for doc, kind, primary, member in db.execute(
        f"SELECT d.id, d.kind, coalesce(d.participant_id, {NO_PARTICIPANT}), dp.participant_id "
        "FROM documents d LEFT JOIN document_participants dp ON dp.document_id = d.id "
        f"WHERE {cond} ORDER BY d.position, d.id",
        args,
    ):
        documents[doc] = (kind, primary)
        listed = everyone.setdefault(doc, [])
        if member is not None:
            listed.append(member)
        elif primary != NO_PARTICIPANT:  # not listed (never, after schema 7): the primary
            listed.append(primary)
    mapped = {r[0] for r in db.execute("SELECT DISTINCT document_id FROM speaker_participants")}
    members: dict[int, tuple[int, ...]] = {}
    for doc in list(documents):
        people = sorted(set(everyone[doc]))
        kept = people if allowed is None else [p for p in people if p in allowed]
        if allowed is not None and not kept:
            del documents[doc]
            continue
        members[doc] = tuple(kept)
    shared = {d for d in documents if len(set(everyone[d])) > 1 or d in mapped}
    ids = sorted({p for ps in members.values() for p in ps})
    pids: dict[int, str] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        pids.update(
            db.execute(f"SELECT id, pid FROM participants WHERE id IN ({_marks(part)})", part)
        )
    return Scope(filters, documents, members, shared, {p: pids[p] for p in ids})


def shared_credit(
    db: Any, scope: Scope, spans: bool = False
) -> Iterator[tuple[int, int, int, int, int, tuple[int, ...]]]:
    """The codings of the scope's shared documents (coder filter applied), each once, in
    id order, as (coding id, document id, code id, start, end, participants it counts for
    among those in scope (sorted ids; empty for nobody)). `spans` False gives start and
    end as 0 (not read)."""
    if not scope.shared:
        return
    docs = sorted(scope.shared)
    conds, cond_args = coding_conditions(scope.filters)  # coders, skip_interviewer
    coder = "".join(f" AND {cond}" for cond in conds)
    span = 'c.start, c."end"' if spans else "0, 0"
    rows = db.execute(
        f"SELECT c.id, c.document_id, c.code_id, {span}, dp.participant_id FROM codings c "
        "LEFT JOIN document_participants dp ON dp.document_id = c.document_id AND ("
        "  NOT EXISTS (SELECT 1 FROM speaker_participants sp"
        "    WHERE sp.document_id = c.document_id)"
        "  OR EXISTS (SELECT 1 FROM speaker_participants sp JOIN segments s"
        "    ON s.document_id = sp.document_id AND s.kind = 'turn' AND s.speaker = sp.speaker"
        "    WHERE sp.document_id = c.document_id AND sp.participant_id = dp.participant_id"
        '    AND s.start < c."end" AND s."end" > c.start))'
        f" WHERE c.document_id IN ({_marks(docs)}){coder} ORDER BY c.id",
        [*docs, *cond_args],
    )
    current: tuple[int, int, int, int, int] | None = None  # coding, document, code, start, end
    people: set[int] = set()
    for coding, doc, code, start, end, person in rows:
        if current is None or current[0] != coding:
            if current is not None:
                yield _credited(current, people, scope)
            current, people = (coding, doc, code, start, end), set()
        if person is not None:
            people.add(person)
    if current is not None:
        yield _credited(current, people, scope)


def _credited(
    row: tuple[int, int, int, int, int], people: set[int], scope: Scope
) -> tuple[int, int, int, int, int, tuple[int, ...]]:
    in_scope = set(scope.members[row[1]])
    return (*row, tuple(sorted(people & in_scope)))


def speaker_lines(speakers: dict[str, str | None], participants: list[str]) -> list[str]:
    """What a document's speaker map means for its counts, as lines for the CLI and the
    workbench: `speakers` as Project.speaker_map, `participants` as
    Project.document_participants (pids)."""
    listed = ", ".join(f"{s} -> {p}" if p else f"{s} (not mapped)" for s, p in speakers.items())
    lines = [f"speakers: {listed or 'none'}", f"participants: {', '.join(participants) or 'none'}"]
    mapped = {p for p in speakers.values() if p}
    if mapped:
        lines.append(
            "a coding here counts for each participant whose mapped turns it overlaps; "
            "in an unmapped turn, for nobody"
        )
        idle = [p for p in participants if p not in mapped]
        if idle:
            lines.append(f"no turn mapped to {', '.join(idle)}: nothing here counts for them")
    elif len(participants) > 1:
        lines.append("no speaker mapped: each coding here counts for every participant")
    return lines


SHARED_DOCUMENTS_SQL = (
    "SELECT document_id FROM document_participants GROUP BY document_id HAVING count(*) > 1 "
    "UNION SELECT document_id FROM speaker_participants"
)


def shared_document_ids(db: Any) -> set[int]:
    """Every document whose codings are credited one by one (several participants, or
    speakers mapped), whatever the filters."""
    return {r[0] for r in db.execute(SHARED_DOCUMENTS_SQL)}


def code_usage(db: Any, code_id: int | None = None) -> dict[int, tuple[int, int]]:
    """Per code id (or just `code_id`): (codings, participants they count for) of that
    code alone, over the whole project, by the rule above. Codes without codings are
    left out."""
    only = " WHERE c.code_id = ?" if code_id is not None else ""
    args = [code_id] if code_id is not None else []
    shared = shared_document_ids(db)
    people: dict[int, set[int]] = {}
    for code, person in db.execute(
        "SELECT DISTINCT c.code_id, d.participant_id FROM codings c JOIN documents d "
        f"ON d.id = c.document_id{only or ' WHERE 1'} AND d.participant_id IS NOT NULL "
        f"AND d.id NOT IN ({SHARED_DOCUMENTS_SQL})",
        args,
    ):
        people.setdefault(code, set()).add(person)
    if shared:
        for _id, _doc, code, _s, _e, credited in shared_credit(db, load_scope(db, None)):
            if code_id is None or code == code_id:
                people.setdefault(code, set()).update(credited)
    return {
        code: (count, len(people.get(code, ())))
        for code, count in db.execute(
            f"SELECT c.code_id, count(*) FROM codings c{only} GROUP BY c.code_id", args
        )
    }


def span_participants(db: Any, document_id: int, start: int, end: int) -> list[str]:
    """The pids a coding of [start, end) in this document would count for (no filters),
    in pid order: what a listing shows for a passage of a focus group."""
    rows = db.execute(
        "SELECT p.pid FROM document_participants dp JOIN participants p "
        "ON p.id = dp.participant_id WHERE dp.document_id = ? AND ("
        "  NOT EXISTS (SELECT 1 FROM speaker_participants sp WHERE sp.document_id = ?)"
        "  OR EXISTS (SELECT 1 FROM speaker_participants sp JOIN segments s"
        "    ON s.document_id = sp.document_id AND s.kind = 'turn' AND s.speaker = sp.speaker"
        "    WHERE sp.document_id = ? AND sp.participant_id = dp.participant_id"
        '    AND s.start < ? AND s."end" > ?)) ORDER BY p.pid',
        [document_id, document_id, document_id, end, start],
    )
    return [r[0] for r in rows]

"""The filters every analysis table (and `qualcode excerpts`) takes: their parsing from
command-line text, their check against a project (one-line errors listing what exists),
and the SQL conditions on documents they become. No pandas here."""

from __future__ import annotations

from collections.abc import Iterable, Sized
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qualcode.errors import QualcodeError

if TYPE_CHECKING:
    from qualcode.store import ProjectDatabase


@dataclass(frozen=True)
class Filters:
    """Which documents, codings and participants a table looks at.

    - kinds: document kinds to keep ("interview", "report"); empty keeps all.
    - coders: coders whose codings count; empty keeps all.
    - where: (attribute, value) conditions on participants. Conditions on different
      attributes must all hold; several values of one attribute are alternatives
      (`sex=F` and `sex=M` together keep both). Values compare case-insensitively.
    - participants: participant ids to keep; empty keeps all.
    - skip_interviewer: leave out the codings that lie wholly inside one turn of a speaker
      label marked as the interviewer's (Project.mark_interviewer); a coding that reaches
      into a participant's turn still counts. resolve_filters fills `interviewers` with
      the marked labels (an error when none is marked).

    Documents without a participant are kept only when neither `where` nor
    `participants` is given (they have no attributes to match).
    """

    kinds: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    participants: tuple[str, ...] = field(default=())
    skip_interviewer: bool = False
    interviewers: tuple[str, ...] = ()  # the marked labels, set by resolve_filters

    def __post_init__(self) -> None:
        # Accept lists from callers; keep the dataclass hashable and immutable.
        for name in ("kinds", "coders", "participants", "interviewers"):
            object.__setattr__(self, name, tuple(getattr(self, name) or ()))
        object.__setattr__(self, "where", tuple((str(a), str(v)) for a, v in (self.where or ())))

    @property
    def restricts_participants(self) -> bool:
        return bool(self.where or self.participants)

    def describe(self) -> str:
        """A short human label ('kind=report, sex=F'), empty when nothing is filtered."""
        parts = [f"kind={'|'.join(self.kinds)}"] if self.kinds else []
        values: dict[str, list[str]] = {}
        for a, v in self.where:  # values of one attribute are alternatives
            values.setdefault(a, []).append(v)
        parts += [f"{a}={'|'.join(vs)}" for a, vs in values.items()]
        if self.coders:
            parts.append(f"coder={'|'.join(self.coders)}")
        if self.participants:
            parts.append(f"participants={','.join(self.participants)}")
        if self.skip_interviewer:
            parts.append("without interviewer turns")
        return ", ".join(parts)

    @classmethod
    def from_options(
        cls,
        kinds: Iterable[str] | None = (),
        coders: Iterable[str] | None = (),
        where: Iterable[str] | None = (),
        participants: Iterable[str] | None = (),
        skip_interviewer: bool = False,
    ) -> Filters:
        """Build from CLI-style text: where items 'ATTR=VALUE', participants 'R1,R2'."""
        pairs = []
        for item in where or ():
            attr, sep, value = item.partition("=")
            if not sep or not attr.strip() or not value.strip():
                raise QualcodeError(f"--where {item!r}: expected ATTRIBUTE=VALUE, e.g. sex=F")
            pairs.append((attr.strip(), value.strip()))
        people = [p.strip() for chunk in participants or () for p in chunk.split(",") if p.strip()]

        def split(items: Iterable[str] | None) -> list[str]:
            return [x.strip() for chunk in items or () for x in chunk.split(",") if x.strip()]

        return cls(
            kinds=tuple(split(kinds)),
            coders=tuple(split(coders)),
            where=tuple(pairs),
            participants=tuple(people),
            skip_interviewer=skip_interviewer,
        )


def resolve_filters(db: ProjectDatabase, filters: Filters | None) -> Filters:
    """Check every filter value against the project and return them as stored."""
    filters = filters or Filters()
    kinds = _canonical(
        filters.kinds,
        [r[0] for r in db.execute("SELECT DISTINCT kind FROM documents")],
        "document kind",
    )
    known = known_coders(db) if filters.coders else []
    coders = tuple(stored_coder(c, known) for c in filters.coders)
    people = _canonical(
        filters.participants,
        [r[0] for r in db.execute("SELECT pid FROM participants")] if filters.participants else [],
        "participant",
    )
    where = []
    if filters.where:
        values: dict[str, set[str]] = {}
        for name, value in db.execute("SELECT DISTINCT name, value FROM attributes"):
            values.setdefault(name, set()).add(value)
        names = {n.casefold(): n for n in values}
        for attr, value in filters.where:
            if attr.casefold() not in names:
                raise QualcodeError(
                    f"no participant attribute {attr!r} (attributes: {_listing(values)})"
                )
            name = names[attr.casefold()]
            stored = sorted(
                v for v in values[name] if v is not None and v.casefold() == value.casefold()
            )
            if not stored:
                raise QualcodeError(
                    f"no participant has {name}={value} ({name} values: {_listing(values[name])})"
                )
            where += [(name, v) for v in stored]  # 'F' and 'f' alike
    interviewers: tuple[str, ...] = ()
    if filters.skip_interviewer:
        interviewers = _interviewer_labels(db)
    return Filters(
        kinds=kinds,
        coders=coders,
        where=tuple(where),
        participants=people,
        skip_interviewer=filters.skip_interviewer,
        interviewers=interviewers,
    )


def known_coders(db: Any) -> list[str]:
    """Every coder of the project, sorted: those with codings, and the project's
    configured coder (who may have none yet). The one list every command that takes
    coder names checks them against (stored_coder).

    The distinct coders are found by seeking along the codings_by_coder index, one seek
    per coder, instead of reading every coding."""
    rows = db.execute(
        "WITH RECURSIVE c(name) AS (SELECT min(coder) FROM codings UNION ALL "
        "SELECT (SELECT min(coder) FROM codings WHERE coder > c.name) FROM c "
        "WHERE c.name IS NOT NULL) SELECT name FROM c WHERE name IS NOT NULL"
    )
    known = {r[0] for r in rows}
    configured = db.execute("SELECT value FROM meta WHERE key = 'coder'").fetchone()
    if configured and configured[0]:
        known.add(configured[0])
    return sorted(known)


def stored_coder(name: str, known: list[str]) -> str:
    """The coder `name` as stored: the exact name, else the one known name equal to it
    ignoring case and surrounding spaces. Raises QualcodeError "no coder 'x' in this
    project (known: a, b)" for a name that is no coder of the project (a typo), or that
    matches several ignoring case."""
    if name in known:
        return name
    folded = [k for k in known if k.casefold() == name.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    listing = _listing(known)
    if folded:
        raise QualcodeError(f"coder {name!r} matches {', '.join(folded)}: give the exact name")
    raise QualcodeError(f"no coder {name!r} in this project (known: {listing})")


def _interviewer_labels(db: Any) -> tuple[str, ...]:
    import json

    row = db.execute("SELECT value FROM meta WHERE key = 'interviewer_speakers'").fetchone()
    labels = tuple(json.loads(row[0])) if row and row[0] else ()
    if not labels:
        raise QualcodeError(
            "no speaker is marked as the interviewer, so no turn can be left out: "
            "mark one with `qualcode speakers PROJECT --interviewer LABEL` (or ctrl+s in the "
            "workbench)"
        )
    return labels


def _canonical(given: Iterable[str], known: Iterable[str | None], label: str) -> tuple[str, ...]:
    """The stored values matching each given one case-insensitively (all of them:
    'F' and 'f' may both be stored), or a one-line error listing what exists."""
    by_fold: dict[str, list[str]] = {}
    for k in known:
        if k is not None:
            by_fold.setdefault(k.casefold(), []).append(k)
    out = []
    for item in given:
        if item.casefold() not in by_fold:
            listing = _listing(v for vs in by_fold.values() for v in vs)
            raise QualcodeError(f"no {label} {item!r} in this project (known: {listing})")
        out += sorted(by_fold[item.casefold()])
    return tuple(out)


def _listing(items: Iterable[str | None]) -> str:
    names = sorted(i for i in items if i is not None)
    return ", ".join(names) if names else "none"


def participant_condition(filters: Filters, alias: str = "p") -> tuple[str, list[Any]]:
    """SQL conditions on participants `alias` for the `where` and `participants` filters
    ("1" when there are none)."""
    where: list[str] = []
    args: list[Any] = []
    by_attr: dict[str, list[str]] = {}
    for name, value in filters.where:
        by_attr.setdefault(name, []).append(value)
    for name, values in by_attr.items():
        where.append(
            f"{alias}.id IN (SELECT participant_id FROM attributes "
            f"WHERE name = ? AND value IN ({_marks(values)}))"
        )
        args += [name, *values]
    if filters.participants:
        where.append(f"{alias}.pid IN ({_marks(filters.participants)})")
        args += filters.participants
    return (" AND ".join(where) or "1"), args


def document_scope(filters: Filters) -> tuple[str, list[Any]]:
    """SQL conditions on documents `d` for these filters: the kind, and with participant
    filters, at least one participant of the document (a focus group has several) who
    passes them all."""
    where: list[str] = []
    args: list[Any] = []
    if filters.kinds:
        where.append(f"d.kind IN ({_marks(filters.kinds)})")
        args += filters.kinds
    if filters.restricts_participants:
        person, person_args = participant_condition(filters, "scope_p")
        where.append(
            "EXISTS (SELECT 1 FROM document_participants scope_dp JOIN participants scope_p "
            "ON scope_p.id = scope_dp.participant_id "
            f"WHERE scope_dp.document_id = d.id AND {person})"
        )
        args += person_args
    return (" AND ".join(where) or "1"), args


def coding_conditions(filters: Filters, alias: str = "c") -> tuple[list[str], list[Any]]:
    """The SQL conditions (and their arguments) on codings `alias` for the filters that
    act on codings themselves: the coders, and skip_interviewer (coding_scope). One
    place for every table's coding query (frequencies, data, credit)."""
    conds: list[str] = []
    args: list[Any] = []
    if filters.coders:
        conds.append(f"{alias}.coder IN ({_marks(filters.coders)})")
        args += filters.coders
    if filters.skip_interviewer:
        turn_cond, turn_args = coding_scope(filters, alias)
        conds.append(turn_cond)
        args += turn_args
    return conds, args


def coding_scope(filters: Filters, alias: str = "c") -> tuple[str, list[Any]]:
    """SQL condition on codings `alias` for the filters' skip_interviewer (after
    resolve_filters): keep a coding unless every turn it overlaps is an interviewer's and
    it overlaps at least one (labels and blank lines between turns are nobody's words;
    text outside every turn keeps it). Turns do not overlap, so those a coding overlaps
    are the last one starting at or before it plus those starting inside it: two index
    seeks on segments_by_document per coding, not a scan of the document's turns."""
    if not filters.skip_interviewer or not filters.interviewers:
        return "1", []
    c = alias
    return (
        f"NOT (SELECT coalesce(min(coalesce(t.speaker IN ({_marks(filters.interviewers)}), 0)), 0) "
        'FROM (SELECT speaker, "end" FROM segments WHERE id = (SELECT s.id FROM segments s '
        f"WHERE s.document_id = {c}.document_id AND s.kind = 'turn' AND s.start <= {c}.start "
        'ORDER BY s.start DESC LIMIT 1) UNION ALL SELECT speaker, "end" FROM segments '
        f"WHERE document_id = {c}.document_id AND kind = 'turn' AND start > {c}.start "
        f'AND start < {c}."end") t WHERE t."end" > {c}.start)'
    ), list(filters.interviewers)


def _marks(items: Sized) -> str:
    return ",".join("?" * len(items))


def coders_with_codings(db: Any, filters: Filters) -> list[str]:
    """The coders (sorted) with codings that pass the filters' coding conditions
    (coding_conditions: --coder, --skip-interviewer): whose codings a table pools."""
    conds, args = coding_conditions(filters)
    where = " WHERE " + " AND ".join(conds) if conds else ""
    query = f"SELECT DISTINCT c.coder FROM codings c{where} ORDER BY 1"
    return [r[0] for r in db.execute(query, args)]


def pooled_coders_note(coders: list[str], command_hint: bool = True) -> str:
    """The note of a table whose codings column counts several coders' codings ("" for
    one coder): a passage two coders coded counts once for each. `command_hint`: end
    with the option that counts one coder (the terminal's note; not a paper's)."""
    if len(coders) < 2:
        return ""
    hint = " (--coder NAME for one coder)" if command_hint else ""
    return (
        f"codings of {len(coders)} coders pooled ({', '.join(coders)}): a passage coded "
        f"by two coders counts twice{hint}"
    )

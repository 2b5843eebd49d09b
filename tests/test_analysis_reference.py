"""Every analysis table equals a plain-Python computation over the raw codings,
on random projects (random code trees, participants, attributes, documents,
segments, codings by two coders, documents of several participants (focus groups)
with speaker turns mapped to participants or not) and random filters.

The counting rule (issue 12, item 7), read here in plain Python: a coding counts for
a participant when it is in a document of theirs and, where the document has speaker
turns mapped to participants, when it overlaps one of that participant's turns; each
coding once per participant."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.analysis import Filters
from qualcode.facade.codings import NewCoding
from qualcode.models import NewDocument, Segment
from qualcode.project import Project

KINDS = ("interview", "report", "notes")
CODERS = ("c1", "c2")


@dataclass
class World:
    codes: list[str]  # paths, parents before children
    people: dict[str, dict[str, str]]  # pid -> attributes
    docs: list[
        tuple[str | None, str, int, list[tuple[int, int]]]
    ]  # participant, kind, length, segments
    codings: list[tuple[int, int, int, int, str]]  # doc index, start, end, code index, coder
    extras: dict[int, list[str]] = field(default_factory=dict)  # doc -> other participants
    turns: dict[int, list[tuple[int, int, str]]] = field(default_factory=dict)  # start, end, who
    speakers: dict[int, dict[str, str]] = field(default_factory=dict)  # doc -> speaker -> pid


@st.composite
def worlds(draw) -> World:
    codes = []
    for t in range(draw(st.integers(1, 4))):
        codes.append(f"T{t}")
        for s in range(draw(st.integers(0, 3))):
            codes.append(f"T{t}/S{s}")
            for g in range(draw(st.integers(0, 2))):
                codes.append(f"T{t}/S{s}/G{g}")
    people = {}
    for i in range(1, draw(st.integers(1, 6)) + 1):
        attrs = {}
        if draw(st.booleans()):
            attrs["sex"] = draw(st.sampled_from(["F", "M"]))
        attrs["grp"] = draw(st.sampled_from(["a", "b"]))
        people[f"P{i}"] = attrs
    docs = []
    for _ in range(draw(st.integers(0, 7))):
        who = draw(st.one_of(st.none(), st.sampled_from(sorted(people))))
        length = draw(st.integers(10, 60))
        cuts = sorted(draw(st.sets(st.integers(0, length), max_size=6)))
        segments = [(a, b) for a, b in zip(cuts, cuts[1:]) if draw(st.booleans())]
        docs.append((who, draw(st.sampled_from(KINDS)), length, segments))
    extras, turns, speakers = {}, {}, {}
    for d, (_, _, length, _) in enumerate(docs):
        if draw(st.booleans()):  # a focus group: other participants too
            extras[d] = draw(st.lists(st.sampled_from(sorted(people)), unique=True, max_size=3))
        if draw(st.booleans()):  # speaker turns, some mapped to participants
            cuts = sorted(draw(st.sets(st.integers(0, length), min_size=2, max_size=6)))
            turns[d] = [(a, b, draw(st.sampled_from("ABC"))) for a, b in zip(cuts, cuts[1:])]
            labels = sorted({t[2] for t in turns[d]})
            chosen = draw(st.lists(st.sampled_from(labels), unique=True, max_size=len(labels)))
            speakers[d] = {sp: draw(st.sampled_from(sorted(people))) for sp in chosen}
    codings = []
    if docs:
        for _ in range(draw(st.integers(0, 30))):
            d = draw(st.integers(0, len(docs) - 1))
            start = draw(st.integers(0, docs[d][2] - 1))
            end = draw(st.integers(start + 1, docs[d][2]))
            codings.append(
                (d, start, end, draw(st.integers(0, len(codes) - 1)), draw(st.sampled_from(CODERS)))
            )
    return World(codes, people, docs, codings, extras, turns, speakers)


@st.composite
def filters_for(draw, world: World) -> Filters:
    kinds = sorted({k for _, k, _, _ in world.docs})
    pick = lambda items: (
        draw(st.lists(st.sampled_from(items), unique=True, max_size=2)) if items else []
    )  # noqa: E731
    pairs = sorted({(a, v) for attrs in world.people.values() for a, v in attrs.items()})
    return Filters(
        kinds=pick(kinds),
        coders=pick(sorted({c[4] for c in world.codings})),
        where=pick(pairs),
        participants=pick(sorted(world.people)),
    )


def build(world: World, folder: Path) -> Project:
    p = Project.create(folder / "w.qualcode", coder="c1")
    for path in world.codes:
        p.add_code(path)
    news = [
        NewDocument(
            who,
            kind,
            f"doc{i}",
            "x" * length,
            segments=tuple(Segment(a, b, "sentence") for a, b in segs)
            + tuple(Segment(a, b, "turn", who) for a, b, who in world.turns.get(i, [])),
        )
        for i, (who, kind, length, segs) in enumerate(world.docs)
    ]
    ids = p.add_documents(news)
    p.upsert_participants([(pid, None, attrs) for pid, attrs in world.people.items()])
    for d, pids in world.extras.items():
        if pids:
            p.add_document_participants(ids[d], pids)
    for d, mapping in world.speakers.items():
        for speaker, pid in mapping.items():
            p.set_speaker(ids[d], speaker, pid)
    code_id = {c.path: c.id for c in p.codes()}
    p.add_codings(
        [
            NewCoding(ids[d], s, e, code_id[world.codes[c]], coder)
            for d, s, e, c, coder in world.codings
        ]
    )
    return p


# --- the reference: plain Python over the raw lists --------------------------------
def restricted(f) -> bool:
    return bool(f.where or f.participants)


def passes(world, f, pid) -> bool:
    if f.participants and pid not in f.participants:
        return False
    attrs = world.people[pid]
    return all(
        attrs.get(name) in {v for a, v in f.where if a == name} for name in {a for a, _ in f.where}
    )


def members(world, f, d) -> set[str]:
    """The participants of document d that are in scope of f."""
    who = world.docs[d][0]
    everyone = ({who} | set(world.extras.get(d, [])) | set(world.speakers.get(d, {}).values())) - {
        None
    }
    return {m for m in everyone if not restricted(f) or passes(world, f, m)}


def doc_in_scope(world, f, d):
    kind = world.docs[d][1]
    if f.kinds and kind not in f.kinds:
        return False
    return not restricted(f) or bool(members(world, f, d))


def credit(world, f, c) -> set[str]:
    """The participants in scope a coding counts for."""
    d, start, end = c[0], c[1], c[2]
    mapping = world.speakers.get(d)
    if mapping:
        got = {
            mapping[sp] for s, e, sp in world.turns[d] if sp in mapping and s < end and e > start
        }
    else:
        got = members(world, f, d)
    return got & members(world, f, d)


def scoped(world, f):
    docs = [d for d in range(len(world.docs)) if doc_in_scope(world, f, d)]
    codings = [
        c
        for c in world.codings
        if c[0] in docs
        and (not f.coders or c[4] in f.coders)
        and (not restricted(f) or credit(world, f, c))
    ]
    people = {m for d in docs for m in members(world, f, d)}
    return docs, codings, people


def subtree(world, path):
    return {i for i, c in enumerate(world.codes) if c == path or c.startswith(path + "/")}


def ref_frequencies(world, f):
    docs, codings, people = scoped(world, f)
    out = {}
    for path in world.codes:
        mine = [c for c in codings if c[3] in subtree(world, path)]
        who = {m for c in mine for m in credit(world, f, c)}
        row = {
            "n": len(who),
            "N": len(people),
            "codings": len(mine),
            "documents": len({c[0] for c in mine}),
        }
        for kind in {world.docs[d][1] for d in docs}:
            row[f"n_{kind}"] = len(
                {m for c in mine if world.docs[c[0]][1] == kind for m in credit(world, f, c)}
            )
        out[path] = row
    return out


def mapped(world, index, depth):
    path = world.codes[index]
    return path if depth is None else "/".join(path.split("/")[: depth + 1])


def kept(world, depth):
    return [c for c in world.codes if depth is None or c.count("/") <= depth]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_tables_equal_reference(data):
    world = data.draw(worlds())
    f = data.draw(filters_for(world))
    depth = data.draw(st.sampled_from([None, 0, 1]))
    with tempfile.TemporaryDirectory() as tmp, build(world, Path(tmp)) as p:
        check_frequencies(p, world, f)
        check_crosstab(p, world, f)
        check_matrix(p, world, f, depth)
        check_cooccurrence(p, world, f, depth)
        check_saturation(p, world, f, depth)


def check_frequencies(p, world, f):
    table = p.frequencies(f)
    ref = ref_frequencies(world, f)
    assert sorted(table["code"]) == sorted(world.codes)
    for row in table.to_dict("records"):
        expected = ref[row["code"]]
        assert {k: row[k] for k in expected} == expected, row["code"]
    # order: siblings by descending n
    for parent, group in table.groupby("parent", sort=False):
        assert list(group["n"]) == sorted(group["n"], reverse=True)


def check_crosstab(p, world, f):
    table = p.crosstab("grp", f)
    _, codings, people = scoped(world, f)
    for row in table.to_dict("records"):
        for g in ("a", "b"):
            members = {pid for pid in people if world.people[pid]["grp"] == g}
            if not members:
                assert f"{g} n" not in row
                continue
            who = {
                m
                for c in codings
                if c[3] in subtree(world, row["code"])
                for m in credit(world, f, c)
            }
            assert (row[f"{g} n"], row[f"{g} N"]) == (len(who & members), len(members))


def check_matrix(p, world, f, depth):
    _, codings, people = scoped(world, f)
    presence, counts = p.matrix(f, "presence", depth), p.matrix(f, "counts", depth)
    assert list(presence.index) == sorted(people, key=lambda s: int(s[1:]))
    assert list(presence.columns) == kept(world, depth)
    for pid in people:
        for path in kept(world, depth):
            mine = [
                c for c in codings if pid in credit(world, f, c) and c[3] in subtree(world, path)
            ]
            assert counts.loc[pid, path] == len(mine)
            assert presence.loc[pid, path] == int(bool(mine))


def check_cooccurrence(p, world, f, depth):
    _, codings, people = scoped(world, f)
    labels = kept(world, depth)
    segments = {d: segs for d, (_, _, _, segs) in enumerate(world.docs)}
    from qualcode.analysis import overlap as module

    for unit, list_pairs_below, at_once, pooled in (
        (None, 8, 2_000_000, False),
        ("sentence", 8, 2_000_000, False),
        (None, 8, 3, False),  # pairs listed a few at a time
        (None, 0, 2_000_000, False),
        ("sentence", 0, 2_000_000, False),
        (None, 8, 2_000_000, True),
        ("sentence", 0, 2_000_000, True),
    ):
        module.LIST_PAIRS_BELOW = list_pairs_below  # 0: count through running totals per code
        module.PAIRS_AT_ONCE = at_once
        try:
            table = p.cooccurrence(f, mode="segment", unit=unit, depth=depth, pooled=pooled)
        finally:
            module.LIST_PAIRS_BELOW, module.PAIRS_AT_ONCE = 24, 2_000_000
        ref = {(x, y): 0 for x in labels for y in labels}
        for i, a in enumerate(codings):
            ref[(mapped(world, a[3], depth),) * 2] += 1
            for b in codings[i + 1 :]:
                x, y = mapped(world, a[3], depth), mapped(world, b[3], depth)
                if a[0] != b[0] or x == y:
                    continue
                if not pooled and a[4] != b[4]:  # by default within one coder's codings
                    continue
                overlap = a[1] < b[2] and b[1] < a[2]
                shared = unit and any(
                    s < a[2] and a[1] < e and s < b[2] and b[1] < e for s, e in segments[a[0]]
                )
                if overlap or shared:
                    ref[(x, y)] += 1
                    ref[(y, x)] += 1
        assert {(x, y): table.loc[x, y] for x in labels for y in labels} == ref, unit
    table = p.cooccurrence(f, mode="participant", depth=depth)
    # a code is present for a participant when it or any descendant is coded (a union)
    has = {
        pid: {
            x
            for x in labels
            for c in codings
            if pid in credit(world, f, c) and c[3] in subtree(world, x)
        }
        for pid in people
    }
    for x in labels:
        for y in labels:
            assert table.loc[x, y] == sum(1 for s in has.values() if x in s and y in s)


def check_saturation(p, world, f, depth):
    docs, codings, _ = scoped(world, f)
    table = p.saturation(f, depth=depth)
    seen, rows = set(), []
    for d in docs:  # import order
        found = {mapped(world, c[3], depth) for c in codings if c[0] == d}
        new = [c for c in kept(world, depth) if c in found - seen]
        seen |= found
        rows.append(
            (f"doc{d}", len([c for c in codings if c[0] == d]), len(new), len(seen), "; ".join(new))
        )
    got = list(
        zip(table["label"], table["codings"], table["new"], table["cumulative"], table["new_codes"])
    )
    assert got == rows
    by_person = p.saturation(f, unit="participant", depth=depth)
    order = []
    for d in docs:  # in order of their first document; a focus group's in natural order
        for who in sorted(members(world, f, d), key=lambda s: int(s[1:])):
            if who not in order:
                order.append(who)
    seen, cumulative = set(), []
    for who in order:
        seen |= {mapped(world, c[3], depth) for c in codings if who in credit(world, f, c)}
        cumulative.append(len(seen))
    assert list(by_person["label"]) == order and list(by_person["cumulative"]) == cumulative


def test_codings_too_many_for_one_sqlite_string_are_read_row_by_row(tmp_path):
    import sqlite3

    world = World(
        ["T0", "T0/S0", "T1"],
        {"P1": {"grp": "a"}, "P2": {"grp": "b"}},
        [("P1", "interview", 40, [(0, 20)]), ("P2", "report", 40, [])],
        [(0, 0, 5, 1, "c1"), (0, 3, 9, 2, "c2"), (1, 0, 40, 2, "c1")]
        + [(0, 25, 30, 0, "c1")] * 600,
    )
    with build(world, tmp_path) as p:
        before = (p.frequencies(), p.cooccurrence(unit="sentence", pooled=True))
        p.db.conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 700)  # group_concat's string now fails
        after = (p.frequencies(), p.cooccurrence(unit="sentence", pooled=True))
    assert before[0].equals(after[0]) and before[1].equals(after[1])
    assert after[0].set_index("code").loc["T0", ["n", "codings"]].tolist() == [1, 601]
    assert after[1].loc["T0/S0", "T1"] == 1

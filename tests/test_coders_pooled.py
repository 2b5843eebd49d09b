"""Double coding is not co-occurrence: with several coders, co-occurrence counts pairs
within each coder's codings (a plain-Python recount here), freq says when its codings
column pools coders, and member checks can be of one coder's codings."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.project import Project


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from qualcode.demo import build_demo

    path = tmp_path_factory.mktemp("pooled") / "demo.qualcode"
    build_demo(path).close()
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def recount(excerpts, within_coder: bool) -> Counter:
    """Unordered pairs of codings of two different codes whose spans overlap, in one
    document (and, within_coder, by one coder), by code pair."""
    pairs: Counter = Counter()
    for a, b in combinations(excerpts, 2):
        if a.document_id != b.document_id or a.code_path == b.code_path:
            continue
        if within_coder and a.coder != b.coder:
            continue
        if a.start < b.end and b.start < a.end:
            pairs[tuple(sorted((a.code_path, b.code_path)))] += 1
    return pairs


def grid_pairs(table) -> Counter:
    labels = [r[0] for r in table.rows]
    out: Counter = Counter()
    for i, a in enumerate(labels):
        for j, b in enumerate(labels):
            if a < b and table.rows[i][j + 1]:
                out[(a, b)] = table.rows[i][j + 1]
    return out


def test_cooccurrence_counts_within_each_coder_by_default(demo):
    with Project.open(demo) as p:
        excerpts = p.excerpts()
        within = p.cooccurrence_table()
        pooled = p.cooccurrence_table(pooled=True)
    assert {e.coder for e in excerpts} == {"coder1", "coder2"}
    expected_within, expected_pooled = recount(excerpts, True), recount(excerpts, False)
    # the demo's second coder overlaps the first on other codes: pooling inflates the table
    assert sum(expected_pooled.values()) > sum(expected_within.values())
    assert grid_pairs(within) == expected_within
    assert grid_pairs(pooled) == expected_pooled
    assert within.attrs["coders"] == ["coder1", "coder2"] and within.attrs["pooled"] is False
    diagonal = Counter(e.code_path for e in excerpts)
    labels = [r[0] for r in within.rows]
    assert all(within.rows[i][i + 1] == diagonal.get(c, 0) for i, c in enumerate(labels))


def test_cooccur_cli_says_how_coders_count(demo):
    r = run("cooccur", demo, "--top", "50")
    assert r.exit_code == 0, r.output
    # the last lines: the coders, then the demo's themes coded only through subcodes
    assert r.output.splitlines()[-2] == (
        "Coders: pairs within each coder's own codings, summed over 2 coders (coder1, coder2)"
    )
    assert r.output.splitlines()[-1].startswith("Note: 5 themes coded only through")
    with Project.open(demo) as p:
        expected = recount(p.excerpts(), True)
    listed = [line for line in r.output.splitlines() if " + " in line]
    assert len(listed) == len(expected)
    r = run("cooccur", demo, "--top", "50", "--pool-coders")
    assert "codings of all 2 coders pooled (coder1, coder2)" in r.output.splitlines()[-2]
    md = run("cooccur", demo, "--format", "md").output
    assert md.rstrip().splitlines()[-1].startswith("Coders: pairs within each coder's own codings")
    one = run("cooccur", demo, "--coder", "coder1")
    assert "Coders:" not in one.output


def union_passages(excerpts) -> set:
    """(code, document, start, end) of the union of each code's overlapping spans."""
    out = set()
    groups: dict = {}
    for e in excerpts:
        groups.setdefault((e.code_path, e.document), []).append((e.start, e.end))
    for (code, document), spans in groups.items():
        spans.sort()
        start, end = spans[0]
        for s, t in spans[1:]:
            if s < end:
                end = max(end, t)
            else:
                out.add((code, document, start, end))
                start, end = s, t
        out.add((code, document, start, end))
    return out


def report_passages(report) -> list:
    found = []
    for theme in report.themes:
        found += [(theme.name, p.document, p.start, p.end, p.text) for p in theme.passages]
        for sub in theme.subthemes:
            found += [(sub.name, p.document, p.start, p.end, p.text) for p in sub.passages]
    return found


def test_member_check_shows_each_passage_once_and_takes_a_coder(demo, tmp_path):
    from qualcode.analysis.filters import Filters

    with Project.open(demo) as p:
        both = p.excerpts(filters=Filters(participants=("R5",)))
        mine = [e for e in both if e.coder == "coder2"]
        report = p.member_check("R5")
        second = p.member_check("R5", coder="coder2")
        text = {d.title: p.document(d.id).text for d in p.documents()}
    assert {e.coder for e in both} == {"coder1", "coder2"}
    expected = union_passages(both)
    got = report_passages(report)
    leaf = {(c.rsplit("/", 1)[-1], d, s, t) for c, d, s, t in expected}
    assert {(n, d, s, t) for n, d, s, t, _ in got} == leaf and len(got) == len(expected)
    assert len(expected) < len({(e.code_path, e.document, e.start, e.end) for e in both})
    for _, document, start, end, passage in got:  # the union's text is the document's
        assert passage == " ".join(text[document][start:end].split())
    assert ("Wide perspective", "R5_report", 2139, 2350) in {g[:4] for g in got}
    assert len(report_passages(second)) == len(union_passages(mine))
    r = run(
        "member-check", demo, "--participant", "R5", "--coder", "coder2", "-o", tmp_path / "m.md"
    )
    assert r.exit_code == 0 and f"{len(union_passages(mine))} passages" in r.output
    r = run(
        "member-check", demo, "--participant", "R5", "--coder", "nobody", "-o", tmp_path / "n.md"
    )
    assert r.exit_code == 1 and "no coder 'nobody'" in r.output


def test_freq_says_when_its_codings_pool_coders(demo):
    r = run("freq", demo)
    note = (
        "codings of 2 coders pooled (coder1, coder2): a passage coded by two coders counts "
        "twice (--coder NAME for one coder)"
    )
    assert r.output.splitlines()[-1] == note
    # a paper's note does not tell the reader a command-line option
    md = run("freq", demo, "--format", "md").output
    assert note.removesuffix(" (--coder NAME for one coder)") in md
    assert "--coder" not in md
    one = run("freq", demo, "--coder", "coder1")
    assert "pooled" not in one.output
    with Project.open(demo) as p:
        codings = {(e.code_path, e.coder) for e in p.excerpts()}
    assert {c for _, c in codings} == {"coder1", "coder2"}

"""Analysis tables without the interviewer's turns (Filters.skip_interviewer, the CLI's
--skip-interviewer): every count checked against a plain-Python count made from the texts
themselves (turns found here by a regex over the labels, not by qualcode's segmenter)."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.analysis import Filters
from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.errors import QualcodeError
from qualcode.project import Project
from tests.conftest import PIF

TEXTS = {
    "R1": (
        "Interviewer: Why did you choose an elective abroad?\n\n"
        "R1: Nobody in my class had done it. The ICU was loud.\n\n"
        "Interviewer: And later on, in the second month?\n\n"
        "R1: Later I led the morning rounds myself."
    ),
    "R2": (
        "INT: Tell me about the hospital.\n\n"
        "R2: It was small and the nurses taught me a lot.\n\n"
        "INT: Anything else you remember?\n\n"
        "R2: The long walks home after night shifts."
    ),
    "R3": (
        "Interviewer: How did it change you?\n\nR3: I listen more now, and I ask before I assume."
    ),
}
SEX = {"R1": "F", "R2": "M", "R3": "F"}
INTERVIEWERS = {"Interviewer", "INT"}
LABEL = re.compile(r"^([^:\n]+): ", re.M)


def turn_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of each turn: the words after its label up to the next label,
    trailing whitespace left out."""
    found = list(LABEL.finditer(text))
    spans = []
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        spans.append((m.end(), m.end() + len(text[m.end() : end].rstrip()), m.group(1)))
    return spans


def interviewer_only(text: str, start: int, end: int) -> bool:
    """Character by character: the coding holds some of the interviewer's words and none
    of anyone else's (labels and blank lines between turns are nobody's words)."""
    owner = {}
    for s, e, label in turn_spans(text):
        for i in range(s, e):
            owner[i] = label in INTERVIEWERS
    owners = {owner[i] for i in range(start, end) if i in owner}
    return owners == {True}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A project with the three interviews (imported from files, so that qualcode's own
    importer finds the turns) and the interviewer labels marked. Codings are added per test."""
    folder = tmp_path_factory.mktemp("interviewer")
    path = folder / "t.qualcode"
    p = Project.create(path, codebook=load_codebook(PIF), coder="tester")
    for pid, text in TEXTS.items():
        f = folder / f"{pid}.txt"
        f.write_text(text, encoding="utf-8")
        p.import_files([f], participant=pid, attributes={"sex": SEX[pid]}, sentences="no")
    p.mark_interviewer(sorted(INTERVIEWERS))
    leaves = [c for c in p.codes() if not any(d.parent_id == c.id for d in p.codes())]
    p.close()
    return path, leaves[:4]


def test_the_importer_finds_the_turns_the_reference_does(corpus):
    path, _ = corpus
    with Project.open(path) as p:
        for d in p.documents():
            turns = [(s.start, s.end, s.speaker) for s in p.segments(d.id) if s.kind == "turn"]
            assert turns == turn_spans(p.document(d.id).text)


def reference(project: Project, codings: list[tuple[str, int, int, int]], skip: bool):
    """Plain-Python tables: per code id, the participants and number of codings counted,
    rolled up to ancestors by union (as the study's table does)."""
    codes = project.codes()
    parent = {c.id: c.parent_id for c in codes}
    people: dict[int, set[str]] = {c.id: set() for c in codes}
    count: dict[int, int] = {c.id: 0 for c in codes}
    for pid, code_id, start, end in codings:
        if skip and interviewer_only(TEXTS[pid], start, end):
            continue
        node = code_id
        while node is not None:
            people[node].add(pid)
            count[node] += 1
            node = parent[node]
    return people, count


span = st.tuples(
    st.sampled_from(sorted(TEXTS)), st.integers(0, 3), st.integers(0, 200), st.integers(1, 60)
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(span, min_size=1, max_size=12))
def test_tables_without_interviewer_turns_match_a_plain_count(corpus, tmp_path_factory, drawn):
    path, leaves = corpus
    copy = tmp_path_factory.mktemp("copy") / "t.qualcode"
    copy.write_bytes(path.read_bytes())
    codings = []
    with Project.open(copy) as p:
        docs = {d.participant: d for d in p.documents()}
        for pid, which, start, length in drawn:
            text = TEXTS[pid]
            start = min(start, len(text) - 1)
            end = min(start + length, len(text))
            if (pid, leaves[which].id, start, end) in codings:
                continue  # the same coding twice is refused
            p.add_coding(docs[pid].id, start, end, leaves[which].id)
            codings.append((pid, leaves[which].id, start, end))
        for skip in (False, True):
            people, count = reference(p, codings, skip)
            table = p.frequency_table(Filters(skip_interviewer=skip)).to_frame()
            for row in table.to_dict("records"):
                code = p.code(row["code"])
                assert row["n"] == len(people[code.id]), (row["code"], skip)
                assert row["codings"] == count[code.id], (row["code"], skip)
                assert row["N"] == 3  # leaving turns out never changes who is in scope
            by_sex = p.crosstab("sex", Filters(skip_interviewer=skip))
            for _, row in by_sex.iterrows():
                code = p.code(row["code"])
                for sex in ("F", "M"):
                    assert row[f"{sex} n"] == len({x for x in people[code.id] if SEX[x] == sex})
            grid = p.matrix(Filters(skip_interviewer=skip))
            for leaf in leaves:
                for pid in TEXTS:
                    cell = grid.loc[pid, leaf.path] if leaf.path in grid.columns else 0
                    assert bool(cell) == (pid in people[leaf.id]), (pid, leaf.path, skip)
            both = p.cooccurrence(Filters(skip_interviewer=skip), mode="participant")
            for a, b in combinations(leaves, 2):
                expected = len(people[a.id] & people[b.id])
                if a.path in both.index and b.path in both.columns:
                    assert both.loc[a.path, b.path] == expected, (a.path, b.path, skip)
                else:
                    assert expected == 0


def test_skip_interviewer_needs_a_marked_label(project):
    with pytest.raises(QualcodeError, match="no speaker is marked as the interviewer"):
        project.frequency_table(Filters(skip_interviewer=True))


def test_cli_freq_skip_interviewer(corpus, tmp_path):
    path, leaves = corpus
    copy = tmp_path / "t.qualcode"
    copy.write_bytes(path.read_bytes())
    with Project.open(copy) as p:
        r1 = next(d for d in p.documents() if d.participant == "R1")
        question = TEXTS["R1"].index("Why did")
        answer = TEXTS["R1"].index("Nobody")
        p.add_coding(r1.id, question, question + 10, leaves[0].id)  # the interviewer's words
        p.add_coding(r1.id, answer, answer + 10, leaves[1].id)  # R1's words
    runner = CliRunner()
    plain = runner.invoke(main, ["freq", str(copy), "--format", "csv"])
    skipped = runner.invoke(main, ["freq", str(copy), "--format", "csv", "--skip-interviewer"])
    assert plain.exit_code == 0 and skipped.exit_code == 0, plain.output + skipped.output

    def n_of(output: str, code_path: str) -> str:
        line = next(x for x in output.splitlines() if x.startswith(code_path + ","))
        return line.split(",")[4]

    assert n_of(plain.output, leaves[0].path) == "1"
    assert n_of(skipped.output, leaves[0].path) == "0"
    assert n_of(skipped.output, leaves[1].path) == "1"
    for command in (["crosstab", "--by", "sex"], ["matrix"], ["cooccur"]):
        result = runner.invoke(main, [command[0], str(copy), *command[1:], "--skip-interviewer"])
        assert result.exit_code == 0, result.output

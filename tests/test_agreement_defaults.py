"""What plain `qualcode agreement` compares: coders with no codings in scope left out
(said above the table), the documents each coder coded (with --double-coded offered),
and one rounding for every statistic in the table and the exports."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def cells(output: str, code: str) -> list[str]:
    [line] = [line for line in output.splitlines() if line.startswith(code + " ")]
    return line.split()


@pytest.fixture
def team(tmp_path):
    """Made with --coder lead (who codes nothing); ana codes Stress on both documents,
    ben on P1 only: in P1 ana 0-20, ben 0-10; in P2 ana 0-10."""
    path = tmp_path / "t.qualcode"
    with Project.create(path, coder="lead") as p:
        p.upsert_participants([("P1", None, {}), ("P2", None, {})])
        p.add_documents(
            [
                NewDocument("P1", "interview", "P1 interview", "x" * 40),
                NewDocument("P2", "interview", "P2 interview", "y" * 40),
            ]
        )
        p.add_code("Stress")
        p.add_coding("P1 interview", 0, 20, "Stress", coder="ana")
        p.add_coding("P1 interview", 0, 10, "Stress", coder="ben")
        p.add_coding("P2 interview", 0, 10, "Stress", coder="ana")
    return path


def test_a_coder_with_no_codings_is_left_out_and_said_above_the_table(team):
    r = run("agreement", team)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0] == (
        "Left out, with no codings in scope: lead (name this coder in --coders to count it "
        "as coding nothing)"
    )
    assert lines[2] == "Inter-coder agreement by characters: ana (A) and ben (B)"
    # the same numbers as naming the two coders, not a three-coder table with lead at 0
    named = run("agreement", team, "--coders", "ana,ben")
    assert cells(r.output, "Stress") == cells(named.output, "Stress")
    assert cells(r.output, "Stress")[:5] == ["Stress", "10", "20", "0", "50"]
    with Project.open(team) as p:
        assert p.agreement().attrs["left_out"] == ["lead"]
        assert p.agreement("ana", "ben", "lead").attrs["coders"] == ["ana", "ben", "lead"]


def test_documents_each_coder_coded_are_said_with_double_coded_offered(team):
    r = run("agreement", team, "--coders", "ana,ben")
    assert r.output.splitlines()[0] == (
        "Documents coded (of 2): ana 2, ben 1; what one coder coded where another coded "
        "nothing counts as disagreement: --double-coded compares the 1 document every "
        "coder coded in"
    )
    double = run("agreement", team, "--coders", "ana,ben", "--double-coded")
    assert double.output.splitlines()[0].startswith("Inter-coder agreement by characters")
    assert cells(double.output, "Stress")[:5] == ["Stress", "10", "10", "0", "20"]
    csv = run("agreement", team, "--coders", "ana,ben", "--format", "csv")
    assert "note: Documents coded (of 2): ana 2, ben 1;" in csv.stderr
    assert csv.stdout.startswith("code,")


def test_one_value_rounds_alike_in_every_column_and_export(tmp_path):
    """Cohen's kappa is 3/8 exactly; Fleiss' formula gives 0.37499999999999983. Both
    read 0.38 (half up) and export as 0.375."""
    path = tmp_path / "r.qualcode"
    with Project.create(path, coder="A") as p:
        p.add_documents([NewDocument(None, "interview", "d", "abcdefghij")])
        p.add_code("Stress")
        p.add_coding("d", 0, 2, "Stress", coder="A")  # both 1, A only 1, B only 1, neither 7
        p.add_coding("d", 0, 1, "Stress", coder="B")
        p.add_coding("d", 2, 3, "Stress", coder="B")
    r = run("agreement", path, "--coders", "A,B")
    assert cells(r.output, "Stress")[5:8] == ["80.0", "0.38", "0.38"]
    [row, _total] = json.loads(run("agreement", path, "--coders", "A,B", "--format", "json").stdout)
    assert (row["kappa"], row["fleiss_kappa"], row["alpha"]) == (0.375, 0.375, 0.40625)

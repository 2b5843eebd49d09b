"""Agreement statistics for n coders against independent references: Krippendorff's
alpha against the `krippendorff` package, Fleiss' kappa against statsmodels, Cohen's
kappa against scikit-learn, on hand-built and random unit-by-coder matrices; then the
facade on a three-coder project against a per-character reference, the empty-coder
case and the CLI."""

from __future__ import annotations

import io
import math
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from qualcode.analysis import reliability as rel
from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.models import NewDocument
from qualcode.project import Project

PIF = Path(__file__).resolve().parents[1] / "codebooks" / "pif.yaml"


def patterns_of(matrix: np.ndarray) -> np.ndarray:
    """Units x coders 0/1 matrix -> the (1, 2**n) pattern counts."""
    n = matrix.shape[1]
    masks = (matrix * (1 << np.arange(n))).sum(axis=1)
    return np.bincount(masks, minlength=1 << n)[None, :]


def references(matrix: np.ndarray):
    """(alpha, Fleiss, {pair: Cohen}) from the reference packages; None where undefined."""
    n = matrix.shape[1]
    used = len(np.unique(matrix)) > 1
    alpha = (
        krippendorff.alpha(reliability_data=matrix.T, level_of_measurement="nominal")
        if used
        else None
    )
    table = np.stack([(matrix == 0).sum(axis=1), (matrix == 1).sum(axis=1)], axis=1)
    fleiss = sm_fleiss(table) if used else None
    cohen = {}
    for i in range(n):
        for j in range(i + 1, n):
            a, b = matrix[:, i], matrix[:, j]
            both_constant = len(np.unique(a)) == 1 and len(np.unique(b)) == 1 and a[0] == b[0]
            cohen[i, j] = None if both_constant else cohen_kappa_score(a, b)
    return alpha, fleiss, cohen


def check(matrix: np.ndarray, package_units: int = rel.PACKAGE_UNITS) -> None:
    n = matrix.shape[1]
    patterns = patterns_of(matrix)
    alpha, fleiss, cohen = references(matrix)
    ours_alpha = rel.krippendorff_alpha(patterns, n, package_units)[0]
    ours_fleiss = rel.fleiss_kappa(patterns, n)[0]
    if alpha is None:
        assert math.isnan(ours_alpha) and math.isnan(ours_fleiss)
    else:
        assert ours_alpha == pytest.approx(alpha, abs=1e-9)
        assert ours_fleiss == pytest.approx(fleiss, abs=1e-9)
    from qualcode.analysis.agreement import two_by_two

    for (i, j), cells in rel.pair_tables(patterns, n).items():
        kappa = two_by_two(*cells)[1][0]
        if cohen[i, j] is None:
            assert math.isnan(kappa)
        else:
            assert kappa == pytest.approx(cohen[i, j], abs=1e-9)
    agree = np.mean((matrix == matrix[:, :1]).all(axis=1))
    assert rel.percent_agreement(patterns)[0] == pytest.approx(agree)


# --- hand-built matrices ----------------------------------------------------------------


def test_one_coder_codes_nothing():
    m = np.zeros((95, 2), dtype=int)
    m[4:24, 0] = 1
    check(m)
    patterns = patterns_of(m)
    assert rel.fleiss_kappa(patterns, 2)[0] == pytest.approx(-20 / 170)  # Scott's pi


def test_perfect_agreement_is_one():
    m = np.zeros((50, 3), dtype=int)
    m[10:30] = 1
    check(m)
    assert rel.krippendorff_alpha(patterns_of(m), 3)[0] == pytest.approx(1.0)
    assert rel.fleiss_kappa(patterns_of(m), 3)[0] == pytest.approx(1.0)


def test_a_code_nobody_used_is_undefined_not_zero():
    m = np.zeros((40, 3), dtype=int)
    check(m)
    patterns = patterns_of(m)
    assert math.isnan(rel.krippendorff_alpha(patterns, 3)[0])
    assert math.isnan(rel.fleiss_kappa(patterns, 3)[0])


def test_three_coders_hand_built():
    # 10 units; coder 2 disagrees on three of them
    m = np.array([[1, 1, 1]] * 3 + [[0, 0, 0]] * 4 + [[1, 1, 0], [0, 0, 1], [1, 1, 0]])
    check(m)


def test_three_coders_with_missing_values():
    """Alpha over value-count rows where some coders did not rate a unit."""
    data = np.array(
        [
            [1, 0, np.nan, 1, 1, 0, 1, np.nan, 0, 1],
            [1, 0, 1, np.nan, 1, 0, 0, 1, 0, 1],
            [np.nan, 0, 1, 1, 0, np.nan, 1, 1, 0, np.nan],
        ]
    )
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    rows = np.stack([(data == 0).sum(axis=0), (data == 1).sum(axis=0)], axis=1)
    distinct, weights = np.unique(rows, axis=0, return_counts=True)
    assert rel.nominal_alpha(distinct, weights) == pytest.approx(expected)
    assert rel.nominal_alpha(distinct, weights, package_units=0) == pytest.approx(expected)


# --- random matrices --------------------------------------------------------------------

matrices = st.integers(2, 5).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(0, 1), min_size=n, max_size=n), min_size=2, max_size=60
    ).map(lambda rows: np.array(rows, dtype=int))
)


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_random_matrices_match_the_references(matrix):
    check(matrix)
    check(matrix, package_units=0)  # the counts formula gives the package's value


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0.0, 1.0, 2.0, np.nan]), min_size=8, max_size=8),
        min_size=3,
        max_size=3,
    )
)
def test_random_three_coders_with_missing_values(data):
    data = np.array(data)
    rows = np.stack([(data == v).sum(axis=0) for v in (0, 1, 2)], axis=1)
    pairable = rows.sum(axis=1) >= 2
    values_used = (rows[pairable].sum(axis=0) > 0).sum()
    distinct, weights = np.unique(rows, axis=0, return_counts=True)
    ours = rel.nominal_alpha(distinct, weights)
    counted = rel.nominal_alpha(distinct, weights, package_units=0)
    if values_used < 2:
        assert math.isnan(ours) and math.isnan(counted)
        return
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert ours == pytest.approx(expected) and counted == pytest.approx(expected)


# --- the facade on three coders -----------------------------------------------------------


def test_three_coders_by_character_match_a_per_character_matrix(tmp_path):
    p = Project.create(tmp_path / "t.qualcode", codebook=load_codebook(PIF), coder="A")
    text = "abcdefghij" * 12
    [d1, d2] = p.add_documents(
        [
            NewDocument("R1", "interview", "one", text),
            NewDocument("R2", "interview", "two", text[:80]),
        ]
    )
    spans = {
        "A": [(d1, 0, 40), (d1, 30, 60), (d2, 10, 30)],
        "B": [(d1, 20, 50), (d2, 0, 20)],
        "C": [(d1, 0, 10), (d2, 25, 80)],
    }
    code = "Leadership/Uncertainty"
    for coder, found in spans.items():
        for doc, s, e in found:
            p.add_coding(doc, s, e, code, coder=coder)
    df = p.agreement("A", "B", "C")
    lengths = {d1: 120, d2: 80}
    columns = []
    for coder in "ABC":
        cells = []
        for doc, n in lengths.items():
            hit = set()
            for dd, s, e in spans[coder]:
                if dd == doc:
                    hit |= set(range(s, e))
            cells += [int(i in hit) for i in range(n)]
        columns.append(cells)
    matrix = np.array(columns).T
    r = df[df["code"] == code].iloc[0]
    alpha, fleiss, cohen = references(matrix)
    assert r["units"] == 200 and [r["coded:A"], r["coded:B"], r["coded:C"]] == [80, 50, 65]
    assert r["alpha"] == pytest.approx(alpha) and r["fleiss_kappa"] == pytest.approx(fleiss)
    assert r["kappa:A/C"] == pytest.approx(cohen[0, 2])
    assert r["agreement"] == pytest.approx(np.mean((matrix == matrix[:, :1]).all(axis=1)))
    unused = df[df["code"] == "Leadership/Resilience"].iloc[0]
    assert math.isnan(unused["alpha"]) and math.isnan(unused["kappa:A/B"])
    # the parent holds its subcode's units; all coders when none are named
    assert p.agreement().attrs["coders"] == ["A", "B", "C"]
    p.close()


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def empty_coder(tmp_path):
    """ana codes Worry on 30 of 120 characters; zoe, the configured coder, codes nothing."""
    path = tmp_path / "e.qualcode"
    book = tmp_path / "codes.yaml"
    book.write_text("name: t\ncodes:\n- name: Worry\n- name: Calm\n", encoding="utf-8")
    assert run("new", path, "--codebook", book, "--coder", "ana").exit_code == 0
    (tmp_path / "r.txt").write_text("xyz" * 40, encoding="utf-8")
    assert run("import", path, tmp_path / "r.txt", "--participant", "R1").exit_code == 0
    assert (
        run("code", path, "--doc", "r.txt", "--start", 10, "--end", 40, "--code", "Worry").exit_code
        == 0
    )
    assert run("config", path, "--coder", "zoe").exit_code == 0
    return path


def test_cli_a_coder_with_no_codings_gives_zeros(empty_coder):
    r = run("agreement", empty_coder, "--coders", "ana,zoe")
    assert r.exit_code == 0, r.output
    worry = next(line for line in r.output.splitlines() if line.startswith("Worry"))
    calm = next(line for line in r.output.splitlines() if line.startswith("Calm"))
    # po = 90/120; pA = 0.25, pB = 0 -> pe = 0.75 -> kappa 0
    assert worry.split() == [
        "Worry",
        "0",
        "30",
        "0",
        "90",
        "75.0",
        "0.00",
        "-0.14",
        "-0.14",
        "slight",
    ]
    assert calm.split()[1:] == ["0", "0", "0", "120", "100.0", "n/a", "n/a", "n/a"]
    assert "note: zoe has no codings in scope" in r.output
    # by default a coder with no codings in scope is left out (not counted as zeros):
    # the configured zoe leaves ana alone, which is refused, saying how to count zoe
    r = run("agreement", empty_coder, "--format", "csv")
    assert r.exit_code == 1 and "with codings: ana; without: zoe" in r.output
    r = run("agreement", empty_coder, "--coders", "ana,zoe", "--format", "csv")
    df = pd.read_csv(io.StringIO(r.stdout))
    assert df.loc[
        df["code"] == "Worry", ["both", "A_only", "B_only", "neither"]
    ].values.tolist() == [[0, 30, 0, 90]]
    # a coder who coded and then removed it is also a coder with no codings
    span = ["--doc", "r.txt", "--start", 50, "--end", 60, "--code", "Calm", "--coder", "zoe"]
    assert run("code", empty_coder, *span).exit_code == 0
    assert run("uncode", empty_coder, *span).exit_code == 0
    again = run("agreement", empty_coder, "--coders", "ana,zoe")
    assert worry in again.output.splitlines() and "note: zoe has no codings" in again.output


def test_cli_three_coders_table(empty_coder):
    assert (
        run(
            "code",
            empty_coder,
            "--doc",
            "r.txt",
            "--start",
            0,
            "--end",
            30,
            "--code",
            "Worry",
            "--coder",
            "kim",
        ).exit_code
        == 0
    )
    r = run("agreement", empty_coder, "--coders", "ana,zoe,kim")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "Inter-coder agreement by characters: ana, zoe, kim"
    assert lines[1].split() == [
        "ana",
        "zoe",
        "kim",
        "agree",
        "%",
        "ana~zoe",
        "ana~kim",
        "zoe~kim",
        "Fleiss",
        "alpha",
    ]
    worry = next(line for line in lines if line.startswith("Worry")).split()
    assert worry[1:5] == ["30", "0", "30", "66.7"]  # 80 of 120 characters: nobody coded them

"""The analysis commands: filters, formats, plots, one-line errors."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument, Segment

TEXT = "First sentence here. Second one there.\n\nA new paragraph starts."


@pytest.fixture
def small(project):
    """R1 (F, LMIC), R2 (M, HIC): interviews, and a report for R1."""
    ids = project.add_documents(
        [
            NewDocument(
                "R1",
                "interview",
                "R1 i",
                TEXT,
                segments=(Segment(0, 20, "sentence"), Segment(21, 38, "sentence")),
            ),
            NewDocument("R2", "interview", "R2 i", TEXT + " "),
            NewDocument("R1", "report", "R1 r", TEXT + "  "),
        ]
    )
    project.upsert_participants(
        [
            ("R1", None, {"sex": "F", "host_income": "LMIC"}),
            ("R2", None, {"sex": "M", "host_income": "HIC"}),
        ]
    )
    project.add_coding(ids[0], 0, 5, "Empathy")
    project.add_coding(ids[0], 25, 30, "Culture shock", coder="coder2")
    project.add_coding(ids[1], 0, 5, "Culture shock")
    project.add_coding(ids[2], 40, 50, "Leadership/Uncertainty")
    path = project.path
    project.close()
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_freq_filters(small):
    r = run("freq", small)
    assert r.exit_code == 0, r.output
    assert "Diversity of values (2/2)" in r.output and "    Culture shock (2/2)" in r.output
    r = run("freq", small, "--where", "sex=f")
    assert "Diversity of values (1/1)" in r.output and "[sex=F]" in r.output.splitlines()[0]
    r = run("freq", small, "--kind", "report")
    assert "Leadership (1/1)" in r.output and "Diversity of values (0/1)" in r.output
    r = run("freq", small, "--coder", "coder2", "--participants", "R1,R2")
    assert "Culture shock (1/2)" in r.output and "Empathy (0/2)" in r.output


def test_filter_errors_are_one_line(small):
    for args, message in [
        (
            ["--where", "sexx=F"],
            "error: no participant attribute 'sexx' (attributes: host_income, sex)",
        ),
        (["--where", "sex=X"], "error: no participant has sex=X (sex values: F, M)"),
        (["--where", "sex"], "error: --where 'sex': expected ATTRIBUTE=VALUE, e.g. sex=F"),
        (
            ["--kind", "memo"],
            "error: no document kind 'memo' in this project (known: interview, report)",
        ),
        (["--participants", "R9"], "error: no participant 'R9' in this project (known: R1, R2)"),
    ]:
        r = run("freq", small, *args)
        assert r.exit_code == 1 and r.output.strip() == message


def test_formats(small, tmp_path):
    csv_text = run("freq", small, "--format", "csv").output
    table = pd.read_csv(io.StringIO(csv_text))
    assert list(table.columns[:9]) == [
        "code",
        "name",
        "depth",
        "parent",
        "n",
        "N",
        "percent",
        "codings",
        "documents",
    ]
    assert table.set_index("name").loc[
        "Culture shock", ["n", "n_interview", "n_report"]
    ].tolist() == [2, 2, 0]
    records = json.loads(run("crosstab", small, "--by", "sex", "--format", "json").output)
    shock = next(r for r in records if r["name"] == "Culture shock")
    assert (shock["F n"], shock["F N"], shock["M n"], shock["M N"]) == (1, 1, 1, 1)
    r = run("matrix", small, "--counts", "--long", "-o", tmp_path / "m.xlsx")
    assert r.exit_code == 0, r.output
    matrix = pd.read_excel(tmp_path / "m.xlsx", index_col=0)
    assert matrix.loc["R1", "Diversity of values"] == 1 and matrix.loc["R1", "Leadership"] == 1
    assert matrix.loc["R2", "Perspective transformation"] == 0
    # the paper form: codes down (themes bold), participants across, counts as numbers
    r = run("matrix", small, "--counts", "-o", tmp_path / "paper.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "paper.xlsx")["Table"]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=3)}
    assert [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))] == [
        "Theme / subtheme",
        "R1",
        "R2",
    ]
    assert (
        rows["Diversity of values"][1].value == 1
        and rows["Diversity of values"][1].data_type == "n"
    )
    assert rows["Perspective transformation"][2].value == 0
    assert rows["Leadership"][0].font.b
    md = run("saturation", small, "--format", "md", "--long").output.splitlines()
    assert md[0].startswith("| step | label | participant | kind | codings | new | cumulative |")
    assert len(md) == 5
    r = run("matrix", small, "--format", "xlsx")
    assert r.exit_code == 2 and "needs a file" in r.output


def test_terminal_tables(small):
    out = run("matrix", small, "--depth", "0").output.splitlines()
    assert out[1].split() == ["R1", "R2"]
    assert out[2].split() == ["Perspective", "transformation", "x", "."]
    out = run("cooccur", small, "--by", "participant", "--depth", "0").output
    assert "Co-occurrence (participants with both; diagonal: the code alone)" in out
    out = run("cooccur", small, "--unit", "sentence").output
    assert out.startswith(
        "Co-occurrence: no two codes co-occur (codings overlapping or in the same sentence)"
    )
    out = run("saturation", small, "--by", "participant", "--order", "R2").output.splitlines()
    assert out[2].split()[:5] == ["1", "R2", "1", "1", "1"] and out[3].split()[:5] == [
        "2",
        "R1",
        "3",
        "2",
        "3",
    ]
    out = run("crosstab", small, "--by", "host_income").output.splitlines()
    assert out[1].split() == ["HIC", "(N=1)", "LMIC", "(N=1)"]


def test_plot_and_chart(small, tmp_path):
    import matplotlib.image as mpimg

    r = run("freq", small, "--plot", tmp_path / "f.png", "--chart")
    assert r.exit_code == 0, r.output
    assert mpimg.imread(tmp_path / "f.png").shape[1] > 500
    assert "participants with the theme (of 2)" in r.output
    r = run("saturation", small, "--plot", tmp_path / "s.png", "--chart")
    assert r.exit_code == 0 and "Saturation" in r.output
    assert mpimg.imread(tmp_path / "s.png").ndim == 3
    r = run("crosstab", small, "--by", "sex", "--plot", tmp_path / "x.png")
    assert r.exit_code == 0 and mpimg.imread(tmp_path / "x.png").shape[0] > 300
    r = run("cooccur", small, "--by", "participant", "--plot", tmp_path / "c.svg")
    assert r.exit_code == 0 and (tmp_path / "c.svg").read_text().lstrip().startswith("<?xml")


def test_where_matches_every_case_variant(project):
    from qualcode.analysis import Filters

    ids = project.add_documents(
        [NewDocument(pid, "interview", pid, TEXT) for pid in ("A", "B", "C")]
    )
    project.upsert_participants(
        [("A", None, {"sex": "F"}), ("B", None, {"sex": "f"}), ("C", None, {"sex": "M"})]
    )
    for doc in ids:
        project.add_coding(doc, 0, 5, "Empathy")
    row = project.frequencies(Filters(where=[("SEX", "f")])).set_index("name").loc["Empathy"]
    assert (row["n"], row["N"]) == (2, 2)


def test_cooccur_plot_refused_when_nothing_cooccurs(small, tmp_path):
    # In `small` no two codings overlap, so by segment without a unit nothing co-occurs.
    r = run("cooccur", small, "--plot", tmp_path / "c.png", "-o", tmp_path / "c.csv")
    assert r.exit_code == 1
    [line] = r.output.strip().splitlines()
    assert "nothing co-occurs with these settings (by segment, no --unit)" in line
    assert "--unit paragraph or --by participant" in line
    assert not (tmp_path / "c.png").exists() and not (tmp_path / "c.csv").exists()
    # Without --plot the (all-zero) table is still printed.
    assert run("cooccur", small).exit_code == 0


def test_cooccur_by_participant_lists_no_code_with_its_own_subcode(tmp_path):
    # By participant a theme counts wherever its subcodes do: such pairs co-occur by
    # construction and used to fill the top of the list.
    from qualcode.demo import build_demo

    path = tmp_path / "demo.qualcode"
    build_demo(path).close()
    out = run("cooccur", path, "--by", "participant", "--top", "8").output.splitlines()
    assert out[0].endswith("(participants with both; a code with its own subcodes left out)")
    assert out[-1] == "Coders: codings of all 2 coders pooled (coder1, coder2)"
    pairs = [line.rsplit(None, 1) for line in out[1:-1]]
    assert len(pairs) == 8
    csv_rows = run("cooccur", path, "--by", "participant", "--format", "csv").output
    import csv as csv_module
    import io

    table = list(csv_module.reader(io.StringIO(csv_rows)))
    header, body = table[0], {r[0]: r for r in table[1:]}
    for pair, value in pairs:
        a, b = pair.strip().split(" + ")
        assert not b.startswith(a + "/") and not a.startswith(b + "/"), pair
        assert int(body[a][header.index(b)]) == int(value)

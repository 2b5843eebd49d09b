"""A project whose documents belong to no participant: the charts and the frequency
table say "n/a" as the tables do (qualcode.percent.count_share_text), never "0/0"."""

from __future__ import annotations

from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project


def _nobody_project(path):
    with Project.create(path, coder="ana") as p:
        [doc] = p.add_documents([NewDocument(None, "interview", "notes", "We talked about trust.")])
        p.add_code("Trust")
        p.add_code("Doubt")
        p.add_coding(doc, 15, 20, "Trust")
    return path


def test_the_terminal_chart_and_table_say_n_a_of_nobody(tmp_path):
    path = _nobody_project(tmp_path / "nobody.qualcode")
    r = CliRunner().invoke(main, ["freq", str(path), "--chart"])
    assert r.exit_code == 0, r.output
    assert "0/0" not in r.output and "1/0" not in r.output
    assert "Trust (n/a)" in r.output  # the table's label
    assert "Trust n/a" in r.output and "Doubt n/a" in r.output  # the chart's bars


def test_the_image_labels_say_n_a_of_nobody(tmp_path):
    from qualcode.analysis import plots

    with Project.open(_nobody_project(tmp_path / "nobody.qualcode")) as p:
        df = p.frequencies()
    labels = [t.get_text() for t in plots.frequencies_figure(df).axes[0].texts]
    assert labels == ["n/a", "n/a"]

"""The bundled PIF sample project reproduces the study's theme table."""

from __future__ import annotations

import csv
import importlib.util

import pytest
from click.testing import CliRunner

from qualcode.analysis import Filters
from qualcode.cli import main
from qualcode.demo import SAMPLE, build_demo
from qualcode.errors import ProjectError

# The study's table (participants of 23), written out: main theme, then its subthemes.
STUDY = [
    ("Perspective transformation", 17),
    ("Self-relativisation", 14),
    ("Wide perspective", 10),
    ("Contribution to others", 8),
    ("Empathy", 5),
    ("Self-transformation", 3),
    ("Career design", 16),
    ("Pursuit of interest", 13),
    ("Right of choice", 10),
    ("Role model", 10),
    ("Mindset", 7),
    ("Work-life balance", 1),
    ("Career support", 1),
    ("Insufficient information sharing", 1),
    ("Self-development", 17),
    ("Cross-boundary experiences", 9),
    ("Motivation", 8),
    ("Self-reliance", 7),
    ("Outcomes", 5),
    ("Open mind", 4),
    ("Resistance to egoism", 1),
    ("Diversity of values", 14),
    ("Cross-cultural understanding", 11),
    ("Culture shock", 10),
    ("Work style", 6),
    ("Acceptance of various values", 3),
    ("Globalisation", 2),
    ("Flexibility", 1),
    ("Leadership", 14),
    ("Decision making", 9),
    ("Systems thinking", 6),
    ("Objective thinking", 4),
    ("Critical thinking", 3),
    ("Resilience", 3),
    ("Responsibility", 2),
    ("Uncertainty", 2),
]

pytestmark = pytest.mark.skipif(
    not (SAMPLE / "sample_codings.csv").exists(), reason="sample corpus missing"
)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.qualcode"
    build_demo(path).close()
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_frequencies_equal_the_study(demo_path):
    from qualcode.project import Project

    with Project.open(demo_path) as p:
        table = p.frequencies()
    assert len(STUDY) == 36
    assert dict(zip(table["name"], table["n"])) == dict(STUDY)
    assert set(table["N"]) == {23}
    assert table.attrs["N_by_kind"] == {"interview": 23, "report": 16}


def test_freq_command_prints_every_count(demo_path):
    r = run("freq", demo_path)
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    for name, n in STUDY:
        assert any(line.strip().startswith(f"{name} ({n}/23)") for line in lines), name
    themes = [line for line in lines if line[:1].isalpha() and "(" in line and "/23)" in line]
    assert [t.split(" (")[0] for t in themes] == [
        "Perspective transformation",
        "Self-development",
        "Career design",
        "Diversity of values",
        "Leadership",
    ]
    first = lines.index(
        next(line for line in lines if line.startswith("Perspective transformation (17/23)"))
    )
    assert lines[first + 1].startswith("    Self-relativisation (14/23)")


def test_study_attribute_findings(demo_path):
    from qualcode.project import Project

    with Project.open(demo_path) as p:
        lmic = p.frequencies(Filters(where=[("host_income", "LMIC")]))
        women = p.crosstab("sex")
    diversity = lmic.set_index("name").loc["Diversity of values"]
    assert (diversity["n"], diversity["N"]) == (4, 4)
    row = women.set_index("name").loc["Work-life balance"]
    assert (row["F n"], row["F N"], row["M n"], row["M N"]) == (1, 5, 0, 18)
    row = women.set_index("name").loc["Career support"]
    assert (row["F n"], row["M n"]) == (1, 0)


def test_crosstab_command_by_sex(demo_path):
    r = run("crosstab", demo_path, "--by", "sex")
    assert r.exit_code == 0, r.output
    line = next(
        line for line in r.output.splitlines() if line.strip().startswith("Work-life balance")
    )
    assert line.split()[2:] == ["1/5", "(20%)", "0/18", "(0%)"]


def test_demo_refuses_to_overwrite(demo_path, tmp_path):
    with pytest.raises(ProjectError, match="already exists"):
        build_demo(demo_path)
    r = run("demo", demo_path)
    assert r.exit_code == 1 and "--force" in r.output
    copy = tmp_path / "again.qualcode"
    copy.write_text("not a project")
    r = run("demo", copy, "--force")
    assert r.exit_code == 0, r.output
    assert "23 participants, 39 documents, 36 codes, 345 codings" in r.output


def test_sample_codings_file_is_what_the_builder_makes():
    spec = importlib.util.spec_from_file_location(
        "build_sample_codings", SAMPLE.parent / "tools" / "build_sample_codings.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    rows, problems = tool.build(SAMPLE)
    assert problems == []
    with (SAMPLE / "sample_codings.csv").open(encoding="utf-8", newline="") as handle:
        stored = list(csv.DictReader(handle))
    key = lambda r: (r["participant"], r["document"], int(r["start"]), r["code"], r["coder"])  # noqa: E731
    assert sorted(map(key, stored)) == sorted(
        map(key, ({k: str(v) for k, v in r.items()} for r in rows))
    )

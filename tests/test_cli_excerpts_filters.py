"""`qualcode excerpts` takes the analysis tables' filters and writes csv/md/json."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from qualcode.analysis import Filters
from qualcode.cli import main
from qualcode.models import NewDocument

TEXT = "First sentence here. Second one there.\n\nA new paragraph starts."


@pytest.fixture
def people(project):
    """R1 (F): an interview and a report; R2 (M) and R3 (f): interviews; a note without a participant.
    Every document is coded with Empathy at 0-5; R1's interview also by coder2."""
    ids = project.add_documents(
        [
            NewDocument("R1", "interview", "R1 i", TEXT),
            NewDocument("R1", "report", "R1 r", TEXT + " "),
            NewDocument("R2", "interview", "R2 i", TEXT + "  "),
            NewDocument("R3", "interview", "R3 i", TEXT + "   "),
            NewDocument(None, "field_note", "note", TEXT + "    "),
        ]
    )
    project.upsert_participants(
        [
            ("R1", None, {"sex": "F", "host_income": "LMIC"}),
            ("R2", None, {"sex": "M", "host_income": "HIC"}),
            ("R3", None, {"sex": "f", "host_income": "HIC"}),
        ]
    )
    for doc in ids:
        project.add_coding(doc, 0, 5, "Empathy")
    project.add_coding(ids[0], 6, 14, "Empathy", coder="coder2")
    return project


def titles(p, **filters):
    return [
        (e.participant, e.document, e.coder)
        for e in p.excerpts("Empathy", filters=Filters(**filters))
    ]


def test_facade_filters_match_the_tables_semantics(people):
    p = people
    assert len(titles(p)) == 6
    assert titles(p, kinds=["report"]) == [("R1", "R1 r", "tester")]
    # values of one attribute are alternatives, case-insensitively (F matches f too)
    assert [t[0] for t in titles(p, where=[("sex", "F"), ("sex", "M")])] == [
        "R1",
        "R1",
        "R1",
        "R2",
        "R3",
    ]
    # different attributes must all hold
    assert [t[1] for t in titles(p, where=[("sex", "f"), ("host_income", "HIC")])] == ["R3 i"]
    assert titles(p, coders=["coder2"]) == [("R1", "R1 i", "coder2")]
    assert [t[1] for t in titles(p, participants=["R2", "R3"])] == ["R2 i", "R3 i"]
    assert titles(p, kinds=["interview"], participants=["R1"], coders=["tester"]) == [
        ("R1", "R1 i", "tester")
    ]


@pytest.mark.parametrize(
    "option, message",
    [
        (
            ["--kind", "memo"],
            "no document kind 'memo' in this project (known: field_note, interview, report)",
        ),
        (["--where", "age=30"], "no participant attribute 'age' (attributes: host_income, sex)"),
        (["--coder", "zoe"], "no coder 'zoe' in this project (known: coder2, tester)"),
        (["--participants", "R9"], "no participant 'R9' in this project (known: R1, R2, R3)"),
    ],
)
def test_unknown_filter_values_give_the_tables_one_line_errors(people, option, message):
    path = people.path
    people.close()
    for command in (["excerpts", str(path), "--code", "Empathy"], ["freq", str(path)]):
        r = CliRunner().invoke(main, command + option)
        assert (r.exit_code, r.output) == (1, f"error: {message}\n"), command


def test_excerpts_cli_filters_and_formats(people, tmp_path):
    path = people.path
    people.close()
    run = lambda *a: CliRunner().invoke(main, ["excerpts", str(path), "--code", "Empathy", *a])  # noqa: E731
    r = run("--where", "sex=M", "--where", "sex=F", "--kind", "interview")
    assert r.exit_code == 0, r.output
    heads = [line for line in r.output.splitlines() if line.startswith("[")]
    assert heads == [
        "[R1: R1 i, 0-5, Perspective transformation/Empathy, tester]",
        "[R1: R1 i, 6-14, Perspective transformation/Empathy, coder2]",
        "[R2: R2 i, 0-5, Perspective transformation/Empathy, tester]",
        "[R3: R3 i, 0-5, Perspective transformation/Empathy, tester]",
    ]
    assert r.output.splitlines()[-1] == "4 excerpts from 3 participants (kind=interview, sex=M|F)"

    r = run("--coder", "coder2", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert [(x["participant"], x["document"], x["start"], x["end"], x["text"]) for x in rows] == [
        ("R1", "R1 i", 6, 14, "sentence")
    ]

    out = tmp_path / "ex.csv"
    r = run("--participants", "R2,R3", "-o", out)
    assert r.exit_code == 0 and f"wrote {out}" in r.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(x["participant"], x["document"], x["text"]) for x in table] == [
        ("R2", "R2 i", "First"),
        ("R3", "R3 i", "First"),
    ]
    md = tmp_path / "ex.md"
    assert run("--kind", "field_note", "-o", md).exit_code == 0
    assert "| note |" in md.read_text(encoding="utf-8")
    r = run("-o", tmp_path / "ex.xlsx")
    assert r.exit_code == 2 and "excerpts are written as .csv, .md or .json" in r.output

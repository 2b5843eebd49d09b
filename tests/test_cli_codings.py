"""`qualcode codings`: the codings as a terminal table (cut to the width) or JSON, with
the filters --code (a theme with its subcodes), --document, --participant, --coder."""

from __future__ import annotations

import json
import unicodedata

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.models import NewDocument
from qualcode.project import Project

R1 = "Interviewer: How was it?\nR1: The ward was loud and the nurses were kind to everyone there."
JOSE = "José: I felt alone at first. Then the team took me in."


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "small.qualcode"
    with Project.create(path, coder="ana") as p:
        r1, jose = p.add_documents(
            [
                NewDocument("R1", "interview", "R1 talk", R1),
                NewDocument("José", "interview", "José talk", JOSE),
            ]
        )
        p.add_code("Feelings")
        p.add_code("Feelings/Alone")
        p.add_code("Feelings/Welcome")
        p.add_code("Place")
        p.add_coding(r1, R1.index("The ward"), R1.index(" and the"), "Place")
        p.add_coding(r1, R1.index("the nurses"), len(R1), "Feelings/Welcome", coder="Zoë")
        p.add_coding(jose, JOSE.index("I felt"), JOSE.index(" Then"), "Feelings/Alone")
    return path


def run(*args):
    return CliRunner(env={"COLUMNS": "100"}).invoke(main, [str(a) for a in args])


def test_every_coding_in_a_table_cut_to_the_width(path):
    r = run("codings", path)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "document   participant  start–end  code              coder  text",
        "R1 talk    R1               29–46  Place             ana    The ward was loud",
        "R1 talk    R1               51–90  Feelings/Welcome  Zoë    the nurses were kind to everyone there.",
        "José talk  José              6–28  Feelings/Alone    ana    I felt alone at first.",
        "3 codings",
    ]
    narrow = CliRunner(env={"COLUMNS": "72"}).invoke(main, ["codings", str(path)])
    assert narrow.output.splitlines()[2].endswith("51–90  …ngs/Welcome  Zoë    the nurses were…")
    assert max(len(line) for line in narrow.output.splitlines()) == 72


def test_filters_and_nfc_names(path):
    def rows(*options):
        r = run("codings", path, *options)
        assert r.exit_code == 0, r.output
        return [
            line.split("  ")[0] + " " + line.split()[-1] for line in r.output.splitlines()[1:-1]
        ]

    # a theme counts its subcodes, as the frequency table does
    assert run("codings", path, "--code", "Feelings").output.splitlines()[-1] == "2 codings"
    assert run("codings", path, "--code", "Feelings/Alone").output.splitlines()[-1] == "1 coding"
    assert run("codings", path, "--document", "R1 talk").output.splitlines()[-1] == "2 codings"
    # typed decomposed (a macOS terminal), stored composed: the same name
    nfd_jose = unicodedata.normalize("NFD", "José")
    assert nfd_jose != "José"
    r = run("codings", path, "--participant", nfd_jose)
    assert r.output.splitlines()[1:] == [
        "José talk  José              6–28  Feelings/Alone  ana    I felt alone at first.",
        "1 coding",
    ]
    r = run("codings", path, "--coder", unicodedata.normalize("NFD", "Zoë"))
    assert r.output.splitlines()[-1] == "1 coding" and "Feelings/Welcome" in r.output
    r = run("codings", path, "--document", unicodedata.normalize("NFD", "José talk"))
    assert r.output.splitlines()[-1] == "1 coding"
    r = run("codings", path, "--coder", "ana", "--code", "Feelings")
    assert r.output.splitlines()[-1] == "1 coding" and "Feelings/Alone" in r.output
    r = run("codings", path, "--participant", "R9")
    assert r.exit_code == 1 and "no participant 'R9' in this project" in r.output
    r = run("codings", path, "--code", "Feelings", "--participant", "José", "--coder", "Zoë")
    assert r.exit_code == 0 and r.output == "0 codings\n"


def test_json_has_full_text_and_offsets(path):
    r = run("codings", path, "--json", "--code", "Feelings/Welcome")
    assert r.exit_code == 0, r.output
    [row] = json.loads(r.output)
    assert (row["document"], row["participant"], row["code"], row["coder"]) == (
        "R1 talk",
        "R1",
        "Feelings/Welcome",
        "Zoë",
    )
    assert (row["start"], row["end"]) == (51, 90) and R1[51:90] == row["text"]
    assert row["text"] == "the nurses were kind to everyone there."

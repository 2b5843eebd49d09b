"""Small consistencies: one plural helper, freq --depth like the other tables, the
README's coding example as the command prints it, and the REFI round trip keeping the
project's name."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.plural import plural
from qualcode.project import Project

README = Path(__file__).resolve().parents[1] / "README.md"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from qualcode.demo import build_demo

    path = tmp_path_factory.mktemp("small") / "demo.qualcode"
    build_demo(path).close()
    return path


def test_plural():
    assert [plural(n, "document") for n in (0, 1, 2, 1204)] == [
        "0 documents",
        "1 document",
        "2 documents",
        "1,204 documents",
    ]
    assert plural(1, "word") == "1 word" and plural(3, "entry") == "3 entries"
    assert plural(2, "match") == "2 matches" and plural(2, "day") == "2 days"
    assert plural(2, "person") == "2 people" and plural(2, "code", "codes") == "2 codes"


def test_no_plural_after_one_in_the_messages(tmp_path):
    from qualcode.codebook import load_codebook
    from qualcode.models import NewDocument
    from tests.test_agreement import PIF

    path = tmp_path / "one.qualcode"
    with Project.create(path, codebook=load_codebook(PIF), coder="a") as p:
        [doc] = p.add_documents([NewDocument("R1", "interview", "R1", "R1: Kowalski came.\n")])
        p.add_coding(doc, 4, 12, "Leadership/Uncertainty", coder="b")
    names = tmp_path / "n.csv"
    names.write_text("name,replacement\nKowalski,Smith\n")
    r = run("pseudonymise", path, "--names", names, "--yes", "--no-entities")
    assert r.exit_code == 0, r.output
    assert "pseudonymised 1 document: 1 replacement, " in r.output
    freq = run("freq", path).output
    assert "1 participant, 1 document in scope" in freq
    agreement = run("agreement", path, "--coders", "a,b").output
    assert " in 1 document; a theme" in agreement


def test_freq_depth_keeps_the_codes_down_to_it(demo):
    with Project.open(demo) as p:
        full = p.frequencies()
        top = p.frequencies(depth=0)
    themes = full[full["depth"] == 0]
    assert len(top) == len(themes) == 5
    assert top["n"].tolist() == themes["n"].tolist()
    assert top["codings"].tolist() == themes["codings"].tolist()
    out = run("freq", demo, "--depth", "0").output.splitlines()
    rows = [line for line in out[2:] if "(" in line and "/23)" in line]
    assert len(rows) == 5 and not any(line.startswith(" ") for line in rows)
    assert "--depth" in run("freq", "--help").output


def test_readme_coding_example_is_what_the_command_prints(demo, tmp_path):
    lines = README.read_text(encoding="utf-8").splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith("$ qualcode code demo.qualcode"))
    args = shlex.split(lines[at][2:])[1:]
    copy = tmp_path / "demo.qualcode"
    copy.write_bytes(demo.read_bytes())
    r = run(*[copy if a == "demo.qualcode" else a for a in args])
    assert r.exit_code == 0, r.output
    shown = lines[at + 1]
    printed = r.output.strip()
    assert printed.split(" ", 2)[2] == shown.split(" ", 2)[2]  # the coding id may differ
    assert printed.endswith("mother…")


def test_refi_round_trip_keeps_the_project_name(demo, tmp_path):
    archive = tmp_path / "x.qdpx"
    assert run("export", demo, "--qdpx", archive).exit_code == 0
    back = tmp_path / "back.qualcode"
    assert run("import", back, archive).exit_code == 0
    with Project.open(back) as p, Project.open(demo) as original:
        assert p.name == original.name == "PIF sample"
    named = tmp_path / "named.qualcode"
    run("new", named, "--name", "My study")
    run("import", named, archive)
    with Project.open(named) as p:
        assert p.name == "My study"  # a name the user gave is kept


def test_no_placeholder_plural_in_a_message():
    # "1 coding(s)", "3 hit(s)": every message writes its plural with qualcode.plural.
    # Docstrings and comments (not shown to a user) may say "(s)".
    import io
    import re
    import tokenize

    placeholder = re.compile(r"[A-Za-z]\((s|es)\)")
    found = []
    for path in sorted((Path(__file__).resolve().parents[1] / "qualcode").rglob("*.py")):
        for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            text = token.string
            if token.type != tokenize.STRING or text.lstrip("rbfuRBFU").startswith('"""'):
                continue
            if placeholder.search(text):
                found.append(f"{path.name}:{token.start[0]}: {text[:60]}")
    assert not found, "\n".join(found)


def test_noun_is_the_word_alone_in_the_form_its_count_asks_for():
    from qualcode.plural import noun

    assert [noun(n, "turn") for n in (0, 1, 2)] == ["turns", "turn", "turns"]
    assert noun(1, "is") == "is" and noun(2, "is") == "are"
    assert noun(1, "holds", "hold") == "holds" and noun(4, "holds", "hold") == "hold"


def test_the_import_summary_says_1_turn_and_1_sentence(tmp_path):
    # the summary table printed "1 turns" and "1 sentences" for a one-turn file
    source = tmp_path / "R1_interview.txt"
    source.write_text("R1: Only this.\n")
    assert run("new", tmp_path / "p.qualcode").exit_code == 0
    r = run("import", tmp_path / "p.qualcode", source, "--sentences", "now")
    assert r.exit_code == 0, r.output
    row = next(line for line in r.output.splitlines() if line.endswith("R1_interview.txt"))
    assert " 1 turn " in row and " 1 sentence " in row, row
    assert "turns" not in row and "sentences" not in row, row
    assert "imported 1 document for 1 participant" in r.output

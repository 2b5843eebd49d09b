"""Member-checking reports: one participant's passages grouped by theme and subtheme,
with descriptions, space for comments and nothing of anyone else; read back from the
.docx with python-docx."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.models import NewDocument
from qualcode.project import Project

PIF = Path(__file__).resolve().parents[1] / "codebooks" / "pif.yaml"
R7 = "I felt lost at first.\nThen I understood how the family felt.\nNow I lead the team."
R8 = "Secret words of R8 that R7 must never see."


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "m.qualcode"
    with Project.create(path, codebook=load_codebook(PIF), coder="ana") as p:
        p.upsert_participants([("R7", None, {"sex": "F"}), ("R8", None, {"sex": "M"})])
        r7, r8 = p.add_documents(
            [
                NewDocument("R7", "interview", "R7 interview", R7),
                NewDocument("R8", "interview", "R8 interview", R8),
            ]
        )
        p.add_coding(r7, 0, 21, "Leadership/Uncertainty")
        p.add_coding(r7, 0, 21, "Leadership/Uncertainty", coder="bo")  # same span twice
        p.add_coding(r7, 22, 60, "Empathy")
        p.add_coding(r7, 61, 81, "Leadership")  # the theme itself
        p.add_coding(r8, 0, 12, "Empathy")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_docx_report_holds_one_participant_by_theme(project, tmp_path):
    out = tmp_path / "r7.docx"
    r = run("member-check", project, "--participant", "r7", "-o", out)
    assert r.exit_code == 0, r.output
    assert r.output == f"wrote {out} (docx): 3 passages in 2 themes\n"
    doc = Document(str(out))
    heads = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert heads == [
        ("Title", "Member check: participant R7"),
        ("Heading 1", "Perspective transformation"),
        ("Heading 2", "Empathy"),
        ("Heading 1", "Leadership"),
        ("Heading 2", "Uncertainty"),
    ]
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert quotes == [
        "Then I understood how the family felt.",
        "Now I lead the team.",
        "I felt lost at first.",
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    with Project.open(project) as p:
        empathy = p.code("Empathy").description
    assert empathy in text and text.count("Your comments:") == 2
    assert len(doc.tables) == 2  # a comment box after each theme
    assert "R8" not in text and "Secret" not in text


def test_markdown_and_all(project, tmp_path):
    r = run("member-check", project, "--all", "-o", tmp_path / "out", "--format", "md")
    assert r.exit_code == 0, r.output
    files = sorted(f.name for f in (tmp_path / "out").iterdir())
    assert files == ["member-check-R7.md", "member-check-R8.md"]
    r8 = (tmp_path / "out" / "member-check-R8.md").read_text(encoding="utf-8")
    assert (
        "> Secret words" in r8 and "felt lost" not in r8 and "## Perspective transformation" in r8
    )
    r7 = (tmp_path / "out" / "member-check-R7.md").read_text(encoding="utf-8")
    assert r7.count("> I felt lost at first.") == 1  # two coders, one passage


def test_errors_are_one_line(project, tmp_path):
    r = run("member-check", project, "--participant", "R99", "-o", tmp_path / "x.docx")
    assert r.exit_code == 1 and r.output == "error: no participant 'R99'\n"
    r = run("member-check", project, "-o", tmp_path / "x.docx")
    assert r.exit_code == 2 and "give --participant ID or --all" in r.output
    r = run("member-check", project, "--participant", "R7", "-o", tmp_path / "x.pdf")
    assert r.exit_code == 1 and "docx or md" in r.output

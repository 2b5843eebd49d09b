"""Member-checking reports of a focus group: a participant reads only the parts of each
coding in their own turns (the coding clipped to their mapped turns, and the report says
so), never another participant's words; a shared document with no speaker mapped is
left out, with a note to the researcher."""

from __future__ import annotations

from click.testing import CliRunner
from docx import Document

from qualcode.cli import main
from qualcode.project import Project

FOCUS = (
    "Moderator: How was the course?\n\n"
    "Ada: I liked the course a lot.\n\n"
    "Bo: The slides were far too busy for me.\n\n"
    "Ada: The assignments were too long.\n\n"
    "Cy: I never came to class.\n"
)


def _project(tmp_path):
    path = tmp_path / "fg.qualcode"
    src = tmp_path / "focus.txt"
    src.write_text(FOCUS, encoding="utf-8")
    with Project.create(path, coder="ana") as p:
        p.import_files([src], participant="FG", sentences=False)
        for speaker, pid in (("Ada", "P1"), ("Bo", "P2"), ("Cy", "P3")):
            p.set_speaker("focus", speaker, pid)
        p.add_code("Workload")
        p.add_code("Liking")
        # One coding over the moderator's, Ada's, Bo's and Ada's second turn.
        p.add_coding("focus", 0, FOCUS.index("Cy:"), "Workload")
        liked = FOCUS.index("I liked")
        p.add_coding("focus", liked, liked + len("I liked the course a lot."), "Liking")
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def _quotes(md: str) -> list[str]:
    return [line[2:] for line in md.splitlines() if line.startswith("> ") and line != "> "]


def test_markdown_report_holds_only_the_participants_own_turns(tmp_path):
    path = _project(tmp_path)
    out = tmp_path / "p1.md"
    r = CliRunner().invoke(main, ["member-check", str(path), "--participant", "P1", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == f"wrote {out} (md): 3 passages in 2 themes\n"
    assert r.stderr == (
        "note: 2 passages clipped to P1's own turns (the coding reached into other "
        "speakers' turns)\n"
    )
    md = out.read_text(encoding="utf-8")
    assert _quotes(md) == [
        "I liked the course a lot.",
        "— focus (part of a longer coded passage)",
        "The assignments were too long.",
        "— focus (part of a longer coded passage)",
        "I liked the course a lot.",
        "— focus",
    ]
    for other in ("slides", "busy", "How was", "Bo", "Moderator", "never", "characters"):
        assert other not in md


def test_docx_report_of_the_second_speaker_is_clipped_too(tmp_path):
    path = _project(tmp_path)
    out = tmp_path / "p2.docx"
    r = run("member-check", path, "--participant", "P2", "-o", out)
    assert r.exit_code == 0, r.output
    doc = Document(str(out))
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert quotes == ["The slides were far too busy for me."]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "— focus (part of a longer coded passage)" in text
    assert "liked" not in text and "assignments" not in text and "characters" not in text


def test_a_participant_whose_turns_hold_no_coding_gets_none(tmp_path):
    path = _project(tmp_path)
    out = tmp_path / "p3.md"
    r = run("member-check", path, "--participant", "P3", "-o", out)
    assert r.exit_code == 0, r.output
    md = out.read_text(encoding="utf-8")
    assert _quotes(md) == [] and "No passages of your interview have been coded yet." in md


def test_all_reports_clip_each_participant(tmp_path):
    path = _project(tmp_path)
    r = run("member-check", path, "--all", "-o", tmp_path / "out", "--format", "md")
    assert r.exit_code == 0, r.output
    got = {
        f.name: _quotes(f.read_text(encoding="utf-8"))[::2]
        for f in sorted((tmp_path / "out").iterdir())
    }
    assert got == {
        "member-check-FG.md": [],
        "member-check-P1.md": [
            "I liked the course a lot.",
            "The assignments were too long.",
            "I liked the course a lot.",
        ],
        "member-check-P2.md": ["The slides were far too busy for me."],
        "member-check-P3.md": [],
    }


def test_shared_document_with_no_speaker_mapped_is_left_out(tmp_path):
    path = tmp_path / "shared.qualcode"
    src = tmp_path / "focus.txt"
    src.write_text(FOCUS, encoding="utf-8")
    with Project.create(path, coder="ana") as p:
        p.import_files([src], participant="P1", sentences=False)
        p.add_document_participants("focus", ["P2"])
        p.add_code("Workload")
        p.add_coding("focus", 0, len(FOCUS), "Workload")
    out = tmp_path / "p1.md"
    r = CliRunner().invoke(main, ["member-check", str(path), "--participant", "P1", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.stdout == f"wrote {out} (md): 0 passages in 0 themes\n"
    assert r.stderr.startswith("note: focus: shared by several participants with no speaker")
    assert "slides" not in out.read_text(encoding="utf-8")

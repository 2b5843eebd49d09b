"""A folder import takes each document's participant from its file name: the default
rule, --participant-from REGEX, and --dry-run printing the mapping with nothing written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import ImportError_
from qualcode.ingest.participant_names import compile_rule, participant_from_name
from qualcode.project import Project


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("R7_interview.txt", "R7"),
        ("BSR01_transcript.docx", "BSR01"),
        ("P-12 notes.md", "P-12"),
        ("R10.vtt", "R10"),
        ("ID1.docx", "ID1"),  # QualCoder's example files
        ("interview.txt", None),
        ("NOTES.txt", None),
        ("test_file.docx", None),
        ("Interview 3.txt", None),
    ],
)
def test_default_rule(name, expected):
    assert participant_from_name(name, compile_rule(None)) == expected


def test_custom_rule_groups_and_errors():
    assert participant_from_name("2024-05 interview P07.txt", compile_rule(r"P\d+")) == "P07"
    assert participant_from_name("site3_R4.txt", compile_rule(r"_(R\d+)")) == "R4"
    assert participant_from_name("x-R4-y.txt", compile_rule(r"-(?P<participant>R\d)-")) == "R4"
    with pytest.raises(ImportError_, match=r"--participant-from '\(': not a regular expression"):
        compile_rule("(")


def test_folder_import_dry_run_then_import(tmp_path):
    folder = tmp_path / "transcripts"
    folder.mkdir()
    for stem in ("R7_interview", "BSR01_transcript", "R10", "notes"):
        (folder / f"{stem}.txt").write_text(f"Interviewer: Hi.\n\n{stem}: Hello, it went well.\n")
    project = tmp_path / "p.qualcode"
    Project.create(project, coder="ana").close()
    runner = CliRunner()
    dry = runner.invoke(main, ["import", str(project), str(folder), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    lines = dry.output.splitlines()
    assert lines[1].split() == ["BSR01", str(folder / "BSR01_transcript.txt")]
    assert lines[2].split() == ["-", str(folder / "notes.txt")]
    assert lines[3].split() == ["R7", str(folder / "R7_interview.txt")]
    assert lines[4].split() == ["R10", str(folder / "R10.txt")]
    assert "nothing imported (4 files, 3 participants, 1 file without a participant)" in lines[5]
    with Project.open(project) as p:
        assert p.documents() == []
    done = runner.invoke(main, ["import", str(project), str(folder), "--sentences", "no"])
    assert done.exit_code == 0, done.output
    assert (
        "note: participants taken from the file names: 3 of 4 files; "
        "1 without a participant id in the name (shown as -)" in done.output
    )
    with Project.open(project) as p:
        assert {d.title: d.participant for d in p.documents()} == {
            "BSR01_transcript": "BSR01",
            "notes": None,
            "R7_interview": "R7",
            "R10": "R10",
        }
    clash = runner.invoke(
        main,
        ["import", str(project), str(folder), "--participant", "R1", "--participant-from", "x"],
    )
    assert clash.exit_code == 2 and "not both" in clash.output

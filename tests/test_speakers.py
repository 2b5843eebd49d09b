"""Speakers: turns and words per label, merging labels of one person, interviewer marks
(autocode --skip-interviewer, suggestions), the CLI, and selections that stop at a label."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.errors import NotFoundError
from qualcode.models import NewDocument, Segment
from qualcode.project import Project
from tests.conftest import PIF

TEXT = (
    "Interviewer 1: How was the ICU?\n\n"
    "R7: It was loud. The ICU was very loud.\n\n"
    "Interviewer1: And the ICU later?\n\n"
    "R7: Then quiet.\n\n"
    "interviewer: Thanks."
)


def turns(text: str) -> tuple[Segment, ...]:
    found = []
    for m in re.finditer(r"^([^:\n]+): [^\n]*", text, re.M):
        found.append(Segment(m.start(), m.end(), "turn", m.group(1)))
    for m in re.finditer(r"(?<=: |\. )[^.?!\n]+[.?!]", text):
        found.append(Segment(m.start(), m.end(), "sentence"))
    return tuple(found)


@pytest.fixture
def interview(tmp_path):
    p = Project.create(tmp_path / "s.qualcode", codebook=load_codebook(PIF), coder="tester")
    p.add_documents(
        [
            NewDocument(
                "R7", "interview", "R7 interview", TEXT, "R7.txt", "sha-s", "utf-8", turns(TEXT)
            )
        ]
    )
    yield p
    p.close()


def words(label: str) -> int:
    return sum(
        len(line.split(":", 1)[1].split())
        for line in TEXT.split("\n")
        if line.startswith(label + ":")
    )


def test_speakers_count_turns_and_words_without_the_label(interview):
    rows = {r.speaker: (r.turns, r.words, r.interviewer) for r in interview.speakers()}
    assert rows == {
        "Interviewer 1": (1, words("Interviewer 1"), False),
        "R7": (2, words("R7"), False),
        "Interviewer1": (1, words("Interviewer1"), False),
        "interviewer": (1, words("interviewer"), False),
    }
    assert words("R7") == 10  # "It was loud. The ICU was very loud." + "Then quiet."


def test_merge_and_mark_interviewer(interview):
    interview.mark_interviewer(["INTERVIEWER 1"])
    assert interview.interviewer_speakers() == ["Interviewer 1"]
    before = len(interview.backups())
    n = interview.merge_speakers(["Interviewer 1", "interviewer1", "interviewer"], "Interviewer")
    assert n == 3  # three turns relabelled
    assert len(interview.backups()) == before + 1  # backed up first, as a code merge is
    assert interview.backups()[-1].reason == "before-merge"
    rows = {r.speaker: (r.turns, r.words, r.interviewer) for r in interview.speakers()}
    assert rows["Interviewer"] == (
        3,
        words("Interviewer 1") + words("Interviewer1") + words("interviewer"),
        True,
    )
    assert set(rows) == {"Interviewer", "R7"}
    assert interview.interviewer_speakers() == ["Interviewer"]  # the mark follows the merge
    assert TEXT in interview.document(interview.documents()[0].id).text  # the text is untouched
    with pytest.raises(NotFoundError, match="no speaker 'Nobody'"):
        interview.merge_speakers(["Nobody"], "X")


def test_autocode_and_suggestions_leave_the_interviewer_out(interview):
    interview.merge_speakers(["Interviewer 1", "Interviewer1", "interviewer"], "Interviewer")
    interview.mark_interviewer(["Interviewer"])
    every = interview.autocode("ICU", "Self-relativisation", unit="sentence", dry_run=True)
    assert len(every) == 3
    kept = interview.autocode(
        "ICU", "Self-relativisation", unit="sentence", dry_run=True, skip_interviewer=True
    )
    assert [m.text for m in kept] == ["The ICU was very loud."]
    doc = interview.documents()[0].id
    question = TEXT.index("How was the ICU?")
    assert interview.in_interviewer_turn(doc, question, question + 10)
    assert interview.suggest_codes(doc, question, question + 16) == []


def test_cli_lists_merges_and_marks(interview):
    path = interview.path
    interview.close()
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "speakers",
            str(path),
            "--merge",
            "Interviewer 1",
            "--merge",
            "Interviewer1",
            "--merge",
            "interviewer",
            "--into",
            "Interviewer",
            "--interviewer",
            "interviewer",
        ],
    )
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].split() == ["document", "speaker", "turns", "words", "role"]
    body = [line.split() for line in lines[1:]]
    assert body == [
        [
            "R7",
            "·",
            "R7",
            "interview",
            "Interviewer",
            "3",
            str(words("Interviewer 1") + words("Interviewer1") + words("interviewer")),
            "interviewer",
        ],
        ["R7", "·", "R7", "interview", "R7", "2", str(words("R7"))],
    ]
    bad = runner.invoke(main, ["speakers", str(path), "--interviewer", "Nobody"])
    assert bad.exit_code == 1 and "no speaker 'Nobody'" in bad.stderr


def test_cli_columns_line_up_under_their_headers_in_terminal_cells(tmp_path):
    # Short labels (narrower than "speaker") and Japanese labels (two cells a character).
    from rich.cells import cell_len

    text = "ID: こんにちは。\n\nインタビュアー: 今日は。\n\nID: はい。"
    path = tmp_path / "j.qualcode"
    with Project.create(path, coder="tester") as p:
        p.add_documents(
            [NewDocument("P1", "interview", "J", text, "J.txt", "sha-j", "utf-8", turns(text))]
        )
    out = CliRunner().invoke(main, ["speakers", str(path)])
    assert out.exit_code == 0, out.output
    header, *rows = out.stdout.splitlines()
    turns_end = header.index("turns") + len("turns")
    for row in rows:
        # the turns figure ends in the same terminal column as its header
        number = re.search(r"\d+(?=\s+\d+\s*$)", row)
        assert number is not None, row
        assert cell_len(row[: number.end()]) == turns_end, (header, row)

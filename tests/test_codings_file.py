"""Portable codings files: round trip, validation with file and line, all-or-nothing."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner
from conftest import PIF

from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.errors import QualcodeError
from qualcode.models import NewDocument
from qualcode.project import Project

TEXT_A = "=SUM(A1) was typed by a participant.\nThen — naïve café — a second line."
TEXT_B = "Interviewer: and then?\nR2: I went to Seattle."
SEATTLE = (TEXT_B.index("I went"), len(TEXT_B))


def make(path):
    p = Project.create(path, codebook=load_codebook(PIF), coder="coder1")
    p.add_documents(
        [
            NewDocument("R1", "interview", "R1_interview", TEXT_A, "R1_interview.txt", "a"),
            NewDocument("R1", "report", "R1_report", TEXT_B, "R1_report.txt", "b"),
            NewDocument("R2", "interview", "R2_interview", TEXT_B + " ", "R2_interview.txt", "c"),
        ]
    )
    return p


def write(path, rows, header=("participant", "document", "start", "end", "code", "coder", "text")):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def snapshot(p):
    return sorted(
        (c.document_id, c.start, c.end, p.code(c.code_id).path, c.coder, c.memo)
        for c in p.codings()
    )


def test_round_trip_keeps_offsets_and_text(tmp_path):
    src = make(tmp_path / "a.qualcode")
    cafe = TEXT_A.index("naïve café")
    src.add_coding("R1_interview", 0, 8, "Empathy", coder="ana", memo="formula-looking")
    src.add_coding("R1_interview", cafe, cafe + len("naïve café"), "Culture shock")
    src.add_coding("R1_report", *SEATTLE, "Leadership/Uncertainty", coder="-bob")
    src.add_coding("R2_interview", *SEATTLE, "Leadership/Uncertainty")
    out = tmp_path / "codings.csv"
    assert src.export_codings_csv(out) == 4
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert rows[0]["text"] == "'=SUM(A1)"  # neutralised for spreadsheets
    assert rows[1]["text"] == "naïve café" and rows[1]["start"] == str(cafe)
    dst = make(tmp_path / "b.qualcode")
    result = dst.import_codings_csv(out)
    assert (result.added, result.skipped, result.participants, result.documents) == (4, 0, 2, 3)
    assert snapshot(dst) == snapshot(src)
    again = dst.import_codings_csv(out)
    assert (again.added, again.skipped) == (0, 4)
    assert len(dst.codings()) == 4


def test_manifest_paths_and_default_coder(tmp_path):
    p = make(tmp_path / "a.qualcode")
    f = write(
        tmp_path / "c.csv",
        [
            [
                "R1",
                "reports/R1_report.txt",
                *SEATTLE,
                "Leadership/Uncertainty",
                "",
                "I went to Seattle.",
            ]
        ],
    )
    assert p.import_codings_csv(f).added == 1
    [coding] = p.codings()
    assert (coding.coder, TEXT_B[coding.start : coding.end]) == ("coder1", "I went to Seattle.")


@pytest.mark.parametrize(
    "row, message",
    [
        (["R9", "R1_interview.txt", 0, 4, "Empathy", "x", ""], "line 3: unknown participant 'R9'"),
        (
            ["R1", "R2_interview.txt", 0, 4, "Empathy", "x", ""],
            "line 3: no document 'R2_interview.txt' of participant R1",
        ),
        (["R1", "R1_interview.txt", 0, 4, "Nope", "x", ""], "line 3: no code named 'Nope'"),
        (
            ["R1", "R1_interview.txt", 5, 999, "Empathy", "x", ""],
            "line 3: span 5-999 is outside the document",
        ),
        (
            ["R1", "R1_interview.txt", 4, 4, "Empathy", "x", ""],
            "line 3: span 4-4 is outside the document",
        ),
        (
            ["R1", "R1_interview.txt", "a", 4, "Empathy", "x", ""],
            "line 3: start 'a' is not a whole number",
        ),
        (
            ["R1", "R1_interview.txt", 0, 4, "Empathy", "x", "=SUX"],
            "line 3: text does not match the document at 0-4",
        ),
    ],
)
def test_bad_rows_are_refused_whole(tmp_path, row, message):
    p = make(tmp_path / "a.qualcode")
    good = ["R1", "R1_interview.txt", 0, 4, "Empathy", "x", "'=SUM"]
    f = write(tmp_path / "bad.csv", [good, row])
    with pytest.raises(QualcodeError) as info:
        p.import_codings_csv(f)
    text = str(info.value)
    assert text.startswith("bad.csv ") and message in text and "\n" not in text
    assert text.endswith("(nothing imported)")
    assert p.codings() == []


def test_missing_column_and_cli(tmp_path):
    p = make(tmp_path / "a.qualcode")
    p.close()
    f = write(tmp_path / "short.csv", [["R1", "x", 0]], header=("participant", "document", "start"))
    r = CliRunner().invoke(main, ["import-codings", str(p.path), str(f)])
    assert r.exit_code == 1
    assert (
        r.output.strip() == "error: short.csv line 1: missing columns end, code "
        "(expected participant, document, start, end, code, coder, text)"
    )
    good = write(
        tmp_path / "good.csv", [["R2", "R2_interview", 0, 11, "Empathy", "", "Interviewer"]]
    )
    r = CliRunner().invoke(main, ["import-codings", str(p.path), str(good)])
    assert r.output.strip() == "imported 1 coding into 1 document of 1 participant"
    r = CliRunner().invoke(main, ["export-codings", str(p.path), str(tmp_path / "out.csv")])
    assert r.output.strip() == f"wrote 1 coding to {tmp_path / 'out.csv'}"
    assert (
        (tmp_path / "out.csv")
        .read_text()
        .splitlines()[1]
        .startswith(
            "R2,R2_interview.txt,0,11,Perspective transformation/Empathy,coder1,Interviewer,,"
        )
    )


def test_every_bad_row_is_reported_and_nothing_imported(tmp_path):
    p = make(tmp_path / "a.qualcode")
    good = ["R1", "R1_interview.txt", 0, 4, "Empathy", "x", "'=SUM"]
    rows = [good] * 3 + [["R1", "R1_interview.txt", 0, 4, "Empathy", "x", "=SUX"]]
    rows += [good, ["R1", "R1_interview.txt", 0], good]
    rows += [["R1", "R1_interview.txt", 0, 4, "Nope", "x", ""], good]
    f = write(tmp_path / "bad.csv", rows)
    with pytest.raises(QualcodeError) as info:
        p.import_codings_csv(f)
    assert str(info.value).splitlines() == [
        "bad.csv: 3 problems (nothing imported)",
        "  bad.csv line 5: text does not match the document at 0-4 (file has '=SUX', "
        "document has '=SUM')",
        "  bad.csv line 7: 3 cells, the header has 7",
        "  bad.csv line 9: no code named 'Nope'",
    ]
    assert p.codings() == []
    p.close()
    r = CliRunner().invoke(main, ["import-codings", str(p.path), str(f)])
    assert (
        r.exit_code == 1
        and r.output.splitlines()[0] == "error: bad.csv: 3 problems (nothing imported)"
    )
    assert len(r.output.splitlines()) == 4

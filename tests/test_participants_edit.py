"""Participants after import (issue 14 item 4): `participants --set/--remove/--rename`,
`import-attributes` on QualCoder's real cases CSV and on bad sheets, each write one
transaction in the audit log, and a rename in a pseudonymised project leaving no old id
in the file's bytes."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import ImportError_, NotFoundError, QualcodeError
from qualcode.models import NewDocument
from qualcode.project import Project
from qualcode.pseudonymise import NameRule
from tests.shared_fixtures import FIXTURES, need

CASES = FIXTURES / "transcripts" / "qualcoder-examples" / "cases123.csv"
SURVEY = FIXTURES / "transcripts" / "qualcoder-examples" / "survey456.csv"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def attributes(path) -> dict[str, dict[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT p.pid, a.name, a.value FROM participants p "
            "LEFT JOIN attributes a ON a.participant_id = p.id"
        ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for pid, name, value in rows:
        out.setdefault(pid, {})
        if name is not None:
            out[pid][name] = value
    return out


def log_actions(path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT action, summary FROM log ORDER BY id").fetchall()


@pytest.fixture
def two_people(tmp_path):
    path = tmp_path / "p.qualcode"
    with Project.create(path, coder="ana") as p:
        p.set_backups_keep(0)
        p.add_documents(
            [
                NewDocument("ID1", "interview", "ID1", "I liked the ward.", "ID1.docx", "s1"),
                NewDocument("ID1", "report", "ID1 report", "Later I led.", "ID1.txt", "s2"),
                NewDocument("ID2", "interview", "ID2", "Loud ICU.", "ID2.odt", "s3"),
            ]
        )
        p.upsert_participants([("ID2", None, {"Age": "30"})])
    return path


def test_import_qualcoder_cases_csv(two_people):
    need(CASES)
    dry = run("import-attributes", two_people, CASES, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert attributes(two_people) == {"ID1": {}, "ID2": {"Age": "30"}}  # nothing written
    result = run("import-attributes", two_people, CASES)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines == [
        "cases123.csv: utf-8, comma-separated; participant ids from column 'case'; "
        "attributes: Age, gender, interest",
        "matched 2 participants of the project: ID1, ID2",
        "skipped 1 participant not in the project: ID3 (--create adds them)",
        "values: 5 added, 1 changed, 0 unchanged",
        "written in one transaction",
    ]
    assert dry.output.splitlines()[:4] == lines[:4]
    assert dry.output.splitlines()[4] == "nothing written (dry run)"
    assert attributes(two_people) == {
        "ID1": {"Age": "20", "gender": "f", "interest": "science"},
        "ID2": {"Age": "22", "gender": "m", "interest": "performing arts"},
    }
    assert log_actions(two_people)[-1] == (
        "import attributes from cases123.csv",
        "5 attributes added, 1 attribute changed",
    )
    again = run("import-attributes", two_people, CASES, "--create")
    assert "created 1 new participant: ID3" in again.output
    assert "values: 3 added, 0 changed, 6 unchanged" in again.output
    assert attributes(two_people)["ID3"] == {"Age": "45", "gender": "f", "interest": "politics"}


def test_survey_csv_crlf_empty_cells_and_quoted_commas(two_people):
    need(SURVEY)
    with Project.open(two_people, daily_backup=False) as p:
        plan = p.import_attributes(SURVEY, create=True)
    assert plan.id_column == "Case" and plan.attributes == ("Age", "Gender", "Interest", "freetext")
    assert plan.created == ["ID4", "ID5", "ID6"] and plan.empty == 1
    people = attributes(two_people)
    assert "Age" not in people["ID5"] and people["ID5"]["Interest"] == "golf"
    assert people["ID4"]["freetext"].startswith("I wanted to do some more studies but after")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("case,Age\nID1,20\n,30\n", r"bad\.csv line 3: participant id \('case'\) is empty"),
        ("case,Age\nID1,20,x\n", r"bad\.csv line 2: 3 cells but the header has 2"),
        ("case,Age\nID1,20\n\nID1,21\n", r"bad\.csv line 4: participant ID1 has Age='21' here"),
        ("case,Age,age\nID1,1,2\n", r"bad\.csv line 1: duplicate column age"),
        ("case,,x\nID1,1,2\n", r"bad\.csv line 1: column 2 has no name"),
        ("case\nID1\n", r"bad\.csv line 1: no attribute columns"),
        ('case,Age\n"ID1,20\n', r"bad\.csv line 2: unexpected end of data"),
    ],
)
def test_bad_sheets_are_one_line_and_write_nothing(two_people, tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    before = attributes(two_people), log_actions(two_people)
    with Project.open(two_people, daily_backup=False) as p, pytest.raises(ImportError_) as err:
        p.import_attributes(bad, create=True)
    assert "\n" not in str(err.value)
    assert re.search(message, str(err.value)), str(err.value)
    assert (attributes(two_people), log_actions(two_people)) == before


def test_sheet_encodings_delimiters_and_nfc(two_people, tmp_path):
    sheet = tmp_path / "cases.csv"
    sheet.write_bytes("participant;Région\nID1;Île-de-France\nid2;x\n".encode("cp1252"))
    with Project.open(two_people, daily_backup=False) as p:
        plan = p.import_attributes(sheet)
        assert (plan.encoding, plan.delimiter) == ("cp1252", "semicolon")
        assert plan.unknown == ["id2"] and plan.near == {"id2": "ID2"}
        assert "(id2: did you mean ID2?)" in plan.lines()[2]
    assert attributes(two_people)["ID1"] == {"Région": "Île-de-France"}
    nfd = tmp_path / "nfd.csv"
    nfd.write_text("id,Re\u0301gion\nID1,E\u0301vry\n", encoding="utf-16")
    with Project.open(two_people, daily_backup=False) as p:
        plan = p.import_attributes(nfd)
        assert plan.encoding.startswith("utf-16") and plan.changed == 1
    assert attributes(two_people)["ID1"] == {"Région": "Évry"}


def test_set_and_remove_attributes_cli(two_people):
    result = run("participants", two_people, "--set", "ID2", "sex=F", "host_income=LMIC", "Age=")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ID2: added sex, host_income",
        "ID2: removed Age",
    ]
    assert attributes(two_people)["ID2"] == {"sex": "F", "host_income": "LMIC"}
    result = run("participants", two_people, "--set", "ID2", "--remove", "sex", "host_income=HIC")
    assert result.output.splitlines() == ["ID2: changed host_income", "ID2: removed sex"]
    assert attributes(two_people)["ID2"] == {"host_income": "HIC"}
    assert log_actions(two_people)[-1] == (
        "set attributes of ID2",
        "1 attribute changed, 1 attribute removed",
    )
    listing = run("participants", two_people)
    assert listing.output.splitlines() == [
        "ID1        2 docs",
        "ID2        1 doc   host_income=HIC",
    ]
    unknown = run("participants", two_people, "--set", "ID9", "a=b")
    assert unknown.exit_code == 1 and unknown.output.strip() == "error: no participant 'ID9'"
    bare = run("participants", two_people, "sex=F")
    assert bare.exit_code != 0 and "need --set PID" in bare.output
    assert attributes(two_people)["ID2"] == {"host_income": "HIC"}


def test_rename_refuses_a_clash_and_keeps_everything(two_people):
    clash = run("participants", two_people, "--rename", "ID1", "ID2")
    assert clash.exit_code == 1
    assert clash.output.strip() == (
        "error: participant 'ID2' already exists: choose another id "
        "(two participants cannot share an id)"
    )
    with Project.open(two_people, daily_backup=False) as p:
        p.add_memo("talkative", "participant", "ID1")
        p.delete_document(p.resolve_document("ID1 report"))  # into the trash
    result = run("participants", two_people, "--rename", "ID1", "R01")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "renamed participant ID1 to R01 (1 document, 1 in the trash)"
    )
    assert "1 document title or file name still holds 'ID1'" in result.output
    with Project.open(two_people, daily_backup=False) as p:
        assert [d.participant for d in p.documents()] == ["R01", "ID2"]
        assert [m.text for m in p.memos("participant")] == ["talkative"]
        [entry] = p.trash()
        p.restore(entry["id"])
        assert sorted(r.pid for r in p.participant_rows()) == ["ID2", "R01"]
        assert [r.documents for r in p.participant_rows()] == [1, 2]
        with pytest.raises(NotFoundError):
            p.rename_participant("ID1", "X")
        with pytest.raises(QualcodeError, match="empty"):
            p.rename_participant("R01", "  ")
    assert ("rename participant ID1 to R01", "1 participant changed") in log_actions(two_people)


def test_rename_in_pseudonymised_project_leaves_no_old_id(tmp_path):
    name = "Zbigniewa"
    path = tmp_path / "study.qualcode"
    with Project.create(path, coder="ana") as p:
        p.set_backups_keep(0)
        p.add_documents(
            [NewDocument(name, "interview", "Interview 1", "Hello Kowalczyk.", "i1.txt", "s1")]
        )
        p.upsert_participants([(name, None, {"site": "A"})])
        plan = p.pseudonymise_plan([NameRule("Kowalczyk", "X")], use_ner=False)
        p.apply_pseudonymisation(plan)
        assert p.was_pseudonymised()
        done = p.rename_participant(name, "P01")
        assert done.forgot_old
        assert p.participant_rows()[0].pid == "P01"
        changes = p.db.execute(
            "SELECT before, after FROM log_changes WHERE tbl = 'participants'"
        ).fetchall()
        pids = {json.loads(v)["pid"] for row in changes for v in row if v}
        assert pids == {"P01"}
    for f in tmp_path.iterdir():
        data = f.read_bytes()
        assert name.encode() not in data and name.encode("utf-16-le") not in data, f

"""One spelling per attribute name and value: `Sex`/`f` typed or read next to the
project's `sex`/`F` join them (and the summary says so), so that crosstab groups and
`--where` filters count the same participants."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import NotFoundError
from qualcode.models import NewDocument
from qualcode.project import Project


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "p.qualcode"
    with Project.create(path, coder="ana") as p:
        p.set_backups_keep(0)
        p.add_documents(
            [
                NewDocument(pid, "interview", pid, f"{pid} talks.", f"{pid}.txt", pid)
                for pid in ("R1", "R2", "R3", "R4")
            ]
        )
    # Two spellings of one value, as another tool's project may bring them.
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO attributes(participant_id, name, value) "
            "SELECT id, 'sex', ? FROM participants WHERE pid = ?",
            [("F", "R1"), ("F", "R2"), ("m", "R3"), ("M", "R4")],
        )
    return path


def stored(path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT p.pid, a.name, a.value FROM attributes a "
            "JOIN participants p ON p.id = a.participant_id ORDER BY p.pid, a.name"
        ).fetchall()


def test_a_name_or_value_in_another_case_takes_the_project_spelling(project):
    with Project.open(project) as p:
        change = p.set_attributes("R3", {"SEX": "f"})
    assert change.changed == ("sex",)
    assert set(change.respelled) == {
        "attribute 'SEX' written as 'sex', the name the project has",
        "sex='f' written as 'F', the value the project has",
    }
    rows = stored(project)
    assert ("R3", "sex", "F") in rows
    assert {name for _, name, _ in rows} == {"sex"}


def test_crosstab_groups_and_where_filter_agree_after_a_respelled_entry(project):
    result = run("participants", project, "--set", "R4", "sex=f")
    assert result.exit_code == 0, result.output
    assert "note: sex='f' written as 'F'" in result.output
    values = [v for _, name, v in stored(project) if name == "sex"]
    assert sorted(values) == ["F", "F", "F", "m"]
    with Project.open(project) as p:
        p.add_code("Shifts")
        p.add_coding(p.documents()[3].id, 0, 2, "Shifts")  # R4
    table = run("crosstab", project, "--by", "sex").output
    assert "F (N=3)" in table and "m (N=1)" in table, table
    assert "f (N=" not in table and "M (N=" not in table, table
    assert "1/3" in table, table  # R4 coded, counted in F with R1 and R2
    where = run("freq", project, "--where", "sex=F").output
    assert "1/3" in where, where


def test_a_sheet_in_other_cases_joins_the_existing_spelling(project, tmp_path):
    sheet = tmp_path / "cases.csv"
    sheet.write_text("participant,Sex\nR3,f\nR4,M\n", encoding="utf-8")
    with Project.open(project) as p:
        plan = p.import_attributes(sheet)
    lines = plan.lines()
    assert "attribute 'Sex' written as 'sex', the name the project has" in lines
    assert "sex='f' written as 'F', the value the project has" in lines
    assert ("R3", "sex", "F") in stored(project)
    assert plan.changed == 1 and plan.unchanged == 1


def test_the_most_frequent_spelling_wins_where_there_are_several(project):
    with Project.open(project) as p:
        change = p.set_attributes("R1", {"sex": "M"})  # m once, M once: tie -> first sorted
        assert change.respelled == ()  # "M" is one of the spellings the project has
        change = p.set_attributes("R2", {"sex": "m"})
    assert change.respelled == ("sex='m' written as 'M', the value the project has",)


def test_removing_an_attribute_the_participant_lacks_is_an_error(project):
    with Project.open(project) as p, pytest.raises(NotFoundError, match="has no attribute 'age'"):
        p.set_attributes("R1", {"age": None})
    result = run("participants", project, "--set", "R1", "sex=F", "--remove", "sex")
    assert result.exit_code != 0 and "both set and removed" in result.output


def test_an_unknown_id_in_another_case_is_pointed_to(project):
    result = run("participants", project, "--set", "r2", "sex=F")
    assert result.exit_code != 0
    assert "no participant 'r2' (did you mean R2?)" in result.output


def test_create_does_not_add_an_id_that_differs_only_by_case(project, tmp_path):
    sheet = tmp_path / "cases.csv"
    sheet.write_text("participant,sex\nr1,F\nR9,M\n", encoding="utf-8")
    with Project.open(project) as p:
        plan = p.import_attributes(sheet, create=True)
        pids = [x.pid for x in p.participants()]
    assert plan.created == ["R9"]
    assert plan.unknown == ["r1"] and plan.near == {"r1": "R1"}
    assert "r1" not in pids and "R9" in pids

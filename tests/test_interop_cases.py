"""A REFI-QDA source listed in several cases (a focus group) is never given away silently."""

from __future__ import annotations

import uuid
import zipfile

import pytest

from qualcode.project import Project


def _archive(path, cases: dict[str, list[str]], sources: list[str]):
    guid = {name: str(uuid.uuid4()) for name in sources}
    xml_sources = "".join(
        f'<TextSource guid="{guid[n]}" name="{n}"><PlainTextContent>P: text of {n}.'
        "</PlainTextContent></TextSource>"
        for n in sources
    )
    xml_cases = "".join(
        f'<Case guid="{uuid.uuid4()}" name="{case}">'
        + "".join(f'<SourceRef targetGUID="{guid[n]}"/>' for n in names)
        + "</Case>"
        for case, names in cases.items()
    )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        f"<Sources>{xml_sources}</Sources><Cases>{xml_cases}</Cases></Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path


@pytest.mark.parametrize("members", [1, 2, 3, 5])
def test_a_source_in_several_cases_belongs_to_each_and_is_named(tmp_path, members):
    cases = {f"P{i}": ["focus", f"int{i}"] for i in range(members)}
    path = _archive(tmp_path / "f.qdpx", cases, ["focus"] + [f"int{i}" for i in range(members)])
    project = Project.create(tmp_path / "p.qualcode")
    summary = project.import_qdpx(path)
    names = ", ".join(cases)
    assert summary.shared == (
        []
        if members == 1
        else [
            f"'focus': {names} (speakers not mapped: each coding counts for all; "
            "map them with `qualcode set-speaker`)"
        ]
    )
    focus = next(d for d in project.documents() if d.title == "focus")
    assert focus.participant == "P0"
    assert project.document_participants(focus.id) == list(cases)
    # Exported again, the source is in every case.
    project.export_qdpx(tmp_path / "out.qdpx")
    again = Project.create(tmp_path / "again.qualcode")
    assert again.import_qdpx(tmp_path / "out.qdpx").shared == summary.shared


def _coded_archive(path, cases: dict[str, tuple[str, list[str]]], texts: dict[str, str], coded):
    """An archive with one code 'Shifts', a Text variable 'sex' per case (case -> (sex,
    sources)), and codings `coded`: (source, quoted words) pairs."""
    guid = {name: str(uuid.uuid4()) for name in texts}
    code, var = str(uuid.uuid4()), str(uuid.uuid4())
    selections: dict[str, str] = {n: "" for n in texts}
    for source, words in coded:
        start = texts[source].index(words)
        selections[source] += (
            f'<PlainTextSelection guid="{uuid.uuid4()}" startPosition="{start}" '
            f'endPosition="{start + len(words)}"><Coding guid="{uuid.uuid4()}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        )
    xml_sources = "".join(
        f'<TextSource guid="{guid[n]}" name="{n}"><PlainTextContent>{text}</PlainTextContent>'
        f"{selections[n]}</TextSource>"
        for n, text in texts.items()
    )
    xml_cases = "".join(
        f'<Case guid="{uuid.uuid4()}" name="{case}"><VariableValue>'
        f'<VariableRef targetGUID="{var}"/><TextValue>{sex}</TextValue></VariableValue>'
        + "".join(f'<SourceRef targetGUID="{guid[n]}"/>' for n in names)
        + "</Case>"
        for case, (sex, names) in cases.items()
    )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="t">'
        f'<CodeBook><Codes><Code guid="{code}" name="Shifts" isCodable="true"/></Codes></CodeBook>'
        f'<Variables><Variable guid="{var}" name="sex" typeOfVariable="Text"/></Variables>'
        f"<Cases>{xml_cases}</Cases><Sources>{xml_sources}</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    return path


@pytest.mark.parametrize("size", [2, 3, 4])
def test_a_focus_groups_codings_count_for_every_case_it_is_in(tmp_path, size):
    """The qdpx-cases-variables kind: a coded focus group listed in several cases counts
    for each (n = every case), crosstab groups included; a coding in one case's own
    interview counts for that case only."""
    people = [f"Q{i}" for i in range(size)]
    sex = {p: "FM"[i % 2] for i, p in enumerate(people)}
    lines = [f"{p}: line of {p}." for p in people]
    texts = {"focus": "\n".join(lines), **{f"int-{p}": f"{p}: my own words." for p in people}}
    cases = {p: (sex[p], ["focus", f"int-{p}"]) for p in people}
    last = people[-1]
    path = _coded_archive(
        tmp_path / "f.qdpx", cases, texts, [("focus", f"line of {last}"), ("int-Q0", "own")]
    )
    project = Project.create(tmp_path / "p.qualcode")
    summary = project.import_qdpx(path)
    assert summary.shared[0].startswith(f"'focus': {', '.join(people)} (speakers not mapped")
    row = project.frequencies().set_index("code").loc["Shifts"]
    assert (row["n"], row["N"], row["codings"], row["documents"]) == (size, size, 2, 2)
    cross = project.crosstab("sex").set_index("code").loc["Shifts"]
    for group in ("F", "M"):
        members = sum(1 for p in people if sex[p] == group)
        assert (cross[f"{group} n"], cross[f"{group} N"]) == (members, members)
    matrix = project.matrix(values="counts")
    assert matrix["Shifts"].to_dict() == {p: 1 + (p == "Q0") for p in people}

    # Once the speakers are mapped, the focus-group coding counts for its speaker only.
    focus = next(d for d in project.documents() if d.title == "focus")
    assert set(project.speaker_map(focus.id)) == set(people)
    for p in people:
        project.set_speaker(focus.id, p, p)
    row = project.frequencies().set_index("code").loc["Shifts"]
    expected = {"Q0", last}
    assert (row["n"], row["N"], row["codings"]) == (len(expected), size, 2)
    assert project.matrix()["Shifts"].to_dict() == {p: int(p in expected) for p in people}


@pytest.mark.parametrize(
    "value, text", [(4.0, "4"), (3.5, "3.5"), (3.25, "3.25"), (-0.0, "-0"), (1e-07, "1e-07")]
)
def test_a_float_variable_is_stored_as_its_shortest_text(value, text):
    from qualcode.facade.interop_export import attribute_text, typed

    assert attribute_text(value) == text
    assert typed(text, "Float") == value  # and it reads back as the same number

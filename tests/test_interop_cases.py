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

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
def test_a_source_in_several_cases_is_named_in_the_summary(tmp_path, members):
    cases = {f"P{i}": ["focus", f"int{i}"] for i in range(members)}
    path = _archive(tmp_path / "f.qdpx", cases, ["focus"] + [f"int{i}" for i in range(members)])
    project = Project.create(tmp_path / "p.qualcode")
    summary = project.import_qdpx(path)
    lines = [line for line in summary.not_imported if line.startswith("source 'focus'")]
    if members == 1:
        assert lines == []
    else:
        others = ", ".join(f"P{i}" for i in range(1, members))
        assert lines == [
            f"source 'focus' is in {members} cases ({', '.join(cases)}): given to P0 only "
            f"(a document belongs to one participant); its codings do not count for {others}"
        ]
    focus = next(d for d in project.documents() if d.title == "focus")
    assert focus.participant == "P0"

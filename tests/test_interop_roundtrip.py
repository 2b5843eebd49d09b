"""Project -> QDPX/QDC -> project gives the same codebook, excerpts, frequencies and memos."""

from __future__ import annotations

import collections

import pytest
from interop_support import NVIVO_MAC, NVIVO_WIN, QC_120, need, schema, validate_qdpx

from qualcode.models import NewDocument
from qualcode.project import Project

ANA = (
    "Interviewer: Pourquoi avez-vous choisi la médecine ?\n"
    "Ana: J'ai toujours voulu soigner les gens.\n"
    "Ana: À l'hôpital de Genève, j'ai appris à écouter — vraiment écouter.\n"
)
BO = (
    "Interviewer: Was hat sich verändert?\n"
    "Bo: Die Größe der Verantwortung. 責任は重い。\n"
    "Bo: Und die Nächte 🌙 waren lang.\n"
)


def build(tmp_path) -> Project:
    project = Project.create(tmp_path / "orig.qualcode", coder="Zoë")
    project.add_code("Motivation")
    project.add_code("Motivation/Soigner les gens", description="Vouloir aider\nles autres")
    project.add_code("Motivation/Soigner les gens/Écoute", colour="#123abc")
    project.add_code("Verantwortung für Größe", description="Größe, Verantwortung")
    project.add_code("夜勤")
    a, b = project.add_documents(
        [
            NewDocument("P01", "interview", "Entretien Ana", ANA, "ana.txt"),
            NewDocument("P02", "report", "Interview Bo", BO, "bo.txt"),
        ]
    )
    project.upsert_participants(
        [
            (
                "P01",
                "Ana",
                {
                    "âge": "34",
                    "ville": "Genève",
                    "consent": "true",
                    "born": "1990-02-03",
                    "code postal": "01200",
                    "score": "1.50",
                },
            ),
            (
                "P02",
                "Bo",
                {
                    "âge": "41",
                    "ville": "Köln",
                    "consent": "false",
                    "born": "1983-11-30",
                    "code postal": "75001",
                    "score": "2.25",
                },
            ),
        ]
    )
    span = lambda text, part: (text.index(part), text.index(part) + len(part))  # noqa: E731
    project.add_coding(
        a, *span(ANA, "J'ai toujours voulu soigner les gens."), "Motivation/Soigner les gens"
    )
    project.add_coding(
        a, *span(ANA, "j'ai appris à écouter — vraiment écouter."), "Écoute", memo="écoute active"
    )
    project.add_coding(a, *span(ANA, "appris à écouter"), "Motivation", coder="Luís")  # overlapping
    project.add_coding(
        b, *span(BO, "Die Größe der Verantwortung. 責任は重い。"), "Verantwortung für Größe"
    )
    project.add_coding(
        b, *span(BO, "Größe der Verantwortung"), "Verantwortung für Größe", coder="Luís"
    )
    project.add_coding(b, *span(BO, "Nächte 🌙 waren lang"), "夜勤")
    project.add_memo("Notes générales\nsur le projet", title="Journal")
    project.add_memo("Ana parle vite", "participant", "P01", title="Ana")
    project.add_memo("Transcription revue", "document", "Interview Bo")
    project.add_memo("Code à affiner", "code", "Écoute", title="À faire")
    return project


def state(project: Project) -> dict:
    paths = {c.id: c.path for c in project.codes()}
    usage = project.code_usage()
    memo_target = {
        "project": lambda i: None,
        "participant": lambda i: next(p.pid for p in project.participants() if p.id == i),
        "document": lambda i: project.document(i).title,
        "code": lambda i: paths[i],
        "coding": lambda i: project.coding(i).start,
    }
    return {
        "codebook": [(c.path, c.guid, c.colour, c.description) for c in project.codes()],
        "frequencies": {paths[cid]: counts for cid, counts in usage.items()},
        "excerpts": sorted(
            (e.participant, e.document, e.code_path, e.text, e.coder, e.memo)
            for e in project.excerpts()
        ),
        "participants": [(p.pid, p.label, p.attributes) for p in project.participants()],
        "documents": [
            (d.title, d.participant, d.kind, project.document(d.id).text)
            for d in project.documents()
        ],
        "memos": sorted(
            (m.target_type, memo_target[m.target_type](m.target_id), m.title, m.text, m.author)
            for m in project.memos()
        ),
    }


def test_project_round_trip_through_qdpx(tmp_path):
    original = build(tmp_path)
    path = tmp_path / "out.qdpx"
    written = original.export_qdpx(path)
    validate_qdpx(path)
    assert {u.name for u in written.users} == {"Zoë", "Luís"}
    assert {v.name: v.type for v in written.variables} == {
        "born": "Date",
        "consent": "Boolean",
        "ville": "Text",
        "âge": "Integer",
        "document kind": "Text",
        "code postal": "Text",
        "score": "Text",
    }  # "01200" and "1.50" would not come back the same
    copy = Project.create(tmp_path / "copy.qualcode", coder="someone else")
    summary = copy.import_qdpx(path)
    assert (summary.codes, summary.sources, summary.cases, summary.codings, summary.users) == (
        5,
        2,
        2,
        6,
        2,
    )
    assert summary.variables == 6
    assert summary.notes == 5 and summary.not_imported == []
    before, after = state(original), state(copy)
    for key in before:
        assert after[key] == before[key], key
    # Speaker turns are found as `qualcode import` finds them.
    turns = copy.segments("Entretien Ana", "turn")
    assert [t.speaker for t in turns] == ["Interviewer", "Ana", "Ana"]
    assert ANA[turns[1].start : turns[1].end] == "J'ai toujours voulu soigner les gens."
    # A second export of the copy names the same things with the same GUIDs.
    again = copy.export_qdpx(tmp_path / "again.qdpx")
    assert [u.guid for u in sorted(again.users, key=lambda u: u.name)] == [
        u.guid for u in sorted(written.users, key=lambda u: u.name)
    ]
    assert [c.guid for c in again.cases] == [c.guid for c in written.cases]
    assert [s.guid for s in again.sources] == [s.guid for s in written.sources]
    original.close()
    copy.close()


def test_export_is_stable(tmp_path):
    project = build(tmp_path)
    project.export_qdpx(tmp_path / "one.qdpx")
    project.export_qdpx(tmp_path / "two.qdpx")
    import zipfile

    with (
        zipfile.ZipFile(tmp_path / "one.qdpx") as one,
        zipfile.ZipFile(tmp_path / "two.qdpx") as two,
    ):
        assert one.read("project.qde") == two.read("project.qde")
    project.close()


def test_codebook_round_trip_through_qdc(tmp_path):
    original = build(tmp_path)
    qdc = tmp_path / "book.qdc"
    assert original.export_qdc(qdc) == 5
    schema("Codebook").validate(str(qdc))
    fresh = Project.create(tmp_path / "fresh.qualcode")
    assert fresh.import_codebook(qdc) == 5
    assert state(fresh)["codebook"] == state(original)["codebook"]
    assert fresh.import_codebook(qdc) == 0  # same paths: updated, not doubled
    fresh.close()
    original.close()


def test_yaml_codebook_import_and_hand_written_guids_export_valid(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text(
        "name: Test\ncodes:\n  - name: Thème\n    guid: theme-1\n    children:\n"
        "      - name: Sous-thème\n        guid: '{0A47DE65-C207-4521-8A66-9A6D9FFA5F8D}'\n",
        encoding="utf-8",
    )
    project = Project.create(tmp_path / "y.qualcode")
    assert project.import_codebook(book) == 2
    assert [c.path for c in project.codes()] == ["Thème", "Thème/Sous-thème"]
    project.export_qdc(tmp_path / "y.qdc")
    schema("Codebook").validate(str(tmp_path / "y.qdc"))
    from qualcode.interop.model import stable_guid
    from qualcode.interop.qdc import read_qdc

    [theme] = read_qdc(tmp_path / "y.qdc").codes
    assert theme.guid == stable_guid("code", "theme-1")
    assert theme.children[0].guid == "0a47de65-c207-4521-8a66-9a6d9ffa5f8d"
    project.close()


@pytest.mark.parametrize("fixture", [NVIVO_MAC, NVIVO_WIN, QC_120])
def test_real_exports_import_into_a_project_and_back(tmp_path, fixture):
    first = Project.create(tmp_path / "first.qualcode")
    summary = first.import_qdpx(need(fixture))
    assert summary.codings == first.summary()["codings"] > 0
    first.export_qdpx(tmp_path / "back.qdpx")
    validate_qdpx(tmp_path / "back.qdpx")
    second = Project.create(tmp_path / "second.qualcode")
    second.import_qdpx(tmp_path / "back.qdpx")
    assert state(second) == state(first)
    first.close()
    second.close()


def test_both_nvivo_exports_store_identical_excerpts(tmp_path):
    texts = {}
    for name, fixture in (("mac", NVIVO_MAC), ("win", NVIVO_WIN)):
        project = Project.create(tmp_path / f"{name}.qualcode")
        project.import_qdpx(need(fixture))
        texts[name] = collections.Counter((e.code_path, e.text) for e in project.excerpts())
        project.close()
    assert sum(texts["mac"].values()) == 297 and sum(texts["win"].values()) == 303
    assert not texts["mac"] - texts["win"]  # every Mac coding is in the Windows export, same text


def test_codebook_reimport_after_a_rename_adds_the_old_path_without_a_guid_clash(tmp_path):
    project = build(tmp_path)
    qdc = tmp_path / "book.qdc"
    project.export_qdc(qdc)
    old_guid = project.code("Écoute").guid
    project.rename_code("Écoute", "Écoute active")
    assert project.import_codebook(qdc) == 1
    restored = project.code("Motivation/Soigner les gens/Écoute")
    assert restored.guid != old_guid
    assert project.code("Écoute active").guid == old_guid
    project.close()


def test_document_variables_other_than_the_kind_are_reported(tmp_path):
    from interop_support import GUID_B, make_qdpx, project_xml, selection, text_source

    variables = (
        '<Variables><Variable guid="33333333-3333-3333-3333-333333333333" name="Document kind" '
        'typeOfVariable="Text"/><Variable guid="44444444-4444-4444-4444-444444444444" '
        'name="Interviewer" typeOfVariable="Text"/></Variables>'
    )
    values = "".join(
        f'<VariableValue><VariableRef targetGUID="{g}"/><TextValue>{v}</TextValue></VariableValue>'
        for g, v in (
            ("33333333-3333-3333-3333-333333333333", "focus group"),
            ("44444444-4444-4444-4444-444444444444", "Kim"),
        )
    )
    source = text_source(selections=selection(0, 5)).replace(
        "</TextSource>", values + "</TextSource>"
    )
    qde = project_xml(sources=source).replace("</CodeBook>", "</CodeBook>" + variables)
    path = make_qdpx(tmp_path / "vars.qdpx", qde, {f"sources/{GUID_B}.txt": b"Hello world"})
    project = Project.create(tmp_path / "v.qualcode")
    summary = project.import_qdpx(path)
    assert summary.not_imported == [
        "document variable 'Interviewer' on 1 source (qualcode keeps the document kind)"
    ]
    assert [d.kind for d in project.documents()] == ["focus group"]
    assert summary.variables == 1 and project.attribute_names() == []
    project.close()


def test_demo_project_round_trip(tmp_path):
    """The demo (`qualcode demo`) to QDPX and back: same frequency table, crosstab,
    participant-by-code matrix, excerpt texts, codebook, participants and documents."""
    from qualcode.demo import build_demo

    original = build_demo(tmp_path / "demo.qualcode")
    original.export_qdpx(tmp_path / "demo.qdpx")
    validate_qdpx(tmp_path / "demo.qdpx")
    copy = Project.create(tmp_path / "copy.qualcode")
    summary = copy.import_qdpx(tmp_path / "demo.qdpx")
    assert summary.not_imported == []
    assert (summary.sources, summary.cases, summary.codings) == (
        39,
        23,
        original.summary()["codings"],
    )
    before, after = state(original), state(copy)
    for key in before:
        assert after[key] == before[key], key
    frequencies = original.frequencies()
    assert len(frequencies) == 36 and frequencies["n"].sum() > 0
    assert copy.frequencies().equals(frequencies)
    for attribute in original.attribute_names():
        assert copy.crosstab(attribute).equals(original.crosstab(attribute)), attribute
    assert copy.matrix().equals(original.matrix())
    original.close()
    copy.close()


def test_not_codable_codes_stay_not_codable_on_export(tmp_path):
    project = Project.create(tmp_path / "n.qualcode")
    project.import_qdpx(need(NVIVO_WIN))
    project.export_qdc(tmp_path / "n.qdc")
    from qualcode.interop.model import walk_codes
    from qualcode.interop.qdc import read_qdc

    flags = {
        code.name: code.is_codable for code, _, _ in walk_codes(read_qdc(tmp_path / "n.qdc").codes)
    }
    assert flags["Attituderoots"] is False
    assert sum(not codable for codable in flags.values()) == 1
    project.close()

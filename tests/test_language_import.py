"""The project's language read from the documents at import (qualcode.facade.language):
set on the first import of a project whose language the user has not chosen, said as a
note otherwise, never changed for documents in several languages or too short to tell."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.project import Project
from tests.test_interop_cases import _coded_archive

# "a 2. Pfizer" (an ordinal) and "pl. Szegedről" (an abbreviation) end no sentence in
# Hungarian; the English rules end a sentence after each.
HU = (
    "Kérdező: Mikor kapta meg az oltást?\n\n"
    "R1: Tavaly ősszel kaptam meg a 2. Pfizer oltást a rendelőben. Másnap a doktornő "
    "felhívott, pl. Szegedről is kérdezték, hogy vagyok. Eleinte nem bíztam benne, mert "
    "sok ellentmondásos hírt olvastam az interneten.\n"
)
DE = (
    "Interviewerin: Wann haben Sie zum ersten Mal von der Impfung gehört?\n\n"
    "R2: Im letzten Herbst, während der zweiten Welle, hat mir meine Nachbarin davon "
    "erzählt. Anfangs habe ich ihr nicht vertraut, weil ich im Internet viele "
    "widersprüchliche Nachrichten gelesen hatte. Später habe ich mit meiner Ärztin gesprochen.\n"
)
EN = (
    "Interviewer: When did you first hear about the vaccine?\n\n"
    "R3: Last autumn, during the second wave, my neighbour told me about it. At first I "
    "did not trust it, because I had read a lot of conflicting news on the internet. "
    "Later I talked to my doctor, who patiently explained how it works.\n"
)
SHORT = "Igen, persze. Köszönöm.\n"


def _files(tmp_path, **texts: str):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _sentences(project: Project) -> list[str]:
    [doc] = project.documents()
    text = project.document(doc.id).text
    return [text[s.start : s.end] for s in project.segments(doc.id, "sentence")]


def test_the_first_import_sets_the_language_and_says_so(tmp_path):
    with Project.create(tmp_path / "p.qualcode") as project:
        assert not project.language_chosen
        report = project.import_files(_files(tmp_path, hu=HU), participant="R1", sentences="now")
        assert project.language == "hu"
        assert not project.language_chosen  # read, not chosen: the user may still choose
        line = (
            "language: Hungarian (hu), read from the documents (was en); "
            f"qualcode config {project.path} --language en changes it"
        )
        assert report.language == [line]
        assert line in report.lines()
        # the sentences segmented during the import are Hungarian ones
        assert report.decisions == [
            "sentences segmented by the blank spaCy 'hu' pipeline with qualcode's sentence rules"
        ]
        assert _sentences(project)[1:3] == [
            "Tavaly ősszel kaptam meg a 2. Pfizer oltást a rendelőben.",
            "Másnap a doktornő felhívott, pl. Szegedről is kérdezték, hogy vagyok.",
        ]
    with Project.open(tmp_path / "p.qualcode", daily_backup=False) as project:
        assert project.language == "hu"


def test_the_language_is_set_in_the_imports_transaction(tmp_path, monkeypatch):
    """An import that fails after storing its language leaves neither documents nor the
    new language: both roll back together."""
    with Project.create(tmp_path / "p.qualcode") as project:
        store = project._store_language

        def store_then_fail(conn, decision):
            store(conn, decision)
            assert conn.execute("SELECT value FROM meta WHERE key = 'language'").fetchone() == (
                "hu",
            )
            raise RuntimeError("disk full")

        monkeypatch.setattr(project, "_store_language", store_then_fail)
        with pytest.raises(RuntimeError):
            project.import_files(_files(tmp_path, hu=HU), participant="R1")
        assert project.documents() == [] and project.language == "en"


def test_a_language_the_user_chose_is_kept_and_the_difference_said(tmp_path):
    with Project.create(tmp_path / "p.qualcode", language="en") as project:
        assert project.language_chosen
        report = project.import_files(_files(tmp_path, hu=HU), participant="R1")
        assert project.language == "en"
        assert report.language == [
            "note: the documents read as Hungarian (hu), the project's language is en (left "
            f"as it is); qualcode config {project.path} --language hu changes it"
        ]


def test_set_language_marks_the_language_chosen(tmp_path):
    with Project.create(tmp_path / "p.qualcode") as project:
        project.set_language("de")
        assert project.language_chosen
        report = project.import_files(_files(tmp_path, hu=HU), participant="R1")
        assert project.language == "de"
        assert report.language[0].startswith("note: the documents read as Hungarian (hu)")


def test_a_later_import_only_notes_another_language(tmp_path):
    with Project.create(tmp_path / "p.qualcode") as project:
        first = project.import_files(_files(tmp_path, en=EN), participant="R3")
        assert first.language == [] and project.language == "en"  # English: nothing to say
        later = project.import_files(_files(tmp_path, de=DE), participant="R2")
        assert project.language == "en"
        assert later.language == [
            "note: the documents read as German (de), the project's language is en (left "
            f"as it is); qualcode config {project.path} --language de changes it"
        ]


def test_documents_in_several_languages_change_nothing(tmp_path):
    with Project.create(tmp_path / "p.qualcode") as project:
        paths = _files(tmp_path, a_hu=HU, b_de=DE, c_hu=HU.replace("R1", "R4"), d_en=EN)
        report = project.import_files(paths, participant="R1")
        assert project.language == "en"
        assert report.language == [
            "note: the documents read as 3 languages; the project's language stays en "
            f"(qualcode config {project.path} --language CODE changes it):",
            "  Hungarian (hu): 2 documents (a_hu.txt, c_hu.txt)",
            "  German (de): 1 document (b_de.txt)",
            "  English (en): 1 document (d_en.txt)",
        ]


def test_the_list_of_documents_by_language_is_bounded(tmp_path):
    with Project.create(tmp_path / "p.qualcode") as project:
        texts = [(f"h{i}", HU) for i in range(5)] + [("g", DE)]
        decision = project.documents_language(texts)
        assert decision.language is None
        assert decision.lines[1:] == [
            "  Hungarian (hu): 5 documents (h0, h1, h2 and 2 more)",
            "  German (de): 1 document (g)",
        ]


def test_too_little_text_says_nothing(tmp_path):
    from qualcode.nlp.language_id import read_language

    assert read_language("s", SHORT).language is None  # 18 letters
    with Project.create(tmp_path / "p.qualcode") as project:
        report = project.import_files(_files(tmp_path, short=SHORT), participant="R1")
        assert report.language == [] and project.language == "en"
        assert not any("language" in line for line in report.lines())


def test_short_documents_do_not_count_against_the_others(tmp_path):
    with Project.create(tmp_path / "p.qualcode") as project:
        project.import_files(_files(tmp_path, short=SHORT, hu=HU), participant="R1")
        assert project.language == "hu"


def test_a_project_with_documents_is_not_changed(r7_project, tmp_path):
    """A project made before the language was recorded as chosen, holding documents."""
    assert not r7_project.language_chosen
    report = r7_project.import_files(_files(tmp_path, hu=HU), participant="R1")
    assert r7_project.language == "en"
    assert report.language[0].startswith("note: the documents read as Hungarian (hu)")


def test_a_language_spacy_cannot_segment_here_is_only_said(tmp_path, monkeypatch):
    """Korean, Thai, Vietnamese and Japanese need a tokenizer package: without it the
    language is not set (every later segmentation would fail), and the note says why."""
    import qualcode.nlp.pipeline

    monkeypatch.setattr(
        qualcode.nlp.pipeline, "missing_tokenizer", lambda lang: f"no tokenizer for {lang}"
    )
    with Project.create(tmp_path / "p.qualcode") as project:
        report = project.import_files(_files(tmp_path, hu=HU), participant="R1")
        assert project.language == "en"
        assert report.language == [
            "note: the documents read as Hungarian (hu), but spaCy cannot segment it here "
            "(no tokenizer for hu); the project's language stays en"
        ]


def test_missing_tokenizer_names_the_package(monkeypatch):
    import importlib.util

    from qualcode.nlp.pipeline import missing_tokenizer

    assert missing_tokenizer("hu") is None  # spaCy's own rule tokenizer
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "pythainlp" else real(name)
    )
    assert missing_tokenizer("th") == (
        "spaCy's 'th' tokenizer needs the package pythainlp: pip install pythainlp"
    )


def test_a_qdpx_import_sets_the_language(tmp_path):
    archive = _coded_archive(
        tmp_path / "hu.qdpx", {"R1": ("F", ["interju"])}, {"interju": HU}, [("interju", "oltást")]
    )
    with Project.create(tmp_path / "p.qualcode") as project:
        summary = project.import_qdpx(archive, sentences="later")
        assert project.language == "hu"
        line = (
            "language: Hungarian (hu), read from the documents (was en); "
            f"qualcode config {project.path} --language en changes it"
        )
        assert summary.language == [line]
        lines = summary.lines()
        assert line in lines
        assert "sentences by the blank spaCy 'hu' pipeline with qualcode's sentence rules" in lines


def test_a_merged_qdpx_notes_for_this_project(tmp_path):
    """A .qdpx whose documents are here already is read into a scratch project and merged:
    the note names this project, and the scratch (in this project's language) changes
    nothing here."""
    archive = _coded_archive(
        tmp_path / "hu.qdpx", {"R1": ("F", ["interju"])}, {"interju": HU}, [("interju", "oltást")]
    )
    with Project.create(tmp_path / "p.qualcode", language="en") as project:
        project.import_qdpx(archive)
        summary = project.import_qdpx(archive)
        assert summary.merged  # the merge path
        assert project.language == "en"
        assert summary.language == [
            "note: the documents read as Hungarian (hu), the project's language is en (left "
            f"as it is); qualcode config {project.path} --language hu changes it"
        ]


def _run(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_import_says_the_language_and_info_shows_its_pipeline(tmp_path):
    path = tmp_path / "p.qualcode"
    _run("new", path)
    [hu] = _files(tmp_path, hu=HU)
    out = _run("import", path, hu, "--participant", "R1")
    assert (
        f"language: Hungarian (hu), read from the documents (was en); "
        f"qualcode config {path} --language en changes it\n"
    ) in out
    assert "note: sentences to be segmented by the blank spaCy 'hu' pipeline" in out
    info = _run("info", path)
    assert "sentences by the blank spaCy 'hu' pipeline with qualcode's sentence rules" in info


def test_cli_new_and_config_language_are_kept(tmp_path):
    [hu] = _files(tmp_path, hu=HU)
    made = tmp_path / "made.qualcode"
    _run("new", made, "--language", "en")
    out = _run("import", made, hu, "--participant", "R1")
    assert (
        "note: the documents read as Hungarian (hu), the project's language is en (left as "
        f"it is); qualcode config {made} --language hu changes it\n"
    ) in out
    configured = tmp_path / "configured.qualcode"
    _run("new", configured)
    _run("config", configured, "--language", "de")
    _run("import", configured, hu, "--participant", "R1")
    assert "language=de " in _run("config", configured)

"""The import dialog: files, folders and manifests imported by a worker with its own Project."""

from pathlib import Path

import pytest
from textual.widgets import DirectoryTree, Input, OptionList, ProgressBar, Static

from qualcode.errors import QualcodeError
from qualcode.project import Project
from qualcode.tui.screens.import_dialog import ImportDialog, expand_sources, parse_attributes
from tests.tui.screen_app import ScreenApp

R1 = "Interviewer: Why abroad?\n\nR1: I wanted to see [laughs] another system.\n"
R2 = "Interviewer: Why abroad?\n\nR2: My mentor had gone to Ohio.\n"


def _write(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    a, b = folder / "R1_interview.txt", folder / "R2_interview.txt"
    a.write_text(R1, encoding="utf-8")
    b.write_text(R2, encoding="utf-8")
    return a, b


def _results(screen) -> list[str]:
    listing = screen.query_one("#import-results", OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def _type(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    await pilot.press(*text)  # pilot.press takes single characters as keys


async def test_imports_two_typed_files_with_participant_and_attributes(project, tmp_path):
    a, b = _write(tmp_path / "src")
    app = ScreenApp(lambda: ImportDialog(project.path, start_dir=tmp_path / "src"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(
            "#import-paths", Input
        ).value = f"{a}; {b}"  # long: not typed key by key
        await _type(pilot, "#import-participant", "R9")
        await _type(pilot, "#import-attributes", "sex=F;home=Kyoto")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([app.screen.worker])
        await pilot.pause()
        screen = app.screen
        results = _results(screen)
        assert len(results) == 2 and all(r.startswith("✓") for r in results)
        assert "R1_interview.txt" in results[0] and "R9 interview" in results[0]
        bar = screen.query_one(ProgressBar)
        assert (bar.total, bar.progress) == (2, 2)
        assert str(screen.query_one("#import-status", Static).render()) == "2 imported"
        await pilot.press("escape")
        await pilot.pause()
    docs = project.documents()
    assert [(d.participant, d.kind, d.source_name) for d in docs] == [
        ("R9", "interview", "R1_interview.txt"),
        ("R9", "interview", "R2_interview.txt"),
    ]
    assert "R1: I wanted to see [laughs] another system." in project.document(docs[0].id).text
    [person] = project.participants()
    assert person.attributes == {"sex": "F", "home": "Kyoto"}


async def test_tree_pick_and_folder_with_a_bad_file(project, tmp_path):
    a, b = _write(tmp_path / "src")
    (tmp_path / "src" / "zz_empty.txt").write_text("", encoding="utf-8")
    app = ScreenApp(lambda: ImportDialog(project.path, start_dir=tmp_path / "src"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(DirectoryTree)
        tree.focus()
        while not tree.root.children:  # the tree lists the folder in its own worker
            await pilot.pause()
        await pilot.press("down", "enter")  # the first entry under the root: R1_interview.txt
        await pilot.pause()
        assert app.screen.query_one("#import-paths", Input).value == str(a)
        await pilot.press("ctrl+d")  # use the folder of the highlighted file instead
        assert app.screen.query_one("#import-paths", Input).value == str(tmp_path / "src")
        await pilot.click("#import-start")
        await app.workers.wait_for_complete([app.screen.worker])
        await pilot.pause()
        results = _results(app.screen)
        # All or nothing, as on the command line: the bad file is named, nothing goes in.
        assert [r[0] for r in results] == ["✗"]
        assert "zz_empty.txt" in results[0] and "empty" in results[0].split("zz_empty.txt", 1)[1]
        status = str(app.screen.query_one("#import-status", Static).render())
        assert status == (
            "nothing imported: 1 of 3 files failed; fix or remove them and import again"
        )
        assert project.documents() == []
        # Fixed, the same folder imports; the status counts this run only.
        (tmp_path / "src" / "zz_empty.txt").unlink()
        first = app.screen.worker
        while app.screen.running:  # the first run's Finished message is handled
            await pilot.pause()
        await pilot.press("ctrl+r")
        assert app.screen.worker is not first
        await app.workers.wait_for_complete([app.screen.worker])
        while app.screen.running:
            await pilot.pause()
        assert [r[0] for r in _results(app.screen)] == ["✓", "✓"]
        status = str(app.screen.query_one("#import-status", Static).render())
        assert status == "2 imported"
        await pilot.click("#import-close")
        await pilot.pause()
    assert sorted(d.source_name for d in project.documents()) == [
        "R1_interview.txt",
        "R2_interview.txt",
    ]


async def test_manifest_is_one_batch(project, tmp_path):
    a, b = _write(tmp_path / "src")
    manifest = tmp_path / "src" / "manifest.csv"
    manifest.write_text(
        f"participant,file,kind,sex\nR1,{a.name},interview,M\nR2,{b.name},report,F\n",
        encoding="utf-8",
    )
    app = ScreenApp(lambda: ImportDialog(project.path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#import-paths", Input).value = str(manifest)
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([app.screen.worker])
        await pilot.pause()
        assert [r[0] for r in _results(app.screen)] == ["✓", "✓"]
    assert [(d.participant, d.kind) for d in project.documents()] == [
        ("R1", "interview"),
        ("R2", "report"),
    ]
    assert {p.pid: p.attributes["sex"] for p in project.participants()} == {"R1": "M", "R2": "F"}


def test_parse_attributes_and_sources(tmp_path):
    assert parse_attributes("sex=F; host_country=USA (NY), UK;") == {
        "sex": "F",
        "host_country": "USA (NY), UK",
    }
    with pytest.raises(QualcodeError, match="name=value"):
        parse_attributes("sex")
    a, b = _write(tmp_path / "src")
    (tmp_path / "src" / "notes.pdf").write_bytes(b"%PDF")
    choice = expand_sources(str(tmp_path / "src"))
    assert choice.files == [a, b]
    assert len(choice.notes) == 1 and "notes.pdf" in choice.notes[0]
    with pytest.raises(QualcodeError, match="no such file"):
        expand_sources(str(tmp_path / "missing.txt"))


async def test_refuses_before_starting(project, tmp_path):
    a, b = _write(tmp_path / "src")
    manifest = tmp_path / "src" / "manifest.csv"
    manifest.write_text(f"participant,file,kind\nR1,{a.name},interview\n", encoding="utf-8")
    app = ScreenApp(lambda: ImportDialog(project.path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        dialog = app.screen
        status = dialog.query_one("#import-status", Static)
        for paths, attributes, message in [
            (f"{a}; {manifest}", "", "a manifest .csv is imported on its own (it names its files)"),
            (str(a), "sex=F", "attributes need a participant"),
            (
                str(tmp_path / "nope.txt"),
                "",
                f"{tmp_path / 'nope.txt'}: no such file or folder (nothing imported)",
            ),
        ]:
            dialog.query_one("#import-paths", Input).value = paths
            dialog.query_one("#import-attributes", Input).value = attributes
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert str(status.render()) == message
            assert dialog.worker is None
    assert project.documents() == []


async def test_encoding_field_forces_the_codec(project, tmp_path):
    path = tmp_path / "ru.txt"
    path.write_bytes("R5: Да.\n".encode("koi8-r"))  # too short to tell by itself
    app = ScreenApp(lambda: ImportDialog(project.path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#import-paths", Input).value = str(path)
        dialog.query_one("#import-participant", Input).value = "R5"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([dialog.worker])
        await pilot.pause()
        [failure] = _results(dialog)
        assert failure.startswith("✗ ru.txt") and "give --encoding NAME" in failure
        assert project.documents() == []
        dialog.query_one("#import-encoding", Input).value = "koi8-r"
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([dialog.worker])
        await pilot.pause()
        [done] = _results(dialog)
        assert done.startswith("✓ ru.txt") and "koi8-r" in done
    [doc] = project.documents()
    assert project.document(doc.id).text == "R5: Да.\n"


async def test_folder_takes_participants_from_file_names_and_names_skipped_files(project, tmp_path):
    _write(tmp_path / "src")
    (tmp_path / "src" / "cases.csv").write_text("id,sex\nR1,F\n", encoding="utf-8")
    (tmp_path / "src" / "ID2.odt").write_bytes(b"PK\x03\x04")
    app = ScreenApp(lambda: ImportDialog(project.path, start_dir=tmp_path / "src"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#import-paths", Input).value = str(tmp_path / "src")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([app.screen.worker])
        await pilot.pause()
        results = _results(app.screen)
        notes = [r for r in results if r.startswith("note")]
        assert len(notes) == 1 and "skipped 2 files" in notes[0]
        assert "ID2.odt" in notes[0] and "cases.csv" in notes[0]
        assert sum(r.startswith("✓") for r in results) == 2
        await pilot.press("escape")
        await pilot.pause()
    assert [(d.participant, d.source_name) for d in project.documents()] == [
        ("R1", "R1_interview.txt"),
        ("R2", "R2_interview.txt"),
    ]


async def test_the_language_read_from_the_documents_is_listed(project, tmp_path):
    """The dialog lists the import summary's language line (ImportReport.language) under
    the files, as `qualcode import` prints it."""
    from tests.test_language_import import HU

    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "R1_interview.txt").write_text(HU, encoding="utf-8")
    app = ScreenApp(lambda: ImportDialog(project.path, start_dir=folder))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#import-paths", Input).value = str(folder / "R1_interview.txt")
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete([app.screen.worker])
        await pilot.pause()
        results = _results(app.screen)
        assert results[0].startswith("✓ R1_interview.txt")
        assert results[1:] == [
            "language: Hungarian (hu), read from the documents (was en); "
            f"qualcode config {project.path} --language en changes it"
        ]
    with Project.open(project.path, daily_backup=False) as reopened:
        assert reopened.language == "hu"

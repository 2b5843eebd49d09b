"""Regressions found by using the command line as a researcher would (QA pass)."""

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def count(db_path, table):
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "p.qualcode"
    Project.create(path).close()
    return path


def test_folder_import_names_the_files_it_skips(project_path, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "R1.txt").write_text("Interviewer: Hello.\nR1: Hi there.\n")
    (folder / "ID2.odt").write_bytes(b"PK\x03\x04")
    (folder / "cases.csv").write_text("a,b\n")
    r = run("import", project_path, folder)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[0] == (
        f"note: {folder}: skipped 2 files of a type qualcode does not import "
        "(it imports .docx, .md, .srt, .txt, .vtt): cases.csv, ID2.odt"
    )
    assert count(project_path, "documents") == 1


@pytest.fixture
def coded_project(tmp_path):
    path = tmp_path / "c.qualcode"
    with Project.create(path, coder="ana") as p:
        p.add_code("Theme")
        p.add_code("Theme/Empathy")
        doc = tmp_path / "R7.txt"
        doc.write_text("Interviewer: How was it?\nR7: I learned to listen to patients.\n")
        p.import_files([doc], participant="R7", sentences=False)
    return path


def test_coding_the_same_span_twice_is_refused_and_adds_nothing(coded_project):
    args = [
        "code",
        coded_project,
        "--doc",
        "R7",
        "--start",
        "0",
        "--end",
        "11",
        "--code",
        "Empathy",
    ]
    assert run(*args).exit_code == 0
    r = run(*args)
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "error: R7 0-11 is already coded with Theme/Empathy by ana (coding 1)"
    ]
    assert count(coded_project, "codings") == 1
    # another coder may code the same span: that is what agreement is made of
    assert run(*args, "--coder", "bo").exit_code == 0
    assert count(coded_project, "codings") == 2


@pytest.mark.parametrize(
    "start, end, message",
    [
        (10, 5, "error: R7: span 10-5 is empty (the end must be after the start)"),
        (5, 5, "error: R7: span 5-5 is empty (the end must be after the start)"),
        (0, 9999, "error: R7: span 0-9999 is outside the text (0-62)"),
        (-3, 5, "error: R7: span -3-5 is outside the text (0-62)"),
    ],
)
def test_a_bad_span_is_one_line_naming_the_document(coded_project, start, end, message):
    r = run(
        "code", coded_project, "--doc", "R7", "--start", start, "--end", end, "--code", "Empathy"
    )
    assert (r.exit_code, r.output.splitlines()) == (1, [message])
    assert count(coded_project, "codings") == 0


@pytest.mark.parametrize("pattern", ["", "a*|b"])
def test_autocode_refuses_a_pattern_that_matches_empty_text(coded_project, pattern):
    r = run("autocode", coded_project, "--pattern", pattern, "--code", "Empathy")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [f"error: the pattern {pattern!r} matches empty text, so it would code every sentence"],
    )
    assert count(coded_project, "codings") == 0


def test_autocode_for_an_unknown_speaker_names_the_speakers(coded_project):
    turns = ["--pattern", "listen", "--code", "Empathy", "--unit", "turn", "--speaker"]
    r = run("autocode", coded_project, *turns, "R8")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        ["error: no turns spoken by 'R8' (speakers: Interviewer, R7)"],
    )
    r = run("autocode", coded_project, *turns, "r7")
    assert r.exit_code == 0 and r.output.splitlines()[-1] == (
        "coded 1 turn with Theme/Empathy; 0 already coded"
    )
    assert count(coded_project, "codings") == 1


def _unassigned_notes(tmp_path: Path, codes: list[str]) -> Path:
    """A project with one document that belongs to no participant ("notes"), its first
    11 characters coded with the last of `codes`."""
    path = tmp_path / "u.qualcode"
    doc = tmp_path / "notes.txt"
    doc.write_text("Field notes without a participant.\n")
    with Project.create(path) as p:
        for code in codes:
            p.add_code(code)
        p.import_files([doc], sentences=False)
        p.add_coding("notes", 0, 11, codes[-1])
    return path


def test_excerpts_count_no_participant_for_unassigned_documents_and_point_to_children(tmp_path):
    path = _unassigned_notes(tmp_path, ["Theme", "Theme/Child"])
    r = run("excerpts", path, "--code", "Theme/Child")
    assert r.output.splitlines()[-1] == "1 excerpt from 0 participants"
    r = run("excerpts", path, "--code", "Theme")
    assert r.stdout.splitlines() == ["0 excerpts from 0 participants"]
    assert r.stderr.splitlines() == ["note: its subcodes have 1 excerpt: add --with-children"]


def test_usage_errors_are_one_line(coded_project):
    r = run("freq", coded_project, "--format", "xlsx")
    assert (r.exit_code, r.output.splitlines()) == (
        2,
        ["error: xlsx needs a file: add -o FILE.xlsx (see `main freq --help`)"],
    )
    r = run("frq", coded_project)
    assert (r.exit_code, r.output.splitlines()) == (
        2,
        ["error: No such command 'frq'. Did you mean 'freq'? (see `main --help`)"],
    )
    r = run("config", coded_project, "coder", "bob")
    assert r.exit_code == 2 and len(r.output.splitlines()) == 1


@pytest.mark.parametrize(
    "command", [["freq"], ["crosstab", "--by", "sex"], ["cooccur"], ["saturation"]]
)
def test_an_unwritable_plot_is_refused_before_any_table_is_printed(
    coded_project, tmp_path, command
):
    r = run(*command, coded_project, "--plot", tmp_path / "chart.gif")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        ["error: chart.gif: a plot is saved as .png, .svg, .pdf"],
    )
    missing = tmp_path / "nodir" / "chart.png"
    r = run(*command, coded_project, "--plot", missing)
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [f"error: {missing}: cannot write (folder {missing.parent} does not exist)"],
    )


def test_export_codings_refuses_a_name_that_is_not_csv(coded_project, tmp_path):
    r = run("export-codings", coded_project, tmp_path / "codings.xlsx")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        ["error: codings.xlsx: codings are written as CSV; name the file .csv"],
    )
    assert not (tmp_path / "codings.xlsx").exists()
    assert run("export-codings", coded_project, tmp_path / "codings.CSV").exit_code == 0


def test_suggest_names_the_document_of_a_bad_span_and_needs_k_of_one_or_more(coded_project):
    r = run("suggest", coded_project, "--doc", "R7", "--start", 5, "--end", 2)
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        ["error: R7: span 5-2 is empty (the end must be after the start)"],
    )
    r = run("suggest", coded_project, "--doc", "R7", "--start", 0, "--end", 20, "-k", 0)
    assert r.exit_code == 2 and "'-k': 0 is not in the range x>=1" in r.output


def test_codebook_add_refuses_a_colour_that_is_not_rrggbb(coded_project):
    r = run("codebook", "add", coded_project, "Theme/Other", "--colour", "blue")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        ["error: colour 'blue' of 'Other' is not #rrggbb"],
    )
    assert count(coded_project, "codes") == 2
    assert (
        run("codebook", "add", coded_project, "Theme/Other", "--colour", "#3366cc").exit_code == 0
    )
    assert count(coded_project, "codes") == 3


def _trash_count(path):
    return count(path, "trash")


def test_restoring_a_document_whose_text_was_imported_again_is_one_line(coded_project, tmp_path):
    run("code", coded_project, "--doc", "R7", "--start", "0", "--end", "11", "--code", "Empathy")
    assert run("delete-document", coded_project, "R7", "--yes").exit_code == 0
    assert run("import", coded_project, tmp_path / "R7.txt", "--participant", "R7").exit_code == 0
    r = run("restore", coded_project, "1")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [
            "error: cannot restore document 'R7 R7': the same text is in the project again as document 1 'R7'"
        ],
    )
    assert (count(coded_project, "documents"), _trash_count(coded_project)) == (1, 1)


def test_restoring_a_document_whose_codes_were_deleted_since_is_one_line(coded_project):
    run("code", coded_project, "--doc", "R7", "--start", "0", "--end", "11", "--code", "Empathy")
    run("delete-document", coded_project, "R7", "--yes")
    run("codebook", "delete", coded_project, "Theme/Empathy", "--yes")
    r = run("restore", coded_project, "1")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [
            "error: cannot restore document 'R7 R7': 1 of its codings use codes deleted since; "
            "restore those codes first (`qualcode trash`)"
        ],
    )
    assert count(coded_project, "documents") == 0
    assert run("restore", coded_project, "2").exit_code == 0  # the code first, then the document
    assert run("restore", coded_project, "1").exit_code == 0
    assert (count(coded_project, "documents"), count(coded_project, "codings")) == (1, 1)


def test_restoring_a_code_whose_parent_was_deleted_or_whose_name_is_taken(coded_project):
    run("code", coded_project, "--doc", "R7", "--start", "0", "--end", "11", "--code", "Empathy")
    run("codebook", "delete", coded_project, "Theme/Empathy", "--force", "--yes")  # trash 1
    run("codebook", "delete", coded_project, "Theme", "--yes")  # trash 2
    r = run("restore", coded_project, "1")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [
            "error: cannot restore code 'Theme/Empathy': its parent 'Theme' was deleted since; "
            "restore that first (`qualcode trash`)"
        ],
    )
    run("codebook", "add", coded_project, "Theme")
    r = run("restore", coded_project, "2")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [
            "error: cannot restore code 'Theme': a code named 'Theme' exists there again; rename it first"
        ],
    )
    assert (count(coded_project, "codes"), count(coded_project, "codings")) == (1, 0)


def test_restored_codings_keep_their_ids_so_memos_stay_on_them(coded_project):
    run("code", coded_project, "--doc", "R7", "--start", "0", "--end", "11", "--code", "Empathy")
    run("code", coded_project, "--doc", "R7", "--start", "13", "--end", "20", "--code", "Empathy")
    run("memo", coded_project, "--on", "coding", "2", "about the second")
    run("delete-document", coded_project, "R7", "--yes")
    assert run("restore", coded_project, "1").exit_code == 0
    with Project.open(coded_project) as p:
        assert [(c.id, c.start) for c in p.codings()] == [(1, 0), (2, 13)]
    run("codebook", "delete", coded_project, "Theme", "--force", "--yes")
    assert run("restore", coded_project, "1").exit_code == 0
    with Project.open(coded_project) as p:
        assert [(c.id, c.start, p.code(c.code_id).path) for c in p.codings()] == [
            (1, 0, "Theme/Empathy"),
            (2, 13, "Theme/Empathy"),
        ]


def test_codebook_export_writes_qdc_by_suffix_and_refuses_other_names(coded_project, tmp_path):
    r = run("codebook", "export", coded_project, tmp_path / "book.qdc")
    assert r.output.splitlines() == [f"wrote 2 codes to {tmp_path / 'book.qdc'}"]
    assert (tmp_path / "book.qdc").read_text(encoding="utf-8").startswith("<?xml")
    r = run("codebook", "export", coded_project, tmp_path / "book.txt")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        ["error: book.txt: a codebook is written as .yaml or .qdc"],
    )
    missing = tmp_path / "nodir" / "book.yaml"
    r = run("codebook", "export", coded_project, missing)
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [f"error: {missing}: cannot write (No such file or directory)"],
    )


def test_export_refi_checks_the_names_and_folders_first(coded_project, tmp_path):
    missing = tmp_path / "nodir"
    for option, name, message in [
        (
            "--qdc",
            missing / "book.qdc",
            f"{missing / 'book.qdc'}: cannot write (folder {missing} does not exist)",
        ),
        (
            "--qdpx",
            missing / "p.qdpx",
            f"{missing / 'p.qdpx'}: cannot write (folder {missing} does not exist)",
        ),
        ("--qdc", tmp_path / "book.yaml", "book.yaml: a REFI-QDA .qdc file must be named .qdc"),
        ("--qdpx", tmp_path / "p.zip", "p.zip: a REFI-QDA .qdpx file must be named .qdpx"),
    ]:
        r = run("export", coded_project, option, name)
        assert (r.exit_code, r.output.splitlines()) == (1, [f"error: {message}"])
    # backups/: the daily backup made when a command first opened the project today
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R7.txt", "backups", "c.qualcode"]


def test_memo_on_a_coding_that_is_not_a_number_and_documents_of_an_unknown_participant(
    coded_project,
):
    r = run("memo", coded_project, "--on", "coding", "abc", "text")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        ["error: a coding is named by its id (a number), not 'abc'"],
    )
    r = run("documents", coded_project, "--participant", "R99")
    assert (r.exit_code, r.output.splitlines()) == (1, ["error: no participant 'R99'"])
    assert count(coded_project, "memos") == 0


@pytest.mark.parametrize("command", [["new"], ["demo"]])
def test_a_project_in_a_missing_folder_is_a_clear_error(tmp_path, command):
    target = tmp_path / "nodir" / "p.qualcode"
    r = run(*command, target)
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [f"error: {target}: cannot create (folder {target.parent} does not exist)"],
    )
    assert not target.parent.exists()


def test_a_kind_spelt_with_other_capitals_joins_the_existing_kind(coded_project, tmp_path):
    for name, kind in [("R8.txt", "Interview"), ("R9.txt", "REPORT"), ("R10.txt", "report")]:
        (tmp_path / name).write_text(f"Interviewer: Hello {name}.\nR: Fine.\n")
        assert run("import", coded_project, tmp_path / name, "--kind", kind).exit_code == 0
    with Project.open(coded_project) as p:
        assert [(d.title, d.kind) for d in p.documents()] == [
            ("R7", "interview"),
            ("R8", "interview"),
            ("R9", "REPORT"),
            ("R10", "REPORT"),
        ]


def test_freq_says_why_n_is_zero_when_no_document_has_a_participant(tmp_path):
    path = _unassigned_notes(tmp_path, ["Theme"])
    r = run("freq", path)
    assert r.output.splitlines()[-3:] == [
        "Theme (n/a)     n/a        1          1          0",
        "0 participants, 1 document in scope; participants with a document of each kind: interview 0",
        "no document in scope belongs to a participant, so participants cannot be counted "
        "(n/a; the codings and documents columns still count): give each document its "
        "participant with `qualcode set-document PROJECT TITLE --participant ID`",
    ]


def test_memos_name_what_they_are_on(coded_project):
    run("code", coded_project, "--doc", "R7", "--start", "0", "--end", "11", "--code", "Empathy")
    assert (
        run("memo", coded_project, "--on", "participant", "R7", "quiet").output
        == "memo 1 on participant R7\n"
    )
    assert (
        run("memo", coded_project, "--on", "code", "Empathy", "c").output
        == "memo 2 on code Theme/Empathy\n"
    )
    assert run("memo", coded_project, "--on", "coding", "1", "k").output == "memo 3 on coding 1\n"
    assert (
        run("memo", coded_project, "--on", "document", "R7", "d").output
        == "memo 4 on document R7\n"
    )
    r = run("memo", coded_project, "")
    assert (r.exit_code, r.output) == (1, "error: a memo cannot be empty\n")
    run("delete-document", coded_project, "R7", "--yes")
    # The memos on the document and its coding go to the trash with it...
    assert run("memo", coded_project).output.splitlines() == [
        "   1 participant R7            ana: quiet",
        "   2 code        Theme/Empathy ana: c",
    ]
    # ...and come back with it, on the same targets.
    [entry] = run("trash", coded_project).output.split()[:1]
    assert run("restore", coded_project, entry).exit_code == 0
    assert run("memo", coded_project).output.splitlines() == [
        "   1 participant R7            ana: quiet",
        "   2 code        Theme/Empathy ana: c",
        "   3 coding      1             ana: k",
        "   4 document    R7            ana: d",
    ]


def test_config_refuses_an_unknown_language_and_an_empty_coder_changing_nothing(coded_project):
    r = run("config", coded_project, "--language", "zz", "--coder", "bo")
    assert (r.exit_code, r.output.splitlines()) == (1, ["error: unknown spaCy language code 'zz'"])
    r = run("config", coded_project, "--coder", " ")
    assert r.exit_code == 2 and "--coder: cannot be empty" in r.output
    assert run("config", coded_project).output == "name=c coder=ana language=en backups=10\n"
    assert (
        run("config", coded_project, "--language", "de").output
        == "name=c coder=ana language=de backups=10\n"
    )


def test_uncode_without_a_match_names_the_document(coded_project):
    r = run("uncode", coded_project, "--doc", "R7", "--start", 0, "--end", 11)
    assert (r.exit_code, r.output) == (1, "error: R7: no coding with exactly the span 0-11\n")
    run("code", coded_project, "--doc", "R7", "--start", "0", "--end", "11", "--code", "Empathy")
    r = run("uncode", coded_project, "--doc", "R7", "--start", 0, "--end", 11, "--coder", "bo")
    assert (r.exit_code, r.output) == (1, "error: R7: no coding with exactly the span 0-11 by bo\n")
    assert (
        run("uncode", coded_project, "--doc", "R7", "--start", 0, "--end", 11).output
        == "removed 1 coding\n"
    )


def test_pseudonymise_refuses_a_name_listed_twice_with_different_replacements(
    coded_project, tmp_path
):
    names = tmp_path / "names.csv"
    names.write_text("name,replacement\nPatients,P1\npatients,P2\n")
    r = run("pseudonymise", coded_project, "--names", names, "--no-entities", "--yes")
    assert (r.exit_code, r.output.splitlines()) == (
        1,
        [
            f"error: {names}: line 3: 'patients' is listed again with another replacement ('P2'; line 2 has 'P1')"
        ],
    )
    with Project.open(coded_project) as p:
        assert "patients" in p.document("R7").text


def test_a_qdpx_in_a_folder_is_skipped_with_a_hint(project_path, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "R1.txt").write_text("Interviewer: Hello.\nR1: Hi there.\n")
    (folder / "study.qdpx").write_bytes(b"PK\x03\x04")
    r = run("import", project_path, folder)
    assert r.exit_code == 0
    assert r.stderr.splitlines() == [
        f"note: {folder}: skipped 1 file of a type qualcode does not import (it imports .docx, .md, .srt, .txt, .vtt): "
        "study.qdpx; a .qdpx project is imported on its own: qualcode import PROJECT FILE.qdpx"
    ]


def test_version_is_shown_without_the_package_being_installed():
    import qualcode

    r = run("--version")
    assert (r.exit_code, r.output) == (0, f"qualcode, version {qualcode.__version__}\n")
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == qualcode.__version__

"""Project.import_files / import_manifest and `qualcode import`: what lands in the DB."""

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import ROOT

from qualcode.cli import main
from qualcode.errors import ImportError_
from qualcode.facade.ingest import LATER_NOTE
from qualcode.project import Project

SAMPLE_MANIFEST = ROOT / "sample_transcripts" / "manifest.csv"
TABLES = ("participants", "attributes", "documents", "segments")


def run(*args):
    return CliRunner().invoke(main, ["import", *[str(a) for a in args]])


def snapshot(db_path):
    """Row counts of the import tables and a checksum of the documents table."""
    conn = sqlite3.connect(db_path)
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        rows = conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
        return counts, hashlib.sha256(repr(rows).encode()).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "p.qualcode"
    Project.create(path).close()
    return path


@pytest.fixture
def files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "R7_interview.txt").write_bytes(
        "Interviewer: Why?\r\n\r\nR7: Café culture.\r\n".encode("cp1252")
    )
    (folder / "R7_notes.md").write_text(
        "**Interviewer:** Next?\n\n**R7:** Done.\n", encoding="utf-8"
    )
    return folder


def test_import_files_stores_documents_segments_and_attributes(project_path, files):
    with Project.open(project_path) as p:
        report = p.import_files(
            [files / "R7_interview.txt", files / "R7_notes.md"], "R7", "interview", {"sex": "F"}
        )
        assert [
            (f.source_name, f.participant, f.kind, f.encoding, f.characters, f.turns)
            for f in report.files
        ] == [
            ("R7_interview.txt", "R7", "interview", "cp1252", 37, 2),
            ("R7_notes.md", "R7", "interview", "utf-8", 38, 2),
        ]
        doc = p.document(report.files[0].document_id)
        assert doc.text == "Interviewer: Why?\n\nR7: Café culture.\n"
        assert (doc.participant, doc.encoding, doc.title) == ("R7", "cp1252", "R7_interview")
        assert doc.sha256 == hashlib.sha256((files / "R7_interview.txt").read_bytes()).hexdigest()
        turns = p.segments(doc.id, "turn")
        assert [(s.speaker, doc.text[s.start : s.end]) for s in turns] == [
            ("Interviewer", "Why?"),
            ("R7", "Café culture."),
        ]
        assert [doc.text[s.start : s.end] for s in p.segments(doc.id, "paragraph")] == [
            "Interviewer: Why?",
            "R7: Café culture.",
        ]
        sentences = p.segments(doc.id, "sentence")
        assert [(s.speaker, doc.text[s.start : s.end]) for s in sentences] == [
            ("Interviewer", "Why?"),
            ("R7", "Café culture."),
        ]
        assert [f.sentences for f in report.files] == [2, 2]
        [person] = p.participants()
        assert (person.pid, person.attributes) == ("R7", {"sex": "F"})


def test_sentences_can_be_left_for_later(project_path, files):
    with Project.open(project_path) as p:
        report = p.import_files([files / "R7_notes.md"], "R7", sentences=False)
        assert report.files[0].sentences == 0
        doc_id = report.files[0].document_id
        assert p.segments(doc_id, "sentence") == []
        assert len(p.segments(doc_id, "turn")) == 2


def test_cli_leaves_sentences_for_later_and_segments_them_when_first_read(project_path, files):
    r = run(project_path, files / "R7_interview.txt", "--participant", "R7")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "R7       interview  cp1252            37 chars     2 turns  later sentences  R7_interview.txt",
        f"note: sentences to be segmented by the {RULES}",
        "imported 1 document for 1 participant",
        LATER_NOTE,
    ]
    conn = sqlite3.connect(project_path)
    kinds = "SELECT kind, count(*) FROM segments GROUP BY kind ORDER BY kind"
    assert conn.execute(kinds).fetchall() == [("paragraph", 2), ("turn", 2)]
    assert conn.execute("SELECT count(*) FROM sentences_pending").fetchone() == (1,)
    with Project.open(project_path) as p:
        [doc] = p.documents()
        sentences = p.segments(doc.id, "sentence")  # segmented now, and stored
        assert [(s.speaker, s.start, s.end) for s in sentences] == [
            ("Interviewer", 13, 17),
            ("R7", 23, 36),
        ]
        assert p.sentences_pending() == 0
    assert conn.execute(kinds).fetchall() == [("paragraph", 2), ("sentence", 2), ("turn", 2)]
    assert "segmented when first needed" not in run_info(project_path)


RULES = "blank spaCy 'en' pipeline with qualcode's sentence rules"


def run_info(path) -> str:
    result = CliRunner().invoke(main, ["info", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def test_info_says_how_many_documents_wait_for_their_sentences(project_path, files):
    assert run(project_path, files / "R7_interview.txt", files / "R7_notes.md").exit_code == 0
    assert run_info(project_path).splitlines()[-2:] == [
        f"  sentences by the {RULES}",
        "  sentences of 2 documents are segmented when first needed "
        f"(`qualcode segment {project_path}` does it now)",
    ]


def test_vtt_timestamps_are_stored_on_turn_segments(project_path, tmp_path):
    vtt = tmp_path / "R2.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.500 --> 00:00:03.000\n<v R2>Hello there.\n", encoding="utf-8"
    )
    with Project.open(project_path) as p:
        report = p.import_files([vtt], "R2")
        [turn] = p.segments(report.files[0].document_id, "turn")
        assert (turn.speaker, turn.t_start, turn.t_end) == ("R2", 1.5, 3.0)


def test_failed_batch_imports_nothing_and_lists_every_failure(project_path, files, tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "copy.txt").write_bytes((files / "R7_interview.txt").read_bytes())
    with Project.open(project_path) as p:
        with pytest.raises(ImportError_) as info:
            p.import_files(
                [
                    files / "R7_interview.txt",
                    tmp_path / "empty.txt",
                    tmp_path / "copy.txt",
                    tmp_path / "x.odt",
                ],
                "R7",
                attributes={"sex": "F"},
            )
        lines = str(info.value).splitlines()
        assert lines[0] == "nothing imported: 3 problems in a batch of 4 files"
        assert lines[1] == "  empty.txt: the file is empty (no text to import)"
        assert lines[2].startswith("  x.odt: OpenDocument (.odt) files are not supported")
        assert lines[3].startswith("  copy.txt: same content as R7_interview.txt (")
        assert p.documents() == [] and p.participants() == []


def test_duplicate_of_a_document_already_in_the_project(project_path, files, tmp_path):
    with Project.open(project_path) as p:
        p.import_files([files / "R7_interview.txt"], "R7")
        (tmp_path / "again.txt").write_bytes((files / "R7_interview.txt").read_bytes())
        with pytest.raises(
            ImportError_,
            match=r"again\.txt: same content as document 1 'R7_interview' "
            r"\(imported from R7_interview\.txt\) already in the project",
        ):
            p.import_files([tmp_path / "again.txt"], "R8")
        assert len(p.documents()) == 1


def test_storage_failure_rolls_back_participants_too(project_path, files, monkeypatch):
    with Project.open(project_path) as p:

        def broken(docs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(p, "add_documents", broken)
        with pytest.raises(RuntimeError):
            p.import_files([files / "R7_notes.md"], "R7", attributes={"sex": "F"})
    assert snapshot(project_path)[0] == dict.fromkeys(TABLES, 0)


def test_segmentation_failure_rolls_back_the_documents(project_path, files, monkeypatch):
    with Project.open(project_path) as p:

        def broken(items, nlp, progress=None):
            raise RuntimeError("no spaCy")

        monkeypatch.setattr(p, "_sentence_rows", broken)
        with pytest.raises(RuntimeError):
            p.import_files([files / "R7_notes.md"], "R7")
    assert snapshot(project_path)[0] == dict.fromkeys(TABLES, 0)


def test_attributes_without_participant_are_refused(project_path, files):
    with (
        Project.open(project_path) as p,
        pytest.raises(ImportError_, match="attributes need a participant"),
    ):
        p.import_files([files / "R7_notes.md"], None, attributes={"sex": "F"})


def test_cli_import_files_with_participant_kind_and_attrs(project_path, files):
    r = run(
        project_path,
        files / "R7_interview.txt",
        "--participant",
        "R7",
        "--kind",
        "report",
        "--attr",
        "sex=F",
        "--attr",
        "host_income=LMIC",
        "--sentences",
        "now",
    )
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "R7       report     cp1252            37 chars     2 turns      2 sentences  R7_interview.txt",
        f"note: sentences segmented by the {RULES}",
        "imported 1 document for 1 participant",
    ]
    conn = sqlite3.connect(project_path)
    assert conn.execute("SELECT kind, title, encoding FROM documents").fetchall() == [
        ("report", "R7_interview", "cp1252")
    ]
    assert conn.execute("SELECT name, value FROM attributes ORDER BY name").fetchall() == [
        ("host_income", "LMIC"),
        ("sex", "F"),
    ]
    assert conn.execute(
        "SELECT kind, count(*) FROM segments GROUP BY kind ORDER BY kind"
    ).fetchall() == [
        ("paragraph", 2),
        ("sentence", 2),
        ("turn", 2),
    ]


def test_cli_folder_imports_supported_files_in_natural_order(project_path, tmp_path):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    for name in ("R10.txt", "R2.txt", "sub/R3.md"):
        (folder / name).write_text(f"Interviewer: hi\n\nR: {name}\n")
    (folder / "notes.csv").write_text("a,b\n")
    (folder / "~$R2.docx").write_bytes(b"lock")
    (folder / ".hidden.txt").write_text("secret")
    r = run(project_path, folder)
    assert r.exit_code == 0, r.output
    assert [line.split()[-1] for line in r.stdout.splitlines()[:3]] == [
        "R2.txt",
        "R10.txt",
        "R3.md",
    ]
    assert "skipped 1 file " in r.stderr and r.stderr.rstrip().endswith(": notes.csv")


def test_cli_manifest_imports_the_sample_corpus(project_path):
    if not SAMPLE_MANIFEST.exists():
        pytest.skip("sample corpus not present")
    r = run(project_path, "--manifest", SAMPLE_MANIFEST)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[-2:] == [
        "imported 39 documents for 23 participants",
        LATER_NOTE,
    ]
    with Project.open(project_path) as p:
        people = {person.pid: person.attributes for person in p.participants()}
        assert people["R1"]["host_country"] == "USA (NY), UK"
        assert people["R23"]["sex"] == "F"
        [r1] = [d for d in p.documents("R1") if d.kind == "interview"]
        turns = p.segments(r1.id, "turn")
        assert turns[0].speaker == "Interviewer"
        assert {t.speaker for t in turns} == {"Interviewer", "R1"}
        text = p.document(r1.id).text
        assert text[turns[1].start : turns[1].start + 5] == "Sure."
        sentences = p.segments(r1.id, "sentence")
        assert sentences[0].speaker == "Interviewer"
        assert text[sentences[0].start : sentences[0].end] == "Thank you for making time."
        assert all(
            line.split()[7:9] == ["later", "sentences"] for line in r.output.splitlines()[:39]
        )


def test_cli_failed_batch_leaves_the_project_unchanged(project_path, files, tmp_path):
    assert run(project_path, files / "R7_interview.txt", "--participant", "R7").exit_code == 0
    before = snapshot(project_path)
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    r = run(
        project_path,
        files / "R7_notes.md",
        tmp_path / "bad.docx",
        "--participant",
        "R8",
        "--attr",
        "sex=M",
    )
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "error: bad.docx: not a valid .docx file (zip header missing) (nothing imported)",
    ]
    assert snapshot(project_path) == before
    assert before[0]["documents"] == 1


def test_cli_usage_errors(project_path, files):
    r = run(project_path)
    assert r.exit_code == 2 and "give files or folders to import, or --manifest CSV" in r.output
    r = run(project_path, files, "--manifest", files / "m.csv")
    assert r.exit_code == 2 and "--manifest names the files" in r.output
    r = run(project_path, files, "--participant", "R7", "--attr", "sex")
    assert r.exit_code == 2 and "'sex' is not NAME=VALUE" in r.output
    (files / "empty").mkdir()
    r = run(project_path, files / "empty")
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        f"error: {files / 'empty'}: folder has no files to import (.docx, .md, .srt, .txt, .vtt)"
    ]
    assert snapshot(project_path)[0] == dict.fromkeys(TABLES, 0)


def test_cli_manifest_problems_are_listed_by_line(project_path, files):
    (files / "m.csv").write_text(
        "participant,file,kind\nR7,R7_notes.md,interview\n,missing.txt,report\n"
    )
    r = run(project_path, "--manifest", files / "m.csv")
    assert r.exit_code == 1
    assert r.output.splitlines() == [
        "error: m.csv: 2 problems (nothing imported)",
        "  m.csv line 3: participant id is empty",
        "  m.csv line 3: file 'missing.txt' not found",
    ]

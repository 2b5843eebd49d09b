"""read_source on real fixture files (QualCoder examples) and on files made here."""

import hashlib
import os
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_fixtures import FIXTURES, need

from qualcode.errors import ImportError_
from qualcode.ingest import normalise_text, read_source


def _fixtures() -> Path:
    return need(FIXTURES / "transcripts" / "qualcoder-examples")


@pytest.fixture(scope="module")
def examples() -> Path:
    return _fixtures()


def test_qualcoder_transcript_txt(examples):
    source = read_source(examples / "transcript.txt")
    assert source.title == "transcript"
    assert source.source_name == "transcript.txt"
    assert source.encoding == "utf-8"
    assert len(source.turns) == 7
    assert [t.speaker for t in source.turns] == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]
    second = source.turns[1]
    assert source.text[second.start : second.end] == (
        "I am struggling with the lecture slides. I felt that they were too busy and I switched off."
    )
    assert source.text[second.start - 6 : second.start] == "[id2] "
    assert source.sha256 == hashlib.sha256((examples / "transcript.txt").read_bytes()).hexdigest()
    assert len(source.paragraphs) == 7


def test_qualcoder_id1_docx(examples):
    source = read_source(examples / "ID1.docx")
    assert source.encoding == "docx"
    assert source.text.startswith("I really like learning new things.")
    assert "I'm happy to pay €200." in source.text
    assert source.turns == []
    assert len(source.paragraphs) == 3
    s, e = source.paragraphs[1]
    assert source.text[s:e].startswith("I guess some less computer-savvy people")


def test_special_chars_docx_keeps_exact_unicode(examples):
    source = read_source(examples / "special.chars.docx")
    lines = source.text.split("\n")
    assert (
        lines[0]
        == "This is a test with \u2018single smart quotes\u2019, \u201cdouble smart quotes\u201d. "
    )
    assert lines[1] == "It\u2019s a test. "
    assert lines[2] == "And here is an ellipsis: \u2026 "
    assert lines[3] == "and a dash, n-dash, m-dash: \u2010, \u2013, \u2014 (for -, --, ---)"
    assert source.turns == []  # "And here is an ellipsis:" is prose, not a speaker


def test_test_file_docx_greek_and_quotes(examples):
    source = read_source(examples / "test_file.docx")
    assert "Αυτή είναι μια δοκιμή." in source.text.split("\n")
    assert "It\u2019s a test. (single smart quote as apostrophe)" in source.text
    assert [source.text[s:e] for s, e in source.paragraphs][:2] == [
        "This is a test.",
        "Αυτή είναι μια δοκιμή.",
    ]


def test_odt_is_refused_clearly(examples):
    with pytest.raises(
        ImportError_, match=r"^ID2\.odt: OpenDocument \(\.odt\) files are not supported"
    ):
        read_source(examples / "ID2.odt")


def test_markdown_text_is_kept_as_written(tmp_path):
    content = "# Interview R2\n\n**Interviewer:** How was *Brazil*?\n\n**R2:** Hot — and *busy*.\n"
    path = tmp_path / "R2.md"
    path.write_text(content, encoding="utf-8")
    source = read_source(path)
    assert source.text == content
    assert [(t.speaker, source.text[t.start : t.end]) for t in source.turns] == [
        ("Interviewer", "How was *Brazil*?"),
        ("R2", "Hot — and *busy*."),
    ]


def test_txt_with_crlf_bom_and_decomposed_accents_is_normalised(tmp_path):
    path = tmp_path / "R5 interview.txt"
    path.write_bytes(b"\xef\xbb\xbfR5: Cafe\xcc\x81\r\nInterviewer: ok\r\n")
    source = read_source(path)
    assert source.text == "R5: Café\nInterviewer: ok\n"
    assert source.title == "R5 interview"
    assert source.encoding == "utf-8-sig"
    assert [source.text[t.start : t.end] for t in source.turns] == ["Café", "ok"]


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Interview R3", level=1)
    document.add_paragraph("Interviewer: Where did you go?")
    document.add_paragraph("")
    p = document.add_paragraph("R3: To Oregon.")
    p.add_run().add_break()
    p.add_run("It rained — a lot.")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Site"
    table.cell(0, 1).text = "Weeks"
    table.cell(0, 2).text = "Note"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Portland clinic"
    table.cell(1, 2).text = "good"
    document.add_paragraph("Interviewer: Thank you.")
    document.save(path)
    return path


def test_docx_paragraphs_tables_and_turns(tmp_path):
    source = read_source(_docx(tmp_path / "R3.docx"))
    assert source.text == (
        "Interview R3\nInterviewer: Where did you go?\n\nR3: To Oregon.\nIt rained — a lot.\n"
        "Site\tWeeks\tNote\nPortland clinic\tgood\nInterviewer: Thank you."
    )
    assert [(t.speaker, source.text[t.start : t.end]) for t in source.turns] == [
        ("Interviewer", "Where did you go?"),
        ("R3", "To Oregon.\nIt rained — a lot.\nSite\tWeeks\tNote\nPortland clinic\tgood"),
        ("Interviewer", "Thank you."),
    ]
    assert [source.text[s:e] for s, e in source.paragraphs] == [
        "Interview R3",
        "Interviewer: Where did you go?",
        "R3: To Oregon.\nIt rained — a lot.",
        "Site\tWeeks\tNote",
        "Portland clinic\tgood",
        "Interviewer: Thank you.",
    ]


def test_corrupt_docx_without_zip_header(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"this is not a zip file at all")
    with pytest.raises(
        ImportError_, match=r"^broken\.docx: not a valid \.docx file \(zip header missing\)$"
    ):
        read_source(path)


def test_zip_that_is_not_a_docx(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ImportError_, match=r"^other\.docx: not a valid \.docx file \("):
        read_source(path)


def test_truncated_docx(tmp_path):
    good = _docx(tmp_path / "good.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ImportError_, match=r"^cut\.docx: not a valid \.docx file"):
        read_source(path)


def test_empty_docx(tmp_path):
    path = tmp_path / "blank.docx"
    document = docx.Document()
    document.add_paragraph("   ")
    document.save(path)
    with pytest.raises(ImportError_, match=r"^blank\.docx: the document is empty"):
        read_source(path)


@pytest.mark.parametrize(
    "name, pattern",
    [
        ("notes.pdf", r"^notes\.pdf: PDF files are not supported"),
        (
            "data.xyz",
            r"^data\.xyz: unsupported file type '\.xyz' \(supported: \.docx, \.md, \.srt, \.txt, \.vtt\)$",
        ),
        ("README", r"^README: unsupported file type '\(no suffix\)'"),
    ],
)
def test_unknown_extensions(tmp_path, name, pattern):
    (tmp_path / name).write_text("text")
    with pytest.raises(ImportError_, match=pattern):
        read_source(tmp_path / name)


def test_missing_file(tmp_path):
    with pytest.raises(ImportError_, match=r"^gone\.txt: no such file or folder"):
        read_source(tmp_path / "gone.txt")


def test_folder_named_like_a_file(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ImportError_, match=r"^folder\.txt: is a folder, not a file$"):
        read_source(tmp_path / "folder.txt")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("R1: hi")
    path.chmod(0)
    try:
        with pytest.raises(ImportError_, match=r"^secret\.txt: permission denied"):
            read_source(path)
    finally:
        path.chmod(0o600)


def test_permission_error_message(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("R1: hi")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(
        ImportError_, match=r"^locked\.txt: permission denied, cannot read the file$"
    ):
        read_source(path)


@pytest.mark.parametrize("content", [b"", b"\n \r\n\t"])
def test_empty_txt(tmp_path, content):
    (tmp_path / "empty.txt").write_bytes(content)
    with pytest.raises(ImportError_, match=r"^empty\.txt: the file is empty"):
        read_source(tmp_path / "empty.txt")


def test_binary_with_txt_suffix(tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    with pytest.raises(ImportError_, match=r"^image\.txt: binary file"):
        read_source(tmp_path / "image.txt")


def test_shift_jis_transcript_with_japanese_labels(tmp_path):
    text = "インタビュアー：留学先はどこでしたか。\r\n\r\nR3：ボストンです。病院で四週間働きました。\r\n"
    path = tmp_path / "R3_ja.txt"
    path.write_bytes(text.encode("cp932"))
    source = read_source(path)
    assert source.encoding == "cp932"
    assert [(t.speaker, source.text[t.start : t.end]) for t in source.turns] == [
        ("インタビュアー", "留学先はどこでしたか。"),
        ("R3", "ボストンです。病院で四週間働きました。"),
    ]


_any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=300,
) | st.lists(
    st.sampled_from(["R7: ", "Interviewer: ", "[id1] ", "\n", "\n\n", "Café ", "ok. ", "東京"]),
    min_size=1,
    max_size=30,
).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_any_text)
def test_any_text_file_reads_back_normalised_with_spans_inside(tmp_path, text):
    if not text.strip():
        return
    path = tmp_path / "any.md"
    path.write_bytes(text.encode("utf-8"))
    source = read_source(path)
    assert source.text == normalise_text(text)
    for start, end in [(t.start, t.end) for t in source.turns] + source.paragraphs:
        assert 0 <= start < end <= len(source.text)
        assert source.text[start:end] == source.text[start:end].strip()


def test_docx_exported_by_a_transcription_service(tmp_path):
    document = docx.Document()
    for line in [
        "Elective interview R14",
        "",
        "Speaker 1   0:03",
        "Where were you?",
        "Speaker 2   0:09",
        "In Laos.",
        "It was hot.",
        "Speaker 1   1:02:10",
        "Thank you.",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "R14 transcript.docx"
    document.save(path)
    source = read_source(path)
    assert [(t.speaker, t.t_start, source.text[t.start : t.end]) for t in source.turns] == [
        ("Speaker 1", 3.0, "Where were you?"),
        ("Speaker 2", 9.0, "In Laos.\nIt was hot."),
        ("Speaker 1", 3730.0, "Thank you."),
    ]

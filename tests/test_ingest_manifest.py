"""Import manifests: validation names the CSV, the line and the problem."""

import pytest

from qualcode.errors import ImportError_
from qualcode.ingest import read_manifest


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "interviews").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "interviews" / "R1.txt").write_text("Interviewer: hi\nR1: hello")
    (tmp_path / "reports" / "R1.txt").write_text("My report.")
    (tmp_path / "interviews" / "R2.txt").write_text("Interviewer: hi\nR2: hello")
    return tmp_path


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_valid_manifest_with_attributes_relative_paths_and_quoted_cells(corpus):
    csv_path = write(
        corpus / "manifest.csv",
        "participant,file,kind,sex,host_country\n"
        'R1,interviews/R1.txt,interview,M,"USA (NY), UK"\n'
        'R1,reports/R1.txt,report,M,"USA (NY), UK"\n'
        "\n"
        "R2,interviews/R2.txt,interview,F,\n",
    )
    entries = read_manifest(csv_path)
    assert [(e.participant, e.path, e.kind, e.attributes, e.line) for e in entries] == [
        (
            "R1",
            corpus / "interviews" / "R1.txt",
            "interview",
            {"sex": "M", "host_country": "USA (NY), UK"},
            2,
        ),
        (
            "R1",
            corpus / "reports" / "R1.txt",
            "report",
            {"sex": "M", "host_country": "USA (NY), UK"},
            3,
        ),
        ("R2", corpus / "interviews" / "R2.txt", "interview", {"sex": "F"}, 5),
    ]


def test_column_order_and_case_bom_and_cp1252(corpus):
    csv_path = write(
        corpus / "m.csv",
        "\ufeffKind,File,Participant,Città\ninterview,interviews/R1.txt,R1,Zürich\n",
        "utf-8",
    )
    [entry] = read_manifest(csv_path)
    assert (entry.participant, entry.kind, entry.attributes) == (
        "R1",
        "interview",
        {"Città": "Zürich"},
    )
    csv_path = write(
        corpus / "w.csv",
        "participant,file,kind,city\nR1,interviews/R1.txt,interview,Zürich\n",
        "cp1252",
    )
    assert read_manifest(csv_path)[0].attributes == {"city": "Zürich"}


def test_missing_required_column(corpus):
    csv_path = write(corpus / "m.csv", "participant,path,kind\nR1,interviews/R1.txt,interview\n")
    with pytest.raises(
        ImportError_,
        match=r"^m\.csv line 1: missing column file \(required: participant, file, kind\)$",
    ):
        read_manifest(csv_path)


def test_every_row_problem_is_reported_with_its_line(corpus):
    csv_path = write(
        corpus / "m.csv",
        "participant,file,kind,sex\n"
        "R1,interviews/R1.txt,interview,M\n"  # 2 fine
        ",interviews/R2.txt,interview,F\n"  # 3 empty participant
        "R9,interviews/R9.txt,interview,F\n"  # 4 missing file
        "R1,reports/R1.txt,,F\n"  # 5 empty kind, conflicting sex
        "R2,interviews/R1.txt,interview,F\n"  # 6 file listed twice
        "R3,,interview,F,extra\n"  # 7 too many fields
        "R3,interviews,interview,F\n",  # 8 a folder
    )
    with pytest.raises(ImportError_) as info:
        read_manifest(csv_path)
    assert str(info.value).splitlines() == [
        "m.csv: 7 problems (nothing imported)",
        "  m.csv line 3: participant id is empty",
        "  m.csv line 4: file 'interviews/R9.txt' not found",
        "  m.csv line 5: kind is empty",
        "  m.csv line 5: participant R1 has sex='F' here but sex='M' on line 2",
        "  m.csv line 6: file 'interviews/R1.txt' is already listed on line 2",
        "  m.csv line 7: 5 fields but the header has 4",
        "  m.csv line 8: 'interviews' is not a file",
    ]


def test_line_numbers_count_multiline_quoted_cells(corpus):
    csv_path = write(
        corpus / "m.csv",
        'participant,file,kind,note\nR1,interviews/R1.txt,interview,"two\nlines"\nR2,nowhere.txt,interview,x\n',
    )
    with pytest.raises(ImportError_, match=r"^m\.csv line 4: file 'nowhere\.txt' not found$"):
        read_manifest(csv_path)


def test_unsupported_file_type_in_manifest(corpus):
    (corpus / "R1.odt").write_bytes(b"PK")
    csv_path = write(corpus / "m.csv", "participant,file,kind\nR1,R1.odt,interview\n")
    with pytest.raises(
        ImportError_, match=r"^m\.csv line 2: file 'R1\.odt' has an unsupported type"
    ):
        read_manifest(csv_path)


@pytest.mark.parametrize(
    "content, pattern",
    [
        (
            "participant,file,kind,\nR1,interviews/R1.txt,interview,\n",
            r"^m\.csv line 1: column 4 has no name$",
        ),
        ("participant,file,kind,Sex,sex\n", r"^m\.csv line 1: duplicate column sex$"),
        ("participant,file,kind\n\n", r"^m\.csv: the manifest lists no files$"),
        ("  \n", r"^m\.csv: the file is empty"),
    ],
)
def test_header_problems(corpus, content, pattern):
    with pytest.raises(ImportError_, match=pattern):
        read_manifest(write(corpus / "m.csv", content))


def test_missing_manifest(tmp_path):
    with pytest.raises(ImportError_, match=r"^nope\.csv: manifest not found"):
        read_manifest(tmp_path / "nope.csv")


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_or_tab_csv_with_windows_paths(corpus, sep):
    content = sep.join(["participant", "file", "kind", "city"]) + "\r\n"
    content += sep.join(["R1", "interviews\\R1.txt", "interview", "Zürich, CH"]) + "\r\n"
    [entry] = read_manifest(write(corpus / "excel.csv", content, "cp1252"))
    assert (entry.path, entry.attributes) == (
        corpus / "interviews" / "R1.txt",
        {"city": "Zürich, CH"},
    )

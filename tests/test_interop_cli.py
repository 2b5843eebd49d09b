"""The REFI-QDA commands: export, import-codebook, and `import` given a .qdpx."""

from __future__ import annotations

import zipfile

from click.testing import CliRunner
from interop_support import (
    ATLAS,
    NVIVO_WIN_1SOURCE,
    QC_120,
    make_qdpx,
    need,
    project_xml,
    validate_qdpx,
)

from qualcode.cli import main
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_import_qdpx_into_a_new_project_prints_the_summary(tmp_path):
    target = tmp_path / "qc.qualcode"
    result = run("import", target, need(QC_120))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"created {target}"
    assert "  codes           112" in lines and "  codings         213" in lines
    assert "  sources           3" in lines and "  users             1" in lines
    assert lines[1] == f"imported from {QC_120.name}:"
    assert any(line.startswith("  sentences ") for line in lines)  # segmented on import
    with Project.open(target) as project:
        assert len(project.segments("admin.txt", "sentence")) > 100
    with Project.open(target) as project:
        assert project.summary()["codings"] == 213


def test_import_qdpx_lists_what_was_not_imported(tmp_path):
    result = run("import", tmp_path / "atlas.qualcode", need(ATLAS))
    assert result.exit_code == 0, result.output
    assert "not imported (15):" in result.output
    assert (
        "  - 16 sets ('Mabel', 'gender: male', 'Simon', 'Text files', 'gender: female', ...): "
        "qualcode has no sets" in result.output
    )
    assert "  notes             2" in result.output


def test_failed_import_into_a_new_project_leaves_no_file(tmp_path):
    bad = make_qdpx(
        tmp_path / "bad.qdpx", project_xml(codes='<Code guid="xyz" name="a" isCodable="true"/>')
    )
    target = tmp_path / "new.qualcode"
    result = run("import", target, bad)
    assert result.exit_code == 1
    assert result.output.strip() == "error: bad.qdpx:project.qde: code 'a': malformed GUID 'xyz'"
    assert list(tmp_path.iterdir()) == [bad]


def test_export_both_formats_and_import_codebook(tmp_path):
    project = tmp_path / "p.qualcode"
    result = run("import", project, need(NVIVO_WIN_1SOURCE), "--no-sentences")
    assert result.exit_code == 0
    assert "positions read as:" in result.output
    assert "  videos_selection: UTF-16 units, CRLF as stored" in result.output
    result = run("export", project, "--qdc", tmp_path / "b.qdc", "--qdpx", tmp_path / "p.qdpx")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"wrote {tmp_path / 'b.qdc'}: 60 codes",
        f"wrote {tmp_path / 'p.qdpx'}: 1 sources, 97 codings, 0 cases, 2 users, 0 notes",
    ]
    validate_qdpx(tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        assert sorted(n.split("/")[0] for n in archive.namelist()) == ["project.qde", "sources"]
    result = run("import-codebook", tmp_path / "fresh.qualcode", tmp_path / "b.qdc")
    assert (
        result.output.strip()
        == f"created {tmp_path / 'fresh.qualcode'}: 60 codes added from b.qdc (60 in the codebook)"
    )


def test_export_needs_a_format(tmp_path):
    Project.create(tmp_path / "p.qualcode").close()
    result = run("export", tmp_path / "p.qualcode")
    assert result.exit_code == 2 and "give --qdc FILE and/or --qdpx FILE" in result.output


def test_import_codebook_refuses_other_files(tmp_path):
    other = tmp_path / "codes.txt"
    other.write_text("a\n", encoding="utf-8")
    Project.create(tmp_path / "p.qualcode").close()
    result = run("import-codebook", tmp_path / "p.qualcode", other)
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: codes.txt: not a codebook (expected a REFI-QDA codebook (.qdc) or a YAML "
        "codebook (.yaml, .yml); read as YAML: expected a mapping with `codes:` or a list of codes)"
    )


def test_qualcode_import_takes_a_qdpx_and_can_start_a_project(tmp_path):
    target = tmp_path / "from_nvivo.qualcode"
    result = run("import", target, need(NVIVO_WIN_1SOURCE), "--no-sentences")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"created {target}"
    assert lines[1] == f"imported from {NVIVO_WIN_1SOURCE.name}:"
    assert "  codings          97" in lines
    with Project.open(target) as project:
        assert project.summary()["codings"] == 97
    result = run("import", target, need(QC_120), "--no-sentences")  # into the existing project
    assert result.exit_code == 0 and "  codings         213" in result.output
    with Project.open(target) as project:
        assert project.summary()["codings"] == 97 + 213


def test_qualcode_import_refuses_a_qdpx_mixed_with_documents(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello\n", encoding="utf-8")
    Project.create(tmp_path / "p.qualcode").close()
    result = run("import", tmp_path / "p.qualcode", need(QC_120), other)
    assert result.exit_code == 2
    assert "a .qdpx file is a whole project: import it on its own" in result.output

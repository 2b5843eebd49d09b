"""Every command that takes a codebook file takes every format the workbench takes
(one loader, facade.interop.read_codebook_file: .qdc, .yaml, .yml, or sniffed from the
content), with a one-line error naming the file otherwise."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import PIF

from qualcode.cli import main
from qualcode.codebook import load_codebook
from qualcode.project import Project


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def qdc(tmp_path):
    source = tmp_path / "src.qualcode"
    Project.create(source, codebook=load_codebook(PIF)).close()
    out = tmp_path / "after.qdc"
    assert run("export", source, "--qdc", out).exit_code == 0
    return out


def yaml_paths() -> list[str]:
    return [path for path, _, _ in load_codebook(PIF).walk()]


def test_new_and_show_take_a_qdc(tmp_path, qdc):
    r = run("new", tmp_path / "qn.qualcode", "--codebook", qdc)
    assert r.exit_code == 0 and r.output.startswith(
        f"created {tmp_path / 'qn.qualcode'} (36 codes)"
    )
    with Project.open(tmp_path / "qn.qualcode") as p:
        assert [c.path for c in p.codes()] == yaml_paths()
    shown = run("codebook", "show", qdc)
    assert (
        shown.exit_code == 0 and shown.output.splitlines()[0] == "after: 36 codes, 5 at top level"
    )
    assert shown.output.splitlines()[2] == "  Self-relativisation"  # .qdc has no shortcuts
    # sniffed by content when the name says nothing
    plain = tmp_path / "codebook.xml"
    shutil.copy(qdc, plain)
    assert (
        run("codebook", "show", plain).output.splitlines()[0]
        == "codebook: 36 codes, 5 at top level"
    )
    yml = tmp_path / "pif.txt"
    shutil.copy(PIF, yml)
    r = run("new", tmp_path / "y.qualcode", "--codebook", yml)
    assert r.exit_code == 0 and "(36 codes)" in r.output
    r = run("import-codebook", tmp_path / "i.qualcode", qdc)
    assert r.exit_code == 0 and "36 codes added from after.qdc" in r.output


def test_what_is_not_a_codebook_is_one_line(tmp_path):
    project = tmp_path / "p.qualcode"
    Project.create(project).close()
    expected = "expected a REFI-QDA codebook (.qdc) or a YAML codebook (.yaml, .yml)"
    r = run("new", tmp_path / "x.qualcode", "--codebook", project)
    assert r.exit_code == 1
    assert r.output == f"error: p.qualcode: a project, not a codebook file ({expected})\n"
    assert not (tmp_path / "x.qualcode").exists()
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02binary")
    r = run("new", tmp_path / "x.qualcode", "--codebook", binary)
    assert r.output == f"error: b.bin: not a codebook ({expected})\n"
    broken = tmp_path / "broken.qdc"
    broken.write_text("<CodeBook><Codes>")
    r = run("codebook", "show", broken)
    assert r.exit_code == 1 and r.output.startswith("error: broken.qdc:") and "YAML" not in r.output

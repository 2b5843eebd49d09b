from click.testing import CliRunner
from conftest import PIF, R7_TEXT

from qualcode.cli import main


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def test_codebook_show_pif_file():
    r = run("codebook", "show", PIF)
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == "Professional identity formation (PIF): 36 codes, 5 at top level"
    assert sum(1 for line in lines[1:] if not line.startswith(" ")) == 5
    assert sum(1 for line in lines[1:] if line.startswith("  ")) == 31


def test_code_excerpts_uncode(r7_project):
    path = r7_project.path
    r7_project.close()
    start = R7_TEXT.index("The ICU")
    end = start + len("The ICU in Ohio was loud.")
    r = run(
        "code",
        path,
        "--doc",
        "R7.txt",
        "--start",
        start,
        "--end",
        end,
        "--code",
        "Culture shock",
        "--coder",
        "ana",
    )
    assert r.exit_code == 0, r.output
    assert "Diversity of values/Culture shock" in r.output
    r = run("excerpts", path, "--code", "Diversity of values", "--with-children")
    assert "The ICU in Ohio was loud." in r.output and "1 excerpt from 1 participant" in r.output
    r = run("uncode", path, "--doc", "R7 interview", "--start", start, "--end", end)
    assert r.output.strip() == "removed 1 coding"


def test_errors_are_one_line(tmp_path):
    r = run("info", tmp_path / "none.qualcode")
    assert r.exit_code == 1
    assert r.output.strip().startswith("error: ") and len(r.output.strip().splitlines()) == 1


def test_codebook_edits(project):
    path = project.path
    project.close()
    assert run("codebook", "add", path, "Leadership/Delegation", "--shortcut", "z").exit_code == 0
    assert (
        "Leadership/Handing over"
        in run("codebook", "rename", path, "Delegation", "Handing over").output
    )
    assert (
        "Career design/Handing over"
        in run("codebook", "move", path, "Handing over", "Career design").output
    )
    r = run("codebook", "show", path)
    assert "  [z] Handing over  (0 codings, 0 participants)" in r.output
    r = run("codebook", "delete", path, "Handing over")
    assert r.exit_code == 0 and "deleted Career design/Handing over" in r.output

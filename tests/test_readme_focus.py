"""The README's focus-group example is true: each command of its console blocks, run in
order on the real QualCoder example focus group (../shared/fixtures), prints the lines
shown (in order; "..." stands for lines left out)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import main
from tests.readme_console import console_commands
from tests.shared_fixtures import FIXTURES, need

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = FIXTURES / "transcripts" / "qualcoder-examples"


def steps() -> list[tuple[list[str], list[str]]]:
    """(command arguments, shown output lines) of every command in the section's blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- focus-group-example -->", 1)[1].split("\n## ", 1)[0]
    return console_commands(section.split("\n### ", 1)[0])


def test_the_focus_group_example_prints_what_the_readme_shows(tmp_path, monkeypatch):
    for name in ("transcript.txt", "cases123.csv"):
        shutil.copyfile(need(EXAMPLES / name), tmp_path / name)
    monkeypatch.chdir(tmp_path)
    ran = steps()
    assert len(ran) >= 10
    for args, shown in ran:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
        printed = result.output.splitlines()
        at = 0
        for line in shown:
            if line == "...":
                continue
            assert line in printed[at:], (args, line, printed)
            at = printed.index(line, at) + 1

"""The README's demo tables are what the commands print for the sample project: each
`$ qualcode ...` line of the block is run in order, and the lines shown under it appear in
its output in that order ("..." stands for lines left out; a line ending in "..." is the
start of a longer one)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import main
from tests.readme_console import console_commands

ROOT = Path(__file__).resolve().parents[1]


def commands(marker: str) -> list[tuple[list[str], list[str]]]:
    """[(command arguments, lines shown under it)] of the console block after the marker."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text.split(f"<!-- readme-example: {marker} -->", 1)[1]
    return console_commands("```console\n" + after.split("```console\n", 1)[1].split("\n```", 1)[0])


def shown_in_order(shown: list[str], printed: list[str]) -> None:
    at = 0
    for line in shown:
        if line == "...":
            continue
        if line.endswith("..."):
            head = line[: -len("...")]
            found = next((i for i in range(at, len(printed)) if printed[i].startswith(head)), None)
        else:
            found = printed.index(line, at) if line in printed[at:] else None
        assert found is not None, f"README line not printed (in order): {line!r}"
        at = found + 1


def test_readme_demo_tables_are_what_the_commands_print(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    steps = commands("demo-tables")
    assert [args[0] for args, _ in steps][:3] == ["demo", "freq", "crosstab"]
    for args, shown in steps:
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        shown_in_order(shown, result.output.splitlines())

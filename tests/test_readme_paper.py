"""The README's paper examples are true: the LaTeX lines it shows are what the command
prints for the sample project (in order; "..." stands for lines left out), and the PNG it
shows is what the plot command makes (a PNG of the same size)."""

from __future__ import annotations

import shlex
from pathlib import Path

from click.testing import CliRunner

from qualcode.cli import main

ROOT = Path(__file__).resolve().parents[1]


def example(marker: str) -> tuple[list[str], list[str]]:
    """(command arguments, shown output lines) of the console block after the marker."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(f"<!-- paper-example: {marker} -->", 1)[1].split("```console\n", 1)[1]
    lines = block.split("\n```", 1)[0].splitlines()
    assert lines[0].startswith("$ qualcode ")
    return shlex.split(lines[0][len("$ qualcode ") :]), lines[1:]


def test_readme_latex_and_png_come_from_the_sample(tmp_path, monkeypatch):
    from qualcode.demo import build_demo

    build_demo(tmp_path / "demo.qualcode").close()
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path)
    args, shown = example("latex")
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    at = 0
    for line in shown:
        if line == "...":
            continue
        assert line in printed[at:], line
        at = printed.index(line, at) + 1
    assert "\\textbf{Perspective transformation} & 17/23 (73.9\\%)" in result.output

    args, _ = example("png")
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    import matplotlib.image as mpimg

    made = mpimg.imread(tmp_path / "docs" / "demo-frequencies.png")
    shipped = mpimg.imread(ROOT / "docs" / "demo-frequencies.png")
    assert made.shape == shipped.shape
    assert (ROOT / "README.md").read_text().count("](docs/demo-frequencies.png)") == 1

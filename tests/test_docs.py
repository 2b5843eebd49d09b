"""Documentation that cannot drift: README's command reference is what the commands' own
--help says (regenerate with `make docs`)."""

import doctest
from pathlib import Path

from cogapp import Cog

from qualcode.cli.reference import markdown

ROOT = Path(__file__).resolve().parents[1]


def test_readme_command_reference_is_up_to_date(capsys):
    status = Cog().main(["cog", "--check", "--verbosity=0", str(ROOT / "README.md")])
    assert status == 0, "README.md's command reference is out of date: run `make docs`"


def test_the_reference_covers_every_command_and_subcommand():
    text = markdown()
    for name in ("qualcode new", "qualcode freq", "qualcode codebook add", "qualcode import"):
        assert f"$ {name} --help\nUsage: {name} " in text, name
    assert text.count("<details>") >= 35


def test_python_api_examples_run_as_documented(monkeypatch):
    # Every `>>>` example in docs/python-api.md, run from the repo root, output compared.
    monkeypatch.chdir(ROOT)
    failed, attempted = doctest.testfile(
        str(ROOT / "docs" / "python-api.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert attempted > 30
    assert failed == 0, "docs/python-api.md: an example's output differs (shown above)"

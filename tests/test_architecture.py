"""Core modules never import Textual; the CLI entry does not import pandas or spaCy."""

import pkgutil
import subprocess
import sys

import qualcode


def core_modules():
    for info in pkgutil.walk_packages(qualcode.__path__, "qualcode."):
        if not info.name.startswith("qualcode.tui") and info.name != "qualcode.__main__":
            yield info.name


def test_core_modules_do_not_import_textual():
    names = sorted(core_modules())
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_cli_startup_is_light():
    script = (
        "import sys\nfrom qualcode import cli\n"
        "heavy = [m for m in ('pandas', 'spacy', 'textual', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""

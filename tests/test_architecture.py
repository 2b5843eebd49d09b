"""The layering the brief asks for, checked on the source and in fresh interpreters.

- The TUI never touches the database itself: no module under qualcode/tui imports sqlite3,
  sqlite-utils or qualcode.store (screens go through the Project facade).
- Core modules never import Textual, and import pandas, spaCy and matplotlib at module level
  only in the modules that are that library's code (HEAVY below); every other module
  reaches those only from inside a function, so the CLI and the facade start fast.
- `qualcode --help` and `import qualcode.cli` load none of them (checked in a subprocess,
  the second with `python -X importtime` as a developer would look).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import qualcode

PACKAGE = Path(qualcode.__file__).resolve().parent
HEAVY_LIBRARIES = ("pandas", "spacy", "matplotlib", "textual")

# Modules that are pandas/spaCy code themselves (tables, numeric kernels, spaCy pipeline
# components): allowed to import those at module level, and imported by the rest of
# qualcode only inside the functions that need them (test below).
HEAVY = {
    "qualcode.analysis.disagreements",
    "qualcode.nlp.components",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def is_tui(name: str) -> bool:
    return name == "qualcode.tui" or name.startswith("qualcode.tui.")


def imported_names(node: ast.AST, module: str) -> set[str]:
    """Full dotted names an import statement brings in (`from x import y` gives x and x.y)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: resolve against the importing module's package
            base = module.split(".")[: -node.level]
            stem = ".".join(base + ([node.module] if node.module else []))
        else:
            stem = node.module or ""
        return {stem} | {f"{stem}.{alias.name}" for alias in node.names}
    return set()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def module_level_imports(path: Path, module: str) -> set[str]:
    """What importing the module imports: statements run at import time (module body,
    class bodies, if/try/with blocks), not function bodies nor `if TYPE_CHECKING:`."""
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update(imported_names(node, module))
            elif isinstance(node, ast.If):
                if not _is_type_checking(node.test):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.ClassDef):
                visit(node.body)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.With):
                visit(node.body)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def all_imports(path: Path, module: str) -> set[str]:
    """Every import statement anywhere in the module, functions included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {name for node in ast.walk(tree) for name in imported_names(node, module)}


def top(name: str) -> str:
    return name.split(".")[0]


def test_the_checker_sees_module_level_and_deferred_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\nimport json\nif TYPE_CHECKING:\n    import pandas\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
        "class A:\n    from . import b\n    def f(self):\n        import spacy\n"
    )
    assert module_level_imports(sample, "qualcode.x") == {
        "typing",
        "typing.TYPE_CHECKING",
        "json",
        "yaml",
        "qualcode",
        "qualcode.b",
    }
    assert {"pandas", "spacy"} <= all_imports(sample, "qualcode.x")


def test_no_tui_module_touches_the_database():
    offenders = {
        name: sorted(
            n
            for n in all_imports(path, name)
            if top(n) in ("sqlite3", "sqlite_utils") or n in ("qualcode.store",)
        )
        for name, path in sources().items()
        if is_tui(name)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_modules_import_heavy_libraries_only_where_they_are_the_code():
    offenders = {}
    for name, path in sources().items():
        if is_tui(name):
            continue
        heavy = {top(n) for n in module_level_imports(path, name)} & set(HEAVY_LIBRARIES)
        if "textual" in heavy or (heavy and name not in HEAVY):
            offenders[name] = sorted(heavy)
    assert offenders == {}


def test_heavy_modules_are_reached_only_from_inside_functions():
    # A module-level import of a HEAVY module would load pandas or spaCy with its importer.
    offenders = {}
    for name, path in sources().items():
        if name in HEAVY or is_tui(name):
            continue
        reached = {n for n in module_level_imports(path, name) if n in HEAVY}
        if reached:
            offenders[name] = sorted(reached)
    assert offenders == {}


def test_heavy_list_names_real_modules():
    assert HEAVY <= set(sources()), sorted(HEAVY - set(sources()))


def loaded_after(code: str) -> list[str]:
    loaded = f"[m for m in {HEAVY_LIBRARIES!r} if m in sys.modules]"
    script = f"import sys\n{code}\nprint('LOADED:' + ','.join({loaded}))\n"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    [line] = [x for x in result.stdout.splitlines() if x.startswith("LOADED:")]
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_core_modules_do_not_import_textual():
    names = sorted(name for name in sources() if not is_tui(name) and name != "qualcode.__main__")
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert 'textual' not in sys.modules, name\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_qualcode_help_loads_no_heavy_library():
    code = (
        "from qualcode.cli import main\n"
        "try:\n    main(['--help'], prog_name='qualcode')\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == []


def test_importing_the_cli_shows_no_heavy_library_in_importtime():
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import qualcode.cli"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    # Lines look like "import time:       153 |        153 |   textual.app"
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "qualcode.cli" in imported  # the check would be empty if the format changed
    assert sorted(m for m in imported if top(m) in HEAVY_LIBRARIES) == []

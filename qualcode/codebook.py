"""Hierarchical codebooks: the in-memory tree, YAML load/validate/save.

A codebook file is YAML. Codes nest with `children` to any depth:

    name: Professional identity formation
    codes:
      - name: Leadership
        description: Taking charge of patients, teams and systems.
        colour: "#4363d8"
        shortcut: "5"
        children:
          - name: Decision making
            description: ...

A flat form is accepted too (each code names its parent by path), which is how a
spreadsheet export looks; there a parent chain can loop, so cycles are checked:

    codes:
      - {name: Leadership}
      - {name: Decision making, parent: Leadership}

Validation errors name the file and the line of the offending code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.errors import CodebookError
from qualcode.lazy import lazy_module
from qualcode.plural import noun

if TYPE_CHECKING:
    import yaml
else:
    yaml = lazy_module("yaml")  # executed on first use: `qualcode freq` never reads YAML

PATH_SEP = "/"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_CODE_KEYS = {"name", "description", "colour", "color", "shortcut", "children", "parent", "guid"}

# A palette with good contrast on dark terminals, used for codes without a colour.
PALETTE = [
    "#e6194b",
    "#3cb44b",
    "#ffe119",
    "#4363d8",
    "#f58231",
    "#911eb4",
    "#46f0f0",
    "#f032e6",
    "#bcf60c",
    "#fabebe",
    "#008080",
    "#e6beff",
    "#9a6324",
    "#fffac8",
    "#800000",
    "#aaffc3",
    "#808000",
    "#ffd8b1",
    "#000075",
    "#808080",
]


# Keys the workbench uses to move and edit; a code's shortcut cannot take one of them.
WORKBENCH_KEYS = frozenset("jkugGxcnNadmq")


def shortcut_problem(key: str | None) -> str | None:
    """Why `key` cannot be a code shortcut in the workbench (None if it can)."""
    if not key:
        return None
    if len(key) != 1 or not key.isalnum():
        return f"shortcut {key!r} must be one letter or digit"
    if key in WORKBENCH_KEYS:
        return f"shortcut {key!r} is taken by the workbench (reserved: {' '.join(sorted(WORKBENCH_KEYS))})"
    return None


@dataclass
class CodeSpec:
    """One code of a codebook file, with its children."""

    name: str
    description: str = ""
    colour: str | None = None
    shortcut: str | None = None
    guid: str | None = None
    children: list[CodeSpec] = field(default_factory=list)
    line: int | None = None


@dataclass
class Codebook:
    """A codebook: its name, description and code tree (CodeSpec, depth-first), as
    parse_codebook reads it from YAML."""

    name: str = "Codebook"
    description: str = ""
    codes: list[CodeSpec] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[str, CodeSpec, int]]:
        """Yield (path, code, depth) depth-first in file order."""

        def visit(codes: list[CodeSpec], prefix: str, depth: int):
            for code in codes:
                path = f"{prefix}{PATH_SEP}{code.name}" if prefix else code.name
                yield path, code, depth
                yield from visit(code.children, path, depth + 1)

        yield from visit(self.codes, "", 0)

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())


def nfc(text: str) -> str:
    """A name as stored and compared: Unicode NFC (macOS tools write NFD), so that a
    name typed on any system finds the same code, participant or document."""
    return unicodedata.normalize("NFC", text)


SLASH_RULE = "'/' separates the levels of a code path (Theme/Subtheme)"


def check_code_name(name: str, where: str = "") -> None:
    """Refuse a code name holding '/': one rule for the TUI, the CLI and YAML files."""
    if PATH_SEP in name:
        prefix = f"{where}: " if where else ""
        raise CodebookError(
            f"{prefix}code name {name!r} cannot contain '/': {SLASH_RULE}; use another character"
        )


def split_path(path: str) -> list[str]:
    """Split 'Theme/Subtheme' into NFC parts ('/' is never part of a name)."""
    parts = [p.strip() for p in nfc(path).split(PATH_SEP)]
    if any(not p for p in parts):
        raise CodebookError(
            f"code path {path!r}: empty name in path ({SLASH_RULE}; a name cannot contain it)"
        )
    return parts


def join_path(parts: list[str]) -> str:
    return PATH_SEP.join(parts)


def load_codebook(path: str | Path) -> Codebook:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CodebookError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise CodebookError(f"{path}: not UTF-8 text") from None
    return parse_codebook(text, source=str(path))


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    """Parse a YAML codebook; raises CodebookError 'SOURCE: line N: problem' for any
    problem, including YAML aliases (refused: a few hundred bytes of nested aliases expand
    to 10^8 codes) and keys that are not plain names."""
    try:
        return _parse_codebook(text, source)
    except CodebookError as exc:
        if str(exc).startswith(source):
            raise
        raise CodebookError(f"{source}: {exc}") from None  # always name the file
    except RecursionError:
        raise CodebookError(f"{source}: nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - any other parser failure is still one line
        raise CodebookError(
            f"{source}: not a valid codebook ({type(exc).__name__}: {exc})"
        ) from None


def _refuse_aliases(text: str, source: str) -> None:
    """Walk the YAML events (linear, nothing expanded) and refuse the first alias."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            where = f" line {mark.line + 1}:" if mark is not None else ""
            raise CodebookError(
                f"{source}:{where} YAML aliases (*{event.anchor}) are not allowed in a "
                "codebook; write each code out"
            )


def _parse_codebook(text: str, source: str) -> Codebook:
    try:
        _refuse_aliases(text, source)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark else ""
        raise CodebookError(
            f"{source}:{where} invalid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    if root is None:
        raise CodebookError(f"{source}: empty codebook")
    codes_node: yaml.Node | None
    if isinstance(root, yaml.SequenceNode):
        name, description, codes_node = Path(source).stem, "", root
    elif isinstance(root, yaml.MappingNode):
        top = _fields(root, source)
        name = _scalar(top.get("name"), source) or Path(source).stem
        description = _scalar(top.get("description"), source) or ""
        codes_node = top.get("codes")
        if not isinstance(codes_node, yaml.SequenceNode):
            raise CodebookError(
                f"{source}: line {root.start_mark.line + 1}: expected a `codes:` list"
            )
    else:
        raise CodebookError(f"{source}: expected a mapping with `codes:` or a list of codes")
    codes = _parse_codes(codes_node, source)
    if any(_has_parent(n) for n in codes_node.value):
        codes = _nest_flat(codes, codes_node, source)
    book = Codebook(name=name, description=description, codes=codes)
    validate(book, source)
    return book


def _scalar(node, source: str) -> str | None:
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise CodebookError(f"{source}: line {node.start_mark.line + 1}: expected a single value")
    return str(node.value)


def _fields(node: yaml.MappingNode, source: str) -> dict[str, yaml.Node]:
    """A mapping's fields by key; a key that is not a plain name is refused."""
    fields = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode):
            raise CodebookError(
                f"{source}: line {key.start_mark.line + 1}: a key must be a plain name"
            )
        fields[str(key.value)] = value
    return fields


def _has_parent(node) -> bool:
    return isinstance(node, yaml.MappingNode) and any(
        isinstance(k, yaml.ScalarNode) and k.value == "parent" for k, _ in node.value
    )


def _parse_codes(seq: yaml.SequenceNode, source: str) -> list[CodeSpec]:
    codes = []
    for node in seq.value:
        line = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            codes.append(CodeSpec(name=nfc(str(node.value).strip()), line=line))
            continue
        if not isinstance(node, yaml.MappingNode):
            raise CodebookError(f"{source}: line {line}: a code must be a name or a mapping")
        fields = _fields(node, source)
        unknown = set(fields) - _CODE_KEYS
        if unknown:
            raise CodebookError(
                f"{source}: line {line}: unknown {noun(len(unknown), 'field')} "
                f"{', '.join(sorted(unknown))}"
            )
        children = fields.get("children")
        if children is not None and not isinstance(children, yaml.SequenceNode):
            raise CodebookError(f"{source}: line {line}: `children` must be a list")
        colour = _scalar(fields.get("colour") or fields.get("color"), source)
        shortcut = _scalar(fields.get("shortcut"), source)
        codes.append(
            CodeSpec(
                name=nfc((_scalar(fields.get("name"), source) or "").strip()),
                description=(_scalar(fields.get("description"), source) or "").strip(),
                colour=colour,
                shortcut=shortcut,
                guid=_scalar(fields.get("guid"), source),
                children=_parse_codes(children, source) if children is not None else [],
                line=line,
            )
        )
    return codes


def _nest_flat(codes: list[CodeSpec], seq: yaml.SequenceNode, source: str) -> list[CodeSpec]:
    """Build the tree of a flat list whose items name their parent; detect cycles."""
    parents: dict[int, str | None] = {}
    for i, node in enumerate(seq.value):
        fields = _fields(node, source) if isinstance(node, yaml.MappingNode) else {}
        parent = _scalar(fields.get("parent"), source)
        parents[i] = nfc(parent) if parent else parent
    by_name: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code.name in by_name:
            raise CodebookError(
                f"{source}: line {code.line}: duplicate code name {code.name!r} in a flat codebook "
                f"(first at line {codes[by_name[code.name]].line})"
            )
        by_name[code.name] = i
    for i, code in enumerate(codes):
        seen, j = {i}, i
        while parent_path := parents[j]:
            parent = split_path(parent_path)[-1]
            if parent not in by_name:
                raise CodebookError(
                    f"{source}: line {codes[j].line}: unknown parent {parents[j]!r}"
                )
            j = by_name[parent]
            if j in seen:
                raise CodebookError(
                    f"{source}: line {code.line}: cycle in parents of {code.name!r}"
                )
            seen.add(j)
    roots = []
    for i, code in enumerate(codes):
        if parent_path := parents[i]:
            codes[by_name[split_path(parent_path)[-1]]].children.append(code)
        else:
            roots.append(code)
    return roots


def check_colour(colour: str | None, name: str) -> None:
    """A code's colour is #rrggbb (the TUI and REFI-QDA exports use it as is)."""
    if colour and not _COLOUR.match(colour):
        raise CodebookError(f"colour {colour!r} of {name!r} is not #rrggbb")


def validate(book: Codebook, source: str = "<codebook>") -> None:
    """Names non-empty, without '/', unique among siblings (case counts: "trust" and
    "Trust" may be siblings); colours #rrggbb; shortcuts unique, one key."""
    shortcuts: dict[str, str] = {}

    def check(codes: list[CodeSpec], parent: str):
        seen: dict[str, CodeSpec] = {}
        for code in codes:
            where = f"{source}: line {code.line}" if code.line else source
            if not code.name:
                raise CodebookError(
                    f"{where}: empty code name" + (f" under {parent!r}" if parent else "")
                )
            check_code_name(code.name, where)
            key = nfc(code.name)  # siblings may differ in case ("trust", "Trust")
            if key in seen:
                first = seen[key].line
                raise CodebookError(
                    f"{where}: duplicate code name {code.name!r}"
                    + (f" under {parent!r}" if parent else " at top level")
                    + (f" (first at line {first})" if first else "")
                )
            seen[key] = code
            if code.colour and not _COLOUR.match(code.colour):
                raise CodebookError(
                    f"{where}: colour {code.colour!r} of {code.name!r} is not #rrggbb"
                )
            if code.shortcut is not None:
                if len(code.shortcut) != 1 or not code.shortcut.isalnum():
                    raise CodebookError(
                        f"{where}: shortcut {code.shortcut!r} must be one letter or digit"
                    )
                if code.shortcut in shortcuts:
                    raise CodebookError(
                        f"{where}: shortcut {code.shortcut!r} already used by {shortcuts[code.shortcut]!r}"
                    )
                shortcuts[code.shortcut] = code.name
            check(code.children, join_path([parent, code.name]) if parent else code.name)

    check(book.codes, "")


def to_yaml(book: Codebook) -> str:
    def dump(code: CodeSpec) -> dict:
        out: dict = {"name": code.name, "description": code.description}
        if code.colour:
            out["colour"] = code.colour
        if code.shortcut:
            out["shortcut"] = code.shortcut
        if code.guid:
            out["guid"] = code.guid
        if code.children:
            out["children"] = [dump(c) for c in code.children]
        return out

    data = {
        "name": book.name,
        "description": book.description,
        "codes": [dump(c) for c in book.codes],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_codebook(book: Codebook, path: str | Path) -> None:
    """Write atomically: a crash mid-write never leaves half a codebook."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(to_yaml(book), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        if tmp.parent.is_dir():
            tmp.unlink(missing_ok=True)
        raise CodebookError(f"{path}: cannot write ({exc.strerror or exc})") from None

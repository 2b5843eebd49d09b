"""Neutral in-memory model of a REFI-QDA project or codebook.

Readers (qdc.py, qdpx.py) produce it and writers consume it, so the facade maps
between the store and REFI-QDA in one place, and the readers can be tested on
the real fixtures without a project. GUIDs are kept canonical (lowercase, no
braces); source texts are normalised (NFC, "\\n" newlines, no BOM) and every
selection is already in code points of that normalised text, end exclusive.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from qualcode.errors import InteropError

_HEX_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_GUID = re.compile(rf"\{{({_HEX_GUID})\}}|({_HEX_GUID})")

VARIABLE_TYPES = ("Text", "Boolean", "Integer", "Float", "Date", "DateTime")

# Namespace for stable GUIDs of things qualcode names but REFI-QDA identifies by GUID.
QUALCODE_NS = uuid.UUID("6f1d0c3e-6a53-5b6e-9d1c-7175616c636f")
_NS_BYTES = QUALCODE_NS.bytes


def canonical_guid(value: str | None, where: str) -> str:
    """The GUID in canonical form; braces and upper case are accepted, anything else
    is refused because a malformed reference cannot be resolved safely."""
    match = _GUID.fullmatch((value or "").strip())
    if not match:
        raise InteropError(f"{where}: malformed GUID {value!r}")
    return (match.group(1) or match.group(2)).lower()


def export_guid(value: str | None, kind: str) -> str:
    """A stored GUID in canonical form; a value that is no GUID at all (a hand-written
    codebook may say `guid: leadership-1`) is mapped to a stable uuid5 of it."""
    try:
        return canonical_guid(value, kind)
    except InteropError:
        return stable_guid(kind, str(value))


def stable_guid(kind: str, key: str) -> str:
    """A GUID that is the same every time the same thing is exported: uuid5, computed
    directly (uuid.uuid5 builds objects; an export makes two per coding)."""
    digest = bytearray(hashlib.sha1(_NS_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass
class User:
    guid: str
    name: str
    id: str | None = None


@dataclass
class Code:
    guid: str
    name: str
    color: str | None = None
    description: str = ""
    is_codable: bool = True
    children: list[Code] = field(default_factory=list)


@dataclass
class CodeSet:
    """A REFI-QDA Set (a named group of codes and/or sources)."""

    guid: str
    name: str
    description: str = ""
    member_codes: list[str] = field(default_factory=list)
    member_sources: list[str] = field(default_factory=list)


@dataclass
class Codebook:
    codes: list[Code] = field(default_factory=list)
    sets: list[CodeSet] = field(default_factory=list)
    origin: str | None = None


@dataclass
class Variable:
    guid: str
    name: str
    type: str = "Text"  # one of VARIABLE_TYPES
    description: str = ""


VariableValue = str | bool | int | float | date | datetime | None


@dataclass
class Case:
    guid: str
    name: str
    description: str = ""
    values: dict[str, VariableValue] = field(default_factory=dict)  # variable guid -> value
    source_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)  # a million of these in a large project
class Coding:
    guid: str
    code_guid: str
    user_guid: str | None = None
    created: str | None = None  # xsd:dateTime text as written by the producer


@dataclass(slots=True)
class Selection:
    guid: str
    start: int  # code points in the normalised source text, end exclusive
    end: int
    name: str | None = None
    user_guid: str | None = None
    created: str | None = None
    codings: list[Coding] = field(default_factory=list)


@dataclass
class TextSource:
    guid: str
    name: str
    text: str
    description: str = ""
    user_guid: str | None = None
    created: str | None = None
    selections: list[Selection] = field(default_factory=list)
    # How the producer counted positions (e.g. "UTF-16 units, CRLF as 2"); for the summary.
    positions: str = "code points"
    # Why (e.g. "origin NVivo 14"); "" when every possible reading gave the same excerpts.
    positions_reason: str = ""
    # Document variables: variable guid -> value (qualcode keeps the "document kind").
    values: dict[str, VariableValue] = field(default_factory=dict)
    # The archive entry the text was read from (None: inline in project.qde).
    entry: str | None = None


@dataclass
class Note:
    guid: str
    name: str
    text: str
    description: str = ""
    user_guid: str | None = None
    created: str | None = None
    # GUIDs of the objects (code, source, selection, case, project) that refer to the note.
    target_guids: list[str] = field(default_factory=list)


@dataclass
class QdaProject:
    name: str = "qualcode project"
    origin: str | None = None
    users: list[User] = field(default_factory=list)
    codebook: Codebook = field(default_factory=Codebook)
    variables: list[Variable] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # Human-readable lines: parts the archive holds that qualcode cannot (media, PDF,
    # links, graphs, sets, missing files...). Reported, never silently dropped.
    not_imported: list[str] = field(default_factory=list)

    def coding_count(self) -> int:
        return sum(len(sel.codings) for src in self.sources for sel in src.selections)


def walk_codes(
    codes: list[Code], parent: Code | None = None
) -> Iterator[tuple[Code, Code | None, int]]:
    """Yield (code, parent, depth) depth-first in document order."""
    stack = [(code, parent, 0) for code in reversed(codes)]
    while stack:
        code, par, depth = stack.pop()
        yield code, par, depth
        stack.extend((child, code, depth + 1) for child in reversed(code.children))


def code_paths(codes: list[Code], sep: str = " / ") -> dict[str, str]:
    """GUID -> path of names from the root (names repeat under different parents)."""
    paths: dict[str, str] = {}
    for code, parent, _ in walk_codes(codes):
        paths[code.guid] = code.name if parent is None else paths[parent.guid] + sep + code.name
    return paths


@dataclass
class ImportSummary:
    """What an import brought in, and what it could not (printed by the CLI)."""

    source: str
    codes: int = 0
    sources: int = 0
    cases: int = 0
    codings: int = 0
    users: int = 0
    notes: int = 0
    variables: int = 0
    sentences: int | None = 0  # segmented on import (0: not segmented, None: later)
    not_imported: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)  # per source, how positions were read
    merged: list[str] = field(default_factory=list)  # read into a scratch project, then merged
    renamed: list[str] = field(default_factory=list)  # codes stored under another name, and why
    shared: list[str] = field(default_factory=list)  # sources given to several participants
    segmenter: str = ""  # which pipeline segments the sentences (SegmentOps.pipeline_description)
    # the documents' language: set by this import, or differing from the project's
    # (facade.language.LanguageDecision.lines)
    language: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        # A merge adds only what the project lacks: the counts below are then what the
        # archive holds, and the merge lines at the end say what was added.
        out = [
            f"read from {self.source} (what the archive holds; merged, see the end):"
            if self.merged
            else f"imported from {self.source}:",
            f"  codes      {self.codes:>8,}",
            f"  sources    {self.sources:>8,}",
            f"  cases      {self.cases:>8,}",
            f"  variables  {self.variables:>8,}",
            f"  codings    {self.codings:>8,}",
            f"  users      {self.users:>8,}",
            f"  notes      {self.notes:>8,}",
        ]
        if self.sentences is None:
            from qualcode.facade.ingest import LATER_NOTE

            out += ["  sentences     later", LATER_NOTE]
        elif self.sentences:
            out.append(f"  sentences  {self.sentences:>8,}")
        out += self.language
        if self.sentences != 0 and self.segmenter:
            out.append(f"sentences by the {self.segmenter}")
        if self.positions:
            out.append("positions read as:")
            out += [f"  {line}" for line in self.positions]
        if self.shared:
            out.append(f"documents of several participants ({len(self.shared)}):")
            out += [f"  - {line}" for line in self.shared]
        if self.renamed:
            out.append(f"renamed ({len(self.renamed)}):")
            out += [f"  - {line}" for line in self.renamed]
        if self.not_imported:
            out.append(f"not imported ({len(self.not_imported)}):")
            out += [f"  - {line}" for line in self.not_imported]
        if self.merged:
            out.append("its documents are already in this project, so it was merged; added:")
            out += self.merged
        return out

"""Plain records the facade hands to the CLI, the TUI and tests (no database handles)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Participant:
    id: int
    pid: str
    label: str | None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    participant: str | None
    kind: str
    title: str
    source_name: str | None
    length: int
    position: int


@dataclass(frozen=True)
class Document:
    id: int
    participant: str | None
    kind: str
    title: str
    source_name: str | None
    text: str
    encoding: str | None
    sha256: str | None
    imported_at: str
    position: int


@dataclass(frozen=True)
class NewDocument:
    """A document ready to store: text already normalised (NFC, \\n)."""

    participant: str | None
    kind: str
    title: str
    text: str
    source_name: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    segments: tuple[Segment, ...] = ()
    guid: str | None = None


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    kind: str
    speaker: str | None = None
    t_start: float | None = None
    t_end: float | None = None


@dataclass(frozen=True)
class Code:
    id: int
    parent_id: int | None
    name: str
    path: str
    description: str
    colour: str | None
    shortcut: str | None
    position: int
    guid: str | None
    depth: int


@dataclass(frozen=True)
class Coding:
    id: int
    document_id: int
    start: int
    end: int
    code_id: int
    coder: str
    created_at: str
    memo: str | None  # the texts of the memos on this coding, joined by a blank line
    # The memo rows themselves (memos table), kept by remove_coding so undo brings them back.
    memo_rows: tuple = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Excerpt:
    coding_id: int
    participant: str | None
    document_id: int
    document: str
    kind: str
    code_path: str
    start: int
    end: int
    text: str
    coder: str
    memo: str | None

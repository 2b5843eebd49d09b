"""What an importer produces from one file, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The file types `qualcode import` reads (qualcode.ingest.formats has a reader for each);
# here so that choosing files from a folder does not load the readers.
SUPPORTED_SUFFIXES = (".docx", ".md", ".srt", ".txt", ".vtt")


@dataclass(frozen=True)
class Turn:
    """One speaker turn.

    start/end are code-point offsets (end exclusive) of the spoken words in the
    document text: after the speaker label, without surrounding whitespace.
    speaker is the label as written ("Interviewer", "R7", "Dr Tanaka", "id1"); it is
    None only for subtitle cues that name no speaker. t_start/t_end are seconds from
    the recording's start when the source gives them (VTT/SRT cues, timestamped
    transcript headers), else None.
    """

    start: int
    end: int
    speaker: str | None
    t_start: float | None = None
    t_end: float | None = None


@dataclass
class ParsedSource:
    """A source file read and normalised (NFC, '\\n' newlines, no BOM)."""

    path: Path
    title: str  # file stem
    source_name: str  # file name
    text: str
    encoding: str  # codec used ("utf-8", "cp1252", "docx", ...), shown in the import summary
    sha256: str  # hex digest of the raw file bytes
    turns: list[Turn] = field(default_factory=list)
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    # Decisions taken and content left out while reading ("2 comments not imported"),
    # shown under the file in the import summary.
    notes: list[str] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()

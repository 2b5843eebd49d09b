"""Readers for each supported file type, and `read_source`, which picks one by suffix.

Supported: .txt and .md (text kept as written), .docx (python-docx: body
paragraphs and table rows in document order), .vtt and .srt (subtitles rendered as
"Speaker: words" paragraphs with timed turns). Every failure is an ImportError_
whose message is one line "NAME: reason".
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from qualcode.errors import ImportError_
from qualcode.ingest.captions import render_captions
from qualcode.ingest.decode import decode_bytes, normalise_text
from qualcode.ingest.docx_text import docx_blocks
from qualcode.ingest.model import ParsedSource, Turn
from qualcode.ingest.turns import detect_turns, find_paragraphs, strip_span

TEXT_SUFFIXES = (".txt", ".md")
CAPTION_SUFFIXES = (".vtt", ".srt")
SUPPORTED_SUFFIXES = (".docx", ".md", ".srt", ".txt", ".vtt")

# Formats people will try, with the advice that helps them.
_KNOWN_UNSUPPORTED = {
    ".odt": "OpenDocument (.odt) files are not supported; save it as .docx or .txt",
    ".doc": "old Word (.doc) files are not supported; save it as .docx or .txt",
    ".rtf": "RTF files are not supported; save it as .docx or .txt",
    ".pdf": "PDF files are not supported; export the text as .txt or .docx",
}


def read_source(path: str | Path) -> ParsedSource:
    """Read one file into a ParsedSource, or raise ImportError_ 'NAME: reason'."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        reason = _KNOWN_UNSUPPORTED.get(suffix) or (
            f"unsupported file type '{suffix or '(no suffix)'}' "
            f"(supported: {', '.join(SUPPORTED_SUFFIXES)})"
        )
        raise ImportError_(f"{name}: {reason}")
    raw = _read_bytes(path)
    notes: list[str] = []
    if suffix == ".docx":
        text, paragraphs, notes = _docx_text(raw, name)
        encoding, turns = "docx", detect_turns(text)
    elif suffix in CAPTION_SUFFIXES:
        decoded, encoding = decode_bytes(raw, name)
        text, turns = render_captions(decoded, name, suffix[1:])
        paragraphs = find_paragraphs(text)
    else:
        text, encoding = decode_bytes(raw, name)
        turns, paragraphs = detect_turns(text), find_paragraphs(text)
    return ParsedSource(
        path=path,
        title=path.stem,
        source_name=name,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        turns=turns,
        paragraphs=paragraphs,
        notes=notes,
    )


def _read_bytes(path: Path) -> bytes:
    name = path.name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{name}: file not found ({path})") from None
    except IsADirectoryError:
        raise ImportError_(f"{name}: is a folder, not a file") from None
    except PermissionError:
        raise ImportError_(f"{name}: permission denied, cannot read the file") from None
    except OSError as exc:
        raise ImportError_(f"{name}: cannot read the file ({exc.strerror or exc})") from None


def _docx_text(raw: bytes, name: str) -> tuple[str, list[tuple[int, int]], list[str]]:
    """(text, paragraph spans, notes) of a .docx: one line per body paragraph or table
    row as Word's final view shows it (docx_text.py), joined by '\\n'; notes name the
    content left out (comments, images...), for the import summary.

    Paragraph spans are the docx's own non-empty paragraphs (and table rows): Word
    marks paragraphs explicitly, usually without blank lines between them.
    """
    if not raw.startswith(b"PK\x03\x04"):
        raise ImportError_(f"{name}: not a valid .docx file (zip header missing)")
    import docx  # python-docx; imported here so the CLI starts fast

    try:
        document = docx.Document(io.BytesIO(raw))
        found, notes = docx_blocks(document)
        blocks = [normalise_text(block) for block in found]
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many types
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportError_(f"{name}: not a valid .docx file ({detail})") from None
    spans: list[tuple[int, int]] = []
    pos = 0
    for block in blocks:
        start, end = strip_span(block, 0, len(block))
        if start < end:
            spans.append((pos + start, pos + end))
        pos += len(block) + 1
    text = "\n".join(blocks)
    if not text.strip():
        raise ImportError_(f"{name}: the document is empty (no text to import)")
    return text, spans, notes


__all__ = ["read_source", "SUPPORTED_SUFFIXES", "ParsedSource", "Turn"]

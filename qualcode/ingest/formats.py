"""Readers for each supported file type, and `read_source`, which picks one by suffix.

Supported: .txt and .md (text kept as written), .docx (python-docx: body
paragraphs and table rows in document order), .vtt and .srt (subtitles rendered as
"Speaker: words" paragraphs with timed turns). Every failure is an ImportError_
whose message is one line "NAME: reason".
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from pathlib import Path

from qualcode.errors import ImportError_, reported_as
from qualcode.ingest.captions import render_captions
from qualcode.ingest.decode import decode_bytes, normalise_text, nul_note, replace_nul
from qualcode.ingest.docx_text import docx_blocks
from qualcode.ingest.model import SUPPORTED_SUFFIXES, ParsedSource, Turn
from qualcode.ingest.turns import detect_turns, find_paragraphs, strip_span

TEXT_SUFFIXES = (".txt", ".md")
CAPTION_SUFFIXES = (".vtt", ".srt")

# Formats people will try, with the advice that helps them.
_KNOWN_UNSUPPORTED = {
    ".odt": "OpenDocument (.odt) files are not supported; save it as .docx or .txt",
    ".doc": "old Word (.doc) files are not supported; save it as .docx or .txt",
    ".rtf": "RTF files are not supported; save it as .docx or .txt",
    ".pdf": "PDF files are not supported; export the text as .txt or .docx",
}


# The largest source file imported without --max-size: about 8 million words of plain
# text, far beyond any one transcript, and small enough that segmenting it stays bounded in
# time and memory (figures in bench/hostile_inputs.py and the README).
DEFAULT_MAX_SOURCE_BYTES = 50 * 1024 * 1024


def read_source(
    path: str | Path,
    max_bytes: int = DEFAULT_MAX_SOURCE_BYTES,
    encoding: str | None = None,
    language: str | None = None,
) -> ParsedSource:
    """Read one file into a ParsedSource, or raise ImportError_ 'NAME: reason'.

    A file larger than `max_bytes` is refused before it is read; a .docx must also
    decompress to at most `max_bytes` per part (2x in total, 100x its compressed size),
    counted on the bytes actually inflated, so a zip bomb is refused in a second.
    Whatever a parser raises becomes ImportError_ naming the file (errors.reported_as).
    `encoding` forces the codec of a text or subtitle file (ignored for .docx);
    `language` (ISO 639-1) is the hint for telling legacy encodings apart."""
    with reported_as(ImportError_, Path(path).name):
        return _read_source(Path(path), max_bytes, encoding, language)


def _read_source(
    path: Path, max_bytes: int, encoding: str | None, language: str | None
) -> ParsedSource:
    name = path.name
    suffix = path.suffix.lower()
    if not suffix and not path.exists():  # "missing-folder/": no suffix to complain about
        raise ImportError_(f"{name or path}: no such file or folder ({path})")
    if suffix not in SUPPORTED_SUFFIXES:
        reason = _KNOWN_UNSUPPORTED.get(suffix) or (
            f"unsupported file type '{suffix or '(no suffix)'}' "
            f"(supported: {', '.join(SUPPORTED_SUFFIXES)})"
        )
        raise ImportError_(f"{name}: {reason}")
    _check_size(path, max_bytes)
    raw = _read_bytes(path)
    notes: list[str] = []
    if suffix == ".docx":
        if raw.startswith(b"PK\x03\x04"):  # else _docx_text says the zip header is missing
            _check_archive(path, max_bytes)
        text, paragraphs, notes = _docx_text(raw, name)
        encoding, turns = "docx", detect_turns(text)
    elif suffix in CAPTION_SUFFIXES:
        decoded, encoding = decode_bytes(raw, name, encoding, language)
        text, turns = render_captions(decoded, name, suffix[1:])
        paragraphs = find_paragraphs(text)
    else:
        text, encoding = decode_bytes(raw, name, encoding, language)
        turns, paragraphs = detect_turns(text), find_paragraphs(text)
    text, nuls = replace_nul(text)
    if nuls:
        notes = [*notes, nul_note(nuls)]
    return ParsedSource(
        path=path,
        title=unicodedata.normalize("NFC", path.stem),  # macOS file names are NFD
        source_name=unicodedata.normalize("NFC", name),
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        turns=turns,
        paragraphs=paragraphs,
        notes=notes,
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except OSError:
        return  # _read_bytes says what is wrong
    if size > max_bytes:
        raise ImportError_(
            f"{path.name}: {_megabytes(size)} is over the {_megabytes(max_bytes)} limit for one "
            f"source file (raise it with --max-size {size // (1024 * 1024) + 1})"
        )


def _check_archive(path: Path, max_bytes: int) -> None:
    """Inflate every part of a .docx under the same limits as a .qdpx (safezip), before
    python-docx reads it: a zip bomb is refused after `max_bytes` at most, in bounded memory."""
    from qualcode.errors import InteropError
    from qualcode.interop.safezip import SafeZip, ZipLimits

    limits = ZipLimits(
        max_entries=10_000,
        max_file_bytes=max_bytes,
        max_total_bytes=2 * max_bytes,
        max_ratio=100.0,
    )
    try:
        with SafeZip(path, limits) as archive:
            for entry in archive.names():
                info = archive.find(entry)
                if info is None:
                    continue
                with archive.open_stream(info) as stream:
                    while stream.read(1 << 20):
                        pass
    except InteropError as exc:
        detail = str(exc).removeprefix(f"{path.name}: ")
        raise ImportError_(f"{path.name}: not a valid .docx file ({detail})") from None


def _read_bytes(path: Path) -> bytes:
    name = path.name
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportError_(f"{name}: no such file or folder ({path})") from None
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

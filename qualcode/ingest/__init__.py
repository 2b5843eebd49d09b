"""Document importers: files (.txt, .md, .docx, .vtt, .srt) -> normalised text with
speaker turns and paragraphs, plus import manifests (CSV).

Nothing here touches the project database; the facade (qualcode/facade/ingest.py)
stores what these functions return.
"""

from qualcode.ingest.decode import decode_bytes, looks_japanese, normalise_text
from qualcode.ingest.formats import DEFAULT_MAX_SOURCE_BYTES, SUPPORTED_SUFFIXES, read_source
from qualcode.ingest.manifest import ManifestEntry, read_manifest
from qualcode.ingest.model import ParsedSource, Turn
from qualcode.ingest.turns import detect_turns, find_paragraphs

__all__ = [
    "DEFAULT_MAX_SOURCE_BYTES",
    "SUPPORTED_SUFFIXES",
    "ManifestEntry",
    "ParsedSource",
    "Turn",
    "decode_bytes",
    "detect_turns",
    "find_paragraphs",
    "looks_japanese",
    "normalise_text",
    "read_manifest",
    "read_source",
]

"""Document importers: files (.txt, .md, .docx, .vtt, .srt) -> normalised text with
speaker turns and paragraphs, plus import manifests (CSV).

Nothing here touches the project database; the facade (qualcode/facade/ingest.py)
stores what these functions return.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the same names, for type checkers (at run time __getattr__ finds them)
    from qualcode.ingest.decode import decode_bytes, looks_japanese, normalise_text
    from qualcode.ingest.formats import DEFAULT_MAX_SOURCE_BYTES, SUPPORTED_SUFFIXES, read_source
    from qualcode.ingest.manifest import ManifestEntry, read_manifest
    from qualcode.ingest.model import ParsedSource, Turn
    from qualcode.ingest.turns import detect_turns, find_paragraphs

# Each name is imported from its module on first use (PEP 562), so that importing one
# module of the package (decode, for its normaliser) does not load every importer.
_WHERE = {
    "decode_bytes": "decode",
    "looks_japanese": "decode",
    "normalise_text": "decode",
    "SUPPORTED_SUFFIXES": "formats",
    "DEFAULT_MAX_SOURCE_BYTES": "formats",
    "read_source": "formats",
    "ManifestEntry": "manifest",
    "read_manifest": "manifest",
    "ParsedSource": "model",
    "Turn": "model",
    "detect_turns": "turns",
    "find_paragraphs": "turns",
}


def __getattr__(name: str) -> object:
    """One of the names in _WHERE, imported from its module (then cached here)."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


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

"""Turns and paragraphs of a .qdpx's texts, found by worker processes while this process
reads project.qde.

An import of a REFI-QDA archive spends its time in two steps that need each other's
results only at the end: parsing project.qde (codes, cases, selections: this process,
pure Python) and finding every source text's speaker turns and paragraphs (pure
Python, qualcode.ingest.structure). The texts are files of the archive (sources/*.txt),
so a worker (qualcode.ingest.workers) reads and structures them straight from the
archive, under the same zip limits, while this process parses: on 2 cores the second
step costs no wall time. Each result is checked against the text the reader made of
the same entry (length and CRC-32); a text the workers did not give (inline in
project.qde, unreadable, or a worker that failed) is structured here, so the import
stores the same whichever process found what.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

from qualcode.ingest.structure import structure, structures
from qualcode.ingest.workers import Pending, shares, workers_available
from qualcode.interop.model import TextSource
from qualcode.interop.safezip import SafeZip, ZipLimits
from qualcode.models import PackedSegments

# Below this many bytes of source texts in the archive everything is done here after
# parsing: a worker's start-up (about 0.15 s of CPU) would cost more than it saves.
PARALLEL_MIN_BYTES = 3_000_000

_Found = tuple[int, int, PackedSegments] | None  # (length, CRC-32, turns and paragraphs)


def text_crc(text: str) -> int:
    """CRC-32 of the text's UTF-8 (lone surrogates passed through)."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _structure_entries(jobs: list[tuple[str, ZipLimits, str]]) -> list[_Found]:
    """Worker task: (archive, limits, entry name) -> the found structure of the text the
    reader makes of that entry, or None when it cannot be read (the reader says why)."""
    from qualcode.interop.qdpx import source_text

    out: list[_Found] = []
    archive: SafeZip | None = None
    try:
        for path, limits, name in jobs:
            try:
                if archive is None:
                    archive = SafeZip(path, limits)
                info = archive.find(name)
                if info is None:
                    out.append(None)
                    continue
                text = source_text(archive.read(info))
            except Exception:  # noqa: BLE001 - the reader reports the file's problem itself
                out.append(None)
                continue
            out.append((len(text), text_crc(text), structure(text)))
    finally:
        if archive is not None:
            archive.close()
    return out


class StructuresAhead:
    """Started before read_qdpx: workers structuring the archive's sources/*.txt files.
    Use structures() once the archive is read, and stop() in any case (a finally:)."""

    def __init__(self, path: str | Path, limits: ZipLimits, workers: int | None = None):
        self._names: list[str] = []
        self._pending: Pending[tuple[str, ZipLimits, str], _Found] | None = None
        self._given: tuple[Sequence[TextSource], list[PackedSegments]] | None = None
        processes = (workers_available() if workers is None else workers) - 1  # we parse
        if processes < 1:
            return
        try:
            with SafeZip(path, limits) as archive:
                infos = [
                    archive.find(name)
                    for name in archive.names()
                    if name.lower().replace("\\", "/").startswith("sources/")
                    and name.lower().endswith(".txt")
                ]
        except Exception:  # noqa: BLE001 - read_qdpx reports a bad archive
            return
        entries = [info for info in infos if info is not None]
        sizes = [info.file_size for info in entries]
        if sum(sizes) < PARALLEL_MIN_BYTES:
            return
        self._names = [info.filename for info in entries]
        jobs = [(str(path), limits, name) for name in self._names]
        self._pending = Pending(_structure_entries, shares(jobs, sizes, processes))

    def structures(self, sources: Sequence[TextSource]) -> list[PackedSegments]:
        """Turns and paragraphs of each source's text, in order (as structure() gives);
        asked again for the same sources, the same list."""
        if self._given is not None and self._given[0] is sources:
            return self._given[1]
        found: dict[str, _Found] = {}
        if self._pending is not None:
            found = dict(zip(self._names, self._pending.result(), strict=True))
        out: dict[int, PackedSegments] = {}
        for n, source in enumerate(sources):
            got = found.get(source.entry) if source.entry else None
            if got and got[0] == len(source.text) and got[1] == text_crc(source.text):
                out[n] = got[2]
        missing = [n for n in range(len(sources)) if n not in out]
        out.update(zip(missing, structures([sources[n].text for n in missing]), strict=True))
        result = [out[n] for n in range(len(sources))]
        self._given = (sources, result)
        return result

    def stop(self) -> None:
        """Stop the workers if still running (their results are not needed)."""
        if self._pending is not None:
            self._pending.stop()

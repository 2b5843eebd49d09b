"""Read a ZIP archive (QDPX) that may be hostile.

A QDPX comes from another tool or another person, so the archive is checked
before anything is trusted: entry names must be plain relative paths (no
`../`, no absolute paths, no drive letters, no symlinks), and entries are read
with hard limits on the bytes actually decompressed -- per file, in total, and
relative to the compressed size (zip bomb) -- rather than on the sizes the
headers claim. Nothing is ever extracted to disk: entries are read into memory
by name, and lookups are case-insensitive because producers differ
(NVivo for Windows writes `Sources/`, ATLAS.ti `Project.qde`).
"""

from __future__ import annotations

import io
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from qualcode.errors import InteropError

_CHUNK = 1 << 16
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 100_000
    max_file_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 4 * 1024 * 1024 * 1024
    # Plain text deflates ~3-10x, XML up to ~30x; a bomb is >1000x. Small entries may
    # have any ratio (a 1 KB run of spaces), so the ratio is checked past ratio_floor.
    max_ratio: float = 200.0
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = ZipLimits()


def _check_name(archive: str, name: str) -> str:
    """The entry name as a relative POSIX path, or an error if it could escape."""
    if "\x00" in name:
        raise InteropError(f"{archive}: entry {name!r} has a NUL byte in its name")
    posix = name.replace("\\", "/")
    if posix.startswith("/") or _DRIVE.match(posix):
        raise InteropError(f"{archive}: entry {name!r} is an absolute path; refused")
    if any(part == ".." for part in posix.split("/")):
        raise InteropError(
            f"{archive}: entry {name!r} escapes the archive (path traversal); refused"
        )
    return posix


class SafeZip:
    """A validated, read-only view of a ZIP archive; use as a context manager."""

    def __init__(self, path: str | Path, limits: ZipLimits = DEFAULT_LIMITS):
        self.path = Path(path)
        self.label = self.path.name
        self.limits = limits
        self._total_read = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise InteropError(f"{self.label}: file not found") from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise InteropError(f"{self.label}: not a valid ZIP archive ({exc})") from None
        try:
            self._by_lower = self._index()
        except BaseException:
            self._zip.close()
            raise

    def _index(self) -> dict[str, zipfile.ZipInfo | None]:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise InteropError(
                f"{self.label}: {len(infos)} entries exceed the limit of {self.limits.max_entries}"
            )
        by_lower: dict[str, zipfile.ZipInfo | None] = {}
        seen: set[str] = set()
        for info in infos:
            posix = _check_name(self.label, info.filename)
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise InteropError(
                    f"{self.label}: entry {info.filename!r} is a symbolic link; refused"
                )
            if info.flag_bits & 0x1:
                raise InteropError(f"{self.label}: entry {info.filename!r} is encrypted; refused")
            if posix in seen:
                raise InteropError(f"{self.label}: entry {info.filename!r} appears twice; refused")
            seen.add(posix)
            if info.is_dir():
                continue
            key = unicodedata.normalize("NFC", posix).lower()  # macOS zips write NFD
            # Two entries differing only by case are ambiguous for a case-insensitive lookup.
            by_lower[key] = None if key in by_lower else info
        return by_lower

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return [info.filename for info in self._by_lower.values() if info is not None]

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The entry whose name equals `name` ignoring case and Unicode form (an entry
        stored in NFD is found from an NFC path and the other way round), or None."""
        key = unicodedata.normalize("NFC", name.replace("\\", "/")).lower()
        if key not in self._by_lower:
            return None
        info = self._by_lower[key]
        if info is None:
            raise InteropError(f"{self.label}: several entries are named {name!r} (ignoring case)")
        return info

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The entry's bytes, decompressed under the limits (headers are not trusted)."""
        with self.open_stream(info) as stream:
            return stream.read()

    def open_stream(self, info: zipfile.ZipInfo) -> io.BufferedReader:
        """A file object over the entry that enforces the limits as bytes come out,
        so a large project.qde can be parsed incrementally."""
        try:
            raw = self._zip.open(info)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise InteropError(
                f"{self.label}: entry {info.filename!r} is corrupt ({exc})"
            ) from None
        return io.BufferedReader(_LimitedEntry(self, info, raw), _CHUNK)

    def _count(self, info: zipfile.ZipInfo, size: int, added: int) -> None:
        limits = self.limits
        name = info.filename
        self._total_read += added
        if size > limits.max_file_bytes:
            raise InteropError(
                f"{self.label}: entry {name!r} is larger than "
                f"{limits.max_file_bytes} bytes uncompressed (zip bomb?); refused"
            )
        if self._total_read > limits.max_total_bytes:
            raise InteropError(
                f"{self.label}: more than {limits.max_total_bytes} bytes "
                "uncompressed in total (zip bomb?); refused"
            )
        if size > limits.ratio_floor and size / max(info.compress_size, 1) > limits.max_ratio:
            raise InteropError(
                f"{self.label}: entry {name!r} expands more than "
                f"{limits.max_ratio:g} times (zip bomb); refused"
            )


class _LimitedEntry(io.RawIOBase):
    """Raw reader over one ZIP entry that counts what is actually decompressed."""

    def __init__(self, archive: SafeZip, info: zipfile.ZipInfo, raw: IO[bytes]):
        self.archive = archive
        self.info = info
        self.raw = raw
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:  # a writable buffer (memoryview, bytearray)
        try:
            chunk = self.raw.read(min(len(buffer), _CHUNK))
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
            raise InteropError(
                f"{self.archive.label}: entry {self.info.filename!r} is corrupt ({exc})"
            ) from None
        self.size += len(chunk)
        self.archive._count(self.info, self.size, len(chunk))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self.raw.close()
        super().close()

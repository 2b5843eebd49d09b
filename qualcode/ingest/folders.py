"""The files an import takes from the paths a user gives (CLI and TUI alike).

A file is taken as given. A folder gives the supported files inside it, recursively,
in natural order (R2 before R10), leaving out hidden files and Word's ~$ lock files;
every other file in it is named in a note, so that none is left out unseen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import ImportError_
from qualcode.ingest.model import SUPPORTED_SUFFIXES
from qualcode.plural import plural


@dataclass
class FileChoice:
    """files: what to import, in order; notes: one line per folder with skipped files."""

    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def natural_key(path: Path) -> list[int | str]:
    """Sort key that puts R2 before R10."""
    return [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", str(path))]


def choose_files(sources: Iterable[Path]) -> FileChoice:
    """The files to import from files and folders (see the module doc).

    Raises ImportError_ naming the path for one that does not exist or a folder with
    no supported file."""
    choice = FileChoice()
    for source in sources:
        if not source.exists():
            raise ImportError_(f"{source}: no such file or folder (nothing imported)")
        if not source.is_dir():
            choice.files.append(source)
            continue
        visible = [
            f
            for f in source.rglob("*")
            if f.is_file()
            and not any(part.startswith((".", "~$")) for part in f.relative_to(source).parts)
        ]
        found = sorted(
            (f for f in visible if f.suffix.lower() in SUPPORTED_SUFFIXES),
            key=lambda f: natural_key(f.relative_to(source)),
        )
        if not found:
            raise ImportError_(
                f"{source}: folder has no files to import ({', '.join(SUPPORTED_SUFFIXES)})"
            )
        skipped = sorted(
            (
                str(f.relative_to(source))
                for f in visible
                if f.suffix.lower() not in SUPPORTED_SUFFIXES
            ),
            key=lambda name: natural_key(Path(name)),
        )
        if skipped:
            projects = any(name.lower().endswith(".qdpx") for name in skipped)
            choice.notes.append(
                f"{source}: skipped {plural(len(skipped), 'file')} of a type qualcode does not import "
                f"(it imports {', '.join(SUPPORTED_SUFFIXES)}): {', '.join(skipped)}"
                + (
                    "; a .qdpx project is imported on its own: qualcode import PROJECT FILE.qdpx"
                    if projects
                    else ""
                )
            )
        choice.files.extend(found)
    return choice

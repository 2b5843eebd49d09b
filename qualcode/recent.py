"""Recently opened projects, kept in a small JSON file under the user's config directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

LIMIT = 12


def recent_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "qualcode" / "recent.json"


def load(path: Path | None = None) -> list[Path]:
    """Recent project paths, newest first; missing files and a broken list are skipped."""
    path = path or recent_file()
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(entries, list):
        return []
    return [Path(p) for p in entries if isinstance(p, str) and Path(p).exists()]


def add(project: Path, path: Path | None = None) -> None:
    """Put `project` first in the list (written atomically: a crash leaves the old list)."""
    path = path or recent_file()
    project = Path(project).resolve()
    entries = [str(project)] + [str(p) for p in load(path) if p.resolve() != project]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(entries[:LIMIT], indent=1), encoding="utf-8")
    os.replace(tmp, path)

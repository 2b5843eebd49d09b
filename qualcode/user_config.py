"""What qualcode remembers about its user across projects: the coder's name, kept in a
small JSON file beside the recent-projects list (qualcode.recent). It is asked once, on
first use (or set with `qualcode config --coder NAME`), and then recorded with the
user's codings in every project they open, whatever the project's default coder (so a
copy of a project coded by another person records that person's name)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from qualcode import recent


def _file(recent_file: Path | None = None) -> Path:
    return (recent_file or recent.recent_file()).parent / "user.json"


def user_file(recent_file: Path | None = None) -> Path:
    """Where the user's own settings are kept: $XDG_CONFIG_HOME/qualcode/user.json
    (~/.config/qualcode/user.json without XDG_CONFIG_HOME), or beside `recent_file`."""
    return _file(recent_file)


def remembered_coder(recent_file: Path | None = None) -> str | None:
    """The coder's name given on first use, or None (never asked, or an unreadable file)."""
    try:
        data = json.loads(_file(recent_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    name = data.get("coder") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) and name.strip() else None


def remember_coder(name: str, recent_file: Path | None = None) -> None:
    """Keep `name` for later projects (written atomically, like the recent list)."""
    path = _file(recent_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"coder": name}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)

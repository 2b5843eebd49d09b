"""How `qualcode merge` matches OTHER's codes with this project's (merge.py calls
merge_codes inside its transaction).

A code is matched, in this order:

1. by its GUID: copies of one project share their codes' GUIDs (REFI-QDA's guid), so
   the same GUID is the same code whatever either coder renamed or moved it to. A
   different name or place is listed as a conflict and this project's kept (or, with
   take_renames, OTHER's name taken);
2. by its path (NFC, each level stripped; a code whose parent was matched is looked up
   under that parent as it is named here), among the codes no GUID claimed. Codebooks
   loaded separately from one file have the same paths and different GUIDs: that is
   said in one line. A path that matches only when case or spaces are ignored
   ("Peer support" and "Peer Support") is matched too, and said code by code, since two
   coders may have meant two codes.

A code matched by neither is added under its (matched) parent with its GUID.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from qualcode.facade.base import new_guid
from qualcode.plural import plural

if TYPE_CHECKING:
    import sqlite3

    from qualcode.facade.merge import MergeReport
    from qualcode.models import Code


def path_key(path: str) -> str:
    """A code path as merging compares it: NFC, each level stripped and case-folded."""
    return "/".join(unicodedata.normalize("NFC", p).strip().casefold() for p in path.split("/"))


def exact_key(path: str) -> str:
    """A code path with only NFC and the spaces around each level taken away."""
    return "/".join(unicodedata.normalize("NFC", p).strip() for p in path.split("/"))


def merge_codes(
    conn: sqlite3.Connection,
    ours: list[Code],
    theirs: list[Code],
    report: MergeReport,
    take_renames: bool = False,
) -> dict[int, int]:
    """Match (or add) every code of OTHER (`theirs`, depth-first) with this project's
    (`ours`), writing through `conn`; returns OTHER's code id -> the id here. Conflicts
    and decisions go into `report`."""
    by_guid = {c.guid: c for c in ours if c.guid}
    by_path = {path_key(c.path): c for c in ours}
    by_id = {c.id: c for c in ours}
    # pass 1: the GUIDs, so that no path match takes a code another one's GUID names
    matched = {c.id: by_guid[c.guid] for c in theirs if c.guid and c.guid in by_guid}
    claimed = {c.id for c in matched.values()}
    shortcuts = {r[0] for r in conn.execute("SELECT shortcut FROM codes") if r[0]}
    guids = {r[0] for r in conn.execute("SELECT guid FROM codes") if r[0]}
    names = {(r[0] or 0, r[1]) for r in conn.execute("SELECT parent_id, name FROM codes")}
    position = conn.execute("SELECT coalesce(max(position), 0) FROM codes").fetchone()[0]
    mapping: dict[int, int] = {}
    here_path: dict[int, str] = {}  # OTHER's code id -> its path here
    by_path_other_guid = []
    other = report.other
    for c in theirs:  # depth-first: a parent comes before its children
        parent_here = here_path.get(c.parent_id) if c.parent_id is not None else None
        path = f"{parent_here}/{c.name}" if parent_here else c.name
        mine = matched.get(c.id)
        if mine is not None:
            if exact_key(mine.path) != exact_key(c.path):
                mine = _renamed(conn, mine, c, by_id, names, report, take_renames)
        else:
            found = by_path.get(path_key(path))
            if found is not None and found.id not in claimed:
                mine = found
                claimed.add(found.id)
                if exact_key(found.path) != exact_key(path):
                    report.decisions.append(
                        f"code {c.path!r} in {other} taken as {found.path!r} here (the same "
                        "path but for case or spaces; not the same GUID: check they mean "
                        "one code)"
                    )
                elif c.guid and found.guid and c.guid != found.guid:
                    by_path_other_guid.append(found.path)
        if mine is not None:
            mapping[c.id] = mine.id
            here_path[c.id] = mine.path
            _compare(mine, c, report)
            continue
        position += 1
        shortcut = c.shortcut if c.shortcut and c.shortcut not in shortcuts else None
        if c.shortcut and shortcut is None:
            report.decisions.append(
                f"code {c.path}: shortcut {c.shortcut!r} is taken here; added without one"
            )
        parent_id = mapping.get(c.parent_id) if c.parent_id is not None else None
        name = unicodedata.normalize("NFC", c.name)
        if (parent_id or 0, name) in names:  # its path here names a code a GUID claimed
            taken, name = name, f"{name} ({other})"
            report.decisions.append(
                f"code {c.path!r} in {other}: {taken!r} here is another code (another "
                f"GUID matched it); added as {name!r}"
            )
        cur = conn.execute(
            "INSERT INTO codes(parent_id, name, description, colour, shortcut, position, guid) "
            "VALUES (?,?,?,?,?,?,?)",
            [
                parent_id,
                name,
                c.description or "",
                c.colour,
                shortcut,
                position,
                c.guid if c.guid and c.guid not in guids else new_guid(),
            ],
        )
        names.add((parent_id or 0, name))
        assert cur.lastrowid is not None  # an INSERT's row
        mapping[c.id] = cur.lastrowid
        here_path[c.id] = f"{parent_here}/{name}" if parent_here else name
        if shortcut:
            shortcuts.add(shortcut)
        report.codes_added.append(here_path[c.id])
    if by_path_other_guid:
        n = len(by_path_other_guid)
        report.decisions.append(
            f"{plural(n, 'code')} matched by path, not by GUID (their GUIDs differ: the "
            f"codebooks were made or exported separately): {_some(by_path_other_guid)}"
        )
    return mapping


def _renamed(conn, mine: Code, theirs: Code, by_id, names, report, take_renames) -> Code:
    """A code OTHER holds under another name or parent (same GUID): said, and with
    take_renames OTHER's name taken when no sibling here has it. Returns the code as
    it is here now."""
    from dataclasses import replace

    other = report.other
    name = unicodedata.normalize("NFC", theirs.name).strip()
    key = (mine.parent_id or 0, name)
    if take_renames and name != mine.name and key not in names:
        conn.execute("UPDATE codes SET name = ? WHERE id = ?", [name, mine.id])
        names.discard((mine.parent_id or 0, mine.name))
        names.add(key)
        path = mine.path.rsplit("/", 1)[0] + "/" + name if "/" in mine.path else name
        moved = exact_key(path) != exact_key(theirs.path)
        report.decisions.append(
            f"code {mine.path!r} renamed {name!r}, as in {other} (same GUID)"
            + (f"; left where it is here, not under {theirs.path!r}" if moved else "")
        )
        return replace(mine, name=name, path=path)
    hint = "" if take_renames else " (--take-renames takes the other name)"
    report.conflicts.append(
        f"code {mine.path!r} is {theirs.path!r} in {other} (same code: same GUID); "
        f"kept {mine.path!r}{hint}"
    )
    return mine


def _compare(mine: Code, theirs: Code, report: MergeReport) -> None:
    """List a description or colour that differs; this project's is kept."""
    for what in ("description", "colour"):
        other_value, here = getattr(theirs, what) or "", getattr(mine, what) or ""
        if other_value and other_value != here:
            report.conflicts.append(
                f"code {mine.path}: {what} differs ({here!r} here, {other_value!r} in "
                f"{report.other}); kept this project's"
            )


def _some(paths: list[str], shown: int = 5) -> str:
    more = len(paths) - shown
    return ", ".join(paths[:shown]) + (f" and {more} more" if more > 0 else "")

"""Where a coder last left a project in the workbench: the open document and its selection.

Kept in the project's meta (through the facade), one entry per coder, so reopening the
project puts each coder back where they were. Saved when the document changes and when the
workbench closes, never per keystroke.
"""

from __future__ import annotations

import json

from qualcode.errors import QualcodeError

PLACE_KEY = "tui_last_place:{coder}"


def save_place(project, document_id: int | None, selection: tuple[int, int]) -> None:
    if document_id is None or not project.is_open:
        return  # closed: the app saved the place before closing it
    start, end = selection
    value = json.dumps({"document": document_id, "start": start, "end": end})
    try:
        project.set_meta(PLACE_KEY.format(coder=project.coder), value)
    except QualcodeError:
        pass  # busy, full or damaged: the place is a convenience, never worth an error at exit


def saved_place(project, documents) -> tuple[int, int, int] | None:
    """(document id, start, end) saved for this coder, if that document still exists;
    the offsets are clamped to its current length."""
    try:
        place = json.loads(project.get_meta(PLACE_KEY.format(coder=project.coder)) or "null")
        doc_id, start, end = int(place["document"]), int(place["start"]), int(place["end"])
    except (ValueError, TypeError, KeyError):
        return None  # nothing saved, or not written by this module
    length = next((d.length for d in documents if d.id == doc_id), None)
    if length is None:
        return None  # the document was deleted since
    start = max(0, min(start, length))
    return doc_id, start, max(start, min(end, length))
